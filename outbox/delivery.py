"""Deliver the outbox: push each row with its own retry key, exactly once.

A row is claimed (pending → sending) before it is pushed. A clock killed
mid-send leaves rows in ``sending``; once their claim is stale they are pushed
again with the SAME retry key, and LINE's 409 for an accepted key marks them
delivered: nobody gets a reminder twice. 5xx, timeouts and rate limits are
retried with backoff; other 4xx go to ``dead`` with the reason. When LINE says
the monthly quota is spent, delivery pauses until next month and the admins
are told.
"""
from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from core.services import Services
from ita.cadence import add_months
from ita.thai import format_thai_date
from line import texts
from line.client import SendResult
from models import utcnow
from models.reports import current_period
from models.schedule import DeliveryPause, OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
BATCH = 200
LARGE_SEND = 20  # at or above this many pending pushes, check the quota first


@dataclass
class DeliveryResult:
    delivered: int = 0
    retried: int = 0
    dead: int = 0
    expired: int = 0
    held: int = 0
    paused: bool = False
    notes: list[str] = field(default_factory=list)


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 1800))


def active_pause(session: Session, now: datetime) -> DeliveryPause | None:
    pause = session.get(DeliveryPause, 1)
    if pause is not None and pause.paused_until is not None and pause.paused_until > now:
        return pause
    return None


def set_pause(session: Session, *, until: datetime, reason: str, notice: str, now: datetime) -> None:
    pause = session.get(DeliveryPause, 1) or DeliveryPause(id=1)
    pause.paused_until, pause.reason, pause.notice = until, reason[:300], notice[:500]
    pause.notified_officer_ids, pause.updated_at = [], now
    session.add(pause)


def clear_pause(session: Session, now: datetime) -> None:
    pause = session.get(DeliveryPause, 1)
    if pause is not None:
        pause.paused_until, pause.notice, pause.updated_at = None, "", now
        session.add(pause)


def _housekeeping(session: Session, now: datetime, period, result: DeliveryResult, stale: timedelta) -> None:
    table = OutboxMessage.__table__
    # A closed period's messages are stale: never send them late.
    expired = session.execute(sa.update(table).where(
        table.c.period < period,
        table.c.status.in_([OutboxStatus.PENDING.value, OutboxStatus.HELD.value, OutboxStatus.SENDING.value]),
    ).values(status=OutboxStatus.EXPIRED.value, last_error="period closed")).rowcount
    result.expired += expired
    # Rows left 'sending' by a clock that died go back to pending, keeping their retry key.
    session.execute(sa.update(table).where(
        table.c.status == OutboxStatus.SENDING.value, table.c.claimed_at < now - stale,
    ).values(status=OutboxStatus.PENDING.value))


def _quota_allows(services: Services, pending: int) -> tuple[bool, str]:
    """Ask LINE how much of the month's quota is left; unknown counts as enough."""
    api = services.line.api
    try:
        quota = api.get_message_quota(_request_timeout=services.line.timeout)
        if quota.type != "limited" or quota.value is None:
            return True, ""
        used = api.get_message_quota_consumption(_request_timeout=services.line.timeout).total_usage
    except Exception as exc:  # LINE unreachable: try the sends, which handle errors themselves
        log.warning("delivery: quota check failed (%s); sending anyway", type(exc).__name__)
        return True, ""
    remaining = max(quota.value - used, 0)
    if pending > remaining:
        return False, texts.QUOTA_HOLD_NOTICE.format(pending=pending, remaining=remaining)
    return True, ""


