"""Operational CLI commands: ``flask --app bot <command>``, one module per command group.

Each command prints plain words; errors are one line on stderr with exit code 1,
never a traceback (bot.cli.common).
"""
from __future__ import annotations

import click
from flask import Flask

from bot.cli import channel, console, data, export, people, schedule, scores
from bot.cli.common import cli_command, services
from core.schema import upgrade_database

GROUPS = (channel, console, data, export, people, schedule, scores)


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
    """Add every command of every group to the app's CLI."""
    app.cli.add_command(init_db_command)
    for group in GROUPS:
        for command in group.COMMANDS:
            app.cli.add_command(command)
