"""CLI commands that connect the LINE channel: line-check, line-setup, set-role, rich-menu-images."""
from __future__ import annotations

from pathlib import Path

import click
from sqlmodel import Session

from bot.cli.common import cli_command, fail, services
from line.richmenu_images import ThaiFontMissing, thai_font_path
from line.richmenus import (
    MENUS,
    LineChannel,
    LineSetupError,
    MenuSetup,
    WebhookTest,
    default_webhook_url,
    menu_key_for_role,
    officer_menu_links,
    webhook_url_problem,
)
from models import Role
from models.people import OfficerLookupError, find_officer
from models.plan import OrganisationChoiceError, find_organisation

ROLE_CHOICES = [r.value for r in Role]
SETUP = "flask --app bot line-setup"


def _channel() -> LineChannel:
    settings = services().settings
    if not settings.line_channel_access_token:
        fail("LINE_CHANNEL_ACCESS_TOKEN is not set: issue a long-lived channel access token in the LINE "
             "Developers console (your channel › Messaging API tab) and put it in the environment")
    return LineChannel.from_client(services().line)


def _session() -> Session:
    return Session(services().engine, expire_on_commit=False)


@cli_command("line-check")
def line_check_command() -> None:
    """Check the LINE credentials, webhook URL, message quota and rich menus, in plain words."""
    settings = services().settings
    channel = _channel()
    problems = 0
    try:
        bot = channel.bot_info()
        click.echo(f"LINE: the access token works ({settings.line_api_base_url}).")
        click.echo(f"Bot: {bot.display_name} ({bot.basic_id}); add it as a friend: {bot.friend_url}")
        if not settings.line_channel_secret:
            problems += 1
            click.echo("Channel secret: LINE_CHANNEL_SECRET is not set, so the webhook will refuse LINE's "
                       "requests; copy it from the Basic settings tab of the channel.")
        webhook = channel.webhook_info()
        expected = default_webhook_url(settings.public_base_url)
        if not webhook.endpoint:
            problems += 1
            click.echo(f"Webhook: not set. Run: {SETUP}")
        elif webhook.endpoint.rstrip("/") != expected:
            problems += 1
            click.echo(f"Webhook: {webhook.endpoint}, but this service is at {expected} "
                       f"(PUBLIC_BASE_URL + /callback). Run: {SETUP}")
        elif not webhook.active:
            problems += 1
            click.echo(f'Webhook: {webhook.endpoint}, but "Use webhook" is off: turn it on in the LINE '
                       "Developers console (Messaging API tab).")
        else:
            click.echo(f"Webhook: {webhook.endpoint}, in use, matches PUBLIC_BASE_URL.")
        if webhook_url_problem(expected) and not settings.is_development:
            problems += 1
            click.echo(f"PUBLIC_BASE_URL is {settings.public_base_url}: set it to this service's public "
                       "https:// address.")
        quota = channel.quota()
        if quota.limit is None:
            click.echo(f"Messages this month: {quota.used:,} sent; no monthly limit.")
        else:
            click.echo(f"Messages this month: {quota.used:,} of {quota.limit:,} used, {quota.left:,} left "
                       "(replies are free; pushes such as reminders count).")
            if not quota.left:
                problems += 1
                click.echo("The monthly quota is used up: reminders and other pushes fail until the 1st; "
                           "replies still work.")
        aliases = channel.installed_aliases()
        missing = [m.key for m in MENUS if m.alias not in aliases]
        if not missing:
            click.echo("Rich menus: installed (" + ", ".join(m.key for m in MENUS) + ").")
        else:
            problems += 1
            what = "not installed" if len(missing) == len(MENUS) else "missing " + ", ".join(missing)
            click.echo(f"Rich menus: {what}. Run: {SETUP}")
    except LineSetupError as exc:
        fail(str(exc))
    if problems:
        fail(f"{problems} thing(s) to fix, see above.")
    click.echo("All good.")


@cli_command("line-setup")
@click.option("--webhook-url", help="Webhook URL (default: PUBLIC_BASE_URL + /callback).")
def line_setup_command(webhook_url: str | None) -> None:
    """Set the webhook URL, test it, install the rich menus and link them to registered users."""
    settings = services().settings
    url = webhook_url or default_webhook_url(settings.public_base_url)
    problem = webhook_url_problem(url)
    if problem:
        fail(problem if webhook_url else f"{problem}; set PUBLIC_BASE_URL to this service's public https:// "
                                          "address, or pass --webhook-url")
    channel = _channel()
    try:
        thai_font_path()
    except ThaiFontMissing as exc:
        fail(str(exc))
    try:
        bot = channel.bot_info()
        click.echo(f"Bot: {bot.display_name} ({bot.basic_id})")
        channel.set_webhook(url)
        click.echo(f"Webhook URL set: {url}")
        test = channel.test_webhook(url)
        click.echo(_webhook_test_line(url, test))
        if not channel.webhook_info().active:
            click.echo('Note: "Use webhook" is off: turn it on in the LINE Developers console (Messaging API tab).')
        with _session() as session:
            links, unlink = officer_menu_links(session)
        setup = channel.install_menus(links, unlink)
    except LineSetupError as exc:
        fail(str(exc))
    for line in _menu_lines(setup):
        click.echo(line)
    if not test.success:
        fail("set-up finished, but LINE could not deliver to the webhook (see above); "
             "fix that and run line-setup again")
    click.echo(f"Done. Add the bot as a friend: {bot.friend_url}")


