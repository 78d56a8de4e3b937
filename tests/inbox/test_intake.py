"""inbox.intake: the webhook's shared writes on PostgreSQL (worker mode), with the store's own statement."""
from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from devkit.event_builder import body_of, sign
from inbox.intake import Intake, StoreFailed
from inbox.store import make_intake
from models import make_engine
from tests.conftest import CHANNEL_SECRET, _truncate_all


@pytest.fixture
def pg(pg_database):
    _truncate_all(pg_database)
    engine = make_engine(pg_database)
    yield pg_database, engine
    engine.dispose()


def _row(event_id: str, user: str = "U-intake") -> dict:
    return {"webhook_event_id": event_id, "event_type": "message", "source_type": "user", "user_id": user,
            "group_id": None, "chat_key": user, "payload": "{}", "is_redelivery": False,
            "status": "received", "attempts": 0, "received_at": datetime.now(UTC)}


def _stored(engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.execute(sa.text("SELECT webhook_event_id FROM webhookevent ORDER BY id")).scalars())


class Gate:
    """Wraps Intake._execute: the first write waits for ``open``; every write is recorded."""

    def __init__(self, intake: Intake, fail_on: str | None = None, error: Exception | None = None) -> None:
        self.writes: list[list[str]] = []
        self.first_started, self.open = threading.Event(), threading.Event()
        real = intake._execute

        def execute(rows):
            ids = [r["webhook_event_id"] for r in rows]
            self.writes.append(ids)
            if len(self.writes) == 1:
                self.first_started.set()
                assert self.open.wait(timeout=20)
            if fail_on in ids:
                raise error or RuntimeError("poisoned")
            real(rows)

        intake._execute = execute


def _store_in_threads(intake: Intake, batches: list[list[dict]]) -> dict[str, str]:
    outcome: dict[str, str] = {}

    def run(rows):
        try:
            intake.store(rows)
            outcome[rows[0]["webhook_event_id"]] = "stored"
        except StoreFailed as exc:
            outcome[rows[0]["webhook_event_id"]] = f"failed: {exc}"

    threads = [threading.Thread(target=run, args=(rows,)) for rows in batches]
    for t in threads:
        t.start()
    return outcome, threads


def _write_behind_a_blocked_one(pg, first: str, behind: list[list[dict]], **gate_options):
    """Store ``first`` and hold its write; queue ``behind`` meanwhile; release; return (outcomes, gate)."""
    url, _ = pg
    intake = make_intake(url)
    gate = Gate(intake, **gate_options)
    try:
        first_outcome, first_threads = _store_in_threads(intake, [[_row(first)]])
        assert gate.first_started.wait(timeout=10)
        outcome, threads = _store_in_threads(intake, behind)
        while len(intake._waiting) < len(behind):  # they wait behind the write in flight
            threading.Event().wait(0.01)
        gate.open.set()
        for t in first_threads + threads:
            t.join(timeout=20)
    finally:
        intake.dispose()
    return {**first_outcome, **outcome}, gate


def test_batches_arriving_during_a_write_are_stored_together_in_one_statement(pg):
    outcome, gate = _write_behind_a_blocked_one(pg, "E0", [[_row(f"E{i}"), _row(f"E{i}b")] for i in range(1, 6)])
    assert outcome == {f"E{i}": "stored" for i in range(6)}
    assert len(gate.writes) == 2 and sorted(gate.writes[1]) == sorted(
        [f"E{i}" for i in range(1, 6)] + [f"E{i}b" for i in range(1, 6)])
    assert sorted(_stored(pg[1])) == sorted(["E0", *gate.writes[1]])


def test_a_failing_shared_write_is_retried_batch_by_batch(pg):
    outcome, _ = _write_behind_a_blocked_one(pg, "F0", [[_row("F1")], [_row("BAD")], [_row("F2")]], fail_on="BAD")
    assert outcome["F1"] == outcome["F2"] == "stored"
    assert outcome["BAD"].startswith("failed: RuntimeError")
    assert sorted(_stored(pg[1])) == ["F0", "F1", "F2"]


def test_when_the_database_is_unreachable_a_shared_write_fails_at_once_without_retries(pg):
    import psycopg

    outcome, gate = _write_behind_a_blocked_one(pg, "G0", [[_row("G1")], [_row("G2")], [_row("G3")]], fail_on="G2",
                                                error=psycopg.OperationalError("server closed the connection"))
    assert len(gate.writes) == 2  # no batch-by-batch retries against a database that is not there
    assert outcome.pop("G0") == "stored"
    assert all(v.startswith("failed: OperationalError") for v in outcome.values()) and len(outcome) == 3
    assert _stored(pg[1]) == ["G0"]


