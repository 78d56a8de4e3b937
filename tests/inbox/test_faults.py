"""Fault tests for the webhook on PostgreSQL: the database goes away, a worker dies, LINE is slow or failing.

Each event must end handled exactly once, or refused with a status that makes
LINE redeliver it and then handled exactly once: never lost silently, never
answered twice by the bot's own doing. The shared PostgreSQL server keeps
running; the database "stops" behind tests/tcp_proxy.py. A clock restarting
during a send is covered by tests/test_scheduler_faults.py.
"""
from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import time_machine
from sqlmodel import select

from bot import create_app
from devkit.event_builder import body_of, sign
from handlers import registry
from inbox.sweeper import sweep_stale_events
from line import texts, views
from models import EventStatus, WebhookEvent, utcnow
from tests.chat import Chat
from tests.conftest import ACCESS_TOKEN, CHANNEL_SECRET, _truncate_all
from tests.factories import make_world
from tests.processes import Worker
from tests.tcp_proxy import TcpProxy

ROOT = Path(__file__).resolve().parents[2]
CUT_WORD = "ตัดฐานข้อมูล"


@pytest.fixture
def db_url(pg_database):
    """These tests run on PostgreSQL only (a real server behind a real proxy, a real gunicorn)."""
    _truncate_all(pg_database)
    return pg_database


@pytest.fixture
def settings_overrides(settings_overrides):
    # A short LINE read timeout keeps the slow-LINE tests quick.
    return {**settings_overrides, "line_read_timeout": 0.5}


@pytest.fixture
def proxy(db_url):
    target = urlsplit(db_url)
    with TcpProxy(target.hostname or "127.0.0.1", target.port or 5432) as running:
        yield running


@pytest.fixture
def proxied_app(settings_overrides, proxy, db_url):
    """The app with its database connections going through the proxy."""
    parts = urlsplit(db_url)
    user = f"{parts.username}@" if parts.username else ""
    url = urlunsplit((parts.scheme, f"{user}127.0.0.1:{proxy.port}", parts.path, "", ""))
    app = create_app({**settings_overrides, "database_url": url})
    yield app
    app.extensions["tidtam"].chats.shutdown(timeout=30)
    app.extensions["tidtam"].engine.dispose()


@pytest.fixture
def proxied_chat(proxied_app, line):
    return Chat(proxied_app.test_client(), line, CHANNEL_SECRET)


def _rows(session) -> dict[str, WebhookEvent]:
    session.expire_all()
    rows = {row.webhook_event_id: row for row in session.exec(select(WebhookEvent)).all()}
    # Hold no connection between looks (some tests cut every connection); detached first, so the
    # rollback does not expire the rows and reading them does not open a transaction again.
    session.expunge_all()
    session.rollback()
    return rows


def _answers(line, events: list[dict]) -> dict[str, int]:
    """Accepted reply and push calls per user of ``events`` (a reply is matched by its token)."""
    user_of_token = {e["replyToken"]: e["source"]["userId"] for e in events if e.get("replyToken")}
    counts = {e["source"]["userId"]: 0 for e in events}
    for body in line.replies():
        user = user_of_token.get(body["replyToken"])
        if user is not None:
            counts[user] += 1
    for call in line.pushes():
        if call.json["to"] in counts:
            counts[call.json["to"]] += 1
    return counts


def _redelivered(events: list[dict]) -> list[dict]:
    return [dict(e, deliveryContext={"isRedelivery": True}) for e in events]


# -- the database stops and comes back ------------------------------------------------------

def test_healthz_is_503_while_the_database_is_unreachable(proxied_app, proxy):
    client = proxied_app.test_client()
    assert client.get("/healthz").status_code == 200
    proxy.cut()
    down = client.get("/healthz")
    assert down.status_code == 503
    assert down.get_json()["status"] == "unavailable"
    proxy.restore()
    assert client.get("/healthz").status_code == 200


