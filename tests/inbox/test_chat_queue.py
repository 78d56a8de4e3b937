"""The webhook answers LINE first; handler threads then work through each chat in order.

Runs on SQLite and PostgreSQL. Two apps on one database stand for two gunicorn
workers: the order of one chat's events must hold across them.
"""
from __future__ import annotations

import threading
import time

import pytest
from sqlmodel import select

from bot import create_app
from devkit.event_builder import body_of, sign
from handlers import registry
from inbox.queue import ChatQueue
from line import texts, views
from models import EventStatus, WebhookEvent
from tests.chat import Chat
from tests.conftest import CHANNEL_SECRET


def _add_command(monkeypatch, word: str, func) -> None:
    command = registry.Command((word,), func, None, False, False, word)
    monkeypatch.setattr(registry, "_commands", [*registry._commands, command])


def _post_without_waiting(client, events: list[dict]):
    body = body_of(events)
    return client.post("/callback", data=body.encode(), headers={
        "x-line-signature": sign(CHANNEL_SECRET, body), "content-type": "application/json"})


def _status(session, event_id: str) -> str:
    session.expire_all()
    return session.exec(select(WebhookEvent).where(WebhookEvent.webhook_event_id == event_id)).one().status


@pytest.fixture
def second_app(settings_overrides):
    """Another web process on the same database."""
    app = create_app(settings_overrides)
    yield app
    app.extensions["tidtam"].chats.shutdown(timeout=30)
    app.extensions["tidtam"].engine.dispose()


def test_webhook_answers_before_the_event_is_handled(client, chat, services, session, monkeypatch):
    gate = threading.Event()

    def wait_for_gate(ctx, args):
        """รอ (ทดสอบ)"""
        assert gate.wait(timeout=20)
        return [views.text("เสร็จแล้วค่ะ")]

    _add_command(monkeypatch, "รอประตู", wait_for_gate)
    event = chat.text_event("U-gate", "รอประตู")
    response = _post_without_waiting(client, [event])
    assert response.status_code == 200 and response.get_json() == {"status": "ok", "accepted": 1, "stored": 1}
    deadline = time.monotonic() + 20
    while _status(session, event["webhookEventId"]) != EventStatus.PROCESSING.value:
        assert time.monotonic() < deadline, "the handler never took the event"
        time.sleep(0.02)
    assert chat.line.replies() == []  # LINE has its 200; the answer is still being worked out
    gate.set()
    assert services.chats.wait_idle(timeout=20)
    assert [body["messages"][0]["text"] for body in chat.line.replies()] == ["เสร็จแล้วค่ะ"]
    assert _status(session, event["webhookEventId"]) == EventStatus.DONE.value


def test_one_chats_events_keep_their_order_across_two_web_processes(client, second_app, services, session,
                                                                    line, monkeypatch):
    seen: list[tuple[str, float, float]] = []
    lock = threading.Lock()

    def step(ctx, args):
        """ขั้น (ทดสอบ)"""
        started = time.monotonic()
        time.sleep(0.02)  # long enough for the other process to try the same chat meanwhile
        with lock:
            seen.append((args, started, time.monotonic()))
        return [views.text(f"ขั้น {args}")]

    _add_command(monkeypatch, "ขั้น", step)
    chat = Chat(client, line, CHANNEL_SECRET)
    other = second_app.test_client()
    for number in range(1, 11):
        target = client if number % 2 else other
        assert _post_without_waiting(target, [chat.text_event("U-order", f"ขั้น {number}")]).status_code == 200
    assert services.chats.wait_idle(timeout=30)
    assert second_app.extensions["tidtam"].chats.wait_idle(timeout=30)

    assert [args for args, _, _ in seen] == [str(n) for n in range(1, 11)]
    spans = sorted((start, end) for _, start, end in seen)
    assert all(end <= next_start for (_, end), (next_start, _) in zip(spans, spans[1:])), "two at once"
    assert [body["messages"][0]["text"] for body in line.replies()] == [f"ขั้น {n}" for n in range(1, 11)]