def test_a_batch_that_waits_too_long_is_refused_and_never_written_later(pg):
    url, engine = pg
    intake = make_intake(url)
    intake.timeout = 0.2
    gate = Gate(intake)
    try:
        _, first_threads = _store_in_threads(intake, [[_row("T0")]])
        assert gate.first_started.wait(timeout=10)
        outcome, threads = _store_in_threads(intake, [[_row("T1")]])
        for t in threads:
            t.join(timeout=20)
        assert outcome == {"T1": "failed: timed out waiting for the database"}  # LINE gets 503, redelivers
        gate.open.set()
        for t in first_threads:
            t.join(timeout=20)
        intake.store([_row("T2")])  # the writer's role was handed on: nothing is stuck
    finally:
        intake.dispose()
    assert _stored(engine) == ["T0", "T2"]


def test_many_threads_store_everything_exactly_once(pg):
    url, engine = pg
    intake = make_intake(url)
    batches = [[_row(f"M{t}-{i}", user=f"U{t}")] for t in range(12) for i in range(20)]
    try:
        outcome, threads = _store_in_threads(intake, batches + batches[:30])  # some delivered twice
        for t in threads:
            t.join(timeout=60)
    finally:
        intake.dispose()
    assert set(outcome.values()) == {"stored"}
    assert sorted(_stored(engine)) == sorted(b[0]["webhook_event_id"] for b in batches)


def test_an_unreachable_database_refuses_the_webhook_with_503(pg, settings_overrides):
    from bot import create_app

    url, _ = pg
    app = create_app({**settings_overrides, "database_url": url, "event_handlers": "worker"})
    services = app.extensions["tidtam"]
    services.intake.dispose()
    services.intake = make_intake("postgresql+psycopg://postgres@127.0.0.1:9/nowhere")
    body = body_of([{"type": "message", "webhookEventId": "01DOWN", "source": {"type": "user", "userId": "U1"},
                     "message": {"type": "text", "id": "1", "text": "ช่วยเหลือ"}, "replyToken": "r"}])
    try:
        response = app.test_client().post("/callback", data=body.encode(), headers={
            "x-line-signature": sign(CHANNEL_SECRET, body), "content-type": "application/json"})
    finally:
        services.dispose()
    assert response.status_code == 503


def _intake_backends(engine) -> list[int]:
    with engine.connect() as conn:
        return list(conn.execute(sa.text(
            "SELECT pid FROM pg_stat_activity WHERE application_name = 'tidtam-intake' AND datname = current_database()"
        )).scalars())


def test_one_process_writes_through_one_connection(pg):
    url, engine = pg
    intake = make_intake(url)
    batches = [[_row(f"C{t}-{i}", user=f"U{t}")] for t in range(8) for i in range(10)]
    try:
        _, threads = _store_in_threads(intake, batches)
        for t in threads:
            t.join(timeout=60)
        assert len(_intake_backends(engine)) == 1
    finally:
        intake.dispose()
    assert intake._conn is None  # dispose closes it (the server's own view of it may lag a moment)
    assert len(_stored(engine)) == 80


def test_a_connection_the_server_dropped_fails_one_write_then_a_new_one_is_opened(pg):
    url, engine = pg
    intake = make_intake(url)
    try:
        intake.store([_row("D0")])
        (pid,) = _intake_backends(engine)
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar_one()
        with pytest.raises(StoreFailed, match="OperationalError"):
            intake.store([_row("D1")])  # the webhook answers 503; LINE redelivers D1
        intake.store([_row("D1")])
        assert _intake_backends(engine) not in ([], [pid])
    finally:
        intake.dispose()
    assert _stored(engine) == ["D0", "D1"]


def test_rows_the_database_refuses_fail_alone_with_the_database_error(pg):
    bad = {**_row("BAD-TIME"), "received_at": "not a time"}
    outcome, _ = _write_behind_a_blocked_one(pg, "R0", [[_row("R1")], [bad], [_row("R2")]])
    assert outcome["R1"] == outcome["R2"] == "stored"
    assert outcome["BAD-TIME"].startswith("failed: InvalidDatetimeFormat")
    assert sorted(_stored(pg[1])) == ["R0", "R1", "R2"]
