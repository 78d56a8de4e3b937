"""Work that must not hold up the caller: reports, charts, rich-menu links, a manual nudge's sends.

Each process has one small thread pool. A task builds its own database
session from the services it is given; failures are logged, never raised into
a request.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

log = logging.getLogger(__name__)


class TaskRunner:
    def __init__(self, workers: int = 2) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="tidtam-task")

    def submit(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Future:
        """Run ``func`` soon, off the request thread; the future is returned for tests."""
        def run():
            try:
                return func(*args, **kwargs)
            except Exception:
                log.exception("task %s failed", getattr(func, "__name__", func))
                raise

        return self._pool.submit(run)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True)
