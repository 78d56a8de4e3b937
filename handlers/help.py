"""Help: the commands this user may use, in full or as a short hint."""
from __future__ import annotations

from handlers.registry import Context, Reply, command, commands
from line import texts, views

SHORT_HELP_SIZE = 5


def _available(ctx: Context):
    for cmd in commands():
        if ctx.in_group and not cmd.group_ok:
            continue
        if cmd.role is None or ctx.has_role(cmd.role):
            yield cmd


@command("ช่วยเหลือ", "วิธีใช้", "help", role=None, group_ok=True)
def help_command(ctx: Context, args: str) -> Reply:
    """แสดงคำสั่งทั้งหมดที่ท่านใช้ได้"""
    lines = [texts.HELP_HEAD]
    lines += [texts.HELP_LINE.format(usage=cmd.usage, help=cmd.help) for cmd in _available(ctx)]
    if ctx.in_group:
        lines.append(texts.HELP_GROUP)
    if ctx.officer is None and not ctx.in_group:
        lines.append(texts.HOW_TO_REGISTER)
    return [views.text("\n".join(lines))]


def short_help(ctx: Context) -> Reply:
    """A short hint after a message the bot did not understand."""
    lines = [texts.HELP_SHORT_HEAD]
    available = [cmd for cmd in _available(ctx) if cmd.func is not help_command]
    lines += [texts.HELP_LINE.format(usage=cmd.usage, help=cmd.help) for cmd in available[:SHORT_HELP_SIZE]]
    lines.append(texts.HELP_MORE)
    return [views.text("\n".join(lines))]


def group_help(ctx: Context) -> Reply:
    return help_command(ctx, "")
