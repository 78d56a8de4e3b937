"""Tidtam's Flask application: ``gunicorn 'bot:create_app()'``."""
from __future__ import annotations

import sys
from typing import Any


def create_app(config: dict[str, Any] | None = None):
    """Build the Flask app; ``config`` overrides settings (used by tests).

    A missing or malformed setting stops start-up with one line naming the
    variable, not a traceback.
    """
    from bot.app import build_app
    from bot.settings import SettingsError

    try:
        return build_app(config)
    except SettingsError as exc:
        print(f"Tidtam cannot start: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
