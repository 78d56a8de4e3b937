"""The worker's loop: learn of stored events and hand each chat to the handler threads.

It learns of new events by LISTEN on PostgreSQL (inbox.store sends NOTIFY)
and by looking every POLL_SECONDS on SQLite, and looks for anything left over
(a missed notice, events stored while it was down) every SCAN_SECONDS.

Recovery is its own job too, so that a web and a worker alone (no clock)
finish every event after a fault: on start and every RECOVER_SECONDS it asks
for the chats held by a stale claim (inbox.claims.chats_to_recover: an event
whose holder died, or lost the database, while handling or answering it) and
hands them to the same handler threads, where claim_next takes the event back
under the same per-chat claim and inbox.dispatch settles it. An event is
therefore finished at most WEBHOOK_STALE_SECONDS + RECOVER_SECONDS after its
holder stopped. The clock's sweeper (inbox.sweeper) runs the same recovery as
a second line.
"""
from __future__ import annotations

import logging
import os
import threading
import time
from datetime import timedelta

import psycopg
from sqlalchemy.exc import SQLAlchemyError

from core.services import Services
from inbox.claims import chats_to_recover, chats_waiting
from inbox.store import NOTIFY_CHANNEL
from models import utcnow

log = logging.getLogger("worker")

POLL_SECONDS = 0.2  # SQLite has no notifications: how often to look for new events
SCAN_SECONDS = 5.0  # PostgreSQL: how often to look for events no notice announced
RECOVER_SECONDS = 5.0  # how often to look for stale claims (and once on start)


class Listener:
    """Chat keys announced on NOTIFY_CHANNEL (PostgreSQL), over a connection of its own."""

    def __init__(self, database_url: str) -> None:
        self._url = database_url.replace("postgresql+psycopg://", "postgresql://")
        self._conn: psycopg.Connection | None = None

    def _connect(self) -> psycopg.Connection:
        conn = psycopg.connect(self._url, autocommit=True, connect_timeout=5)
        conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
        return conn

    def wait(self, timeout: float) -> set[str] | None:
        """Keys announced within ``timeout`` seconds; None when the database cannot be reached."""
        try:
            if self._conn is None or self._conn.closed:
                self._conn = self._connect()
            keys = set()
            for notice in self._conn.notifies(timeout=timeout, stop_after=1):
                keys.add(notice.payload)
            # Collect whatever else has already arrived without waiting again.
            for notice in self._conn.notifies(timeout=0.001):
                keys.add(notice.payload)
            return keys
        except psycopg.Error:
            self.close()
            return None

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except Exception:  # already broken: nothing more to release
                pass
            self._conn = None


def lower_priority(nice: int) -> None:
    """Yield the CPU to the web process: nice, and on Linux an autogroup of our own, niced too.

    With autogrouping (the kernel's default on many systems) the CPU is first
    shared between sessions, and a process's nice value only counts inside its
    own session; a session of its own, niced as a whole, makes the priority real.
    """
    try:
        os.setsid()
    except OSError:  # already a session or group leader (a supervisor started us so)
        pass
    try:
        with open("/proc/self/autogroup", "w") as autogroup:
            autogroup.write(str(nice))
    except OSError:  # not Linux, or autogrouping is off
        pass
    os.nice(nice)


def run(services: Services, stop: threading.Event) -> None:
    """Hand stored events to the handler threads until ``stop`` is set."""
    chats = services.chats
    listener = Listener(services.settings.database_url) if services.engine.dialect.name == "postgresql" else None
    stale = timedelta(seconds=services.settings.webhook_stale_seconds)
    next_scan = next_recovery = 0.0
    try:
        while not stop.is_set():
            if time.monotonic() >= next_recovery:
                try:
                    for key in chats_to_recover(services.engine, stale_before=utcnow() - stale):
                        chats.submit(key)
                except SQLAlchemyError as exc:
                    log.warning("database unavailable for recovery (%s); trying again shortly", type(exc).__name__)
                next_recovery = time.monotonic() + RECOVER_SECONDS
            if time.monotonic() >= next_scan:
                try:
                    for key in chats_waiting(services.engine):
                        chats.submit(key)
                except SQLAlchemyError as exc:
                    log.warning("database unavailable (%s); trying again shortly", type(exc).__name__)
                next_scan = time.monotonic() + (SCAN_SECONDS if listener else POLL_SECONDS)
            wake_at = min(next_scan, next_recovery)
            if listener is None:
                stop.wait(max(0.0, wake_at - time.monotonic()))
                continue
            keys = listener.wait(timeout=max(0.05, min(1.0, wake_at - time.monotonic())))
            if keys is None:  # the database went away: scan (and reconnect) after a pause
                stop.wait(1.0)
                next_scan = 0.0
                continue
            for key in keys:
                chats.submit(key)
    finally:
        if listener is not None:
            listener.close()
