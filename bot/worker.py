"""The worker process, ``python -m bot.worker`` (the Procfile's ``worker``).

With ``EVENT_HANDLERS=worker`` the web process only stores webhook events and
answers LINE; this process handles them with the same handler threads
(inbox.queue over inbox.dispatch), so each chat's events are handled one at a
time, oldest first, and several workers can run side by side (inbox.worker).
It also recovers what a dead or disconnected holder left (stale claims, on
start and every few seconds; inbox.worker), so a web and a worker finish every
event without the clock. It lowers its own CPU priority (WORKER_NICE) so
that, on a machine it shares with the web process, answering LINE comes first.

SIGTERM or Ctrl-C: stop taking new chats, finish the events in hand (up to
STOP_SECONDS), exit 0. Whatever is left stays stored for the next worker.
"""
from __future__ import annotations

import logging
import signal
import sys
import threading
from functools import partial

import handlers.all  # noqa: F401  (registers the commands the handlers route to)
from core.logs import configure_logging
from core.services import build_services
from core.settings import SettingsError
from inbox.dispatch import handle_next
from inbox.queue import ChatQueue
from inbox.worker import lower_priority, run

log = logging.getLogger("worker")

STOP_SECONDS = 15.0  # within gunicorn's and most platforms' grace period


def main() -> None:
    configure_logging()
    try:
        services = build_services()
    except SettingsError as exc:
        print(f"tidtam worker: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    settings = services.settings
    services.chats = ChatQueue(partial(handle_next, services), workers=settings.handler_threads)
    if settings.worker_nice:
        lower_priority(settings.worker_nice)
    stop = threading.Event()

    def on_signal(signum, _frame):
        log.info("stopping on signal %s", signum)
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    log.info("handling webhook events with %d thread(s), nice %d", settings.handler_threads,
             settings.worker_nice)
    run(services, stop)
    if not services.chats.shutdown(timeout=STOP_SECONDS):
        log.warning("stopped with events still in hand; the next worker's recovery finishes them")
    services.tasks.shutdown()
    services.engine.dispose()
    log.info("stopped")


if __name__ == "__main__":
    main()
