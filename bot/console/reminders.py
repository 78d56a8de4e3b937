"""Reminders (/console/reminders): the schedule, closed days and holidays, the outbox and the LINE quota.

Timelines come from outbox.planning (what the clock itself uses), the quota
from LINE's quota endpoints through line.richmenus.LineChannel, and the
forecast counts next month's pushes from the same reporting snapshot the
clock plans from.
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import flash, g, redirect, render_template, request, url_for
from sqlmodel import select

from bot.console import forms
from bot.console.blueprint import (
    admin_only,
    bp,
    changed_fields,
    db,
    owned,
    record,
    services,
    show_recent_audit,
    visitor,
)
from ita.cadence import add_months
from ita.thai import fiscal_year, fiscal_year_bounds
from ita.workdays import thai_holidays
from line import texts
from line.cards import period_label
from line.richmenus import LineChannel, LineSetupError, Quota
from models import ClosedDay, Officer, Role
from models.reports import current_period, reporting_snapshot
from models.schedule import OutboxMessage, OutboxStatus, Schedule
from outbox.delivery import active_pause
from outbox.planning import closed_days, schedule_of, timeline

RECENT_OUTBOX = 40


@dataclass(frozen=True)
class Forecast:
    """Pushes one month of reminders may cost: each counts once against LINE's monthly quota."""

    period: object
    reminders: int
    nudges: int
    digests: int

    @property
    def total(self) -> int:
        return self.reminders + self.nudges + self.digests


def forecast(organisation_id: int, schedule: Schedule, period) -> Forecast:
    """An upper bound: every officer with a due measure is reminded and, if late, nudged every time."""
    session = db()
    snapshot = reporting_snapshot(session, organisation_id=organisation_id, period=period)
    officers = list(session.exec(select(Officer).where(Officer.organisation_id == organisation_id, Officer.active,
                                                       Officer.reachable, Officer.line_user_id.is_not(None))))
    reminded = sum(1 for o in officers if snapshot.due(o.id))
    supervisors = sum(1 for o in officers if o.role == Role.SUPERVISOR.value)
    return Forecast(period, reminded, reminded * len(schedule.nudge_offsets), supervisors)


def quota() -> Quota | None:
    try:
        return LineChannel.from_client(services().line).quota()
    except LineSetupError:
        return None


@bp.get("/reminders")
def reminders():
    org_id = visitor().organisation_id
    session = db()
    tz = services().settings.tz
    now_local = g.now.astimezone(tz)
    period = current_period(g.now, tz)
    schedule = schedule_of(session, org_id)
    closed = closed_days(session, org_id)
    this_month = timeline(schedule, period, closed, tz)
    next_period = add_months(period, 1)
    next_month = timeline(schedule, next_period, closed, tz)
    start, end = fiscal_year_bounds(fiscal_year(now_local.date()))
    holidays = sorted((d, name) for year in {start.year, end.year} for d, name in thai_holidays(year).items()
                      if start <= d <= end)
    closed_rows = list(session.exec(select(ClosedDay).where(ClosedDay.organisation_id == org_id)
                                    .order_by(ClosedDay.day)))
    counts = dict(session.exec(select(OutboxMessage.status, sa.func.count())
                               .where(OutboxMessage.organisation_id == org_id)
                               .group_by(OutboxMessage.status)).all())
    recent = session.exec(select(OutboxMessage, Officer.name).join(Officer, Officer.id == OutboxMessage.officer_id)
                          .where(OutboxMessage.organisation_id == org_id)
                          .order_by(OutboxMessage.id.desc()).limit(RECENT_OUTBOX)).all()
    dead = session.exec(select(OutboxMessage, Officer.name).join(Officer, Officer.id == OutboxMessage.officer_id)
                        .where(OutboxMessage.organisation_id == org_id,
                               OutboxMessage.status.in_([OutboxStatus.DEAD.value, OutboxStatus.HELD.value]))
                        .order_by(OutboxMessage.id.desc()).limit(RECENT_OUTBOX)).all()
    used = quota()
    coming = forecast(org_id, schedule, next_period)
    if used is None:
        quota_note = texts.CONSOLE_QUOTA_UNKNOWN
    elif used.limit is not None and coming.total > used.limit:
        quota_note = texts.CONSOLE_QUOTA_OVER.format(month=period_label(next_period), forecast=coming.total,
                                                     limit=used.limit)
    else:
        quota_note = texts.CONSOLE_QUOTA_FITS.format(month=period_label(next_period), forecast=coming.total)
    show_recent_audit("schedule.")
    return render_template("console/reminders.html", schedule=schedule, this_month=this_month, next_month=next_month,
                           period=period, holidays=holidays, closed_rows=closed_rows, counts=counts, recent=recent,
                           dead=dead, quota=used, forecast=coming, quota_note=quota_note,
                           pause=active_pause(session, g.now), statuses=[s.value for s in OutboxStatus])