def test_batch_while_the_database_is_down_is_503_then_redelivery_handles_each_event_once(
        proxied_chat, proxy, line, session):
    events = [proxied_chat.text_event(f"U-down-{i}", "ช่วยเหลือ") for i in range(3)]
    proxy.cut()
    refused = proxied_chat.post(events)
    assert refused.status == 503  # LINE redelivers what was not answered 200
    assert refused.messages == []
    assert _rows(session) == {}  # nothing could be stored

    proxy.restore()
    handled = proxied_chat.post(_redelivered(events))
    assert handled.status == 200
    assert handled.response.get_json()["accepted"] == 3
    again = proxied_chat.post(_redelivered(events))  # LINE may redeliver more than once
    assert again.status == 200 and again.messages == []

    assert _answers(line, events) == {f"U-down-{i}": 1 for i in range(3)}
    rows = _rows(session)
    assert sorted(rows) == sorted(e["webhookEventId"] for e in events)
    assert {(r.status, r.attempts, r.is_redelivery) for r in rows.values()} == {(EventStatus.DONE.value, 1, True)}


@pytest.fixture
def cutting_command(monkeypatch, proxy):
    """A command whose first run cuts the database in the middle of its own event."""
    runs: list[str] = []

    def cut_database(ctx, args):
        """ตัดการเชื่อมต่อฐานข้อมูล (ทดสอบ)"""
        runs.append(ctx.webhook_event_id)
        if len(runs) == 1:
            proxy.cut()
        return [views.text("รับทราบค่ะ")]

    command = registry.Command((CUT_WORD,), cut_database, None, False, False, CUT_WORD)
    monkeypatch.setattr(registry, "_commands", [*registry._commands, command])
    return runs


@pytest.mark.parametrize("finisher", ["sweeper", "next message"])
def test_database_cut_while_handling_a_batch_loses_nothing(proxied_chat, proxy, line, session, services,
                                                           cutting_command, finisher):
    user = "U-mid"
    events = [proxied_chat.text_event(user, "ช่วยเหลือ"),
              proxied_chat.text_event(user, CUT_WORD),
              proxied_chat.text_event(user, "ช่วยเหลือ")]
    first, cut, last = (e["webhookEventId"] for e in events)

    sent = proxied_chat.post(events)
    # The batch was stored in one transaction before the cut: LINE has its 200 and
    # will not resend, so the bot itself must finish what it stored.
    assert sent.status == 200 and sent.response.get_json()["accepted"] == 3
    assert [body["replyToken"] for body in line.replies()] == [events[0]["replyToken"]]
    proxy.restore()
    rows = _rows(session)
    assert rows[first].status == EventStatus.DONE.value
    # The interrupted event keeps its claim (the release could not reach the database);
    # the one after it waits behind it, as the user's steps must stay in order.
    assert rows[cut].status == EventStatus.PROCESSING.value
    assert rows[last].status == EventStatus.RECEIVED.value

    # A redelivery (LINE resends when its 200 got lost) changes nothing while the claim is fresh.
    assert proxied_chat.post(_redelivered(events)).messages == []

    later = utcnow() + timedelta(minutes=5)  # past the stale-claim window
    with time_machine.travel(later, tick=True):
        if finisher == "sweeper":
            outcomes = sweep_stale_events(services)
            assert [(o.event_id, o.status) for o in outcomes] == [(cut, "done"), (last, "done")]
        else:
            following = proxied_chat.text_event(user, "ช่วยเหลือ")
            sent = proxied_chat.post([following])
            assert sent.kinds == ["push", "push", "reply"]  # the two left behind first, in order
    assert proxied_chat.post(_redelivered(events)).messages == []

    # The answers that waited went by push (their reply tokens had expired), in order.
    pushed = [call.json["messages"][0]["text"] for call in line.pushes() if call.json["to"] == user]
    assert len(pushed) == 2 and pushed[0] == "รับทราบค่ะ"
    assert cutting_command == [cut, cut]  # run twice, committed once
    rows = _rows(session)
    assert {r.status for r in rows.values()} == {EventStatus.DONE.value}
    assert rows[cut].attempts == 2


# -- a gunicorn worker killed mid-request ---------------------------------------------------------

