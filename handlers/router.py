"""Route one LINE event to the handler that answers it.

Order for a text message: cancel → a command → the user's open flow → the
registration prompt for strangers → a greeting ("สวัสดีค่ะ", "?", "เมนู") → a
mistyped command ("รายงน 4") → score and advice questions → a short help. In group
chats only commands and mentions are answered, never small talk.
"""
from __future__ import annotations

import logging
from urllib.parse import parse_qsl

import sqlalchemy as sa
from linebot.v3.webhooks import (
    Event,
    FileMessageContent,
    FollowEvent,
    ImageMessageContent,
    JoinEvent,
    MessageEvent,
    PostbackEvent,
    TextMessageContent,
    UnfollowEvent,
)
from sqlmodel import Session, select

from core.services import Services
from handlers import flows
from handlers.groups import group_allows_summaries
from handlers.help import greeting, group_help, is_greeting, short_help
from handlers.registration import on_follow, on_unfollow
from handlers.registry import (
    Context,
    Reply,
    clean_command_text,
    clean_free_text,
    match_command,
    match_typo,
    postback_handler,
)
from handlers.scores import maybe_answer_score_question
from line import texts, views
from models import Conversation, DeliveryPause, Officer, Role, utcnow

log = logging.getLogger(__name__)

CANCEL_WORDS = ("ยกเลิก", "cancel")
MAX_TEXT = 2000  # longer texts are refused politely rather than stored
# Built once: every event runs it, and building a select costs more CPU than running it.
_OFFICER_AND_CONVERSATION = (
    select(Officer, Conversation)
    .outerjoin(Conversation, Conversation.line_user_id == Officer.line_user_id)
    .where(Officer.line_user_id == sa.bindparam("user_id"))
)


def route(services: Services, session: Session, event: Event, event_id: str) -> Reply:
    """Answer one event; return the messages to send back."""
    ctx = _context(services, session, event, event_id)
    reply = _route(ctx, event)
    if reply and ctx.officer is not None and ctx.officer.role == Role.ADMIN.value and not ctx.in_group:
        reply = _with_admin_notice(ctx, reply)
    return reply


def _with_admin_notice(ctx: Context, reply: Reply) -> Reply:
    """Tell an admin, once, that pushes are paused (replies are free; pushes are not)."""
    pause = ctx.session.get(DeliveryPause, 1)
    if pause is None or not pause.notice or pause.paused_until is None or pause.paused_until <= ctx.now:
        return reply
    if ctx.officer.id in pause.notified_officer_ids:
        return reply
    pause.notified_officer_ids = [*pause.notified_officer_ids, ctx.officer.id]
    ctx.session.add(pause)
    return [*reply[:4], views.text(pause.notice)]


def _route(ctx: Context, event: Event) -> Reply:
    if isinstance(event, FollowEvent):
        return on_follow(ctx, unblocked=bool(getattr(event.follow, "is_unblocked", False)))
    if isinstance(event, UnfollowEvent):
        return on_unfollow(ctx)
    if isinstance(event, JoinEvent):
        return [views.text(texts.JOINED_GROUP)]
    if isinstance(event, PostbackEvent):
        return _route_postback(ctx, event.postback.data or "")
    if isinstance(event, MessageEvent):
        content = event.message
        if isinstance(content, TextMessageContent):
            ctx.text = content.text or ""
            ctx.mentioned = _mentions_bot(content)
            return _route_text(ctx)
        if isinstance(content, ImageMessageContent | FileMessageContent):
            ctx.message = content
            return _route_media(ctx)
        if ctx.in_group:
            return []
        return [views.text(texts.UNSUPPORTED_MESSAGE)]
    return []


def _context(services: Services, session: Session, event: Event, event_id: str) -> Context:
    source = getattr(event, "source", None)
    source_type = getattr(source, "type", None) or "user"
    user_id = getattr(source, "user_id", None)
    group_id = getattr(source, "group_id", None) or getattr(source, "room_id", None)
    officer = conversation = None
    if user_id:
        # The officer and their open conversation (if any) in one round trip: nearly every event needs both.
        found = session.execute(_OFFICER_AND_CONVERSATION, {"user_id": user_id}).first()
        if found is not None:
            officer, conversation = found
    return Context(
        session=session, settings=services.settings, now=utcnow(), webhook_event_id=event_id,
        source_type=source_type, user_id=user_id, group_id=group_id, officer=officer,
        services=services, conversation=conversation, conversation_loaded=officer is not None,
    )


