"""`flask --app bot demo-load`: the fictional demo organisation (idempotent)."""
from __future__ import annotations

import click
from sqlmodel import Session

from bot.cli.common import cli_command, services
from devkit.demo import ORG, UNREGISTERED_USER, load_demo
from models import utcnow


@cli_command("demo-load")
def demo_load_command() -> None:
    """Load (or refresh) the demo organisation, its staff, measures and scores."""
    svc = services()
    with Session(svc.engine, expire_on_commit=False) as session:
        result = load_demo(session, today=utcnow().astimezone(svc.settings.tz).date())
        session.commit()
    click.echo(f"Demo organisation: {ORG}")
    click.echo(f"{result['measures']} measures ({result['created']} new), {result['officers']} officers, "
               f"{result['assignments']} new assignments, {result['score_years']} years of scores.")
    click.echo(f"Unregistered demo user for the simulator: {UNREGISTERED_USER}")


COMMANDS = [demo_load_command]
