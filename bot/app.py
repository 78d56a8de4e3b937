"""The application factory: settings, services, views and CLI commands."""
from __future__ import annotations

import logging
from functools import partial
from typing import Any

from flask import Flask

import handlers.all  # noqa: F401  (registers every command, postback and flow)
from bot import cli, console, downloads, webhook
from core.logs import configure_logging
from core.services import build_services
from core.settings import PROJECT_ROOT, Settings
from inbox.dispatch import handle_next
from inbox.queue import ChatQueue
from inbox.store import make_intake

log = logging.getLogger("bot")


def build_app(config: dict[str, Any] | None = None) -> Flask:
    settings = Settings.from_env().with_overrides(config)
    configure_logging()
    app = Flask(__name__, instance_path=str(PROJECT_ROOT / "instance"))
    app.config.update(
        SECRET_KEY=settings.signing_key,
        MAX_CONTENT_LENGTH=settings.max_body_bytes,
        JSON_AS_ASCII=False,
    )
    app.json.ensure_ascii = False
    services = build_services(settings)
    if settings.event_handlers == "web":
        services.chats = ChatQueue(partial(handle_next, services), workers=settings.handler_threads)
    elif services.engine.dialect.name == "postgresql":
        # Under a burst the request threads share their commits (docs/performance.md: 52% of the
        # bare baseline against 29-37% for a commit per webhook).
        services.intake = make_intake(settings.database_url)
    app.extensions["tidtam"] = services

    app.register_blueprint(webhook.bp)
    app.register_blueprint(downloads.bp)
    console.install(app)  # cookie sessions under /console only: the webhook stays free of session work
    cli.register(app)
    if not settings.line_channel_secret:
        log.debug("LINE_CHANNEL_SECRET is not set: development mode, webhook uses the development secret")
    return app

