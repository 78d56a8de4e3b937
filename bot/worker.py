"""The worker process, ``python -m bot.worker`` (the Procfile's ``worker``).

With ``EVENT_HANDLERS=worker`` the web process only stores webhook events and
answers LINE; this process handles them. It runs the same handler threads as
the web process would (bot.tasks.ChatQueue over bot.events.handle_next), so
each chat's events are handled one at a time, oldest first, and several
workers can run side by side. It learns of new events by LISTEN on
PostgreSQL and by looking every POLL_SECONDS on SQLite, and looks for
anything left over (a missed notice, events stored while it was down) every
SCAN_SECONDS. It lowers its own CPU priority (WORKER_NICE) so that, on a
machine it shares with the web process, answering LINE comes first.

SIGTERM or Ctrl-C: stop taking new chats, finish the events in hand (up to
STOP_SECONDS), exit 0. Whatever is left stays stored for the next worker.
"""
from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import time
from functools import partial

from sqlalchemy.exc import SQLAlchemyError

from bot.events import Services, build_services, chats_waiting, handle_next
from bot.intake import NOTIFY_CHANNEL
from bot.settings import SettingsError
from bot.tasks import ChatQueue

log = logging.getLogger("worker")

POLL_SECONDS = 0.2  # SQLite has no notifications: how often to look for new events
SCAN_SECONDS = 5.0  # PostgreSQL: how often to look for events no notice announced
STOP_SECONDS = 15.0  # within gunicorn's and most platforms' grace period


class Listener:
    """Chat keys announced on NOTIFY_CHANNEL (PostgreSQL), over a connection of its own."""

    def __init__(self, database_url: str) -> None:
        self._url = database_url.replace("postgresql+psycopg://", "postgresql://")
        self._conn = None

    def _connect(self):
        import psycopg

        conn = psycopg.connect(self._url, autocommit=True, connect_timeout=5)
        conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
        return conn

    def wait(self, timeout: float) -> set[str] | None:
        """Keys announced within ``timeout`` seconds; None when the database cannot be reached."""
        import psycopg

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
                    log.warning("worker: database unavailable (%s); trying again shortly", type(exc).__name__)
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


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        services = build_services()
    except SettingsError as exc:
        print(f"tidtam worker: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    import handlers.all  # noqa: F401  (registers the commands the handlers route to)

    settings = services.settings
    services.chats = ChatQueue(partial(handle_next, services), workers=settings.handler_threads)
    if settings.worker_nice:
        lower_priority(settings.worker_nice)
    stop = threading.Event()

    def on_signal(signum, _frame):
        log.info("worker: stopping on signal %s", signum)
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    log.info("worker: handling webhook events with %d thread(s), nice %d", settings.handler_threads,
             settings.worker_nice)
    run(services, stop)
    if not services.chats.shutdown(timeout=STOP_SECONDS):
        log.warning("worker: stopped with events still in hand; the next worker or the sweeper finishes them")
    services.tasks.shutdown()
    services.engine.dispose()
    log.info("worker: stopped")


if __name__ == "__main__":
    main()
