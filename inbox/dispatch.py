"""Handle one stored webhook event: claim it, route it to its handler, save, and send the answer.

One database connection serves the claim, the handler's queries and the final
mark. Events are handled independently: one that raises is marked failed with
its error and the user gets a short apology; the chat's next event still runs.

When the database fails mid-event, nothing is decided on the broken
connection: the claim is released (or found already saved) on a fresh one,
and a mark that fails is tried again on a fresh connection. An event taken
back from a holder that died is settled here too: handled again if its work
was never saved, given up (with an apology) after MAX_ATTEMPTS, and, if it
was saved while its answer was going out, closed without sending that answer
a second time, the user being told it may be missing. Every answer is sent at
most once. See docs/operations/failures.md.
"""
from __future__ import annotations

import logging
import traceback
import uuid
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
from inbox.claims import (
    MAX_ATTEMPTS,
    Claimed,
    claim_next,
    finish,
    mark_answered,
    on_fresh_connection,
    release_claim,
)
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
    status: str  # done | failed | skipped | released (put back after a database error, to be taken again)


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
        if claimed.answer_outcome_unknown:
            return _settle_unknown_answer(services, claimed, conn)
        if claimed.kept_dying:
            return _give_up(services, claimed, conn)
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
    session = Session(conn, expire_on_commit=False)
    try:
        with session:
            reply = route(services, session, event, event_id) or []
            # Saved with the handler's data, never run again; "answering" keeps the chat's next
            # event waiting until this answer is sent, so answers reach LINE in order.
            finish(session.connection(), event_id, EventStatus.ANSWERING if reply else EventStatus.DONE)
            session.commit()
        status = "done"
    except OperationalError:
        # The database went away mid-event (a cut connection, a restart). Whether the handler's
        # commit landed is settled on a fresh connection before deciding anything.
        after = release_claim(services.engine, event_id)
        if after == EventStatus.RECEIVED.value:
            log.warning("inbox: database error while handling %s; handling it again", event_id)
            return Outcome(event_id, "released")  # nothing was saved: the chat's thread takes it again
        if after not in (EventStatus.ANSWERING.value, EventStatus.DONE.value):
            log.error("inbox: database error while handling %s; left to recovery", event_id)
            raise
        log.warning("inbox: database error after %s was saved; finishing it", event_id)
        status = "done"  # the commit landed before the connection died: the answer still goes out
    except Exception as exc:
        log.error("inbox: event %s failed: %s", event_id, type(exc).__name__, exc_info=True)
        error = "".join(traceback.format_exception_only(type(exc), exc)).strip()[:2000]
        _mark(services, None, event_id, EventStatus.FAILED, error)  # ``conn`` may be spoilt: a fresh one
        reply = [views.text(texts.SORRY_ERROR)]
        status = "failed"
    if status == "done":
        for callback in session.info.pop("after_commit", []):
            callback()

    if reply:
        send_reply(services, raw, reply)
        if status == "done":
            _mark_answered(services, conn, event_id)
    return Outcome(event_id, status)


def _mark_answered(services: Services, conn: Connection, event_id: str) -> None:
    """Record that the answer went out, on a fresh connection if the event's own one was cut."""
    try:
        mark_answered(conn, event_id)
        return
    except OperationalError:
        log.warning("inbox: could not mark %s answered; trying on a fresh connection", event_id)
    try:
        on_fresh_connection(services.engine, lambda fresh: mark_answered(fresh, event_id))
    except OperationalError:
        # Stays 'answering' until recovery settles it as an answer of unknown outcome: never sent
        # again, the user told it may be missing (docs/operations/failures.md).
        log.error("inbox: could not mark %s answered; recovery settles it", event_id)


def _mark(services: Services, conn: Connection | None, event_id: str, status: EventStatus,
          error: str | None) -> None:
    """Mark a claimed event's outcome on ``conn``, or on a fresh connection when there is none or it was cut."""
    if conn is not None:
        try:
            finish(conn, event_id, status, error)
            return
        except OperationalError:
            pass
    try:
        on_fresh_connection(services.engine, lambda fresh: finish(fresh, event_id, status, error))
    except OperationalError:
        # The claim stays; once stale, the event is taken again (and given up after MAX_ATTEMPTS).
        log.error("inbox: could not mark %s %s; recovery takes it again", event_id, status.value)


def _settle_unknown_answer(services: Services, claimed: Claimed, conn: Connection) -> Outcome:
    """Close an event saved by a holder that died while its answer was going out.

    The handler's work was committed and is never run again; whether its
    answer reached LINE is unknown, and a second copy is worse than a missing
    one in a step-by-step flow. So the answer is not sent again: the user is
    told, once (a fixed retry key, should this notice itself be interrupted),
    that it may be missing, and the chat goes on.
    """
    log.warning("inbox: the answer to %s may not have reached LINE; telling the user", claimed.event_id)
    _notify(services, claimed, texts.ANSWER_MAY_BE_MISSING, purpose="answer-unknown")
    _mark(services, conn, claimed.event_id, EventStatus.DONE, "answer outcome unknown: its sender stopped")
    return Outcome(claimed.event_id, "done")


def _give_up(services: Services, claimed: Claimed, conn: Connection) -> Outcome:
    """An event whose handling died MAX_ATTEMPTS times (it kills its process, say): say sorry, let the chat go on."""
    log.error("inbox: gave up on %s: its handling died %d times", claimed.event_id, MAX_ATTEMPTS)
    if claimed.raw.get("type") in _ANSWERED_TYPES:
        _notify(services, claimed, texts.SORRY_ERROR, purpose="given-up")
    _mark(services, conn, claimed.event_id, EventStatus.FAILED, f"gave up: its handling died {MAX_ATTEMPTS} times")
    return Outcome(claimed.event_id, "failed")


def _notify(services: Services, claimed: Claimed, text: str, *, purpose: str) -> None:
    """Push a short notice about an event to its chat, with a retry key fixed by the event."""
    chat_id = chat_id_of(claimed.raw.get("source"))
    if not chat_id:
        return
    key = str(uuid.uuid5(uuid.NAMESPACE_URL, f"tidtam:{purpose}:{claimed.event_id}"))
    result = services.line.push(chat_id, [views.text(text)], retry_key=key, attempts=2)
    if not result.delivered:
        log.error("inbox: notice about event %s not delivered (status=%s)", claimed.event_id, result.status)


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
