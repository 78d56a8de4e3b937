"""Tidtam's Flask application: ``gunicorn 'bot:create_app()'``."""
from __future__ import annotations

from typing import Any


def create_app(config: dict[str, Any] | None = None):
    """Build the Flask app; ``config`` overrides settings (used by tests)."""
    from bot.app import build_app

    return build_app(config)