@bp.post("/reminders/schedule")
@admin_only
def reminders_schedule():
    org_id = visitor().organisation_id
    session = db()
    form = request.form
    try:
        reminder_time = forms.clock_time(form.get("reminder_time"))
        nudges = ",".join(p.strip() for p in form.get("nudges", "").split(",") if p.strip())
        if any(not p.isdigit() or int(p) > 20 for p in nudges.split(",") if p):
            raise forms.FormError(texts.CONSOLE_BAD_NUDGES)
        reminder_day = int(form.get("reminder_day", "0"))
        deadline_day = int(form.get("deadline_day", "10"))
        if not 0 <= reminder_day <= 28 or not 1 <= deadline_day <= 28:
            raise forms.FormError(texts.CONSOLE_BAD_DAY)
    except (forms.FormError, ValueError) as exc:
        flash(str(exc) if isinstance(exc, forms.FormError) else texts.CONSOLE_BAD_DAY, "error")
        return redirect(url_for("console.reminders"))
    schedule = session.get(Schedule, org_id) or Schedule(organisation_id=org_id)
    before = {"enabled": schedule.enabled, "reminder_day": schedule.reminder_day,
              "reminder_time": schedule.reminder_time, "nudges": schedule.nudge_after_days,
              "deadline_day": schedule.deadline_day}
    schedule.enabled = bool(form.get("enabled"))
    schedule.reminder_day, schedule.reminder_time = reminder_day, reminder_time
    schedule.nudge_after_days, schedule.deadline_day = nudges, deadline_day
    session.add(schedule)
    after = {"enabled": schedule.enabled, "reminder_day": schedule.reminder_day,
             "reminder_time": schedule.reminder_time, "nudges": schedule.nudge_after_days,
             "deadline_day": schedule.deadline_day}
    record("schedule.save", "กำหนดการแจ้งเตือน", changes=changed_fields(before, after))
    session.commit()
    flash(texts.CONSOLE_SCHEDULE_SAVED)
    return redirect(url_for("console.reminders"))


@bp.post("/reminders/closed-days")
@admin_only
def reminders_closed_add():
    org_id = visitor().organisation_id
    session = db()
    when = forms.day(request.form.get("day"))
    if when is None:
        raise forms.FormError(texts.CONSOLE_BAD_DAY)
    name = " ".join(request.form.get("name", "").split())[:200] or "วันหยุดของหน่วยงาน"
    row = session.exec(select(ClosedDay).where(ClosedDay.organisation_id == org_id, ClosedDay.day == when)).first()
    if row is None:
        row = ClosedDay(organisation_id=org_id, day=when, name=name)
    row.name = name
    session.add(row)
    record("schedule.closed_day", f"วันหยุดของหน่วยงาน {when.isoformat()} {name}")
    session.commit()
    flash(texts.CONSOLE_CLOSED_DAY_SAVED)
    return redirect(url_for("console.reminders"))


@bp.post("/reminders/closed-days/<int:closed_id>/delete")
@admin_only
def reminders_closed_remove(closed_id: int):
    session = db()
    row = owned(ClosedDay, closed_id)
    record("schedule.closed_day", f"ลบวันหยุด {row.day.isoformat()} {row.name}")
    session.delete(row)
    session.commit()
    flash(texts.CONSOLE_CLOSED_DAY_REMOVED)
    return redirect(url_for("console.reminders"))
