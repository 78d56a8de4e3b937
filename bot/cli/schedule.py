"""CLI commands for reminders: send now, the outbox, schedules and closed days."""
from __future__ import annotations

from datetime import date, datetime

import click
import sqlalchemy as sa
from flask.cli import with_appcontext
from sqlmodel import Session, select

from bot.cli.common import cli_command, fail, friendly_errors, services
from bot.cli.text_tables import format_table
from ita.cadence import add_months
from ita.thai import format_thai_date
from models import ClosedDay, Officer, Organisation, utcnow
from models.reports import current_period
from models.schedule import OutboxMessage, OutboxStatus, Schedule
from outbox.delivery import active_pause, deliver
from outbox.lock import clock_lock
from outbox.planning import closed_days, reconcile, schedule_of, timeline


def _org_names(session: Session, name: str | None) -> list[Organisation]:
    orgs = list(session.exec(select(Organisation).order_by(Organisation.name)).all())
    if name:
        orgs = [o for o in orgs if o.name == name]
        if not orgs:
            fail(f"no organisation named {name!r}")
    return orgs


@cli_command("send-reminders")
@click.option("--org", "org_name", help="Only this organisation.")
@click.option("--period", help="YYYY-MM; only the current period can be sent (others with --dry-run).")
@click.option("--dry-run", is_flag=True, help="Print who would get what; send nothing.")
@click.option("--send-anyway", is_flag=True, help="Release messages held for the quota and send them.")
def send_reminders_command(org_name: str | None, period: str | None, dry_run: bool, send_anyway: bool) -> None:
    """Enqueue this period's reminders now and deliver the outbox."""
    svc = services()
    now = utcnow()
    current = current_period(now, svc.settings.tz)
    if period:
        try:
            wanted = datetime.strptime(period, "%Y-%m").date()
        except ValueError:
            fail("--period must look like 2026-11")
        if wanted != current and not dry_run:
            fail(f"only the current period ({current:%Y-%m}) can be sent; a closed period is never reminded late")
        if wanted != current:
            tz = svc.settings.tz
            now = datetime.combine(wanted.replace(day=15), datetime.min.time(), tzinfo=tz)
    with Session(svc.engine, expire_on_commit=False) as session:
        _org_names(session, org_name)
    if dry_run:
        plan = reconcile(svc, now=now, organisation=org_name, force_reminders=True, dry_run=True)
        rows = [[org, officer, kind] for org, officer, kind in plan.would_send]
        click.echo(format_table(["organisation", "officer", "message"], rows))
        for org, names in plan.skipped.items():
            if names:
                click.echo(f"{org}: skipped (on leave or unreachable): {', '.join(names)}")
        click.echo(f"Dry run: {len(rows)} message(s) would be enqueued; nothing was sent.")
        return
    with clock_lock(svc.engine) as got:
        if not got:
            fail("the clock process is sending right now; try again in a minute")
        plan = reconcile(svc, now=now, organisation=org_name, force_reminders=True)
        result = deliver(svc, now=now, send_anyway=send_anyway)
    click.echo("Enqueued: " + ", ".join(f"{k} {v}" for k, v in plan.enqueued.items()))
    click.echo(f"Delivered {result.delivered}, will retry {result.retried}, dead {result.dead}, "
               f"expired {result.expired}, held {result.held}.")
    # Messages that failed earlier and wait out their backoff are not sent by this run: say so,
    # or "Delivered 0, will retry 0" reads as if nobody were left to remind.
    with Session(svc.engine) as session:
        waiting, next_at = session.exec(
            select(sa.func.count(), sa.func.min(OutboxMessage.next_attempt_at))
            .where(OutboxMessage.status == OutboxStatus.PENDING.value, OutboxMessage.next_attempt_at > now)
        ).one()
    if waiting:
        next_local = next_at.astimezone(svc.settings.tz)
        click.echo(f"Still waiting for a retry: {waiting} message(s); the next attempt is due at "
                   f"{next_local:%H:%M} ({svc.settings.tz.key}), sent by the clock or the next send-reminders.")
    for note in result.notes:
        click.echo(note)
    if result.paused:
        click.echo("Delivery is paused (LINE quota). Check `flask --app bot outbox`.")