def _unregistered() -> Reply:
    """What anyone who has not registered hears, whatever they sent."""
    return [views.text(texts.UNREGISTERED.format(how_to_register=texts.HOW_TO_REGISTER))]


def _mentions_bot(content: TextMessageContent) -> bool:
    mention = getattr(content, "mention", None)
    for mentionee in getattr(mention, "mentionees", None) or []:
        if getattr(mentionee, "is_self", False):
            return True
    return False


def _strip_mentions(content_text: str) -> str:
    return " ".join(word for word in content_text.split() if not word.startswith("@"))


def _route_text(ctx: Context) -> Reply:
    text = ctx.text
    if ctx.in_group and ctx.mentioned:
        text = _strip_mentions(text)
    cleaned = clean_command_text(text)
    if len(cleaned) > MAX_TEXT:
        return [views.text(texts.TOO_LONG.format(limit=MAX_TEXT))]
    ctx.text = cleaned
    ctx.raw_text = clean_free_text(text)
    conversation = flows.active(ctx) if not ctx.in_group else None

    if cleaned.lower() in CANCEL_WORDS:
        return flows.cancel(ctx, conversation)

    match = match_command(cleaned)
    # While a flow waits for free text, a command is only a command when typed
    # on its own: "รายงานผลการประชุม..." is an answer, not the รายงาน command.
    if match and conversation is not None and match.args and flows.expects_text(conversation):
        match = None
    if match:
        reply = run_command(ctx, match.command, match.args)
        if conversation is not None and reply and flows.active(ctx) is not None:
            reply = reply[:4] + [views.text(texts.FLOW_STILL_OPEN)]
        return reply

    if ctx.in_group:
        if ctx.mentioned:
            return group_help(ctx)
        return []
    if conversation is not None:
        return flows.on_text(ctx, conversation)
    if ctx.officer is None:
        return _unregistered()
    if not ctx.officer.active:
        return [views.text(texts.INACTIVE_OFFICER)]
    if is_greeting(cleaned):
        return greeting(ctx)
    typo = match_typo(cleaned)
    if typo is not None:
        return run_command(ctx, typo.command, typo.args)
    answer = maybe_answer_score_question(ctx)
    if answer:
        return answer
    return short_help(ctx)


def run_command(ctx: Context, command, args: str) -> Reply:
    """Check who may run a command here, then run it."""
    if ctx.in_group and not command.group_ok:
        return [views.text(texts.GROUP_NOT_ALLOWED)]
    if command.role is not None:
        if ctx.officer is None and not ctx.in_group:
            return _unregistered()
        if ctx.in_group and command.role == Role.SUPERVISOR:
            if not group_allows_summaries(ctx):
                return [views.text(texts.GROUP_NOT_SET_UP)]
        elif not ctx.has_role(command.role):
            if ctx.officer is not None and not ctx.officer.active:
                return [views.text(texts.INACTIVE_OFFICER)]
            return [views.text(texts.SUPERVISOR_ONLY if command.role != Role.ADMIN else texts.ADMIN_ONLY)]
    if command.slow and not ctx.in_group and ctx.user_id:
        ctx.services.line.start_loading(ctx.user_id)
    return command.func(ctx, args)


def _route_postback(ctx: Context, data: str) -> Reply:
    params = dict(parse_qsl(data[:300], keep_blank_values=True))
    ctx.postback = params
    action = params.get("a", "")
    entry = postback_handler(action)
    if entry is None:
        log.info("postback: unknown action %r", action[:40])
        return [] if ctx.in_group else [views.text(texts.NOT_UNDERSTOOD)]
    func, role = entry
    if role is not None and not ctx.has_role(role):
        if ctx.officer is None:
            return _unregistered()
        return [views.text(texts.SUPERVISOR_ONLY)]
    return func(ctx)


def _route_media(ctx: Context) -> Reply:
    if ctx.in_group:
        return []
    if ctx.officer is None:
        return _unregistered()
    conversation = flows.active(ctx)
    if conversation is None:
        return [views.text(texts.MEDIA_OUTSIDE_FLOW)]
    return flows.on_media(ctx, conversation)
