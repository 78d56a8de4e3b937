"""The database schema: bring a database to the latest Alembic migration."""
from __future__ import annotations

from alembic import command as alembic_command
from alembic.config import Config as AlembicConfig

from core.settings import PROJECT_ROOT


def alembic_config(database_url: str) -> AlembicConfig:
    config = AlembicConfig(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    config.attributes["database_url"] = database_url
    config.attributes["skip_logging"] = True
    return config


def upgrade_database(database_url: str) -> None:
    """Bring the database to the latest schema (idempotent)."""
    alembic_command.upgrade(alembic_config(database_url), "head")
