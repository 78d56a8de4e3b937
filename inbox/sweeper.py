"""The clock's second line: finish the chats whose stored events no handler finished.

The worker recovers its own leftovers (inbox.worker: stale claims, on start
and every RECOVER_SECONDS), so this matters only when no worker runs or one
cannot keep up. It uses the same recovery as the worker: chats_to_recover
finds the chats, and each is drained in order with the claims the handlers
use (inbox.dispatch settles a stale event: handled again, given up after
MAX_ATTEMPTS, or an answer of unknown outcome closed without a second copy),
so an event is never handled twice even if a handler is still at it. Answers
go by push, the reply tokens being gone.
"""
from __future__ import annotations

from datetime import timedelta

from core.services import Services
from inbox.claims import chats_to_recover
from inbox.dispatch import Outcome, drain_chat
from models import utcnow


def sweep_stale_events(services: Services, *, older_than: timedelta = timedelta(minutes=2),
                       limit: int = 200) -> list[Outcome]:
    """Finish what the handlers left: stale claims, stuck answers and events nobody took."""
    now = utcnow()
    stale_before = now - timedelta(seconds=services.settings.webhook_stale_seconds)
    keys = chats_to_recover(services.engine, stale_before=stale_before, waiting_before=now - older_than, limit=limit)
    outcomes: list[Outcome] = []
    for key in keys:
        outcomes.extend(drain_chat(services, key))
    return outcomes
