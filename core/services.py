"""What every process is given: settings, the database engine, the LINE client and a task runner.

The web app (bot.app), the worker (bot.worker), the clock (scheduler) and the
CLI each build one Services at start and hand it to handlers and jobs.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Engine

from core.settings import Settings
from core.tasks import TaskRunner
from line.client import LineClient, LineConfig
from models import make_engine


def line_config(settings: Settings) -> LineConfig:
    """The LINE channel the settings name."""
    return LineConfig(
        access_token=settings.line_channel_access_token,
        api_base_url=settings.line_api_base_url,
        data_api_base_url=settings.line_data_api_base_url,
        connect_timeout=settings.line_connect_timeout,
        read_timeout=settings.line_read_timeout,
    )


@dataclass
class Services:
    """Process-wide collaborators handed to handlers and jobs."""

    settings: Settings
    engine: Engine
    line: LineClient
    tasks: TaskRunner | None = None
    chats: Any = None  # inbox.queue.ChatQueue where this process handles webhook events
    intake: Any = None  # inbox.intake.Intake: the web's shared writer (PostgreSQL, worker mode)

    def dispose(self) -> None:
        """Close every database connection this process holds."""
        self.engine.dispose()
        if self.intake is not None:
            self.intake.dispose()


def build_services(settings: Settings | None = None) -> Services:
    """Services for one process: the engine, the LINE client and a task runner."""
    settings = settings or Settings.from_env()
    return Services(settings=settings, engine=make_engine(settings.database_url),
                    line=LineClient(line_config(settings)), tasks=TaskRunner())
