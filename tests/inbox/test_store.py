"""inbox.store: the webhook's one write, on both databases."""
from __future__ import annotations

import psycopg
import pytest
import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from inbox.store import NOTIFY_CHANNEL, chat_key_of, event_id_of, store_events
from models import EventStatus, WebhookEvent


def _event(event_id: str, user: str = "U1", **extra) -> dict:
    return {"type": "message", "webhookEventId": event_id, "source": {"type": "user", "userId": user},
            "deliveryContext": {"isRedelivery": False}, "mode": "active", **extra}


def _rows(services) -> list[WebhookEvent]:
    with services.engine.connect() as conn:
        return list(conn.execute(sa.select(WebhookEvent.__table__).order_by(WebhookEvent.id)))


def test_each_event_is_stored_once_and_every_chat_is_named(services):
    first = store_events(services.engine, [_event("E1", "U-a"), _event("E2", "U-b"), _event("E1", "U-a")])
    assert (first.new_events, first.chats) == (2, ["U-a", "U-b"])
    again = store_events(services.engine, [_event("E2", "U-b"), _event("E3", "U-a")])
    # The stored one is not stored twice, but its chat is still named: a redelivery is a reason to look again.
    assert (again.new_events, again.chats) == (1, ["U-b", "U-a"])
    rows = _rows(services)
    assert [r.webhook_event_id for r in rows] == ["E1", "E2", "E3"]
    assert {r.status for r in rows} == {EventStatus.RECEIVED.value}


def test_an_empty_batch_writes_nothing(services):
    assert store_events(services.engine, []) .new_events == 0
    assert _rows(services) == []


def test_a_batch_is_all_or_nothing(services, monkeypatch):
    store_events(services.engine, [_event("E1")])
    engine = services.engine

    def broken_begin(*_args, **_kwargs):
        raise sa.exc.OperationalError("INSERT", {}, Exception("server closed the connection"))

    monkeypatch.setattr(type(engine), "begin", broken_begin)
    monkeypatch.setattr(type(engine), "connect", broken_begin)
    monkeypatch.setattr(type(engine), "raw_connection", broken_begin)
    with pytest.raises(SQLAlchemyError):
        store_events(engine, [_event("E2"), _event("E3")])
    monkeypatch.undo()
    assert [r.webhook_event_id for r in _rows(services)] == ["E1"]


def test_text_a_database_refuses_is_cleaned(services):
    event = _event("E-odd", "U-\x00odd", message={"type": "text", "text": "ผล\ud800"})
    stored = store_events(services.engine, [event])
    assert stored.new_events == 1
    row = _rows(services)[0]
    assert "\x00" not in row.user_id and "\x00" not in row.chat_key
    assert "ผล" in row.payload or "\\u0e1c" in row.payload  # kept, escaped where it must be


def test_an_event_without_an_id_or_a_source_gets_a_stable_key():
    event = {"type": "message", "message": {"type": "text", "text": "x"}}
    assert event_id_of(event) == event_id_of(dict(event)) and event_id_of(event).startswith("h")
    assert chat_key_of(event) == event_id_of(event)
    assert chat_key_of({"source": {"type": "group", "groupId": "G1", "userId": "U1"}}) == "G1"


@pytest.mark.postgres_only
def test_postgresql_wakes_the_worker_once_per_new_chat(pg_database):
    from models import make_engine
    from tests.conftest import _truncate_all

    _truncate_all(pg_database)
    engine = make_engine(pg_database)
    with psycopg.connect(pg_database, autocommit=True) as listener:
        listener.execute(f"LISTEN {NOTIFY_CHANNEL}")
        try:
            store_events(engine, [_event("N1", "U-a"), _event("N2", "U-b"), _event("N3", "U-a")])
            store_events(engine, [_event("N1", "U-a")])  # already stored: no second notice
            heard = [n.payload for n in listener.notifies(timeout=2, stop_after=3)]
            heard += [n.payload for n in listener.notifies(timeout=0.3)]
        finally:
            engine.dispose()
    assert sorted(heard) == ["U-a", "U-b"]


@pytest.mark.postgres_only
def test_a_connection_the_server_dropped_fails_one_store_then_the_next_works(pg_database):
    """The webhook answers 503 for that one batch (LINE redelivers it); the next batch gets a fresh connection."""
    from models import make_engine
    from tests.conftest import _truncate_all

    _truncate_all(pg_database)
    engine = make_engine(pg_database)
    try:
        store_events(engine, [_event("D1")])  # the pool now holds an open connection
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                 "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
        outcomes = []
        for event_id in ("D2", "D3"):
            try:
                outcomes.append(store_events(engine, [_event(event_id)]).new_events)
            except SQLAlchemyError:
                outcomes.append("503")
        assert outcomes[-1] == 1 and outcomes.count("503") <= 1
        with engine.connect() as conn:
            stored = set(conn.execute(sa.text("SELECT webhook_event_id FROM webhookevent")).scalars())
        assert "D3" in stored and "D1" in stored
    finally:
        engine.dispose()
