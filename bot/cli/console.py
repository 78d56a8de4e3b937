"""CLI command for the browser console: ``flask --app bot login-link --org ORG --name NAME``.

The first admin of a fresh deployment has no LINE link yet, so this prints a
one-time sign-in link (the same as the chat's เว็บ) as the last line.
"""
from __future__ import annotations

import click
from sqlmodel import Session

from bot.cli.common import cli_command, fail, services
from handlers.console import new_sign_in_link
from models import utcnow
from models.console import SIGN_IN_VALID, may_use_console
from models.people import OfficerLookupError, find_officer
from models.plan import OrganisationChoiceError, find_organisation


@cli_command("login-link")
@click.option("--org", "org_name", help="Organisation name (may be left out when there is only one).")
@click.option("--name", required=True, help="The admin's or supervisor's name.")
def login_link_command(org_name: str | None, name: str) -> None:
    """Print a one-time sign-in link to the browser console (valid 10 minutes, admins and supervisors)."""
    settings = services().settings
    with Session(services().engine, expire_on_commit=False) as session:
        try:
            org = find_organisation(session, org_name)
            officer = find_officer(session, organisation_id=org.id, name=name)
        except (OrganisationChoiceError, OfficerLookupError) as exc:
            fail(str(exc))
        if not may_use_console(officer):
            what = "is not active" if not officer.active else f"is an {officer.role}"
            fail(f"{officer.name} {what}: the console is for active admins and supervisors only")
        url = new_sign_in_link(session, settings, officer, utcnow(), via="cli")
        session.commit()
    minutes = int(SIGN_IN_VALID.total_seconds() // 60)
    click.echo(f"Sign-in link for {officer.name} ({officer.role}, {org.name}); good once, for {minutes} minutes:")
    click.echo(url)


COMMANDS = [login_link_command]
