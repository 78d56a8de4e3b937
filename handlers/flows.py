"""Multi-step chat flows persisted in the database, one per LINE user.

A flow module registers itself with ``register_flow``; the router hands it the
user's text, media and postbacks while its Conversation row is alive. A flow
left idle past ``FLOW_TIMEOUT_MINUTES`` expires with nothing saved.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from handlers.registry import Context, Reply
from line import texts, views
from models import Conversation


@dataclass(frozen=True)
class Flow:
    on_text: Callable[[Context, Conversation], Reply]
    on_media: Callable[[Context, Conversation], Reply]
    free_text_steps: frozenset[str]


_flows: dict[str, Flow] = {}


def register_flow(name: str, *, on_text, on_media, free_text_steps: set[str]) -> None:
    _flows[name] = Flow(on_text, on_media, frozenset(free_text_steps))


def _row(ctx: Context) -> Conversation | None:
    """The user's conversation row, live or not: read once per event (the router may have read it already)."""
    if not ctx.conversation_loaded:
        ctx.conversation = ctx.session.get(Conversation, ctx.user_id) if ctx.user_id else None
        ctx.conversation_loaded = True
    return ctx.conversation


def active(ctx: Context) -> Conversation | None:
    """Return the user's live conversation, dropping it quietly when expired."""
    conversation = _row(ctx)
    if conversation is None:
        return None
    if conversation.expires_at <= ctx.now or conversation.flow not in _flows:
        end(ctx)
        return None
    return conversation


def start(ctx: Context, flow: str, step: str, data: dict[str, Any]) -> Conversation:
    """Begin (or restart) a flow for this user."""
    conversation = _row(ctx)
    if conversation is None:
        conversation = Conversation(line_user_id=ctx.user_id, flow=flow, step=step, data={},
                                    expires_at=ctx.now)
        ctx.conversation = conversation
    conversation.flow = flow
    return advance(ctx, conversation, step, data, replace=True)


def advance(ctx: Context, conversation: Conversation, step: str, data: dict[str, Any] | None = None,
            *, replace: bool = False) -> Conversation:
    """Move the flow to ``step``, merging ``data`` into what it has collected."""
    merged = dict(data or {}) if replace else {**conversation.data, **(data or {})}
    conversation.step = step
    conversation.data = merged  # reassign so the JSON column is seen as changed
    conversation.updated_at = ctx.now
    conversation.expires_at = ctx.now + timedelta(minutes=ctx.settings.flow_timeout_minutes)
    ctx.session.add(conversation)
    ctx.session.flush()
    return conversation


def end(ctx: Context) -> None:
    conversation = _row(ctx)
    if conversation is not None:
        ctx.session.delete(conversation)
        ctx.session.flush()
        ctx.conversation = None


def cancel(ctx: Context, conversation: Conversation | None) -> Reply:
    if conversation is None:
        return [views.text(texts.NOTHING_TO_CANCEL)]
    end(ctx)
    return [views.text(texts.CANCELLED)]


def expects_text(conversation: Conversation) -> bool:
    flow = _flows.get(conversation.flow)
    return flow is not None and conversation.step in flow.free_text_steps


def on_text(ctx: Context, conversation: Conversation) -> Reply:
    return _flows[conversation.flow].on_text(ctx, conversation)


def on_media(ctx: Context, conversation: Conversation) -> Reply:
    return _flows[conversation.flow].on_media(ctx, conversation)
