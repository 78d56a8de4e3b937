"""Handle one stored webhook event: claim it, route it to its handler, save, and send the answer.

One database connection serves the claim, the handler's queries and the final
mark. Events are handled independently: one that raises is marked failed with
its error and the user gets a short apology; the chat's next event still runs.
See docs/architecture.md ("The inbox") for the whole path.
"""
from __future__ import annotations

import logging
import traceback
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from linebot.v3.webhooks import Event
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from core.services import Services
from handlers.registry import Reply
from handlers.router import route
from inbox.claims import claim_next, finish, mark_answered, release_claim
from inbox.store import chat_id_of
from line import texts, views
from models import EventStatus, utcnow

log = logging.getLogger(__name__)

# Reply tokens are good for about a minute: an event that waited longer is answered by push.
REPLY_TOKEN_LIFE = timedelta(seconds=50)
# Event types a person caused and expects an answer to: when one cannot be read, say sorry.
_ANSWERED_TYPES = ("message", "postback", "follow")


@dataclass(frozen=True)
class Outcome:
    event_id: str
    status: str  # done | failed | skipped


def drain_chat(services: Services, chat_key: str) -> list[Outcome]:
    """Handle the chat's stored events, oldest first, until none is left to take."""
    outcomes = []
    while (outcome := handle_next(services, chat_key)) is not None:
        outcomes.append(outcome)
    return outcomes


def handle_next(services: Services, chat_key: str) -> Outcome | None:
    """Claim and handle the chat's oldest open event; None when there is nothing to take."""
    with services.engine.connect() as conn:
        claimed = claim_next(conn, chat_key, stale=timedelta(seconds=services.settings.webhook_stale_seconds))
        if claimed is None:
            return None
        raw = claimed.raw
        if utcnow() - claimed.received_at > REPLY_TOKEN_LIFE:
            raw.pop("replyToken", None)  # expired by now: answer by push
        return _handle_claimed(services, claimed.event_id, raw, conn)


def _handle_claimed(services: Services, event_id: str, raw: dict[str, Any], conn: Connection) -> Outcome:
    if raw.get("mode") == "standby":
        finish(conn, event_id, EventStatus.SKIPPED, "standby mode")
        return Outcome(event_id, "skipped")

    try:
        event = Event.from_dict(raw)
    except Exception as exc:  # the SDK raises KeyError, ValueError, ValidationError... for odd events
        return _unreadable(services, event_id, raw, conn, exc)

    reply: Reply = []
    try:
        with Session(conn, expire_on_commit=False) as session:
            reply = route(services, session, event, event_id) or []
            # Saved with the handler's data, never run again; "answering" keeps the chat's next
            # event waiting until this answer is sent, so answers reach LINE in order.
            finish(session.connection(), event_id, EventStatus.ANSWERING if reply else EventStatus.DONE)
            session.commit()
            for callback in session.info.pop("after_commit", []):
                callback()
        status = "done"
    except OperationalError:
        # The database is unreachable: release the claim (if it can still be
        # written) so a redelivery or the sweeper handles the event later.
        log.error("inbox: database error while handling %s", event_id)
        release_claim(services.engine, event_id)
        raise
    except Exception as exc:
        log.error("inbox: event %s failed: %s", event_id, type(exc).__name__, exc_info=True)
        error = "".join(traceback.format_exception_only(type(exc), exc)).strip()[:2000]
        finish(services.engine, event_id, EventStatus.FAILED, error)  # a fresh connection: ``conn`` may be spoilt
        reply = [views.text(texts.SORRY_ERROR)]
        status = "failed"

    if reply:
        send_reply(services, raw, reply)
        if status == "done":
            try:
                mark_answered(conn, event_id)
            except OperationalError:
                log.warning("inbox: could not mark %s answered; the sweeper will", event_id)
    return Outcome(event_id, status)


def _unreadable(services: Services, event_id: str, raw: dict[str, Any], conn: Connection,
                exc: Exception) -> Outcome:
    """An event this SDK cannot read: keep it, and tell the person who caused it."""
    # An event type the SDK does not know at all (a beacon, a new kind) is nobody's question.
    unknown_type = "discriminator" in str(exc) and raw.get("type") not in _ANSWERED_TYPES
    status = EventStatus.SKIPPED if unknown_type else EventStatus.FAILED
    finish(conn, event_id, status, f"unparsed event: {type(exc).__name__}")
    if status is EventStatus.FAILED:
        log.warning("inbox: event %s could not be read (%s)", event_id, type(exc).__name__)
        if raw.get("type") in _ANSWERED_TYPES or raw.get("replyToken"):
            send_reply(services, raw, [views.text(texts.SORRY_ERROR)])
    return Outcome(event_id, status.value)


def send_reply(services: Services, raw: dict[str, Any], reply: Reply) -> None:
    """Send a handler's messages by reply, falling back to a push to the chat."""
    chat_id = chat_id_of(raw.get("source"))
    token = raw.get("replyToken")
    if token:
        result = services.line.reply(token, reply, fallback_to=chat_id)
    elif chat_id:
        result = services.line.push(chat_id, reply, attempts=2)
    else:
        return
    if not result.delivered:
        # The event is done and its data saved, but the user never got the answer.
        log.error("inbox: answer to event %s not delivered (status=%s, %s)", raw.get("webhookEventId"),
                  result.status, result.error[:80])
