"""The per-chat claim: which stored event a handler may take now, and the marks that follow it.

An event moves received -> processing (claimed) -> answering (handled and
saved, its answer on its way) -> done, or to failed / skipped. The claim takes
the chat's oldest open event only when nobody holds it (or its holder's claim
is stale), so one chat's events are handled one at a time, in the order they
were stored, across threads and processes.

A stale claim is how a dead holder shows: a ``processing`` event is handled
again (its handler's work was never committed), an ``answering`` one is taken
back still ``answering`` so that the dispatcher settles it without running it
again (its answer may or may not have reached LINE; see inbox.dispatch and
docs/operations/failures.md). ``chats_to_recover`` lists the chats holding
such events; the worker and the clock's sweeper both use it.
"""
from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError

from models import EventStatus, WebhookEvent, utcnow

log = logging.getLogger(__name__)

STALE_CLAIM = timedelta(seconds=60)  # the default of WEBHOOK_STALE_SECONDS
# An event whose handling died this many times (it kills its process, say) is given up
# on, so the rest of its chat can go on.
MAX_ATTEMPTS = 3
# Pauses between tries of a mark on a new connection: past a cut connection (about 4 s in all),
# not past a database that is down (recovery finishes those events once it is back).
FRESH_RETRY_DELAYS = (0.2, 0.5, 1.0, 2.0)

T = TypeVar("T")

_EVENTS = WebhookEvent.__table__
_OPEN = (EventStatus.RECEIVED.value, EventStatus.PROCESSING.value, EventStatus.ANSWERING.value)
_HELD = (EventStatus.PROCESSING.value, EventStatus.ANSWERING.value)
_RECEIVED, _PROCESSING, _ANSWERING, _DONE = (s.value for s in (EventStatus.RECEIVED, EventStatus.PROCESSING,
                                                               EventStatus.ANSWERING, EventStatus.DONE))
_TIME = _EVENTS.c.claimed_at.type  # UTCDateTime: naive UTC on SQLite, aware on PostgreSQL


