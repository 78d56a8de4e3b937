"""The development app: the product's app plus the chat simulator and the demo commands.

``flask --app 'devkit.app:create_dev_app()' demo-load`` and ``gunicorn 'devkit.app:create_dev_app()'``
(scripts/run.sh). The production app (bot.create_app) never imports devkit.
"""
from __future__ import annotations

import sys
from typing import Any

from flask import Flask

from bot import create_app
from devkit import cli, simulator


def create_dev_app(config: dict[str, Any] | None = None) -> Flask:
    """The product's app with the simulator at /simulator and the ``demo-load`` command."""
    app = create_app(config)
    settings = app.extensions["tidtam"].settings
    if not settings.is_development:
        _refuse("the development app needs TIDTAM_ENV=development")
    if settings.line_channel_secret:
        # The simulator signs events with the channel secret: with a real
        # channel's secret anyone reaching /simulator could forge webhooks.
        _refuse("the simulator is refused while LINE_CHANNEL_SECRET is set (a real channel's secret)")
    app.register_blueprint(simulator.bp)
    for command in cli.COMMANDS:
        app.cli.add_command(command)
    return app


def _refuse(reason: str) -> None:
    print(f"Tidtam (development) cannot start: {reason}", file=sys.stderr)
    raise SystemExit(2)

