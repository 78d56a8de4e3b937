"""เว็บ: a one-time sign-in link to the browser console, for admins and supervisors.

The link is a button (a Flex bubble with a URI action), valid ten minutes and
good once (models.console). Officers are told politely that the console is
not for them; in group chats the command is refused by the registry, since a
sign-in link must never be posted where others can press it.
"""
from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from core.settings import Settings
from handlers.registry import Context, Reply, command
from line import texts, views
from models import Officer
from models.console import SIGN_IN_VALID, issue_sign_in, may_use_console

CONSOLE_PATH = "/console/login/"


def sign_in_url(settings: Settings, token: str) -> str:
    """The address a sign-in token opens."""
    return settings.public_base_url.rstrip("/") + CONSOLE_PATH + token


def new_sign_in_link(session: Session, settings: Settings, officer: Officer, now: datetime, *, via: str) -> str:
    """Issue a sign-in link for the officer (the caller commits)."""
    token = issue_sign_in(session, officer=officer, signing_key=settings.signing_key, now=now, via=via)
    return sign_in_url(settings, token)


@command("เว็บ", "web", usage="เว็บ")
def web(ctx: Context, args: str) -> Reply:
    """รับลิงก์เข้าหน้าเว็บสำหรับผู้ดูแลและผู้บังคับบัญชา"""
    if not may_use_console(ctx.officer):
        return [views.text(texts.CONSOLE_OFFICERS_REFUSED)]
    url = new_sign_in_link(ctx.session, ctx.settings, ctx.officer, ctx.now, via="chat")
    minutes = int(SIGN_IN_VALID.total_seconds() // 60)
    bubble = {
        "type": "bubble",
        "body": {"type": "box", "layout": "vertical", "spacing": "md", "contents": [
            {"type": "text", "text": texts.CONSOLE_LINK_TITLE, "weight": "bold", "size": "lg"},
            {"type": "text", "text": texts.CONSOLE_LINK_INTRO.format(minutes=minutes), "wrap": True, "size": "sm",
             "color": "#555555"},
        ]},
        "footer": {"type": "box", "layout": "vertical", "contents": [
            {"type": "button", "style": "primary",
             "action": {"type": "uri", "label": texts.CONSOLE_LINK_BUTTON, "uri": url}},
        ]},
    }
    return [views.flex(texts.CONSOLE_LINK_ALT.format(minutes=minutes), bubble)]