def _in(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{value}'" for value in values) + ")"


# The three statements every event runs, as plain SQL (the same on PostgreSQL and SQLite): a
# text statement skips the work SQLAlchemy does to key and compile an expression on every call,
# and the statuses written as literals match the open-events index's own predicate.
#
# The claim takes the chat's oldest open event. An event whose answer is still on its way
# ('answering') holds its chat too: the next answer must not overtake it. A dead holder's claim
# (older than stale_before) is taken back; past MAX_ATTEMPTS it is still taken, so that the
# dispatcher gives it up (and says sorry) in its chat's order instead of leaving the chat to wait.
_CLAIM = sa.text(f"""
    UPDATE {_EVENTS.name}
       SET status = CASE WHEN status = '{_ANSWERING}' THEN '{_ANSWERING}' ELSE '{_PROCESSING}' END,
           claimed_at = :now, attempts = attempts + 1
     WHERE id = (SELECT min(id) FROM {_EVENTS.name} WHERE chat_key = :chat AND status IN {_in(_OPEN)})
       AND (status = '{_RECEIVED}' OR (status IN {_in(_HELD)} AND claimed_at < :stale_before))
    RETURNING webhook_event_id, payload, received_at, status, attempts
""").bindparams(sa.bindparam("now", type_=_TIME), sa.bindparam("stale_before", type_=_TIME)).columns(
    _EVENTS.c.webhook_event_id, _EVENTS.c.payload, _EVENTS.c.received_at, _EVENTS.c.status, _EVENTS.c.attempts)
_FINISH = sa.text(
    f"UPDATE {_EVENTS.name} SET status = :new_status, error = :error_text, handled_at = :now"
    " WHERE webhook_event_id = :event_id"
).bindparams(sa.bindparam("now", type_=_TIME))
_ANSWERED = sa.text(
    f"UPDATE {_EVENTS.name} SET status = '{_DONE}' WHERE webhook_event_id = :event_id AND status = '{_ANSWERING}'")


@dataclass(frozen=True)
class Claimed:
    event_id: str
    raw: dict[str, Any]
    received_at: datetime
    status: str = EventStatus.PROCESSING.value  # answering: taken back from a holder that died while sending
    attempts: int = 1  # claims so far, this one included

    @property
    def answer_outcome_unknown(self) -> bool:
        """Handled and saved by a holder that died (or lost the database) while its answer was going out."""
        return self.status == EventStatus.ANSWERING.value

    @property
    def kept_dying(self) -> bool:
        """Its handling was started MAX_ATTEMPTS times and never finished (its process died, or the
        database was lost mid-way each time): give it up rather than let it hold its chat."""
        return not self.answer_outcome_unknown and self.attempts > MAX_ATTEMPTS


@contextmanager
def _transaction(bind: Engine | Connection) -> Iterator[Connection]:
    """A transaction committed on exit, on the given connection or on one from the engine.

    A connection already in a transaction (on_fresh_connection's) is used as it is: its owner commits.
    """
    if isinstance(bind, Connection):
        if bind.in_transaction():
            yield bind
            return
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
    return Claimed(row.webhook_event_id, json.loads(row.payload), row.received_at, row.status, row.attempts)


def finish(bind: Engine | Connection, event_id: str, status: EventStatus, error: str | None = None) -> None:
    """Mark a claimed event with its outcome (on the caller's transaction when given a connection)."""
    params = {"event_id": event_id, "new_status": status.value, "error_text": error, "now": utcnow()}
    with _transaction(bind) as conn:
        conn.execute(_FINISH, params)


def mark_answered(bind: Engine | Connection, event_id: str) -> None:
    """The answer has gone to LINE: the chat's next event may go."""
    with _transaction(bind) as conn:
        conn.execute(_ANSWERED, {"event_id": event_id})


def on_fresh_connection(engine: Engine, work: Callable[[Connection], T]) -> T:
    """Run ``work`` in a transaction of its own, trying again on a new connection while the database fails.

    For the marks that follow a handler's work: the connection the event was
    handled on may have been cut (a database restart, pg_terminate_backend, a
    network blip), and a mark that is not written leaves the chat waiting for
    recovery. A database that stays away longer than FRESH_RETRY_DELAYS is
    left to recovery (OperationalError is raised).
    """
    for delay in (*FRESH_RETRY_DELAYS, None):
        try:
            with engine.begin() as conn:
                return work(conn)
        except OperationalError:
            if delay is None:
                raise
            time.sleep(delay)
    raise AssertionError("unreachable")


def release_claim(engine: Engine, event_id: str) -> str | None:
    """Put an event back to 'received' after a failure that was not its own fault; return its status then.

    Called when the database failed while the event was being handled, so the
    handler's commit may or may not have landed. The conditional UPDATE waits
    for a transaction still ending on the old connection, so the status it
    reports is the committed truth: 'received' (nothing was saved; handle it
    again), 'answering' (the handler's work was saved; send its answer), or
    None when the database cannot be reached (recovery settles it later).
    """
    def release(conn: Connection) -> str | None:
        released = conn.execute(
            sa.update(_EVENTS)
            .where(_EVENTS.c.webhook_event_id == event_id, _EVENTS.c.status == EventStatus.PROCESSING.value)
            .values(status=EventStatus.RECEIVED.value, claimed_at=None)
        ).rowcount
        if released:
            return EventStatus.RECEIVED.value
        return conn.execute(sa.select(_EVENTS.c.status).where(_EVENTS.c.webhook_event_id == event_id)).scalar()

    try:
        return on_fresh_connection(engine, release)
    except OperationalError:
        log.warning("inbox: could not release %s; recovery takes it once its claim is stale", event_id)
        return None


def events_waiting(engine: Engine) -> int:
    """How many stored events no handler has taken yet."""
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(_EVENTS)
                            .where(_EVENTS.c.status == EventStatus.RECEIVED.value)).scalar_one()


def chats_to_recover(engine: Engine, *, stale_before: datetime, waiting_before: datetime | None = None,
                     limit: int = 200) -> list[str]:
    """Chats held by a stale claim (its holder died or lost the database), oldest first.

    The one query behind recovery, for the worker (every RECOVER_SECONDS and on
    start) and the clock's sweeper: each chat listed is then drained with
    claim_next, which takes the stale event back under the same per-chat
    claim as any other. ``waiting_before`` also lists chats with an event
    nobody took since then (the sweeper's look at a worker that is not running).
    """
    held = sa.and_(_EVENTS.c.status.in_(_HELD), _EVENTS.c.claimed_at < stale_before)
    if waiting_before is not None:
        held = sa.or_(held, sa.and_(_EVENTS.c.status == EventStatus.RECEIVED.value,
                                    _EVENTS.c.received_at < waiting_before))
    with engine.connect() as conn:
        return list(conn.execute(
            sa.select(_EVENTS.c.chat_key).where(held)
            .group_by(_EVENTS.c.chat_key)
            .order_by(sa.func.min(_EVENTS.c.id))
            .limit(limit)
        ).scalars())


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
