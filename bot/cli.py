"""Operational CLI commands: ``flask --app bot <command>``.

Each command prints plain words; errors are one line on stderr with exit code 1,
never a traceback.
"""
from __future__ import annotations

import functools

import click
from alembic import command as alembic_command
from alembic.config import Config as AlembicConfig
from flask import Flask, current_app
from flask.cli import with_appcontext

from bot.settings import PROJECT_ROOT


def services():
    return current_app.extensions["tidtam"]


def fail(message: str) -> None:
    """Stop the command with a one-line error."""
    raise click.ClickException(message)


def friendly_errors(func):
    """Turn unexpected database errors into one clear line."""
    from sqlalchemy.exc import OperationalError

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except OperationalError as exc:
            reason = str(exc.orig).strip().splitlines()[0][:160] if exc.orig else type(exc).__name__
            fail(f"database error: {reason} (check DATABASE_URL, and run `flask --app bot init-db`)")

    return wrapper


def print_warnings(warnings) -> None:
    """List an import's warnings (each prints with its line number)."""
    if warnings:
        click.echo(f"Warnings ({len(warnings)}):")
        for warning in warnings:
            click.echo(f"  {warning}")


def write_template(path, writer, *, rows_are: str, import_command: str) -> None:
    """Write a spreadsheet template with ``writer`` and say how to import it."""
    if path.suffix.lower() not in (".xlsx", ".csv"):
        fail("the template path must end in .xlsx or .csv")
    try:
        writer(path)
    except OSError as exc:
        fail(f"cannot write {path}: {exc.strerror or exc}")
    click.echo(f"Wrote {path}. Fill one {rows_are} a row, then: flask --app bot {import_command} {path}")


def alembic_config(database_url: str) -> AlembicConfig:
    config = AlembicConfig(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    config.attributes["database_url"] = database_url
    config.attributes["skip_logging"] = True
    return config


def upgrade_database(database_url: str) -> None:
    """Bring the database to the latest schema (idempotent)."""
    alembic_command.upgrade(alembic_config(database_url), "head")


def cli_command(name: str, **kwargs):
    """Declare a CLI command that runs in the app context with friendly errors."""

    def decorate(func):
        return click.command(name, **kwargs)(with_appcontext(friendly_errors(func)))

    return decorate


@cli_command("init-db")
def init_db_command() -> None:
    """Create or upgrade the database schema to the latest version."""
    url = services().settings.database_url
    upgrade_database(url)
    click.echo(f"Database is up to date ({_redact(url)}).")


def _redact(url: str) -> str:
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://***@{rest.split('@', 1)[1]}"
    return url


def register(app: Flask) -> None:
    app.cli.add_command(init_db_command)
    import importlib
    import pkgutil

    import bot

    # Every bot/cli_*.py module contributes its COMMANDS list.
    for info in sorted(pkgutil.iter_modules(bot.__path__), key=lambda i: i.name):
        if info.name.startswith("cli_"):
            for cmd in importlib.import_module(f"bot.{info.name}").COMMANDS:
                app.cli.add_command(cmd)
