"""What is kept, and for how long: the clock removes what no longer serves anyone.

Personal data is kept no longer than its purpose needs (PDPA; the table in
docs/operations/data-safety.md):

- **webhook events**: the raw messages LINE sent, kept to deduplicate
  redeliveries and to diagnose failures. A finished one (done, failed,
  skipped) is removed WEBHOOK_RETENTION_DAYS after it arrived (90 by
  default; 0 keeps them all). An event still to be handled is never removed.
- **chat state**: a conversation nobody finished, a day after it expired
  (the router drops an expired one when its user writes again; this removes
  those whose user never did).
- **generated files** (charts, the year's report): once the signed link to
  them can no longer be opened (core.links.LINK_MAX_AGE), plus an hour.

Rows go in batches, so a province's first clean-up never holds a long lock.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from core.links import LINK_MAX_AGE, generated_dir
from core.settings import Settings
from models import Conversation, EventStatus, WebhookEvent, utcnow

log = logging.getLogger(__name__)

BATCH = 5000
CONVERSATION_GRACE = timedelta(days=1)
FILE_GRACE_SECONDS = 3600
_FINISHED = (EventStatus.DONE.value, EventStatus.FAILED.value, EventStatus.SKIPPED.value)


@dataclass(frozen=True)
class Removed:
    webhook_events: int
    conversations: int
    files: int

    def __str__(self) -> str:
        return (f"{self.webhook_events} webhook event(s), {self.conversations} expired conversation(s), "
                f"{self.files} generated file(s)")


def remove_expired(engine: Engine, settings: Settings, *, now: datetime | None = None,
                   batch: int = BATCH) -> Removed:
    """Remove what has outlived its use (see the module's docstring); what was removed."""
    now = now or utcnow()
    events = 0
    if settings.webhook_retention_days > 0:
        events = _remove_finished_events(engine, now - timedelta(days=settings.webhook_retention_days), batch)
    with engine.begin() as conn:
        conversations = conn.execute(sa.delete(Conversation).where(
            Conversation.expires_at < now - CONVERSATION_GRACE)).rowcount
    files = _remove_expired_files(settings, now.timestamp())
    return Removed(events, conversations, files)


def _remove_finished_events(engine: Engine, before: datetime, batch: int) -> int:
    table = WebhookEvent.__table__
    oldest = (sa.select(table.c.id)
              .where(table.c.status.in_(_FINISHED), table.c.received_at < before)
              .order_by(table.c.id).limit(batch))
    removed = 0
    while True:
        with engine.begin() as conn:  # a transaction per batch: no long lock on the inbox
            count = conn.execute(sa.delete(table).where(table.c.id.in_(oldest.scalar_subquery()))).rowcount
        removed += count
        if count < batch:
            return removed


def _remove_expired_files(settings: Settings, now: float) -> int:
    """Generated files older than their links' life; a file that vanishes meanwhile is not counted."""
    cutoff = now - LINK_MAX_AGE - FILE_GRACE_SECONDS
    removed = 0
    for path in generated_dir(settings).iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            continue
    return removed

