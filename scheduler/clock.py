"""The clock's jobs and how often they run.

Jobs reconcile rather than fire-and-forget: each run works out what is due now
and not yet done, so a clock that was down catches up when it returns.
"""
from __future__ import annotations

import logging

from apscheduler.schedulers.blocking import BlockingScheduler

from bot.events import Services, sweep_stale_events
from bot.line_client import LineClient
from bot.settings import Settings
from models import make_engine

log = logging.getLogger("scheduler")


def build_services(settings: Settings | None = None) -> Services:
    settings = settings or Settings.from_env()
    engine = make_engine(settings.database_url)
    return Services(settings=settings, engine=engine, line=LineClient(settings))


def sweep_job(services: Services) -> None:
    """Finish webhook events a web worker stored but did not handle."""
    outcomes = sweep_stale_events(services)
    if outcomes:
        log.info("clock: swept %d stale webhook event(s)", len(outcomes))


def build_scheduler(services: Services | None = None) -> BlockingScheduler:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    services = services or build_services()
    import handlers.all  # noqa: F401  (the sweeper routes events like the web does)

    scheduler = BlockingScheduler(timezone=services.settings.tz)
    scheduler.add_job(sweep_job, "interval", minutes=2, args=[services], id="sweep",
                      max_instances=1, coalesce=True)
    log.info("clock: jobs scheduled in %s", services.settings.bot_timezone)
    return scheduler
