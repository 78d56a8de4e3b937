"""Reconcile: work out which reminders, nudges and digests are due now, and enqueue them.

Nothing here sends. Each run compares the organisation's timeline for the
current period with the outbox; anything due and not yet enqueued is written
with its unique key, so running it again (or from a second clock) adds nothing.
A clock that was down catches up when it returns, and a closed period is
never reminded.
"""
from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from core.services import Services
from ita.workdays import add_working_days, first_working_day_on_or_after, working_days_of_month
from line import texts, views
from line.cards import period_label, reminder_for
from models import ClosedDay, Officer, Organisation, Role, Unit, utcnow
from models.reports import ReportingSnapshot, current_period, reporting_snapshot
from models.schedule import OutboxKind, OutboxMessage, OutboxStatus, Schedule

log = logging.getLogger(__name__)

MANUAL_NUDGE_BASE = 100  # sequences 101..131: a supervisor's เตือน, one per day of the month


# What the clock plans; answers (outbox.send) are pushed when someone asks.
PLANNED_KINDS = (OutboxKind.REMINDER, OutboxKind.NUDGE, OutboxKind.DIGEST, OutboxKind.NOTICE)


@dataclass(frozen=True)
class Timeline:
    period: date
    reminder_at: datetime
    nudges_at: list[datetime]
    deadline: date
    digest_at: datetime


@dataclass
class PlanResult:
    enqueued: dict[str, int] = field(default_factory=lambda: {k.value: 0 for k in PLANNED_KINDS})
    skipped: dict[str, list[str]] = field(default_factory=dict)  # org name → officers skipped (leave, unreachable)
    would_send: list[tuple[str, str, str]] = field(default_factory=list)  # dry run: (org, officer, kind)


def schedule_of(session: Session, organisation_id: int) -> Schedule:
    return session.get(Schedule, organisation_id) or Schedule(organisation_id=organisation_id)


def closed_days(session: Session, organisation_id: int) -> set[date]:
    return set(session.exec(select(ClosedDay.day).where(ClosedDay.organisation_id == organisation_id)).all())


