"""The application factory: settings, database, LINE client, views and CLI."""
from __future__ import annotations

import logging
from functools import partial
from typing import Any

from flask import Flask
from flask.sessions import SessionInterface

from bot.events import Services, handle_next
from bot.intake import Intake
from bot.line_client import LineClient
from bot.settings import Settings
from bot.tasks import ChatQueue, TaskRunner
from models import make_engine

log = logging.getLogger("bot")


def build_app(config: dict[str, Any] | None = None) -> Flask:
    settings = Settings.from_env().with_overrides(config)
    _configure_logging()
    app = Flask(__name__, instance_path=_instance_path())
    app.config.update(
        SECRET_KEY=settings.signing_key,
        MAX_CONTENT_LENGTH=settings.max_body_bytes,
        JSON_AS_ASCII=False,
    )
    app.json.ensure_ascii = False
    app.session_interface = _NoSessions()
    engine = make_engine(settings.database_url)
    services = Services(settings=settings, engine=engine, line=LineClient(settings), tasks=TaskRunner())
    if settings.event_handlers == "web":
        services.chats = ChatQueue(partial(handle_next, services), workers=settings.handler_threads)
    elif engine.dialect.name == "postgresql":
        services.intake = Intake(settings.database_url)
    app.extensions["tidtam"] = services

    import handlers.all  # noqa: F401  (registers commands)
    from bot import cli, files, webhook

    app.register_blueprint(webhook.bp)
    app.register_blueprint(files.bp)
    if settings.simulator:
        from bot import simulator

        app.register_blueprint(simulator.bp)
    cli.register(app)
    if not settings.line_channel_secret:
        log.debug("LINE_CHANNEL_SECRET is not set: development mode, webhook uses the development secret")
    return app


class _NoSessions(SessionInterface):
    """Tidtam keeps no cookie sessions: skip building a signer on every request (the webhook's hot path)."""

    def open_session(self, app, request):
        return None  # Flask then uses its null session, which refuses writes

    def save_session(self, app, session, response) -> None:
        pass


def _instance_path() -> str:
    from bot.settings import PROJECT_ROOT

    return str(PROJECT_ROOT / "instance")


def _configure_logging() -> None:
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