def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    """The product under gunicorn as the Procfile runs it, one worker."""

    def __init__(self, db_url: str, line, tmp_path: Path, **extra_env: str) -> None:
        self.port = _free_port()
        self.env = env = {k: v for k, v in os.environ.items()
                          if not k.startswith(("LINE_", "DATABASE_URL", "WEB_", "PORT", "EVENT_HANDLERS"))}
        env.update({
            "TIDTAM_ENV": "test", "DATABASE_URL": db_url, "LINE_CHANNEL_SECRET": CHANNEL_SECRET,
            "LINE_CHANNEL_ACCESS_TOKEN": ACCESS_TOKEN, "LINE_API_BASE_URL": line.url,
            "LINE_DATA_API_BASE_URL": line.url, "PUBLIC_BASE_URL": "https://tidtam.example",
            "EVIDENCE_DIR": str(tmp_path / "evidence"), "GENERATED_DIR": str(tmp_path / "generated"),
            "PORT": str(self.port), "WEB_CONCURRENCY": "1", "WEB_THREADS": "2", "WEBHOOK_STALE_SECONDS": "2",
            "PYTHONPATH": str(ROOT), **extra_env,
        })
        self.log = tmp_path / "gunicorn.log"
        with open(self.log, "wb") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "bot:create_app()", "--config", "gunicorn.conf.py"],
                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)

    def worker(self, other_than: int | None = None, timeout: float = 60) -> int:
        """The worker's pid once it answers /healthz (a new one when ``other_than`` is given)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.log.read_text()[-2000:]
            workers = [pid for pid in _children(self.proc.pid) if pid != other_than]
            if workers and self.get("/healthz") == 200:
                return workers[0]
            time.sleep(0.1)
        raise AssertionError("no gunicorn worker answered:\n" + self.log.read_text()[-2000:])

    def get(self, path: str) -> int | None:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
            conn.request("GET", path)
            return conn.getresponse().status
        except OSError:
            return None

    def post(self, events: list[dict]) -> tuple[int | None, str]:
        """POST a signed batch; (status, body) or (None, the error) when the connection dies."""
        body = body_of(events)
        try:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            conn.request("POST", "/callback", body=body.encode(), headers={
                "x-line-signature": sign(CHANNEL_SECRET, body), "content-type": "application/json"})
            response = conn.getresponse()
            return response.status, response.read().decode()
        except (OSError, http.client.HTTPException) as exc:
            return None, type(exc).__name__

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


@pytest.fixture
def gunicorn(db_url, line, tmp_path):
    server = Gunicorn(db_url, line, tmp_path)
    yield server
    server.stop()


def _wait_status(session, event_id: str, status: str, timeout: float = 20) -> WebhookEvent:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        row = _rows(session).get(event_id)
        if row is not None and row.status == status:
            return row
        time.sleep(0.05)
    raise AssertionError(f"event {event_id} never reached {status!r}: {_rows(session).get(event_id)}")


def _kill_during(gunicorn, session, event: dict, status: str) -> int:
    """Post ``event``, SIGKILL the worker once the event is ``status``; return the new worker's pid."""
    worker = gunicorn.worker()
    status_code, body = gunicorn.post([event])
    # Stored and acknowledged before any handling: LINE will not resend it.
    assert (status_code, json.loads(body)["accepted"]) == (200, 1)
    _wait_status(session, event["webhookEventId"], status)
    time.sleep(0.3)  # well inside the delayed call to LINE
    os.kill(worker, signal.SIGKILL)
    return gunicorn.worker(other_than=worker)  # the master starts a new worker