def test_different_chats_are_handled_side_by_side(chat, monkeypatch):
    meeting = threading.Barrier(3, timeout=20)  # only passes if three chats are in hand at once

    def meet(ctx, args):
        """พบกัน (ทดสอบ)"""
        meeting.wait()
        return [views.text("พบกันแล้วค่ะ")]

    _add_command(monkeypatch, "พบกัน", meet)
    sent = chat.post([chat.text_event(f"U-side-{i}", "พบกัน") for i in range(3)])
    assert sent.texts == ["พบกันแล้วค่ะ"] * 3


def test_a_failing_event_does_not_hold_up_the_rest_of_its_chat(chat, session, monkeypatch):
    def broken(ctx, args):
        """พัง (ทดสอบ)"""
        raise RuntimeError("boom")

    _add_command(monkeypatch, "พังเลย", broken)
    events = [chat.text_event("U-broken", "พังเลย"), chat.text_event("U-broken", "ช่วยเหลือ")]
    sent = chat.post(events)
    assert sent.texts[0] == texts.SORRY_ERROR and len(sent.texts) == 2
    assert [_status(session, e["webhookEventId"]) for e in events] == [EventStatus.FAILED.value,
                                                                       EventStatus.DONE.value]


def test_chat_queue_looks_again_when_an_event_arrives_while_its_chat_is_in_hand():
    arrived = threading.Event()
    pending = ["first"]
    handled: list[str] = []

    def handle_next(key):
        if not pending:
            return None
        item = pending.pop(0)
        if item == "first":
            assert arrived.wait(timeout=10)  # the second event is stored while this one runs...
        handled.append(item)
        return item

    queue = ChatQueue(handle_next, workers=2)
    queue.submit("U")
    pending.append("second")
    queue.submit("U")  # ...and submitted: no second thread for the chat, a second look instead
    arrived.set()
    assert queue.wait_idle(timeout=10)
    assert handled == ["first", "second"]
    queue.shutdown(timeout=5)


def test_chat_queue_shutdown_gives_up_on_a_stuck_chat_and_says_so():
    release = threading.Event()

    def stuck(key):
        release.wait(timeout=10)
        return None

    queue = ChatQueue(stuck, workers=1)
    queue.submit("U-stuck")
    assert not queue.wait_idle(timeout=0)  # in hand
    closer = threading.Thread(target=lambda: results.append(queue.shutdown(timeout=0.2)))
    results: list[bool] = []
    closer.start()
    closer.join(timeout=1)  # shutdown waits for the event in hand once its time is up...
    release.set()
    closer.join(timeout=10)
    assert results == [False]
    queue.submit("U-late")  # after shutdown: nothing runs; the sweeper will find the stored event
    assert queue.wait_idle(timeout=0)


def test_answers_reach_line_in_order_when_a_reply_is_slow_and_another_process_has_the_next_event(
        client, second_app, services, session, line):
    chat = Chat(client, line, CHANNEL_SECRET)
    first, second = (chat.text_event("U-slow-reply", "ช่วยเหลือ") for _ in range(2))
    line.delay_next(1, seconds=1.5, path="/v2/bot/message/reply")
    assert _post_without_waiting(client, [first]).status_code == 200
    deadline = time.monotonic() + 20
    while _status(session, first["webhookEventId"]) != EventStatus.ANSWERING.value:
        assert time.monotonic() < deadline, "the first answer never started"
        time.sleep(0.02)
    # The next step arrives at the other web process while the first answer is still on its way.
    assert _post_without_waiting(second_app.test_client(), [second]).status_code == 200
    assert services.chats.wait_idle(timeout=30)
    assert second_app.extensions["tidtam"].chats.wait_idle(timeout=30)
    assert line.wait_for(lambda fake: len(fake.replies()) == 2, timeout=10)
    assert [body["replyToken"] for body in line.replies()] == [first["replyToken"], second["replyToken"]]
    assert {_status(session, e["webhookEventId"]) for e in (first, second)} == {EventStatus.DONE.value}
