"""The worker process (``python -m bot.worker``) handles what a web process in worker mode stores.

A real worker process on SQLite (it polls) and on PostgreSQL (LISTEN/NOTIFY),
fed by the app in EVENT_HANDLERS=worker mode through /callback.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlmodel import select

from bot import create_app
from devkit.event_builder import body_of, sign
from models import EventStatus, WebhookEvent
from tests.chat import Chat
from tests.conftest import CHANNEL_SECRET
from tests.processes import Worker

ROOT = Path(__file__).resolve().parents[2]


def _env(settings_overrides: dict) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LINE_", "DATABASE_URL", "TIDTAM_"))}
    env.update({
        "TIDTAM_ENV": "test", "DATABASE_URL": settings_overrides["database_url"],
        "LINE_CHANNEL_SECRET": CHANNEL_SECRET,
        "LINE_CHANNEL_ACCESS_TOKEN": settings_overrides["line_channel_access_token"],
        "LINE_API_BASE_URL": settings_overrides["line_api_base_url"],
        "LINE_DATA_API_BASE_URL": settings_overrides["line_data_api_base_url"],
        "PUBLIC_BASE_URL": "https://tidtam.example", "EVIDENCE_DIR": settings_overrides["evidence_dir"],
        "GENERATED_DIR": settings_overrides["generated_dir"], "PYTHONPATH": str(ROOT), "WORKER_NICE": "0",
    })
    return env


@pytest.fixture
def worker_app(settings_overrides):
    app = create_app({**settings_overrides, "event_handlers": "worker"})
    assert app.extensions["tidtam"].chats is None  # this web process only stores
    yield app
    app.extensions["tidtam"].dispose()


@pytest.fixture
def worker(settings_overrides, tmp_path):
    running = Worker(_env(settings_overrides), tmp_path / "worker.log")
    running.wait_started()
    yield running
    running.stop()


def _post(client, events: list[dict]) -> None:
    body = body_of(events)
    response = client.post("/callback", data=body.encode(), headers={
        "x-line-signature": sign(CHANNEL_SECRET, body), "content-type": "application/json"})
    assert response.status_code == 200 and response.get_json()["accepted"] == len(events)


def _wait_all_done(session, ids: list[str], timeout: float = 30) -> dict[str, WebhookEvent]:
    deadline = time.monotonic() + timeout
    while True:
        session.expire_all()
        rows = {r.webhook_event_id: r for r in session.exec(select(WebhookEvent)).all()}
        if all(i in rows and rows[i].status == EventStatus.DONE.value for i in ids):
            return rows
        assert time.monotonic() < deadline, {i: rows[i].status for i in ids if i in rows}
        time.sleep(0.05)


def test_worker_answers_each_chat_in_order(worker_app, worker, line, session):
    chat = Chat(worker_app.test_client(), line, CHANNEL_SECRET)
    mine = [chat.text_event("U-w1", text) for text in ("ช่วยเหลือ", "งานของฉัน", "ช่วยเหลือ")]
    others = [chat.text_event(f"U-w{i}", "ช่วยเหลือ") for i in (2, 3)]
    for event in mine[:2]:
        _post(worker_app.test_client(), [event])
    _post(worker_app.test_client(), [mine[2], *others])
    _wait_all_done(session, [e["webhookEventId"] for e in [*mine, *others]])
    tokens = [body["replyToken"] for body in line.replies()]
    assert sorted(tokens) == sorted(e["replyToken"] for e in [*mine, *others])  # each answered once
    assert [t for t in tokens if t in {e["replyToken"] for e in mine}] == [e["replyToken"] for e in mine]
    assert worker.stop() == 0
    assert "worker: stopped" in worker.log.read_text()


def test_events_stored_while_no_worker_runs_are_handled_when_one_starts(worker_app, settings_overrides, line,
                                                                       session, tmp_path):
    chat = Chat(worker_app.test_client(), line, CHANNEL_SECRET)
    events = [chat.text_event(f"U-late-{i}", "ช่วยเหลือ") for i in range(3)]
    _post(worker_app.test_client(), events)
    assert line.replies() == []  # nobody handles them yet, and nothing is lost
    assert worker_app.test_client().get("/healthz").get_json()["waiting"] == 3
    late = Worker(_env(settings_overrides), tmp_path / "late.log")
    try:
        _wait_all_done(session, [e["webhookEventId"] for e in events])
    finally:
        assert late.stop() == 0
    assert len(line.replies()) == 3
    assert worker_app.test_client().get("/healthz").get_json()["waiting"] == 0


def test_worker_refuses_bad_settings_in_one_line(settings_overrides, tmp_path):
    env = {**_env(settings_overrides), "EVENT_HANDLERS": "both"}
    done = subprocess.run([sys.executable, "-m", "bot.worker"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.strip() == "tidtam worker: EVENT_HANDLERS must be web or worker, not 'both'"


def test_listener_hears_the_chats_a_web_process_stores_on_postgresql(pg_database):
    from inbox.store import store_events
    from inbox.worker import Listener
    from models import make_engine
    from tests.conftest import _truncate_all

    _truncate_all(pg_database)
    engine = make_engine(pg_database)
    listener = Listener(pg_database)
    try:
        assert listener.wait(timeout=0.05) == set()  # listening, nothing announced yet
        events = [{"type": "message", "webhookEventId": f"01LISTEN{i}", "source": {"type": "user", "userId": user}}
                  for i, user in enumerate(("U-a", "U-b", "U-a"))]
        store_events(engine, events)
        store_events(engine, events[:1])  # already stored: announced once only
        assert listener.wait(timeout=5) == {"U-a", "U-b"}
        assert listener.wait(timeout=0.05) == set()
    finally:
        listener.close()
        engine.dispose()
