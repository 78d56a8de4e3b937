"""ITA score questions in plain Thai."""
from __future__ import annotations

from handlers.registry import Context, Reply


def maybe_answer_score_question(ctx: Context) -> Reply | None:
    """Answer the text if it is a score question; None lets the router show help."""
    return None