@pytest.mark.slow
def test_worker_killed_while_handling_then_each_event_is_handled_exactly_once(gunicorn, line, session,
                                                                              services):
    world = make_world(session)
    officer = next(iter(world.officers.values())).line_user_id
    chat = Chat(None, line, CHANNEL_SECRET)  # used to build events with real reply tokens

    # 1. Killed while replying: the event and its data were committed before the reply; LINE
    #    still completes the reply it received, and a redelivery is not handled again.
    line.delay_next(1, seconds=3, path="/v2/bot/message/reply")
    replying = chat.text_event("U-stranger", "ช่วยเหลือ")
    _kill_during(gunicorn, session, replying, EventStatus.ANSWERING.value)
    assert line.wait_for(lambda fake: len(fake.replies()) == 1, timeout=10)
    assert gunicorn.post(_redelivered([replying]))[0] == 200
    assert _answers(line, [replying]) == {"U-stranger": 1}

    # 2. Killed while handling (a slow command waits on LINE's loading animation before
    #    committing): the claim outlives the worker and holds the officer's chat; once it
    #    is stale, the officer's next message handles the interrupted event first.
    line.delay_next(1, seconds=10, path="/v2/bot/chat/loading/start")
    handling = chat.text_event(officer, "กราฟคะแนน")
    _kill_during(gunicorn, session, handling, EventStatus.PROCESSING.value)
    row = _rows(session)[handling["webhookEventId"]]
    stale_at = row.claimed_at + timedelta(seconds=2)  # WEBHOOK_STALE_SECONDS
    time.sleep(max(0.0, (stale_at - utcnow()).total_seconds()) + 0.2)
    following = chat.text_event(officer, "ช่วยเหลือ")
    assert gunicorn.post([following])[0] == 200
    done = _wait_status(session, following["webhookEventId"], EventStatus.DONE.value)
    # The interrupted event first, then the new one (by reply, or by push if LINE was slow).
    assert _rows(session)[handling["webhookEventId"]].handled_at <= done.handled_at
    assert gunicorn.post(_redelivered([handling]))[0] == 200  # and only once
    assert _answers(line, [handling, following]) == {officer: 2}
    row = _rows(session)[handling["webhookEventId"]]
    assert (row.status, row.attempts) == (EventStatus.DONE.value, 2)

    # 3. The same, finished by the clock's sweeper when the officer says nothing more.
    line.delay_next(1, seconds=10, path="/v2/bot/chat/loading/start")
    swept = chat.text_event(officer, "กราฟคะแนน")
    _kill_during(gunicorn, session, swept, EventStatus.PROCESSING.value)
    with time_machine.travel(utcnow() + timedelta(minutes=5), tick=True):
        outcomes = sweep_stale_events(services)
    assert [(o.event_id, o.status) for o in outcomes] == [(swept["webhookEventId"], "done")]
    assert gunicorn.post(_redelivered([swept]))[0] == 200
    assert _answers(line, [swept]) == {officer: 1}  # a push: the reply token was long gone
    assert {r.status for r in _rows(session).values()} == {EventStatus.DONE.value}


@pytest.mark.slow
def test_a_worker_stopped_gracefully_finishes_the_events_it_accepted(gunicorn, line, session):
    gunicorn.worker()
    line.delay_next(3, seconds=1, path="/v2/bot/message/reply")  # the answers are still going out
    events = [Chat(None, line, CHANNEL_SECRET).text_event(f"U-term-{i}", "ช่วยเหลือ") for i in range(3)]
    for event in events:
        assert gunicorn.post([event])[0] == 200
    gunicorn.stop()  # SIGTERM to the master, as a deploy or a scale-down does
    assert gunicorn.proc.returncode == 0
    assert {r.status for r in _rows(session).values()} == {EventStatus.DONE.value}
    assert _answers(line, events) == {f"U-term-{i}": 1 for i in range(3)}


# -- LINE slow or failing --------------------------------------------------------------------------

def test_reply_slower_than_the_timeout_falls_back_to_push(chat, line, session, caplog):
    line.delay_next(1, seconds=1.5, path="/v2/bot/message/reply")
    event = chat.text_event("U-slow", "ช่วยเหลือ")
    with caplog.at_level("WARNING"):
        sent = chat.post([event])
    assert sent.status == 200
    assert sent.kinds == ["push"]
    assert "falling back to push" in caplog.text
    assert _rows(session)[event["webhookEventId"]].status == EventStatus.DONE.value
    # LINE still completes the reply it received after the bot gave up on it: the answer
    # may arrive twice, but never zero times.
    assert line.wait_for(lambda fake: len(fake.replies()) == 1, timeout=5)
    assert len(line.pushes()) == 1


def test_reply_500_falls_back_to_push_and_a_failed_push_is_retried_with_the_same_key(chat, line, caplog):
    line.fail_next(1, status=500, path="/v2/bot/message/reply")
    line.fail_next(1, status=500, path="/v2/bot/message/push")
    with caplog.at_level("WARNING"):
        sent = chat.text("U-500", "ช่วยเหลือ")
    assert sent.status == 200
    assert sent.kinds == ["push"]
    assert "falling back to push" in caplog.text
    calls = [(c.path.rsplit("/", 1)[-1], c.status) for c in line.calls if "/message/" in c.path]
    assert calls == [("reply", 500), ("push", 500), ("push", 200)]
    keys = {c.retry_key for c in line.calls if c.path.endswith("/push")}
    assert len(keys) == 1 and None not in keys


