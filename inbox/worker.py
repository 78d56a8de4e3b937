"""The worker's loop: learn of stored events and hand each chat to the handler threads.

It learns of new events by LISTEN on PostgreSQL (inbox.store sends NOTIFY)
and by looking every POLL_SECONDS on SQLite, and looks for anything left over
(a missed notice, events stored while it was down) every SCAN_SECONDS.
"""
from __future__ import annotations

import logging
import os
import threading
import time

import psycopg
from sqlalchemy.exc import SQLAlchemyError

from core.services import Services
from inbox.claims import chats_waiting
from inbox.store import NOTIFY_CHANNEL

log = logging.getLogger("worker")

POLL_SECONDS = 0.2  # SQLite has no notifications: how often to look for new events
SCAN_SECONDS = 5.0  # PostgreSQL: how often to look for events no notice announced


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
    next_scan = 0.0
    try:
        while not stop.is_set():
            if time.monotonic() >= next_scan:
                try:
                    for key in chats_waiting(services.engine):
                        chats.submit(key)
                except SQLAlchemyError as exc:
                    log.warning("database unavailable (%s); trying again shortly", type(exc).__name__)
                next_scan = time.monotonic() + (SCAN_SECONDS if listener else POLL_SECONDS)
            if listener is None:
                stop.wait(max(0.0, next_scan - time.monotonic()))
                continue
            keys = listener.wait(timeout=max(0.05, min(1.0, next_scan - time.monotonic())))
            if keys is None:  # the database went away: scan (and reconnect) after a pause
                stop.wait(1.0)
                next_scan = 0.0
                continue
            for key in keys:
                chats.submit(key)
    finally:
        if listener is not None:
            listener.close()
