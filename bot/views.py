"""Message views: text with quick replies, Flex bubbles and carousels, within LINE's limits.

Builders here return LINE SDK message objects. Every limit LINE enforces is
respected by construction: 5 messages a request, 13 quick replies, labels of
20 characters, 12 bubbles a carousel, altText of 1,500 characters, postback
data of 300 characters.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any
from urllib.parse import urlencode

from linebot.v3.messaging import (
    FlexContainer,
    FlexMessage,
    MessageAction,
    PostbackAction,
    QuickReply,
    QuickReplyItem,
    TextMessage,
)
from linebot.v3.messaging.models import CameraAction, CameraRollAction

from bot import texts

MAX_MESSAGES = 5
MAX_QUICK_REPLIES = 13
MAX_LABEL = 20
MAX_BUBBLES = 12
MAX_ALT_TEXT = 1500
MAX_TEXT = 5000
MAX_POSTBACK = 300

STATUS_COLORS = {"done": "#1DB446", "in_progress": "#E3A008", "blocked": "#E02424", "not_started": "#6B7280",
                 "": "#9CA3AF"}


def cut(text: str, limit: int) -> str:
    """Shorten text to ``limit`` characters with an ellipsis."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: max(1, limit - 1)] + "…"


def postback_data(**params: Any) -> str:
    data = urlencode({k: v for k, v in params.items() if v is not None})
    if len(data) > MAX_POSTBACK:
        raise ValueError("postback data over LINE's 300 characters")
    return data


def period_param(period: date) -> str:
    return period.strftime("%Y-%m")


def say_action(label: str, text: str | None = None) -> MessageAction:
    """A button that sends a text, exactly as if the user typed it."""
    return MessageAction(label=cut(label, MAX_LABEL), text=text or label)


def postback_action(label: str, display: str | None = None, **params: Any) -> PostbackAction:
    return PostbackAction(label=cut(label, MAX_LABEL), data=postback_data(**params),
                          display_text=cut(display or label, 300))


def text(body: str, quick: Sequence[Any] = ()) -> TextMessage:
    """A text message, with quick-reply buttons when given (at most 13 are kept)."""
    body = body if len(body) <= MAX_TEXT else body[: MAX_TEXT - 1] + "…"
    message = TextMessage(text=body)
    if quick:
        message.quick_reply = QuickReply(items=[QuickReplyItem(action=a) for a in list(quick)[:MAX_QUICK_REPLIES]])
    return message


def camera_actions() -> list[Any]:
    return [CameraAction(label=texts.BTN_CAMERA), CameraRollAction(label=texts.BTN_PHOTO_LIBRARY)]


def flex(alt_text: str, contents: dict[str, Any], quick: Sequence[Any] = ()) -> FlexMessage:
    if len(alt_text) > MAX_ALT_TEXT:
        alt_text = alt_text[: MAX_ALT_TEXT - 1] + "…"
    message = FlexMessage(alt_text=alt_text, contents=FlexContainer.from_dict(contents))
    if quick:
        message.quick_reply = QuickReply(items=[QuickReplyItem(action=a) for a in list(quick)[:MAX_QUICK_REPLIES]])
    return message


def carousels(bubbles: list[dict[str, Any]], *, alt_text: str, max_messages: int) -> list[FlexMessage]:
    """Split bubbles into carousels of at most 12, and at most ``max_messages`` carousels."""
    pages = [bubbles[i:i + MAX_BUBBLES] for i in range(0, len(bubbles), MAX_BUBBLES)][:max_messages]
    return [flex(alt_text, {"type": "carousel", "contents": page}) for page in pages]


def progress_bar(fraction: float, color: str = "#1DB446") -> dict[str, Any]:
    """A horizontal bar as Flex boxes; ``fraction`` is 0..1."""
    percent = max(0, min(100, round(fraction * 100)))
    filled = {"type": "box", "layout": "vertical", "contents": [], "backgroundColor": color,
              "height": "6px", "width": f"{max(percent, 1)}%"}
    return {"type": "box", "layout": "vertical", "contents": [filled], "backgroundColor": "#E5E7EB",
            "height": "6px", "cornerRadius": "3px", "margin": "sm"}


def lines(items: Iterable[str]) -> str:
    return "\n".join(item for item in items if item)
