"""Group chats: a supervisor sets a group up to receive summaries (counts only)."""
from __future__ import annotations

from handlers.registry import Context, Reply, command
from line import texts, views
from models import ChatGroup, Role


@command("ตั้งกลุ่มรายงาน", "setup group", role=None, group_ok=True)
def set_up_group(ctx: Context, args: str) -> Reply:
    """ตั้งกลุ่มนี้ให้ดูสรุปความคืบหน้าได้ (ผู้บังคับบัญชา)"""
    if not ctx.in_group or not ctx.group_id:
        return [views.text(texts.GROUP_SETUP_IN_GROUP)]
    if not ctx.has_role(Role.SUPERVISOR):
        return [views.text(texts.SUPERVISOR_ONLY)]
    group = ctx.session.get(ChatGroup, ctx.group_id)
    if group is None:
        group = ChatGroup(group_id=ctx.group_id, organisation_id=ctx.officer.organisation_id,
                          set_up_by_officer_id=ctx.officer.id)
        ctx.session.add(group)
    return [views.text(texts.GROUP_SET_UP)]


def group_allows_summaries(ctx: Context) -> bool:
    """A group may see summaries once a supervisor of an organisation set it up."""
    return group_organisation(ctx) is not None


def group_organisation(ctx: Context) -> int | None:
    if not ctx.group_id:
        return None
    group = ctx.session.get(ChatGroup, ctx.group_id)
    return group.organisation_id if group else None
