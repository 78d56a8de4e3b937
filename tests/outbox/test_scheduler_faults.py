"""Fault tests for delivery on PostgreSQL: a clock killed mid-send, and a flaky LINE.

Every officer must end with exactly one reminder for the period, nothing lost.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from models import OutboxMessage
from models.schedule import OutboxStatus
from outbox.delivery import deliver
from outbox.planning import reconcile
from tests.conftest import ACCESS_TOKEN, CHANNEL_SECRET, _truncate_all
from tests.factories import make_world

ROOT = Path(__file__).resolve().parents[2]
OFFICERS = 300


@pytest.fixture
def db_url(pg_database):
    """These tests run on PostgreSQL only (a real server, a real second process)."""
    _truncate_all(pg_database)
    return pg_database


def _crowd(session, count=OFFICERS):
    officers = [(f"เจ้าหน้าที่ {i:03d}", "กองคลัง", "officer") for i in range(count)]
    return make_world(session, officers=officers, measures=[("1", "เปิดเผยข้อมูลการจัดซื้อจัดจ้าง", "กองคลัง")])


def _accepted_per_user(line) -> dict[str, int]:
    counts: dict[str, int] = {}
    for call in line.pushes():
        counts[call.json["to"]] = counts.get(call.json["to"], 0) + 1
    return counts


def _clock_env(db_url: str, line, **extra) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LINE_", "DATABASE_URL"))}
    env.update({
        "TIDTAM_ENV": "test", "DATABASE_URL": db_url, "LINE_CHANNEL_SECRET": CHANNEL_SECRET,
        "LINE_CHANNEL_ACCESS_TOKEN": ACCESS_TOKEN, "LINE_API_BASE_URL": line.url,
        "LINE_DATA_API_BASE_URL": line.url, "PUBLIC_BASE_URL": "https://tidtam.example",
        "PYTHONPATH": str(ROOT), **extra,
    })
    return env


def _send_process(env) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "bot", "send-reminders"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


@pytest.mark.slow
def test_clock_killed_mid_send_then_restarted_sends_exactly_once(session, db_url, line):
    world = _crowd(session)
    # Slow LINE down so the kill lands in the middle of the fan-out.
    line.delay_next(OFFICERS, seconds=0.03, path="/v2/bot/message/push")
    first = _send_process(_clock_env(db_url, line))
    assert line.wait_for(lambda fake: len(fake.pushes()) >= 60, timeout=60), "no pushes before the kill"
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    sent_before = len(line.pushes())
    assert sent_before < OFFICERS, "the kill came too late to test anything"
    session.expire_all()
    statuses = {r.status for r in session.exec(select(OutboxMessage)).all()}
    assert OutboxStatus.SENDING.value in statuses or OutboxStatus.PENDING.value in statuses

    # The restarted clock reclaims rows the dead one had claimed (stale at once here) and
    # sends them again with the same retry keys: LINE answers 409 for those it had accepted.
    second = _send_process(_clock_env(db_url, line, OUTBOX_STALE_SECONDS="0"))
    output, _ = second.communicate(timeout=120)
    assert second.returncode == 0, output

    per_user = _accepted_per_user(line)
    linked = {o.line_user_id for o in world.officers.values()}
    assert set(per_user) == linked
    assert set(per_user.values()) == {1}
    session.expire_all()
    rows = session.exec(select(OutboxMessage)).all()
    assert len(rows) == OFFICERS and {r.status for r in rows} == {OutboxStatus.DELIVERED.value}


def test_thirty_percent_failures_still_exactly_once(session, services, line):
    import time_machine

    from models import utcnow

    world = _crowd(session, 200)
    line.fail_randomly(0.3, statuses=(500, 429), path="/v2/bot/message/push", seed=7)
    start = utcnow()
    with time_machine.travel(start, tick=False) as traveller:
        reconcile(services, force_reminders=True)
        for _ in range(30):
            result = deliver(services)
            pending = session.exec(select(OutboxMessage).where(
                OutboxMessage.status != OutboxStatus.DELIVERED.value)).all()
            session.expire_all()
            if not pending:
                break
            assert result.retried or result.delivered
            traveller.shift(timedelta(minutes=31))  # past the longest backoff
    failures = [c for c in line.calls if c.path.endswith("/push") and c.status in (500, 429)]
    assert failures, "the fake should have failed some pushes"
    per_user = _accepted_per_user(line)
    assert set(per_user) == {o.line_user_id for o in world.officers.values()}
    assert set(per_user.values()) == {1}
    # Every retry of a message used that message's own key.
    rows = {r.recipient: r.retry_key for r in session.exec(select(OutboxMessage)).all()}
    for call in line.calls:
        if call.path.endswith("/push"):
            assert call.retry_key == rows[call.json["to"]]
