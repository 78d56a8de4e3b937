"""Data safety: consistent backups, restore, and removing an officer's personal data (PDPA)."""
from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

import click
import sqlalchemy as sa
from sqlmodel import Session, select

from bot.cli.common import cli_command, fail, services
from core.retention import remove_expired
from models import (
    Conversation,
    Evidence,
    OutboxMessage,
    RegistrationCode,
    RegistrationLock,
    WebhookEvent,
    utcnow,
)
from models.people import OfficerLookupError, find_officer
from models.plan import find_organisation


def _sqlite_path(url: str) -> Path | None:
    if url.startswith("sqlite:///"):
        return Path(url[len("sqlite:///"):])
    return None


def _pg_url(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


@cli_command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(path: Path) -> None:
    """Write a consistent snapshot of the database to PATH (SQLite online backup, or pg_dump)."""
    url = services().settings.database_url
    database = _sqlite_path(url)
    if path.exists():
        fail(f"{path} exists already; choose a new file name")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        fail(f"cannot write to {path.parent}: {exc.strerror or exc}")
    partial = path.with_name(path.name + ".partial")
    if database is not None:
        if not database.exists():
            fail(f"the database file {database} does not exist")
        try:
            source = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
            target = sqlite3.connect(partial)
            with target:
                source.backup(target)  # consistent even while the bot is writing
            source.close()
            target.close()
        except sqlite3.Error as exc:
            partial.unlink(missing_ok=True)
            fail(f"backup failed: {exc}")
    else:
        if shutil.which("pg_dump") is None:
            fail("pg_dump is not installed; install the PostgreSQL client (apt-get install postgresql-client)")
        result = subprocess.run(["pg_dump", "--format=custom", "--no-owner", f"--file={partial}", _pg_url(url)],
                                capture_output=True, text=True)
        if result.returncode != 0:
            partial.unlink(missing_ok=True)
            fail("pg_dump failed: " + (result.stderr.strip().splitlines() or ["unknown error"])[-1])
    partial.rename(path)
    click.echo(f"Backup written to {path} ({path.stat().st_size:,} bytes).")


@cli_command("restore")
@click.argument("path", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--yes", is_flag=True, help="Confirm that the current data is replaced.")
def restore_command(path: Path, yes: bool) -> None:
    """Replace the database's contents with a backup made by `backup` (stop the bot first)."""
    if not yes:
        fail("restore replaces all current data; stop the web and clock processes, then run again with --yes")
    svc = services()
    url = svc.settings.database_url
    database = _sqlite_path(url)
    if database is not None:
        try:
            source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            source.execute("SELECT count(*) FROM alembic_version").fetchone()
            svc.engine.dispose()
            target = sqlite3.connect(database)
            with target:
                source.backup(target)
            source.close()
            target.close()
        except sqlite3.Error as exc:
            fail(f"{path} is not a Tidtam SQLite backup ({exc})")
    else:
        if shutil.which("pg_restore") is None:
            fail("pg_restore is not installed; install the PostgreSQL client (apt-get install postgresql-client)")
        svc.engine.dispose()
        result = subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
                                 f"--dbname={_pg_url(url)}", str(path)], capture_output=True, text=True)
        if result.returncode != 0:
            fail("pg_restore failed: " + (result.stderr.strip().splitlines() or ["unknown error"])[-1])
    click.echo(f"Restored from {path}. Run `flask --app bot init-db` if the backup is from an older version.")


@cli_command("forget-officer")
@click.argument("name")
@click.option("--org", "org_name")
@click.option("--with-evidence", is_flag=True, help="Also delete the evidence files this officer sent.")
@click.option("--yes", is_flag=True, help="Confirm; without it, only show what would be removed.")
def forget_officer_command(name: str, org_name: str | None, with_evidence: bool, yes: bool) -> None:
    """Remove an officer's personal data on request; their measures' reports stay, unnamed."""
    svc = services()
    with Session(svc.engine, expire_on_commit=False) as session:
        org = find_organisation(session, org_name)
        try:
            officer = find_officer(session, organisation_id=org.id, name=name)
        except OfficerLookupError as exc:
            fail(str(exc))
        user_id = officer.line_user_id
        evidence = list(session.exec(select(Evidence).where(Evidence.officer_id == officer.id)))
        click.echo(f"Officer: {officer.name} ({org.name})")
        click.echo("Will remove: name, position, phone, LINE link and display name, registration codes, "
                   "chat state, stored webhook events and queued messages of this LINE account"
                   + (f", and {len(evidence)} evidence file(s)" if with_evidence else "") + ".")
        click.echo("Will keep: the reports on measures (the organisation's record), attributed to an "
                   "anonymous officer.")
        if not yes:
            click.echo("Nothing was changed. Run again with --yes to remove.")
            return
        anonymous = f"เจ้าหน้าที่ที่ลบข้อมูลแล้ว #{officer.id}"
        officer.name, officer.position, officer.phone = anonymous, None, None
        officer.line_user_id, officer.display_name, officer.active, officer.reachable = None, None, False, False
        session.add(officer)
        session.execute(sa.delete(RegistrationCode).where(RegistrationCode.officer_id == officer.id))
        session.execute(sa.delete(OutboxMessage).where(OutboxMessage.officer_id == officer.id))
        if user_id:
            session.execute(sa.delete(Conversation).where(Conversation.line_user_id == user_id))
            session.execute(sa.delete(RegistrationLock).where(RegistrationLock.line_user_id == user_id))
            session.execute(sa.delete(WebhookEvent).where(WebhookEvent.user_id == user_id))
        removed_files = 0
        if with_evidence:
            root = Path(svc.settings.evidence_dir)
            for item in evidence:
                still_used = session.exec(select(sa.func.count()).select_from(Evidence).where(
                    Evidence.sha256 == item.sha256, Evidence.officer_id != officer.id)).one()
                if not still_used:
                    (root / item.stored_path).unlink(missing_ok=True)
                    removed_files += 1
                session.delete(item)
        session.commit()
    click.echo(f"Removed the personal data of officer #{officer.id} at {utcnow():%Y-%m-%d %H:%M} UTC"
               + (f"; {removed_files} evidence file(s) deleted" if with_evidence else "") + ".")


@cli_command("remove-expired")
def remove_expired_command() -> None:
    """Remove finished webhook events past WEBHOOK_RETENTION_DAYS, expired chat state and expired files now.

    The clock does this every night at 03:30; this runs it at once.
    """
    svc = services()
    removed = remove_expired(svc.engine, svc.settings)
    kept = (f"finished webhook events are kept {svc.settings.webhook_retention_days} days"
            if svc.settings.webhook_retention_days else "webhook events are kept (WEBHOOK_RETENTION_DAYS=0)")
    click.echo(f"Removed {removed}; {kept}.")


COMMANDS = [backup_command, restore_command, forget_officer_command, remove_expired_command]
