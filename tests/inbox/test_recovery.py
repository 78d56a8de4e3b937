"""The worker recovers what a dead holder left, without the clock (SQLite and PostgreSQL).

A "dead holder" is staged in the database as it leaves things: an event
claimed long ago and still ``processing`` (killed while handling) or
``answering`` (killed between committing and recording its answer). The
worker's own loop (inbox.worker.run, with the app's handler threads) must
finish both, in the chat's order, sending no answer twice.
"""
from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import select

from inbox.claims import claim_next, finish
from inbox.dispatch import handle_next
from inbox.store import store_events
from inbox.worker import run
from line import texts
from models import EventStatus, WebhookEvent, utcnow


def _rows(session) -> dict[str, WebhookEvent]:
    session.expire_all()
    return {row.webhook_event_id: row for row in session.exec(select(WebhookEvent)).all()}


def _stage_dead_holder(services, event: dict, status: EventStatus) -> None:
    """Leave ``event`` as a process that died while handling (processing) or answering it leaves it."""
    store_events(services.engine, [event])
    chat_key = event["source"]["userId"]
    assert claim_next(services.engine, chat_key).event_id == event["webhookEventId"]
    if status is EventStatus.ANSWERING:
        finish(services.engine, event["webhookEventId"], EventStatus.ANSWERING)
    table = WebhookEvent.__table__
    with services.engine.begin() as conn:
        conn.execute(sa.update(table).where(table.c.webhook_event_id == event["webhookEventId"])
                     .values(claimed_at=utcnow() - timedelta(minutes=5)))


@pytest.fixture
def worker_loop(services):
    """The worker's loop running in this process over the app's handler threads, as bot.worker runs it."""
    stop = threading.Event()
    thread = threading.Thread(target=run, args=(services, stop), daemon=True)

    def start() -> None:
        thread.start()

    yield start
    stop.set()
    if thread.is_alive():
        thread.join(timeout=10)


def _wait_done(session, ids: list[str], timeout: float = 20) -> dict[str, WebhookEvent]:
    deadline = time.monotonic() + timeout
    while True:
        rows = _rows(session)
        if all(rows[i].status in (EventStatus.DONE.value, EventStatus.FAILED.value) for i in ids):
            return rows
        assert time.monotonic() < deadline, {i: rows[i].status for i in ids}
        time.sleep(0.05)


def test_the_worker_settles_an_answer_left_answering_and_the_chat_goes_on(chat, services, session, line,
                                                                          worker_loop):
    user = "U-dead-sender"
    stuck, following = chat.text_event(user, "ช่วยเหลือ"), chat.text_event(user, "ช่วยเหลือ")
    _stage_dead_holder(services, stuck, EventStatus.ANSWERING)
    store_events(services.engine, [following])  # the officer's next step waits behind it

    worker_loop()  # no clock, no new message: the worker alone
    rows = _wait_done(session, [stuck["webhookEventId"], following["webhookEventId"]])

    # The saved answer is not sent a second time; the user is told it may be missing, first.
    assert rows[stuck["webhookEventId"]].status == EventStatus.DONE.value
    assert "unknown" in rows[stuck["webhookEventId"]].error
    assert [m["text"] for m in line.messages_to(user)] == [texts.ANSWER_MAY_BE_MISSING]
    assert [body["replyToken"] for body in line.replies()] == [following["replyToken"]]
    pushed_at = next(i for i, c in enumerate(line.calls) if c.path.endswith("/push"))
    replied_at = next(i for i, c in enumerate(line.calls) if c.path.endswith("/reply"))
    assert pushed_at < replied_at  # in the chat's order


def test_the_worker_handles_again_an_event_left_processing_alone_in_its_chat(chat, services, session, line,
                                                                            worker_loop):
    user = "U-dead-handler"
    event = chat.text_event(user, "ช่วยเหลือ")
    _stage_dead_holder(services, event, EventStatus.PROCESSING)  # nothing behind it: no scan would find it

    worker_loop()
    row = _wait_done(session, [event["webhookEventId"]])[event["webhookEventId"]]

    assert (row.status, row.attempts) == (EventStatus.DONE.value, 2)
    assert len(line.replies()) + len(line.messages_to(user)) == 1  # answered once


def test_a_notice_interrupted_and_sent_again_reaches_the_user_once(chat, services, session, line):
    user = "U-twice"
    event = chat.text_event(user, "ช่วยเหลือ")
    _stage_dead_holder(services, event, EventStatus.ANSWERING)
    assert handle_next(services, user).status == "done"
    _make_stale_answering(services, event)  # as if the process settling it had died before recording it
    assert handle_next(services, user).status == "done"
    pushes = [c for c in line.calls if c.path.endswith("/push")]
    assert len(pushes) == 2 and len({c.retry_key for c in pushes}) == 1  # one key: LINE answers 409 the second time
    assert [m["text"] for m in line.messages_to(user)] == [texts.ANSWER_MAY_BE_MISSING]


def _make_stale_answering(services, event: dict) -> None:
    table = WebhookEvent.__table__
    with services.engine.begin() as conn:
        conn.execute(sa.update(table).where(table.c.webhook_event_id == event["webhookEventId"])
                     .values(status=EventStatus.ANSWERING.value, claimed_at=utcnow() - timedelta(minutes=5)))
