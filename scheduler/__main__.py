"""Run the clock: ``python -m scheduler`` (the Procfile's ``clock``)."""
from __future__ import annotations

import logging
import signal

from apscheduler.schedulers.blocking import BlockingScheduler

from scheduler.clock import build_scheduler

log = logging.getLogger("scheduler")


def main() -> None:
    scheduler: BlockingScheduler = build_scheduler()

    def stop(signum, _frame):
        log.info("stopping on signal %s", signum)
        scheduler.shutdown(wait=False)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log.info("started")
    scheduler.start()


if __name__ == "__main__":
    main()
