"""The per-chat claim: which stored event a handler may take now, and the marks that follow it.

An event moves received -> processing (claimed) -> answering (handled and
saved, its answer on its way) -> done, or to failed / skipped. The claim takes
the chat's oldest open event only when nobody holds it (or its holder's claim
is stale), so one chat's events are handled one at a time, in the order they
were stored, across threads and processes. See docs/architecture.md.
"""
from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError

from models import EventStatus, WebhookEvent, utcnow

log = logging.getLogger(__name__)

STALE_CLAIM = timedelta(seconds=60)  # the default of WEBHOOK_STALE_SECONDS
# An event whose handling died this many times (it kills its process, say) is given up
# on, so the rest of its chat can go on.
MAX_ATTEMPTS = 3

_EVENTS = WebhookEvent.__table__
_OPEN = (EventStatus.RECEIVED.value, EventStatus.PROCESSING.value, EventStatus.ANSWERING.value)
# Built once: the handlers run these for every event.
_CLAIM = (
    sa.update(_EVENTS)
    .where(_EVENTS.c.id == (
        sa.select(sa.func.min(_EVENTS.c.id))
        # An event whose answer is still on its way holds its chat too: the next answer must not overtake it.
        .where(_EVENTS.c.chat_key == sa.bindparam("chat"), _EVENTS.c.status.in_(_OPEN))
        .scalar_subquery()))
    .where(sa.or_(
        _EVENTS.c.status == EventStatus.RECEIVED.value,
        sa.and_(_EVENTS.c.status == EventStatus.PROCESSING.value,
                _EVENTS.c.claimed_at < sa.bindparam("stale_before", type_=_EVENTS.c.claimed_at.type),
                _EVENTS.c.attempts < MAX_ATTEMPTS),
    ))
    .values(status=EventStatus.PROCESSING.value, claimed_at=sa.bindparam("now", type_=_EVENTS.c.claimed_at.type),
            attempts=_EVENTS.c.attempts + 1)
    .returning(_EVENTS.c.webhook_event_id, _EVENTS.c.payload, _EVENTS.c.received_at)
)
_FINISH = (
    sa.update(_EVENTS)
    .where(_EVENTS.c.webhook_event_id == sa.bindparam("event_id"))
    .values(status=sa.bindparam("new_status"), error=sa.bindparam("error_text"),
            handled_at=sa.bindparam("now", type_=_EVENTS.c.handled_at.type))
)
_ANSWERED = (
    sa.update(_EVENTS)
    .where(_EVENTS.c.webhook_event_id == sa.bindparam("event_id"),
           _EVENTS.c.status == EventStatus.ANSWERING.value)
    .values(status=EventStatus.DONE.value)
)


@dataclass(frozen=True)
class Claimed:
    event_id: str
    raw: dict[str, Any]
    received_at: datetime


@contextmanager
def _transaction(bind: Engine | Connection) -> Iterator[Connection]:
    """A transaction committed on exit, on the given connection or on one from the engine."""
    if isinstance(bind, Connection):
        with bind.begin():
            yield bind
    else:
        with bind.begin() as conn:
            yield conn


def claim_next(bind: Engine | Connection, chat_key: str, *, stale: timedelta = STALE_CLAIM) -> Claimed | None:
    """Take the chat's oldest event still to be handled; None when there is none to take.

    While another thread or process holds the chat's oldest event this returns
    None: that holder looks again after finishing. The claim is committed
    before it returns.
    """
    now = utcnow()
    with _transaction(bind) as conn:
        row = conn.execute(_CLAIM, {"chat": chat_key, "now": now, "stale_before": now - stale}).first()
    if row is None:
        return None
    return Claimed(row.webhook_event_id, json.loads(row.payload), row.received_at)


def finish(bind: Engine | Connection, event_id: str, status: EventStatus, error: str | None = None) -> None:
    """Mark a claimed event with its outcome (on the caller's transaction when given a connection)."""
    params = {"event_id": event_id, "new_status": status.value, "error_text": error, "now": utcnow()}
    if isinstance(bind, Connection) and bind.in_transaction():
        bind.execute(_FINISH, params)
        return
    with _transaction(bind) as conn:
        conn.execute(_FINISH, params)


def mark_answered(bind: Engine | Connection, event_id: str) -> None:
    """The answer has gone to LINE: the chat's next event may go."""
    with _transaction(bind) as conn:
        conn.execute(_ANSWERED, {"event_id": event_id})


def release_claim(engine: Engine, event_id: str) -> None:
    """Put an event back to 'received' after a failure that was not its own fault."""
    try:
        with engine.begin() as conn:
            conn.execute(
                sa.update(_EVENTS)
                .where(_EVENTS.c.webhook_event_id == event_id, _EVENTS.c.status == EventStatus.PROCESSING.value)
                .values(status=EventStatus.RECEIVED.value, claimed_at=None)
            )
    except OperationalError:
        log.warning("inbox: could not release %s; it will be reclaimed when stale", event_id)


def events_waiting(engine: Engine) -> int:
    """How many stored events no handler has taken yet."""
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(_EVENTS)
                            .where(_EVENTS.c.status == EventStatus.RECEIVED.value)).scalar_one()


def chats_waiting(engine: Engine, limit: int = 500) -> list[str]:
    """Chats with an event nobody has taken yet, oldest first (what a starting worker picks up)."""
    with engine.connect() as conn:
        return list(conn.execute(
            sa.select(_EVENTS.c.chat_key)
            .where(_EVENTS.c.status == EventStatus.RECEIVED.value)
            .group_by(_EVENTS.c.chat_key)
            .order_by(sa.func.min(_EVENTS.c.id))
            .limit(limit)
        ).scalars())
