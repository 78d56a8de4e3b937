"""The per-chat queue: handler threads take each chat's stored webhook events one at a time.

See docs/architecture.md ("The inbox") for how the queue, the claim in the
database and the sweeper together keep each chat's events in order.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

log = logging.getLogger(__name__)


class ChatQueue:
    """Hands stored webhook events to handler threads, one chat at a time.

    ``submit(key)`` asks for the chat's stored events to be handled. ``handle_next``
    (inbox.dispatch.handle_next) claims the chat's oldest open event from the
    database and handles it, returning None when there is none; a thread calls
    it until the chat is empty. A chat already in hand in this process gets no
    second thread: its thread is asked to look once more, so an event stored
    while the last claim ran is never left behind. Across processes the claim
    in the database keeps the order. Whatever is left when a process dies stays
    stored: the worker's recovery (inbox.worker), or the clock's sweeper, finishes it.
    """

    def __init__(self, handle_next: Callable[[str], Any], workers: int = 4) -> None:
        self._handle_next = handle_next
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="tidtam-handler")
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._active: dict[str, bool] = {}  # chat key -> another look requested
        self._stopping = threading.Event()

    def submit(self, key: str) -> None:
        with self._lock:
            if key in self._active:
                self._active[key] = True
                return
            self._active[key] = False
        try:
            self._pool.submit(self._run, key)
        except RuntimeError:  # shutting down: the events stay stored and recovery handles them
            with self._lock:
                self._forget(key)
            log.warning("handler pool is shutting down; a stored event is left to recovery")

    def _run(self, key: str) -> None:
        while True:
            try:
                while not self._stopping.is_set() and self._handle_next(key) is not None:
                    pass
            except Exception:
                # The events stay stored (received, processing or answering): recovery finishes them.
                log.exception("handler: a chat's events could not be handled; left to recovery")
            with self._lock:
                if self._active.get(key) and not self._stopping.is_set():
                    self._active[key] = False
                    continue
                self._forget(key)
                return

    def _forget(self, key: str) -> None:
        self._active.pop(key, None)
        if not self._active:
            self._idle.notify_all()

    def wait_idle(self, timeout: float | None = 10.0) -> bool:
        """Block until every submitted chat is empty (``None``: however long); False on timeout."""
        with self._idle:
            return self._idle.wait_for(lambda: not self._active, timeout=timeout)

    def shutdown(self, timeout: float | None = None) -> bool:
        """Finish what was submitted within ``timeout``, then stop after the events in hand."""
        drained = self.wait_idle(timeout)
        self._stopping.set()
        self._pool.shutdown(wait=True, cancel_futures=True)
        return drained