def test_push_slower_than_the_timeout_is_retried_with_the_same_key_and_delivered_once(chat, line):
    line.fail_next(1, status=500, path="/v2/bot/message/reply")
    line.delay_next(1, seconds=1.5, path="/v2/bot/message/push")
    sent = chat.text("U-slow-push", "ช่วยเหลือ")
    assert sent.status == 200
    # The first push timed out at the bot but reaches LINE late; the retry carries the same
    # key, so whichever arrives second is refused with 409 and the user sees one message.
    assert line.wait_for(lambda fake: len([c for c in fake.calls if c.path.endswith("/push")]) == 2, timeout=5)
    pushes = [c for c in line.calls if c.path.endswith("/push")]
    assert sorted(c.status for c in pushes) == [200, 409]
    assert len({c.retry_key for c in pushes}) == 1
    assert len(line.messages_to("U-slow-push")) == 1


# -- no chat waits on the clock: the worker recovers its own leftovers (issue #20) ----------------------

def _cut_every_connection(db_url: str) -> int:
    """pg_terminate_backend on every other connection to the test database; how many were cut."""
    import psycopg

    database = urlsplit(db_url).path.lstrip("/")
    with psycopg.connect(db_url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
        return conn.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                            "WHERE datname = %s AND pid <> pg_backend_pid()", (database,)).fetchone()[0]


def test_a_mark_lost_with_its_connection_is_written_on_a_fresh_one(chat, line, session, db_url):
    """The event's connection is cut while its answer is on its way: the chat must not wait for recovery."""
    user = "U-cut-mark"
    first, second = chat.text_event(user, "ช่วยเหลือ"), chat.text_event(user, "ช่วยเหลือ")
    line.delay_next(1, seconds=0.4, path="/v2/bot/message/reply")  # under line_read_timeout
    cut: list[int] = []

    def cut_while_answering() -> None:
        _wait_status(session, first["webhookEventId"], EventStatus.ANSWERING.value)
        cut.append(_cut_every_connection(db_url))

    cutter = threading.Thread(target=cut_while_answering)
    cutter.start()
    assert chat.post([first]).kinds == ["reply"]
    cutter.join(timeout=20)
    assert cut and cut[0] >= 1  # the handler's own connection among them
    assert _rows(session)[first["webhookEventId"]].status == EventStatus.DONE.value  # no sweeper, no wait
    assert chat.post([second]).kinds == ["reply"]  # the chat's next step is not held up


STALE = 3  # WEBHOOK_STALE_SECONDS for the burst tests: a dead holder's claim is taken back after 3 s


@pytest.fixture
def web_and_worker(db_url, line, tmp_path):
    """The Procfile's web and worker, and no clock."""
    web = Gunicorn(db_url, line, tmp_path, EVENT_HANDLERS="worker", WEBHOOK_STALE_SECONDS=str(STALE),
                   WEB_THREADS="4")
    env = {**web.env, "WORKER_NICE": "0", "HANDLER_THREADS": "4"}
    workers = [Worker(env, tmp_path / "worker.log")]

    def restart() -> None:
        workers.append(Worker(env, tmp_path / "worker.log"))
        workers[-1].wait_started()

    web.worker()
    workers[0].wait_started()
    yield web, workers, restart
    for worker in workers:
        worker.stop()
    web.stop()


def _burst(web: Gunicorn, events_by_round: list[list[dict]], during=None) -> float:
    """POST each round as one batch, as LINE would: a batch not answered 200 is sent again, marked redelivered.

    ``during(round_number)`` runs before each round. Returns when the last batch was accepted (monotonic).
    """
    for number, batch in enumerate(events_by_round):
        if during is not None:
            during(number)
        deadline = time.monotonic() + 30
        status, _ = web.post(batch)
        while status != 200:
            assert time.monotonic() < deadline, "LINE's redeliveries were never accepted"
            time.sleep(0.2)
            batch = _redelivered(batch)
            status, _ = web.post(batch)
    return time.monotonic()


def _wait_all_finished(session, ids: list[str], timeout: float) -> dict[str, WebhookEvent]:
    deadline = time.monotonic() + timeout
    while True:
        rows = _rows(session)
        open_ = {i: rows[i].status if i in rows else "missing" for i in ids
                 if i not in rows or rows[i].status not in (EventStatus.DONE.value, EventStatus.FAILED.value)}
        if not open_:
            return rows
        assert time.monotonic() < deadline, f"{len(open_)} event(s) still open: {sorted(set(open_.values()))}"
        time.sleep(0.1)