def deliver(services: Services, *, now: datetime | None = None, workers: int = 8, limit: int | None = None,
            send_anyway: bool = False) -> DeliveryResult:
    """Push every due outbox row once; return what happened."""
    now = now or utcnow()
    result = DeliveryResult()
    period = current_period(now, services.settings.tz)
    with Session(services.engine, expire_on_commit=False) as session:
        _housekeeping(session, now, period, result, timedelta(seconds=services.settings.outbox_stale_seconds))
        if send_anyway:
            session.execute(sa.update(OutboxMessage.__table__).where(
                OutboxMessage.__table__.c.status == OutboxStatus.HELD.value).values(status=OutboxStatus.PENDING.value))
            clear_pause(session, now)
        session.commit()
        if active_pause(session, now) is not None:
            result.paused = True
            return result
        due_count = session.exec(select(sa.func.count()).select_from(OutboxMessage).where(
            OutboxMessage.status == OutboxStatus.PENDING.value, OutboxMessage.next_attempt_at <= now)).one()
        if due_count >= LARGE_SEND and not send_anyway:
            allowed, notice = _quota_allows(services, due_count)
            if not allowed:
                result.held = session.execute(sa.update(OutboxMessage.__table__).where(
                    OutboxMessage.__table__.c.status == OutboxStatus.PENDING.value,
                ).values(status=OutboxStatus.HELD.value)).rowcount
                set_pause(session, until=now + timedelta(days=3650), reason="quota", notice=notice, now=now)
                session.commit()
                result.paused = True
                result.notes.append(notice)
                log.warning("delivery: held %d message(s): over the remaining quota", result.held)
                return result

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="tidtam-push") as pool:
        sent = 0
        while limit is None or sent < limit:
            batch = _claim(services, now, BATCH if limit is None else min(BATCH, limit - sent))
            if not batch:
                break
            outcomes = list(pool.map(lambda row: (row, _push(services, row)), batch))
            sent += len(batch)
            if _record(services, outcomes, now, result):
                break  # the quota ran out: stop for this month
    return result


def _claim(services: Services, now: datetime, size: int) -> list[OutboxMessage]:
    with Session(services.engine, expire_on_commit=False) as session:
        rows = list(session.exec(select(OutboxMessage).where(
            OutboxMessage.status == OutboxStatus.PENDING.value, OutboxMessage.next_attempt_at <= now)
            .order_by(OutboxMessage.id).limit(size)).all())
        if not rows:
            return []
        table = OutboxMessage.__table__
        session.execute(sa.update(table).where(table.c.id.in_([r.id for r in rows]),
                                               table.c.status == OutboxStatus.PENDING.value)
                        .values(status=OutboxStatus.SENDING.value, claimed_at=utcnow()))
        session.commit()
        return rows


def _push(services: Services, row: OutboxMessage) -> SendResult:
    if not isinstance(row.messages, list) or not row.messages:
        return SendResult(delivered=False, status=400, error="no messages stored", retry_key=row.retry_key,
                          via="push")
    return services.line.push_json(row.recipient, row.messages, retry_key=row.retry_key)


def _record(services: Services, outcomes: list[tuple[OutboxMessage, SendResult]], now: datetime,
            result: DeliveryResult) -> bool:
    """Write every outcome of a batch in one transaction; True when the quota ran out."""
    table = OutboxMessage.__table__
    quota_hit = False
    delivered_ids = []
    with Session(services.engine) as session:
        for row, outcome in outcomes:
            if outcome.delivered:
                delivered_ids.append(row.id)
            elif outcome.quota_exhausted:
                quota_hit = True
                session.execute(sa.update(table).where(table.c.id == row.id).values(
                    status=OutboxStatus.PENDING.value, last_error="monthly quota reached"))
            elif outcome.retryable and row.attempts + 1 < MAX_ATTEMPTS:
                result.retried += 1
                session.execute(sa.update(table).where(table.c.id == row.id).values(
                    status=OutboxStatus.PENDING.value, attempts=row.attempts + 1,
                    next_attempt_at=now + backoff(row.attempts + 1),
                    last_error=f"{outcome.status or 'network'}: {outcome.error}"[:500]))
            else:
                result.dead += 1
                session.execute(sa.update(table).where(table.c.id == row.id).values(
                    status=OutboxStatus.DEAD.value, attempts=row.attempts + 1,
                    last_error=f"{outcome.status or 'network'}: {outcome.error}"[:500]))
        if delivered_ids:
            session.execute(sa.update(table).where(table.c.id.in_(delivered_ids)).values(
                status=OutboxStatus.DELIVERED.value, delivered_at=utcnow(), last_error=None))
            result.delivered += len(delivered_ids)
        if quota_hit:
            tz = services.settings.tz
            next_month = add_months(current_period(now, tz), 1)
            until = datetime.combine(next_month, datetime.min.time(), tzinfo=tz)
            set_pause(session, until=until, reason="LINE monthly limit reached",
                      notice=texts.QUOTA_SPENT_NOTICE.format(date=format_thai_date(next_month)), now=now)
            log.warning("delivery: LINE monthly quota reached; paused until %s", until.isoformat())
        session.commit()
    if quota_hit:
        result.paused = True
    return quota_hit
