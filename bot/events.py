"""Webhook event processing: store, deduplicate, claim, handle, then send.

Each event is stored with its unique ``webhookEventId`` before anything else,
then claimed with a conditional update so that a redelivered or duplicated
event is handled at most once, even across gunicorn workers. Events are handled
independently: one that raises is marked failed with its error and the rest of
the batch still runs. An event whose handler died mid-way (worker killed) stays
``processing``; once its claim is stale a redelivery may claim it again.
"""
from __future__ import annotations

import hashlib
import json
import logging
import traceback
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from linebot.v3.messaging import TextMessage
from linebot.v3.webhooks import Event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from bot import texts
from bot.line_client import LineClient
from bot.settings import Settings
from handlers.registry import Reply
from models import EventStatus, WebhookEvent, utcnow

log = logging.getLogger(__name__)

STALE_CLAIM = timedelta(seconds=60)  # the default of WEBHOOK_STALE_SECONDS


@dataclass
class Services:
    """Process-wide collaborators handed to handlers and jobs."""

    settings: Settings
    engine: Engine
    line: LineClient
    tasks: Any = None  # bot.tasks.TaskRunner once started


@dataclass(frozen=True)
class Outcome:
    event_id: str
    status: str  # done | failed | duplicate | skipped | unavailable


def event_id_of(raw: dict[str, Any]) -> str:
    """Return the event's webhookEventId, or a content hash when LINE omitted it."""
    value = raw.get("webhookEventId")
    if isinstance(value, str) and 0 < len(value) <= 64:
        return value
    digest = hashlib.sha256(json.dumps(raw, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    return "h" + digest[:40]


def _insert_ignore(engine: Engine):
    dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
    return dialect.insert(WebhookEvent.__table__)


def store_event(engine: Engine, raw: dict[str, Any]) -> str:
    """Insert the event unless an event with the same id is already stored."""
    source = raw.get("source") if isinstance(raw.get("source"), dict) else {}
    delivery = raw.get("deliveryContext") if isinstance(raw.get("deliveryContext"), dict) else {}
    event_id = event_id_of(raw)
    row = {
        "webhook_event_id": event_id,
        "event_type": str(raw.get("type", "unknown"))[:40],
        "source_type": str(source.get("type"))[:10] if source.get("type") else None,
        "user_id": str(source.get("userId"))[:64] if source.get("userId") else None,
        "group_id": str(source.get("groupId") or source.get("roomId") or "")[:64] or None,
        "payload": json.dumps(raw, ensure_ascii=False),
        "is_redelivery": bool(delivery.get("isRedelivery", False)),
        "status": EventStatus.RECEIVED.value,
        "attempts": 0,
        "received_at": utcnow(),
    }
    stmt = _insert_ignore(engine).values(**row).on_conflict_do_nothing(index_elements=["webhook_event_id"])
    with engine.begin() as conn:
        conn.execute(stmt)
    return event_id


def claim_event(engine: Engine, event_id: str, *, stale: timedelta = STALE_CLAIM) -> bool:
    """Take the event for handling; False when it is done or another worker holds it."""
    now = utcnow()
    table = WebhookEvent.__table__
    stmt = (
        sa.update(table)
        .where(table.c.webhook_event_id == event_id)
        .where(
            sa.or_(
                table.c.status == EventStatus.RECEIVED.value,
                sa.and_(table.c.status == EventStatus.PROCESSING.value,
                        table.c.claimed_at < now - stale),
            )
        )
        .values(status=EventStatus.PROCESSING.value, claimed_at=now, attempts=table.c.attempts + 1)
    )
    with engine.begin() as conn:
        return conn.execute(stmt).rowcount == 1


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
    table = WebhookEvent.__table__
    session.execute(
        sa.update(table)
        .where(table.c.webhook_event_id == event_id)
        .values(status=status.value, error=error, handled_at=utcnow())
    )


def process_events(services: Services, raw_events: list[Any]) -> list[Outcome]:
    """Store every event first, then handle each one on its own."""
    from handlers.router import route  # handlers import bot modules; import late

    stored: list[tuple[str, dict[str, Any]]] = []
    for raw in raw_events:
        if not isinstance(raw, dict):
            log.warning("webhook: skipped an event that is not an object")
            continue
        stored.append((store_event(services.engine, raw), raw))

    outcomes = []
    for event_id, raw in stored:
        outcomes.append(_handle_one(services, event_id, raw, route))
    return outcomes


def _handle_one(services: Services, event_id: str, raw: dict[str, Any], route) -> Outcome:
    if not claim_event(services.engine, event_id, stale=_stale_window(services)):
        log.info("webhook: event %s already handled or in hand; skipped", event_id)
        return Outcome(event_id, "duplicate")
    if raw.get("mode") == "standby":
        with Session(services.engine) as session:
            _finish(session, event_id, EventStatus.SKIPPED, "standby mode")
            session.commit()
        return Outcome(event_id, "skipped")

    try:
        event = Event.from_dict(raw)
    except Exception as exc:  # the SDK raises KeyError, ValueError, ValidationError... for odd events
        # An event type this SDK does not know, or a malformed one: keep it, answer nothing.
        status = EventStatus.SKIPPED if "discriminator" in str(exc) else EventStatus.FAILED
        with Session(services.engine) as session:
            _finish(session, event_id, status, f"unparsed event: {type(exc).__name__}")
            session.commit()
        return Outcome(event_id, status.value)

    reply: Reply = []
    try:
        with Session(services.engine, expire_on_commit=False) as session:
            reply = route(services, session, event, event_id) or []
            _finish(session, event_id, EventStatus.DONE)
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
        with Session(services.engine) as session:
            _finish(session, event_id, EventStatus.FAILED, error)
            session.commit()
        reply = [TextMessage(text=texts.SORRY_ERROR)]
        status = "failed"

    if reply:
        send_reply(services, raw, reply)
    return Outcome(event_id, status)


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
    """Handle events that were stored but never finished (a worker died mid-request)."""
    from handlers.router import route

    cutoff = utcnow() - older_than
    table = WebhookEvent.__table__
    with services.engine.connect() as conn:
        rows = conn.execute(
            sa.select(table.c.webhook_event_id, table.c.payload)
            .where(
                sa.or_(
                    sa.and_(table.c.status == EventStatus.RECEIVED.value, table.c.received_at < cutoff),
                    sa.and_(table.c.status == EventStatus.PROCESSING.value,
                            table.c.claimed_at < utcnow() - _stale_window(services)),
                )
            )
            .order_by(table.c.id)
            .limit(limit)
        ).all()
    outcomes = []
    for event_id, payload in rows:
        raw = json.loads(payload)
        raw.pop("replyToken", None)  # long expired: answer by push
        outcomes.append(_handle_one(services, event_id, raw, route))
    return outcomes
