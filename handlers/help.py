"""Help: what this person can do now, grouped and most used first; greetings answered with buttons.

A registered officer sees reporting first; a supervisor sees following up
first. Commands the person cannot use here (a supervisor's, registration once
registered, group set-up for officers) are never listed.
"""
from __future__ import annotations

import re

from handlers.registry import Command, Context, Reply, command, commands
from ita.thai import polite_name
from line import texts, views
from models import Role

SHORT_HELP_SIZE = 5
# (section title, the commands' first words, most used first)
REPORTING = (texts.HELP_SECTION_REPORTING, ("รายงาน", "งานของฉัน", "ประวัติ"))
FOLLOWING = (texts.HELP_SECTION_FOLLOWING, ("สรุป", "ค้างส่ง", "เตือน", "สรุปปี", "กราฟ", "มาตรการ", "รายงานแทน",
                                            "รายงานประจำปี", "ตั้งกลุ่มรายงาน"))
SCORES = (texts.HELP_SECTION_SCORES, ("คะแนน", "มาตรการของตัวชี้วัด", "กราฟคะแนน"))
STARTING = (texts.HELP_SECTION_START, ("ลงทะเบียน",))
# Role → the buttons a greeting offers, most likely first (label, text typed).
GREETING_BUTTONS = {
    Role.OFFICER: ("งานของฉัน", "รายงาน", "ประวัติ", "คะแนน ITA", "ช่วยเหลือ"),
    Role.SUPERVISOR: ("สรุป", "ค้างส่ง", "เตือน", "งานของฉัน", "ช่วยเหลือ"),
    Role.ADMIN: ("สรุป", "ค้างส่ง", "งานของฉัน", "คะแนน ITA", "ช่วยเหลือ"),
}
GREETING_WORDS = ("สวัสดี", "หวัดดี", "ดีจ้า", "hello", "hi", "ok", "okay", "โอเค", "เมนู", "menu", "ช่วยด้วย",
                  "ช่วยหน่อย", "ทำอะไรได้บ้าง", "เริ่ม", "start", "?", "？", "ครับ", "ค่ะ", "คะ")
_POLITE_TAIL = re.compile(r"(?:ครับผม|ครับ|ค่ะ|คะ|คับ|จ้า|จ้ะ|นะ|น้า|ค่า|ๆ|[!?.~ ])+$")


def is_greeting(text: str) -> bool:
    """A hello, "?", "ok" or "เมนู": the person wants to know what to do, not to be told it was not understood."""
    plain = text.strip().lower()
    stripped = _POLITE_TAIL.sub("", plain) or plain
    return stripped in GREETING_WORDS or plain in GREETING_WORDS


def greeting(ctx: Context) -> Reply:
    """A short hello and the three or four things this person most likely wants, as buttons and typed words."""
    role = ctx.officer.role_enum if ctx.officer is not None else Role.OFFICER
    words = GREETING_BUTTONS[role]
    body = texts.GREETING.format(name=polite_name(ctx.officer.name), words=", ".join(words))
    return [views.text(body, [views.say_action(word) for word in words])]


def _visible(ctx: Context, cmd: Command) -> bool:
    if ctx.in_group and not cmd.group_ok:
        return False
    first = cmd.words[0]
    if first == "ลงทะเบียน":
        return ctx.officer is None and not ctx.in_group
    if first == "ตั้งกลุ่มรายงาน":  # anyone may type it in a group, but only a supervisor can set one up
        return ctx.has_role(Role.SUPERVISOR)
    return cmd.role is None or ctx.has_role(cmd.role)


def _sections(ctx: Context) -> list[tuple[str, list[Command]]]:
    available = {cmd.words[0]: cmd for cmd in commands() if _visible(ctx, cmd)}
    order = [FOLLOWING, REPORTING, SCORES] if ctx.has_role(Role.SUPERVISOR) else [REPORTING, SCORES, FOLLOWING]
    if ctx.officer is None:
        order.insert(0, STARTING)
    sections = []
    listed: set[str] = {"ช่วยเหลือ"}
    for title, words in order:
        cmds = [available[w] for w in words if w in available]
        listed.update(words)
        if cmds:
            sections.append((title, cmds))
    rest = [cmd for word, cmd in available.items() if word not in listed]
    if rest:
        sections.append((texts.HELP_SECTION_OTHER, rest))
    return sections


def _available(ctx: Context) -> list[Command]:
    return [cmd for _, cmds in _sections(ctx) for cmd in cmds]


@command("ช่วยเหลือ", "วิธีใช้", "help", role=None, group_ok=True)
def help_command(ctx: Context, args: str) -> Reply:
    """แสดงคำสั่งทั้งหมดที่ท่านใช้ได้"""
    lines = [texts.HELP_HEAD]
    for title, cmds in _sections(ctx):
        lines.append("")
        lines.append(title)
        lines += [texts.HELP_LINE.format(usage=cmd.usage, help=cmd.help) for cmd in cmds]
    if ctx.in_group:
        lines += ["", texts.HELP_GROUP]
    if ctx.officer is None and not ctx.in_group:
        lines += ["", texts.HOW_TO_REGISTER]
    quick = [views.say_action(cmd.words[0]) for cmd in _available(ctx)[:4] if "[" not in cmd.usage
             and cmd.usage == cmd.words[0]] if not ctx.in_group else []
    return [views.text("\n".join(lines), quick)]


def short_help(ctx: Context) -> Reply:
    """A short hint after a message the bot did not understand."""
    lines = [texts.HELP_SHORT_HEAD]
    available = _available(ctx)
    lines += [texts.HELP_LINE.format(usage=cmd.usage, help=cmd.help) for cmd in available[:SHORT_HELP_SIZE]]
    lines.append(texts.HELP_MORE)
    quick = [views.say_action(cmd.words[0]) for cmd in available[:SHORT_HELP_SIZE]]
    return [views.text("\n".join(lines), quick)]


def group_help(ctx: Context) -> Reply:
    return help_command(ctx, "")
