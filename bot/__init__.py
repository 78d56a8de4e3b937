"""Tidtam's Flask application: ``gunicorn 'bot:create_app()'``."""
from __future__ import annotations

import sys
from typing import Any

from flask import Flask

from bot.app import build_app
from core.settings import SettingsError


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the Flask app; ``config`` overrides settings (used by tests).

    A missing or malformed setting stops start-up with one line naming the
    variable, not a traceback.
    """
    try:
        return build_app(config)
    except SettingsError as exc:
        print(f"Tidtam cannot start: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
