"""What every CLI command module shares: the services, one-line failures and friendly database errors.

Each command prints plain words; errors are one line on stderr with exit code 1,
never a traceback.
"""
from __future__ import annotations

import functools

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.exc import OperationalError

from core.services import Services


def services() -> Services:
    return current_app.extensions["tidtam"]


def fail(message: str) -> None:
    """Stop the command with a one-line error."""
    raise click.ClickException(message)


def friendly_errors(func):
    """Turn unexpected database errors into one clear line."""
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


def cli_command(name: str, **kwargs):
    """Declare a CLI command that runs in the app context with friendly errors."""

    def decorate(func):
        return click.command(name, **kwargs)(with_appcontext(friendly_errors(func)))

    return decorate


def commit_unless_dry_run(session, dry_run: bool) -> None:
    """Write the session's changes, or roll them back and say so for a dry run."""
    if dry_run:
        session.rollback()
        click.echo("Dry run: nothing was written.")
    else:
        session.commit()
        click.echo("Imported.")