def timeline(schedule: Schedule, period: date, closed: set[date], tz) -> Timeline:
    """When this period's reminder, nudges and digest fall, in the bot's time zone."""
    hour, minute = schedule.hour_minute
    at = time(hour, minute, tzinfo=tz)
    working = working_days_of_month(period, closed)
    if schedule.reminder_day and schedule.reminder_day > 0:
        last_day = (period.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        reminder_day = first_working_day_on_or_after(period.replace(day=min(schedule.reminder_day, last_day.day)),
                                                     closed)
    else:
        reminder_day = working[0] if working else period
    nudges = [datetime.combine(add_working_days(reminder_day, n, closed), at) for n in schedule.nudge_offsets]
    deadline = period.replace(day=min(max(schedule.deadline_day, 1), 28))
    digest_day = first_working_day_on_or_after(deadline + timedelta(days=1), closed)
    return Timeline(period=period, reminder_at=datetime.combine(reminder_day, at),
                    nudges_at=[n for n in nudges if n.date().month == period.month],
                    deadline=deadline, digest_at=datetime.combine(digest_day, at))


def _insert_ignore(session: Session):
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(OutboxMessage.__table__)


def enqueue(session: Session, *, organisation_id: int, officer: Officer, period: date, kind: OutboxKind,
            sequence: int, messages: list, now: datetime) -> bool:
    """Write one outbox row unless its key exists; True when a row was added."""
    stmt = _insert_ignore(session).values(
        organisation_id=organisation_id, officer_id=officer.id, period=period, kind=kind.value, sequence=sequence,
        recipient=officer.line_user_id, messages=[views.as_json(m) for m in messages],
        retry_key=_retry_key(), status=OutboxStatus.PENDING.value, attempts=0, next_attempt_at=now, created_at=now,
    ).on_conflict_do_nothing(index_elements=["organisation_id", "officer_id", "period", "kind", "sequence"])
    # RETURNING tells reliably whether the row was added (rowcount is not, on every driver).
    return session.execute(stmt.returning(OutboxMessage.__table__.c.id)).first() is not None


def _retry_key() -> str:
    return str(uuid.uuid4())


def _reminder_dates(session: Session, organisation_id: int, period: date, tz) -> dict[int, date]:
    rows = session.exec(select(OutboxMessage.officer_id, OutboxMessage.created_at).where(
        OutboxMessage.organisation_id == organisation_id, OutboxMessage.period == period,
        OutboxMessage.kind == OutboxKind.REMINDER.value, OutboxMessage.sequence == 1)).all()
    return {officer_id: created.astimezone(tz).date() for officer_id, created in rows}


def _existing(session: Session, organisation_id: int, period: date) -> set[tuple[int, str, int]]:
    rows = session.exec(select(OutboxMessage.officer_id, OutboxMessage.kind, OutboxMessage.sequence).where(
        OutboxMessage.organisation_id == organisation_id, OutboxMessage.period == period)).all()
    return {(officer_id, kind, sequence) for officer_id, kind, sequence in rows}


def reconcile(services: Services, *, now: datetime | None = None, organisation: str | None = None,
              force_reminders: bool = False, dry_run: bool = False) -> PlanResult:
    """Enqueue whatever is due now for every organisation (or one)."""
    now = now or utcnow()
    tz = services.settings.tz
    local_now = now.astimezone(tz)
    period = current_period(now, tz)
    result = PlanResult()
    with Session(services.engine, expire_on_commit=False) as session:
        orgs = session.exec(select(Organisation).order_by(Organisation.id)).all()
        for org in orgs:
            if organisation and org.name != organisation:
                continue
            schedule = schedule_of(session, org.id)
            if not schedule.enabled and not force_reminders:
                continue
            try:
                _reconcile_org(session, org, schedule, period, local_now, now, force_reminders, dry_run, result)
                if dry_run:
                    session.rollback()
                else:
                    session.commit()
            except Exception:
                # One organisation's bad data must not stop everyone else's reminders.
                session.rollback()
                log.exception("reconcile: organisation %s failed", org.id)
    return result


def _reconcile_org(session, org, schedule, period, local_now, now, force_reminders, dry_run, result) -> None:
    closed = closed_days(session, org.id)
    tl = timeline(schedule, period, closed, local_now.tzinfo)
    existing = _existing(session, org.id, period)
    reminder_dates = _reminder_dates(session, org.id, period, local_now.tzinfo)
    snapshot = reporting_snapshot(session, organisation_id=org.id, period=period)
    officers = session.exec(select(Officer).where(Officer.organisation_id == org.id, Officer.active,
                                                  Officer.line_user_id.is_not(None))).all()
    today = local_now.date()
    skipped = result.skipped.setdefault(org.name, [])

    def add(officer: Officer, kind: OutboxKind, sequence: int, messages) -> None:
        if not messages or (officer.id, kind.value, sequence) in existing:
            return
        if dry_run:
            result.would_send.append((org.name, officer.name, kind.value))
            return
        if enqueue(session, organisation_id=org.id, officer=officer, period=period, kind=kind, sequence=sequence,
                   messages=messages, now=now):
            result.enqueued[kind.value] += 1
            existing.add((officer.id, kind.value, sequence))
            if kind == OutboxKind.REMINDER:
                reminder_dates[officer.id] = local_now.date()

    reminders_due = force_reminders or local_now >= tl.reminder_at
    for officer in officers:
        if not officer.reachable or officer.on_leave(today):
            if snapshot.due(officer.id):
                skipped.append(officer.name)
            continue
        if reminders_due and (officer.id, OutboxKind.REMINDER.value, 1) not in existing:
            add(officer, OutboxKind.REMINDER, 1, reminder_for(officer, snapshot, snapshot.due(officer.id)))
        reminded_on = reminder_dates.get(officer.id)
        if reminded_on is None:
            continue
        # Nudges count working days from this officer's own reminder, so a late
        # (caught-up) reminder is not followed at once by every nudge.
        for index, offset in enumerate(schedule.nudge_offsets, start=1):
            nudge_at = datetime.combine(add_working_days(reminded_on, offset, closed), tl.reminder_at.timetz())
            if nudge_at.month != period.month or local_now < nudge_at:
                continue
            if (officer.id, OutboxKind.NUDGE.value, index) not in existing:
                add(officer, OutboxKind.NUDGE, index,
                    reminder_for(officer, snapshot, snapshot.pending(officer.id), nudge=True))
    if local_now >= tl.digest_at:
        for supervisor in [o for o in officers if o.role == Role.SUPERVISOR.value and o.reachable]:
            if (supervisor.id, OutboxKind.DIGEST.value, 1) not in existing:
                add(supervisor, OutboxKind.DIGEST, 1, digest_messages(session, org, snapshot, today))


def digest_messages(session: Session, org: Organisation, snapshot: ReportingSnapshot, today: date) -> list:
    """The supervisors' digest after the deadline: who reported, who did not, who was skipped."""
    units = {u.id: u.name for u in session.exec(select(Unit).where(Unit.organisation_id == org.id))}
    officers = session.exec(select(Officer).where(Officer.organisation_id == org.id, Officer.active)).all()
    done, missing, away = [], [], []
    for officer in officers:
        if not snapshot.due(officer.id):
            continue
        if not officer.reachable or officer.on_leave(today) or not officer.line_user_id:
            away.append(officer)
            continue
        (missing if snapshot.pending(officer.id) else done).append(officer)
    lines = [texts.DIGEST_HEAD.format(org=org.name, period=period_label(snapshot.period)),
             texts.DIGEST_COUNTS.format(done=len(done), total=len(done) + len(missing))]
    if missing:
        lines.append(texts.DIGEST_MISSING)
        lines += [f"• {o.name} ({units.get(o.unit_id, '-')})" for o in missing]
    if away:
        lines.append(texts.DIGEST_AWAY)
        lines += [f"• {o.name} ({texts.AWAY_LEAVE if o.on_leave(today) else texts.AWAY_UNREACHABLE})" for o in away]
    lines.append(texts.DIGEST_FOOT)
    return [views.text(views.lines(lines))]


def manual_nudge(services: Services, session: Session, *, organisation_id: int, now: datetime) -> tuple[int, bool]:
    """Enqueue a nudge to this period's non-responders now; at most once a day.

    Returns (officers nudged, already done today).
    """
    tz = services.settings.tz
    local_now = now.astimezone(tz)
    period = current_period(now, tz)
    sequence = MANUAL_NUDGE_BASE + local_now.day
    already = session.exec(select(OutboxMessage.id).where(
        OutboxMessage.organisation_id == organisation_id, OutboxMessage.period == period,
        OutboxMessage.kind == OutboxKind.NUDGE.value, OutboxMessage.sequence == sequence)).first()
    if already is not None:
        return 0, True
    count = 0
    snapshot = reporting_snapshot(session, organisation_id=organisation_id, period=period)
    officers = session.exec(select(Officer).where(Officer.organisation_id == organisation_id, Officer.active,
                                                  Officer.reachable, Officer.line_user_id.is_not(None))).all()
    for officer in officers:
        if officer.on_leave(local_now.date()):
            continue
        messages = reminder_for(officer, snapshot, snapshot.pending(officer.id), nudge=True)
        if messages and enqueue(session, organisation_id=organisation_id, officer=officer, period=period,
                                kind=OutboxKind.NUDGE, sequence=sequence, messages=messages, now=now):
            count += 1
    return count, False
