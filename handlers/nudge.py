"""A supervisor's เตือน: nudge this period's non-responders now, at most once a day."""
from __future__ import annotations

from handlers.registry import Context, Reply, command
from line import texts, views
from models import Role
from outbox.delivery import deliver
from outbox.planning import manual_nudge


@command("เตือน", "nudge", role=Role.SUPERVISOR)
def nudge_command(ctx: Context, args: str) -> Reply:
    """ส่งแจ้งเตือนผู้ที่ยังไม่รายงานในรอบนี้ (วันละครั้ง)"""
    count, already = manual_nudge(ctx.services, ctx.session, organisation_id=ctx.officer.organisation_id,
                                  now=ctx.now)
    if already:
        return [views.text(texts.NUDGE_ALREADY)]
    if not count:
        return [views.text(texts.NUDGE_NOBODY)]
    # The rows are committed with this event; pushing them is bulk work for the task pool.
    ctx.session.info.setdefault("after_commit", []).append(lambda: ctx.services.tasks.submit(deliver, ctx.services))
    return [views.text(texts.NUDGE_SENT.format(count=count))]
