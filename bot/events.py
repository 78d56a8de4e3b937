"""Webhook event processing: store and answer LINE, then claim, handle and reply.

The webhook stores each batch in one transaction, keyed by the unique
``webhookEventId`` so a redelivered or duplicated event is stored once, and
answers LINE 200 at once (LINE recommends handling events asynchronously).
Handler threads (bot.tasks.ChatQueue, in the worker process, bot.worker, or
in the web process itself with EVENT_HANDLERS=web) then take each chat's
events oldest first with a conditional claim, so an event is handled at most
once and one user's steps never overtake each other, across processes. Events
are handled independently: one that raises is marked failed with its error,
the user gets an apology, and the chat's next event still runs. An event
whose handler died mid-way stays ``processing`` until its claim is stale;
the clock's sweeper finishes whatever the handlers left.
"""
from __future__ import annotations

import hashlib
import json
import logging
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from linebot.v3.webhooks import Event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from bot import texts, views
from bot.intake import COLUMNS as intake_columns
from bot.intake import Intake
from bot.line_client import LineClient
from bot.settings import Settings
from handlers.registry import Reply
from models import EventStatus, WebhookEvent, utcnow

log = logging.getLogger(__name__)

STALE_CLAIM = timedelta(seconds=60)  # the default of WEBHOOK_STALE_SECONDS
# Reply tokens are good for about a minute: an event that waited longer is answered by push.
REPLY_TOKEN_LIFE = timedelta(seconds=50)
# An event whose handling died this many times (it kills its process, say) is given up
# on by the sweeper, so the rest of its chat can go on.
MAX_ATTEMPTS = 3


@dataclass
class Services:
    """Process-wide collaborators handed to handlers and jobs."""

    settings: Settings
    engine: Engine
    line: LineClient
    tasks: Any = None  # bot.tasks.TaskRunner once started
    chats: Any = None  # bot.tasks.ChatQueue where this process handles events (web mode, the worker)
    intake: Intake | None = None  # PostgreSQL, worker mode: the webhook's shared store (bot.intake)

    def dispose(self) -> None:
        """Close every database connection this process holds."""
        self.engine.dispose()
        if self.intake is not None:
            self.intake.dispose()


def build_services(settings: Settings | None = None) -> Services:
    """Services for a process without Flask (the clock, the worker); handlers may start tasks there too."""
    from bot.tasks import TaskRunner
    from models import make_engine

    settings = settings or Settings.from_env()
    return Services(settings=settings, engine=make_engine(settings.database_url), line=LineClient(settings),
                    tasks=TaskRunner())


@dataclass(frozen=True)
class Outcome:
    event_id: str
    status: str  # done | failed | skipped


def _clean(value: Any, limit: int) -> str:
    """Text any database takes: no NUL, no lone surrogate, at most ``limit`` characters."""
    text = str(value).replace("\x00", "")[:limit]
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text