@cli_command("outbox")
@click.option("--failed", is_flag=True, help="Only dead-lettered and held messages.")
@click.option("--limit", default=50, show_default=True)
def outbox_command(failed: bool, limit: int) -> None:
    """List pending, delivered and dead-lettered pushes."""
    svc = services()
    with Session(svc.engine, expire_on_commit=False) as session:
        query = select(OutboxMessage, Officer.name).join(Officer, Officer.id == OutboxMessage.officer_id)
        if failed:
            query = query.where(OutboxMessage.status.in_([OutboxStatus.DEAD.value, OutboxStatus.HELD.value]))
        rows = session.exec(query.order_by(OutboxMessage.id.desc()).limit(limit)).all()
        counts = dict(session.exec(select(OutboxMessage.status, sa.func.count())
                                   .group_by(OutboxMessage.status)).all())
        pause = active_pause(session, utcnow())
    table = [[str(m.id), name, f"{m.period:%Y-%m}", f"{m.kind} {m.sequence}", m.status, str(m.attempts),
              (m.last_error or "")[:90]] for m, name in rows]
    click.echo(format_table(["id", "officer", "period", "message", "status", "tries", "last error"], table))
    click.echo("Totals: " + (", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "empty"))
    if pause is not None:
        click.echo(f"Paused until {pause.paused_until.astimezone(svc.settings.tz):%Y-%m-%d %H:%M}: {pause.reason}")


@cli_command("schedule")
@click.option("--org", "org_name")
def schedule_command(org_name: str | None) -> None:
    """Show each organisation's schedule and its next runs."""
    svc = services()
    tz = svc.settings.tz
    now = utcnow().astimezone(tz)
    period = current_period(now, tz)
    with Session(svc.engine, expire_on_commit=False) as session:
        rows = []
        for org in _org_names(session, org_name):
            schedule = schedule_of(session, org.id)
            tl = timeline(schedule, period, closed_days(session, org.id), tz)
            if now > tl.digest_at:
                tl = timeline(schedule, add_months(period, 1), closed_days(session, org.id), tz)
            nudges = ", ".join(f"{n:%d/%m %H:%M}" for n in tl.nudges_at) or "-"
            rows.append([org.name, "on" if schedule.enabled else "off", f"{tl.reminder_at:%Y-%m-%d %H:%M}", nudges,
                         format_thai_date(tl.deadline), f"{tl.digest_at:%Y-%m-%d %H:%M}"])
    click.echo(format_table(["organisation", "enabled", "reminder", "nudges", "deadline", "digest"], rows))


@cli_command("set-schedule")
@click.option("--org", "org_name")
@click.option("--reminder-day", type=click.IntRange(0, 28), help="0: first working day; N: day N (next working day).")
@click.option("--time", "reminder_time", help="HH:MM in BOT_TIMEZONE.")
@click.option("--nudges", help="Working days after the reminder, e.g. 3,7 (empty for none).")
@click.option("--deadline-day", type=click.IntRange(1, 28))
@click.option("--enabled/--disabled", default=None)
def set_schedule_command(org_name, reminder_day, reminder_time, nudges, deadline_day, enabled) -> None:
    """Change an organisation's reminder schedule."""
    svc = services()
    with Session(svc.engine, expire_on_commit=False) as session:
        orgs = _org_names(session, org_name)
        if len(orgs) != 1:
            fail("pass --org NAME")
        schedule = session.get(Schedule, orgs[0].id) or Schedule(organisation_id=orgs[0].id)
        if reminder_time is not None:
            try:
                datetime.strptime(reminder_time, "%H:%M")
            except ValueError:
                fail("--time must look like 09:00")
            schedule.reminder_time = reminder_time
        if nudges is not None:
            if any(not p.strip().isdigit() for p in nudges.split(",") if p.strip()):
                fail("--nudges must be whole numbers separated by commas, e.g. 3,7")
            schedule.nudge_after_days = nudges
        for attr, value in (("reminder_day", reminder_day), ("deadline_day", deadline_day), ("enabled", enabled)):
            if value is not None:
                setattr(schedule, attr, value)
        session.add(schedule)
        session.commit()
        click.echo(f"Schedule of {orgs[0].name}: reminder day {schedule.reminder_day or 'first working day'} "
                   f"at {schedule.reminder_time}, nudges after {schedule.nudge_after_days or 'none'} working days, "
                   f"deadline day {schedule.deadline_day}, {'enabled' if schedule.enabled else 'disabled'}.")


@click.group("holiday")
def holiday_group() -> None:
    """The organisation's own closed days (beyond weekends and public holidays)."""


@holiday_group.command("add")
@click.argument("day")
@click.argument("name")
@click.option("--org", "org_name")
def holiday_add(day: str, name: str, org_name: str | None) -> None:
    """Add a closed day: DATE (YYYY-MM-DD) NAME."""
    try:
        when = date.fromisoformat(day)
    except ValueError:
        fail("DATE must look like 2026-12-30")
    svc = services()
    with Session(svc.engine, expire_on_commit=False) as session:
        orgs = _org_names(session, org_name)
        if len(orgs) != 1:
            fail("there are several organisations; pass --org NAME")
        existing = session.exec(select(ClosedDay).where(ClosedDay.organisation_id == orgs[0].id,
                                                        ClosedDay.day == when)).first()
        if existing is None:
            session.add(ClosedDay(organisation_id=orgs[0].id, day=when, name=name))
        else:
            existing.name = name
            session.add(existing)
        session.commit()
    click.echo(f"{orgs[0].name} is closed on {format_thai_date(when)} ({name}).")


@holiday_group.command("list")
@click.option("--org", "org_name")
def holiday_list(org_name: str | None) -> None:
    """List closed days."""
    svc = services()
    with Session(svc.engine, expire_on_commit=False) as session:
        rows = []
        for org in _org_names(session, org_name):
            for closed in session.exec(select(ClosedDay).where(ClosedDay.organisation_id == org.id)
                                       .order_by(ClosedDay.day)):
                rows.append([org.name, closed.day.isoformat(), format_thai_date(closed.day), closed.name])
    click.echo(format_table(["organisation", "date", "วันที่", "name"], rows))


@holiday_group.command("remove")
@click.argument("day")
@click.option("--org", "org_name")
def holiday_remove(day: str, org_name: str | None) -> None:
    """Remove a closed day."""
    svc = services()
    with Session(svc.engine, expire_on_commit=False) as session:
        removed = 0
        for org in _org_names(session, org_name):
            for closed in session.exec(select(ClosedDay).where(ClosedDay.organisation_id == org.id,
                                                               ClosedDay.day == date.fromisoformat(day))):
                session.delete(closed)
                removed += 1
        session.commit()
    click.echo(f"Removed {removed} closed day(s).")


def _wrap_group(group: click.Group) -> click.Group:
    for command in group.commands.values():
        command.callback = with_appcontext(friendly_errors(command.callback))
    return group


COMMANDS = [send_reminders_command, outbox_command, schedule_command, set_schedule_command,
            _wrap_group(holiday_group)]
