"""One push to one person now, through the outbox: a chart, a report's links, an apology.

The row is written before the push, with its retry key, so a push that LINE
accepted is never sent twice and one that failed for a passing reason is
retried by the clock (outbox.delivery) with the same key. While pushes are
paused (the month's quota is spent) nothing is sent. A push that fails for
good is logged and followed by a short apology, so nobody waits for nothing.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from core.services import Services
from line import texts, views
from line.client import SendResult
from line.views import Reply
from models import OutboxKind, OutboxMessage, OutboxStatus, utcnow
from models.reports import current_period
from outbox.delivery import MAX_ATTEMPTS, active_pause, backoff

log = logging.getLogger(__name__)

INLINE_ATTEMPTS = 3  # tries while the person waits; the clock takes over after that


@dataclass(frozen=True)
class Recipient:
    """Who gets the push: an officer's LINE chat (or a group they asked from)."""

    organisation_id: int
    officer_id: int
    chat_id: str


def push(services: Services, to: Recipient, messages: Reply, *, apologise: bool = True) -> bool:
    """Store and push ``messages`` to ``to`` now; True when LINE accepted them."""
    now = utcnow()
    with Session(services.engine, expire_on_commit=False) as session:
        if active_pause(session, now) is not None:
            log.warning("outbox: pushes are paused; a %d-message answer was not sent", len(messages))
            return False
        row = _store(session, to, messages, now, services.settings.tz)
    result = services.line.push(to.chat_id, messages, retry_key=row.retry_key, attempts=INLINE_ATTEMPTS,
                                backoff=0.3)
    _record(services, row, result)
    if not result.delivered and not result.retryable:
        log.error("outbox: push %d to officer %d failed for good (status=%s, %s)", row.id, to.officer_id,
                  result.status, result.error[:120])
        if apologise:
            push(services, to, [views.text(texts.PUSH_FAILED)], apologise=False)
    return result.delivered


def _store(session: Session, to: Recipient, messages: Reply, now: datetime, tz: ZoneInfo) -> OutboxMessage:
    """Write the row as 'sending'; its sequence is the next free one for the person this period."""
    period = current_period(now, tz)
    table = OutboxMessage.__table__
    for _ in range(5):  # two answers stored at the same moment take the same number: the loser tries the next
        sequence = session.execute(
            sa.select(sa.func.coalesce(sa.func.max(table.c.sequence), 0) + 1).where(
                table.c.organisation_id == to.organisation_id, table.c.officer_id == to.officer_id,
                table.c.period == period, table.c.kind == OutboxKind.ANSWER.value)).scalar_one()
        row = OutboxMessage(organisation_id=to.organisation_id, officer_id=to.officer_id, period=period,
                            kind=OutboxKind.ANSWER.value, sequence=sequence, recipient=to.chat_id,
                            messages=list(messages), status=OutboxStatus.SENDING.value, claimed_at=now)
        session.add(row)
        try:
            session.commit()
            return row
        except IntegrityError:
            session.rollback()
    raise RuntimeError("could not number an outbox row")


def _record(services: Services, row: OutboxMessage, result: SendResult) -> None:
    now = utcnow()
    if result.delivered:
        values = {"status": OutboxStatus.DELIVERED.value, "delivered_at": now, "attempts": 1, "last_error": None}
    elif result.retryable and not result.quota_exhausted:
        values = {"status": OutboxStatus.PENDING.value, "attempts": 1, "next_attempt_at": now + backoff(1),
                  "last_error": f"{result.status or 'network'}: {result.error}"[:500]}
    else:
        values = {"status": OutboxStatus.PENDING.value if result.quota_exhausted else OutboxStatus.DEAD.value,
                  "attempts": 1 if result.quota_exhausted else MAX_ATTEMPTS,
                  "last_error": f"{result.status or 'network'}: {result.error}"[:500]}
    table = OutboxMessage.__table__
    with services.engine.begin() as conn:
        conn.execute(sa.update(table).where(table.c.id == row.id).values(**values))