def _webhook_test_line(url: str, test: WebhookTest) -> str:
    if test.success:
        return f"Webhook test: LINE called {url} and got {test.status} ({test.reason})."
    if not test.status:
        return (f"Webhook test FAILED: LINE could not reach {url} ({test.reason or 'no answer'}). Start the web "
                "service and make sure this address is reachable from the internet over HTTPS.")
    hint = ""
    if test.status == 400:
        hint = " The signature was probably refused: check LINE_CHANNEL_SECRET is this channel's secret."
    elif test.status == 404:
        hint = " Check the path: Tidtam's webhook is /callback."
    return f"Webhook test FAILED: LINE called {url} and got {test.status} ({test.reason}).{hint}"


def _menu_lines(setup: MenuSetup) -> list[str]:
    lines = []
    for spec in MENUS:
        state = "created, image uploaded" if spec.key in setup.created else "unchanged, kept"
        lines.append(f"Rich menu {spec.key}: {state} ({setup.menus[spec.key]}, alias {spec.alias}).")
    lines.append("Default menu (everyone not registered): unregistered.")
    if setup.removed:
        lines.append(f"Removed {setup.removed} old Tidtam rich menu(s).")
    total = sum(setup.linked.values())
    if total:
        linked = ", ".join(f"{n} {key}" for key, n in setup.linked.items())
        lines.append(f"Linked menus to {total} registered user(s): {linked}.")
    else:
        lines.append("No one has registered yet: each user gets their menu when they register.")
    if setup.unlinked:
        lines.append(f"Unlinked {setup.unlinked} inactive officer(s) (they see the default menu).")
    return lines


@cli_command("set-role")
@click.argument("name")
@click.argument("role", type=click.Choice(ROLE_CHOICES))
@click.option("--org", "org_name", help="Organisation name (may be left out when there is only one).")
def set_role_command(name: str, role: str, org_name: str | None) -> None:
    """Change an officer's role (officer, supervisor, admin) and link the matching rich menu."""
    with _session() as session:
        try:
            org = find_organisation(session, org_name)
            officer = find_officer(session, organisation_id=org.id, name=name)
        except (OrganisationChoiceError, OfficerLookupError) as exc:
            fail(str(exc))
        before = officer.role
        officer.role = role
        session.add(officer)
        session.commit()
    change = f"{before} → {role}" if before != role else f"{role} (no change)"
    click.echo(f"{officer.name}: role {change}.")
    if not officer.line_user_id:
        click.echo("Rich menu: not linked to LINE yet; the right menu follows when they register.")
        return
    if not officer.active:
        click.echo("Rich menu: not changed, the officer is inactive.")
        return
    key = menu_key_for_role(role)
    try:
        linked = LineChannel.from_client(services().line).link_role_menu(officer.line_user_id, role)
    except LineSetupError as exc:
        click.echo(f"Warning: the role is saved, but the {key} rich menu was not linked: {exc}", err=True)
        return
    if linked is None:
        click.echo(f"Rich menu: none installed yet, nothing linked (run: {SETUP}).")
    else:
        click.echo(f"Rich menu: linked the {linked} menu to their LINE account.")


@cli_command("rich-menu-images")
@click.argument("outdir", type=click.Path(file_okay=False, path_type=Path))
def rich_menu_images_command(outdir: Path) -> None:
    """Write the three rich menu images as PNG files, to look at before line-setup."""
    try:
        font = thai_font_path()
        outdir.mkdir(parents=True, exist_ok=True)
        for spec in MENUS:
            path = outdir / f"{spec.key}.png"
            data = spec.image()
            path.write_bytes(data)
            click.echo(f"{path}: 2500x{spec.height}, {len(data) / 1024:,.0f} KB")
    except ThaiFontMissing as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot write to {outdir}: {exc.strerror or exc}")
    click.echo(f"Font: {font}")


COMMANDS = [line_check_command, line_setup_command, set_role_command, rich_menu_images_command]