def _json_text(raw: dict[str, Any]) -> str:
    """The event as JSON text, Thai kept readable unless the event holds a lone surrogate."""
    text = json.dumps(raw, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(raw)
    return text


def event_id_of(raw: dict[str, Any]) -> str:
    """Return the event's webhookEventId, or a content hash when LINE omitted it."""
    value = raw.get("webhookEventId")
    if isinstance(value, str) and 0 < len(value) <= 64 and _clean(value, 64) == value:
        return value
    digest = hashlib.sha256(_json_text(raw).encode()).hexdigest()
    return "h" + digest[:40]


def chat_key_of(raw: dict[str, Any]) -> str:
    """The conversation an event belongs to: its group or room, else its user, else itself."""
    source = raw.get("source") if isinstance(raw.get("source"), dict) else {}
    key = source.get("groupId") or source.get("roomId") or source.get("userId")
    return _clean(key, 64) if key else event_id_of(raw)


# Built once: a statement built per request is compiled per request (0.5 ms each).
_STORE = {
    "postgresql": postgresql.insert(WebhookEvent.__table__).on_conflict_do_nothing(index_elements=["webhook_event_id"]),
    "sqlite": sqlite.insert(WebhookEvent.__table__).on_conflict_do_nothing(index_elements=["webhook_event_id"]),
}


def _row_of(raw: dict[str, Any], now) -> dict[str, Any]:
    source = raw.get("source") if isinstance(raw.get("source"), dict) else {}
    delivery = raw.get("deliveryContext") if isinstance(raw.get("deliveryContext"), dict) else {}
    return {
        "webhook_event_id": event_id_of(raw),
        "event_type": _clean(raw.get("type", "unknown"), 40),
        "source_type": _clean(source.get("type"), 10) if source.get("type") else None,
        "user_id": _clean(source.get("userId"), 64) if source.get("userId") else None,
        "group_id": _clean(source.get("groupId") or source.get("roomId") or "", 64) or None,
        "chat_key": chat_key_of(raw),
        "payload": _json_text(raw),
        "is_redelivery": bool(delivery.get("isRedelivery", False)),
        "status": EventStatus.RECEIVED.value,
        "attempts": 0,
        "received_at": now,
    }


def store_events(engine: Engine, raws: list[dict[str, Any]], *, intake: Intake | None = None) -> list[str]:
    """Store a batch in one transaction, skipping ids already stored; return the chats it touches.

    All or nothing: when the database fails nothing is stored, the webhook
    answers 503 and LINE sends the batch again. With an ``intake`` (PostgreSQL,
    worker mode: bot.intake) the batch is stored together with those of other
    requests and each new chat announced to the worker (bot.worker).
    """
    now = utcnow()
    rows: dict[str, dict[str, Any]] = {}
    for raw in raws:
        row = _row_of(raw, now)
        rows.setdefault(row["webhook_event_id"], row)  # the same event twice in one batch
    if not rows:
        return []
    keys = list(dict.fromkeys(row["chat_key"] for row in rows.values()))
    if intake is not None:
        intake.store([{k: row[k] for k in intake_columns} for row in rows.values()])
        return keys
    with engine.begin() as conn:
        conn.execute(_STORE[engine.dialect.name], list(rows.values()))
    return keys


@dataclass(frozen=True)
class Claimed:
    event_id: str
    raw: dict[str, Any]
    received_at: datetime


_EVENTS = WebhookEvent.__table__
# Built once, like _STORE: the handlers run these for every event.
_CLAIM = (
    sa.update(_EVENTS)
    .where(_EVENTS.c.id == (
        sa.select(sa.func.min(_EVENTS.c.id))
        .where(_EVENTS.c.chat_key == sa.bindparam("chat"),
               # An event whose answer is still on its way holds its chat too: the next answer must not overtake it.
               _EVENTS.c.status.in_([EventStatus.RECEIVED.value, EventStatus.PROCESSING.value,
                                     EventStatus.ANSWERING.value]))
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


def claim_next(bind: Engine | Connection, chat_key: str, *, stale: timedelta = STALE_CLAIM) -> Claimed | None:
    """Take the chat's oldest event still to be handled; None when there is none to take.

    The one statement finds the oldest open event of the chat and claims it only
    if nobody holds it (or its holder's claim is stale). While another thread or
    process holds the chat's oldest event this returns None: that holder looks
    again after finishing, so the chat's events are handled one at a time, in
    the order they were stored. The claim is committed before it returns.
    """
    now = utcnow()
    with _transaction(bind) as conn:
        row = conn.execute(_CLAIM, {"chat": chat_key, "now": now, "stale_before": now - stale}).first()
    if row is None:
        return None
    return Claimed(row.webhook_event_id, json.loads(row.payload), row.received_at)


@contextmanager
def _transaction(bind: Engine | Connection) -> Iterator[Connection]:
    """A transaction committed on exit, on the given connection or on one from the engine."""
    if isinstance(bind, Connection):
        with bind.begin():
            yield bind
    else:
        with bind.begin() as conn:
            yield conn


def release_claim(engine: Engine, event_id: str) -> None:
    """Put an event back to 'received' after a failure that was not its own fault."""
    table = WebhookEvent.__table__
    try:
        with engine.begin() as conn:
            conn.execute(
                sa.update(table)
                .where(table.c.webhook_event_id == event_id)
                .where(table.c.status == EventStatus.PROCESSING.value)
                .values(status=EventStatus.RECEIVED.value, claimed_at=None)
            )
    except OperationalError:
        log.warning("webhook: could not release %s; it will be reclaimed when stale", event_id)


def _finish(session: Session, event_id: str, status: EventStatus, error: str | None = None) -> None:
    session.execute(_FINISH, {"event_id": event_id, "new_status": status.value, "error_text": error, "now": utcnow()})


def accept_events(services: Services, raw_events: list[Any]) -> int:
    """Store the batch, hand its chats to the handler threads, return how many events it held.

    The webhook answers LINE as soon as this returns (LINE recommends handling
    events asynchronously); the answers go out as replies from the handler
    threads: this process's own (EVENT_HANDLERS=web) or the worker process's
    (EVENT_HANDLERS=worker), which is told by NOTIFY on PostgreSQL and looks
    for stored events every moment on SQLite.
    """
    raws = [raw for raw in raw_events if isinstance(raw, dict)]
    if len(raws) < len(raw_events):
        log.warning("webhook: skipped %d event(s) that are not objects", len(raw_events) - len(raws))
    keys = store_events(services.engine, raws, intake=services.intake)
    if services.settings.event_handlers == "web":
        for key in keys:
            services.chats.submit(key)
    return len(raws)


def events_waiting(engine: Engine) -> int:
    """How many stored events no handler has taken yet."""
    table = WebhookEvent.__table__
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(table)
                            .where(table.c.status == EventStatus.RECEIVED.value)).scalar_one()


def chats_waiting(engine: Engine, limit: int = 500) -> list[str]:
    """Chats with an event nobody has taken yet, oldest first (what a starting worker picks up)."""
    table = WebhookEvent.__table__
    with engine.connect() as conn:
        return list(conn.execute(
            sa.select(table.c.chat_key)
            .where(table.c.status == EventStatus.RECEIVED.value)
            .group_by(table.c.chat_key)
            .order_by(sa.func.min(table.c.id))
            .limit(limit)
        ).scalars())


def drain_chat(services: Services, chat_key: str) -> list[Outcome]:
    """Handle the chat's stored events, oldest first, until none is left to take."""
    outcomes = []
    while (outcome := handle_next(services, chat_key)) is not None:
        outcomes.append(outcome)
    return outcomes


def handle_next(services: Services, chat_key: str) -> Outcome | None:
    """Claim and handle the chat's oldest open event; None when there is nothing to take."""
    from handlers.router import route  # handlers import bot modules; import late

    # One connection for the claim, the handler's queries and the final mark: one pool checkout
    # (and one liveness ping) per event instead of three.
    with services.engine.connect() as conn:
        claimed = claim_next(conn, chat_key, stale=_stale_window(services))
        if claimed is None:
            return None
        raw = claimed.raw
        if utcnow() - claimed.received_at > REPLY_TOKEN_LIFE:
            raw.pop("replyToken", None)  # expired by now: answer by push
        return _handle_claimed(services, claimed.event_id, raw, route, conn)


def _handle_claimed(services: Services, event_id: str, raw: dict[str, Any], route, conn: Connection) -> Outcome:
    if raw.get("mode") == "standby":
        with Session(conn) as session:
            _finish(session, event_id, EventStatus.SKIPPED, "standby mode")
            session.commit()
        return Outcome(event_id, "skipped")

    try:
        event = Event.from_dict(raw)
    except Exception as exc:  # the SDK raises KeyError, ValueError, ValidationError... for odd events
        # An event type this SDK does not know, or a malformed one: keep it, answer nothing.
        status = EventStatus.SKIPPED if "discriminator" in str(exc) else EventStatus.FAILED
        with Session(conn) as session:
            _finish(session, event_id, status, f"unparsed event: {type(exc).__name__}")
            session.commit()
        return Outcome(event_id, status.value)

    reply: Reply = []
    try:
        with Session(conn, expire_on_commit=False) as session:
            reply = route(services, session, event, event_id) or []
            # Saved with the handler's data, never run again; "answering" keeps the chat's next
            # event waiting until this answer is sent, so answers reach LINE in order.
            _finish(session, event_id, EventStatus.ANSWERING if reply else EventStatus.DONE)
            session.commit()
            for callback in session.info.pop("after_commit", []):
                callback()
        status = "done"
    except OperationalError:
        # The database is unreachable: release the claim (if it can still be
        # written) so a redelivery or the sweeper handles the event later.
        log.error("webhook: database error while handling %s", event_id)
        release_claim(services.engine, event_id)
        raise
    except Exception as exc:
        log.error("webhook: event %s failed: %s", event_id, type(exc).__name__, exc_info=True)
        error = "".join(traceback.format_exception_only(type(exc), exc)).strip()[:2000]
        with Session(services.engine) as session:  # a fresh connection: the failure may have spoilt ``conn``
            _finish(session, event_id, EventStatus.FAILED, error)
            session.commit()
        reply = [views.text(texts.SORRY_ERROR)]
        status = "failed"

    if reply:
        send_reply(services, raw, reply)
        if status == "done":
            _answered(conn, event_id)
    return Outcome(event_id, status)


def _answered(conn: Connection, event_id: str) -> None:
    """The answer has gone to LINE: the chat's next event may go."""
    try:
        with conn.begin():
            conn.execute(_ANSWERED, {"event_id": event_id})
    except OperationalError:
        log.warning("webhook: could not mark %s answered; the sweeper will", event_id)


def _stale_window(services: Services) -> timedelta:
    return timedelta(seconds=services.settings.webhook_stale_seconds)


def send_reply(services: Services, raw: dict[str, Any], reply: Reply) -> None:
    """Send a handler's messages by reply, falling back to a push to the chat."""
    source = raw.get("source") or {}
    chat_id = source.get("groupId") or source.get("roomId") or source.get("userId")
    token = raw.get("replyToken")
    if token:
        result = services.line.reply(token, reply, fallback_to=chat_id)
    elif chat_id:
        result = services.line.push(chat_id, reply, attempts=2)
    else:
        return
    if not result.delivered:
        # The event is done and its data saved, but the user never got the answer.
        log.error("webhook: answer to event %s not delivered (status=%s, %s)", raw.get("webhookEventId"),
                  result.status, result.error[:80])


def sweep_stale_events(services: Services, *, older_than: timedelta = timedelta(minutes=2),
                       limit: int = 200) -> list[Outcome]:
    """Finish the chats whose stored events no handler finished (it died, or the database failed).

    Runs in the clock. Each chat is drained in order, with the same claims the
    handlers use, so an event is never handled twice even if a handler is still
    at it; answers go by push, the reply tokens being gone. An event whose
    handling died MAX_ATTEMPTS times is marked failed first, so it cannot hold
    its chat for ever.
    """
    now = utcnow()
    table = WebhookEvent.__table__
    with services.engine.begin() as conn:
        given_up = conn.execute(
            sa.update(table)
            .where(table.c.status == EventStatus.PROCESSING.value, table.c.attempts >= MAX_ATTEMPTS,
                   table.c.claimed_at < now - _stale_window(services))
            .values(status=EventStatus.FAILED.value, handled_at=now,
                    error=f"gave up: its handling died {MAX_ATTEMPTS} times")
        ).rowcount
        # Saved, and its answer sent or lost with the process that was sending it: never run again.
        conn.execute(
            sa.update(table)
            .where(table.c.status == EventStatus.ANSWERING.value,
                   table.c.claimed_at < now - _stale_window(services))
            .values(status=EventStatus.DONE.value)
        )
    if given_up:
        log.error("webhook: gave up on %d event(s) whose handling kept dying", given_up)
    with services.engine.connect() as conn:
        keys = conn.execute(
            sa.select(table.c.chat_key)
            .where(
                sa.or_(
                    sa.and_(table.c.status == EventStatus.RECEIVED.value, table.c.received_at < now - older_than),
                    sa.and_(table.c.status == EventStatus.PROCESSING.value,
                            table.c.claimed_at < now - _stale_window(services)),
                )
            )
            .group_by(table.c.chat_key)
            .order_by(sa.func.min(table.c.id))
            .limit(limit)
        ).scalars().all()
    outcomes: list[Outcome] = []
    for key in keys:
        outcomes.extend(drain_chat(services, key))
    return outcomes
