"""The clock's jobs and how often they run.

Jobs reconcile rather than fire-and-forget: each run works out what is due now
and not yet done, so a clock that was down catches up when it returns.
"""
from __future__ import annotations

import logging
from datetime import datetime

from apscheduler.schedulers.blocking import BlockingScheduler

import handlers.all  # noqa: F401  (the sweeper routes events like the worker does)
from core.logs import configure_logging
from core.retention import remove_expired
from core.services import Services, build_services
from inbox.sweeper import sweep_stale_events
from outbox.delivery import deliver
from outbox.lock import clock_lock
from outbox.planning import reconcile

log = logging.getLogger("scheduler")


def sweep_job(services: Services) -> None:
    """Finish webhook events a web worker stored but did not handle."""
    outcomes = sweep_stale_events(services)
    if outcomes:
        log.info("swept %d stale webhook event(s)", len(outcomes))


def tick(services: Services) -> None:
    """Reconcile and deliver, unless another clock holds the lock."""
    with clock_lock(services.engine) as got:
        if not got:
            log.info("another clock holds the lock; skipping this tick")
            return
        planned = reconcile(services)
        if any(planned.enqueued.values()):
            log.info("enqueued %s", planned.enqueued)
        result = deliver(services)
        if result.delivered or result.dead or result.expired or result.held:
            log.info("delivered %d, retried %d, dead %d, expired %d, held %d", result.delivered,
                     result.retried, result.dead, result.expired, result.held)


def retention_job(services: Services) -> None:
    """Remove finished webhook events past their retention, expired chat state and expired files, daily."""
    with clock_lock(services.engine) as got:
        if not got:
            return  # the clock that holds the lock does it
        removed = remove_expired(services.engine, services.settings)
    log.info("retention: removed %s", removed)


def build_scheduler(services: Services | None = None) -> BlockingScheduler:
    configure_logging()
    services = services or build_services()

    scheduler = BlockingScheduler(timezone=services.settings.tz)
    scheduler.add_job(sweep_job, "interval", minutes=2, args=[services], id="sweep",
                      max_instances=1, coalesce=True)
    # Reconcile-and-deliver runs often and is cheap when nothing is due; a tick
    # that overruns is skipped rather than stacked.
    scheduler.add_job(tick, "interval", minutes=1, args=[services], id="tick", max_instances=1, coalesce=True,
                      next_run_time=datetime.now(services.settings.tz))
    # At night, local time: nobody is reporting, and the deletes take no lock for long anyway.
    scheduler.add_job(retention_job, "cron", hour=3, minute=30, args=[services], id="retention",
                      max_instances=1, coalesce=True)
    log.info("jobs scheduled in %s", services.settings.bot_timezone)
    return scheduler
