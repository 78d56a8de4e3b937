"""The clock's second line: finish the chats whose stored events no handler finished.

Each chat is drained in order with the same claims the handlers use, so an
event is never handled twice even if a handler is still at it; answers go by
push, the reply tokens being gone. An event whose handling died MAX_ATTEMPTS
times is marked failed first, so it cannot hold its chat for ever.
"""
from __future__ import annotations

import logging
from datetime import timedelta

import sqlalchemy as sa

from core.services import Services
from inbox.claims import MAX_ATTEMPTS
from inbox.dispatch import Outcome, drain_chat
from models import EventStatus, WebhookEvent, utcnow

log = logging.getLogger(__name__)


def sweep_stale_events(services: Services, *, older_than: timedelta = timedelta(minutes=2),
                       limit: int = 200) -> list[Outcome]:
    """Finish what the handlers left: stale claims, stuck answers and events nobody took."""
    now = utcnow()
    stale_before = now - timedelta(seconds=services.settings.webhook_stale_seconds)
    table = WebhookEvent.__table__
    with services.engine.begin() as conn:
        given_up = conn.execute(
            sa.update(table)
            .where(table.c.status == EventStatus.PROCESSING.value, table.c.attempts >= MAX_ATTEMPTS,
                   table.c.claimed_at < stale_before)
            .values(status=EventStatus.FAILED.value, handled_at=now,
                    error=f"gave up: its handling died {MAX_ATTEMPTS} times")
        ).rowcount
        # Saved, and its answer sent or lost with the process that was sending it: never run again.
        conn.execute(
            sa.update(table)
            .where(table.c.status == EventStatus.ANSWERING.value, table.c.claimed_at < stale_before)
            .values(status=EventStatus.DONE.value)
        )
    if given_up:
        log.error("inbox: gave up on %d event(s) whose handling kept dying", given_up)
    with services.engine.connect() as conn:
        keys = conn.execute(
            sa.select(table.c.chat_key)
            .where(sa.or_(
                sa.and_(table.c.status == EventStatus.RECEIVED.value, table.c.received_at < now - older_than),
                sa.and_(table.c.status == EventStatus.PROCESSING.value, table.c.claimed_at < stale_before),
            ))
            .group_by(table.c.chat_key)
            .order_by(sa.func.min(table.c.id))
            .limit(limit)
        ).scalars().all()
    outcomes: list[Outcome] = []
    for key in keys:
        outcomes.extend(drain_chat(services, key))
    return outcomes