def _burst_events(line, users: int, steps: int) -> list[list[dict]]:
    chat = Chat(None, line, CHANNEL_SECRET)
    return [[chat.text_event(f"U-burst-{u}", "ช่วยเหลือ") for u in range(users)] for _ in range(steps)]


def _assert_answered_at_most_once_in_order(line, rounds: list[list[dict]]) -> dict[str, tuple[int, int]]:
    """Per user: (answers, notices that an answer may be missing); no answer twice, replies in step order."""
    events = [e for batch in rounds for e in batch]
    user_of_token = {e["replyToken"]: e["source"]["userId"] for e in events}
    replied = [body["replyToken"] for body in line.replies() if body["replyToken"] in user_of_token]
    assert len(replied) == len(set(replied))
    for user in {e["source"]["userId"] for e in events}:
        steps = [e["replyToken"] for e in events if e["source"]["userId"] == user]
        mine = [t for t in replied if t in steps]
        assert mine == sorted(mine, key=steps.index), f"{user}: answers out of order"
    counts = {}
    for user in {e["source"]["userId"] for e in events}:
        pushed = [m.get("text") for m in line.messages_to(user)]
        notices = pushed.count(texts.ANSWER_MAY_BE_MISSING)
        answers = len(pushed) - notices + sum(1 for t in replied if user_of_token[t] == user)
        counts[user] = (answers, notices)
    return counts


@pytest.mark.slow
def test_connections_cut_during_a_burst_web_and_worker_alone_finish_every_event_once(web_and_worker, line,
                                                                                      session, db_url):
    web, workers, _ = web_and_worker
    users, steps = 12, 4
    rounds = _burst_events(line, users, steps)
    cuts: list[int] = []
    stop_cutting = threading.Event()

    def cutter() -> None:  # every connection of every process, cut five times while the burst runs
        for _ in range(5):
            if stop_cutting.wait(0.35):
                return
            cuts.append(_cut_every_connection(db_url))

    line.delay_next(users, seconds=0.3, path="/v2/bot/message/reply")  # answers in flight when the cuts land
    thread = threading.Thread(target=cutter)
    thread.start()
    burst_over = _burst(web, rounds, during=lambda _: time.sleep(0.25))
    thread.join(timeout=30)
    stop_cutting.set()
    assert len(cuts) == 5 and sum(cuts) > 5

    ids = [e["webhookEventId"] for batch in rounds for e in batch]
    rows = _wait_all_finished(session, ids, timeout=60 - (time.monotonic() - burst_over))
    assert {rows[i].status for i in ids} == {EventStatus.DONE.value}
    counts = _assert_answered_at_most_once_in_order(line, rounds)
    # Nobody died: every answer's outcome is known, so each event is answered exactly once, and no notice.
    assert counts == {f"U-burst-{u}": (steps, 0) for u in range(users)}


@pytest.mark.slow
def test_a_worker_killed_mid_burst_and_restarted_finishes_every_event_at_most_once(web_and_worker, line,
                                                                                   session):
    web, workers, restart = web_and_worker
    users, steps = 10, 4
    rounds = _burst_events(line, users, steps)
    line.delay_next(users * steps, seconds=0.4, path="/v2/bot/message/reply")  # answers in flight at the kill

    def kill_halfway(number: int) -> None:
        time.sleep(0.3)
        if number == steps // 2:
            assert _wait_any_answering(session), "nothing was being answered when the worker was killed"
            workers[0].kill()
            restart()

    burst_over = _burst(web, rounds, during=kill_halfway)
    ids = [e["webhookEventId"] for batch in rounds for e in batch]
    rows = _wait_all_finished(session, ids, timeout=60 - (time.monotonic() - burst_over))
    assert {rows[i].status for i in ids} == {EventStatus.DONE.value}
    counts = _assert_answered_at_most_once_in_order(line, rounds)
    for user, (answers, notices) in counts.items():
        # Never answered twice; an answer that may not have gone out is owned up to, never silently lost.
        assert answers <= steps, user
        assert answers + notices >= steps, user
    unknown = [rows[i] for i in ids if rows[i].error and "unknown" in rows[i].error]
    assert sum(n for _, n in counts.values()) == len(unknown)


def _wait_any_answering(session, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(r.status == EventStatus.ANSWERING.value for r in _rows(session).values()):
            return True
        time.sleep(0.02)
    return False
