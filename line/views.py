"""Message views: text with quick replies, Flex bubbles and carousels, within LINE's limits.

Builders here return messages as plain dicts in LINE's JSON wire format
(camelCase keys, exactly what the Messaging API takes), not LINE SDK models:
building and serialising the SDK's pydantic models cost more CPU than
anything else in answering an event, and these dicts go to LINE as they are
(line.client). Every limit LINE enforces is respected by construction: 5
messages a request, 13 quick replies, labels of 20 characters, 12 bubbles a
carousel, altText of 1,500 characters, postback data of 300 characters.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any
from urllib.parse import urlencode

from line import texts

Message = dict[str, Any]  # one message as LINE's JSON, e.g. {"type": "text", "text": "..."}
Reply = list[Message]  # what a handler answers: up to five messages
Action = dict[str, Any]  # one action as LINE's JSON, e.g. {"type": "message", "label": "...", "text": "..."}

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


def as_json(item: Any) -> dict[str, Any]:
    """A message or action as LINE's JSON; an SDK model (still accepted) is converted."""
    return item if isinstance(item, dict) else item.to_dict()


def say_action(label: str, text: str | None = None) -> Action:
    """A button that sends a text, exactly as if the user typed it."""
    return {"type": "message", "label": cut(label, MAX_LABEL), "text": text or label}


def postback_action(label: str, display: str | None = None, **params: Any) -> Action:
    return {"type": "postback", "label": cut(label, MAX_LABEL), "data": postback_data(**params),
            "displayText": cut(display or label, 300)}


def uri_action(label: str, uri: str) -> Action:
    """A button that opens a link (LINE takes up to 1,000 characters)."""
    if len(uri) > 1000:
        raise ValueError("uri over LINE's 1,000 characters")
    return {"type": "uri", "label": cut(label, MAX_LABEL), "uri": uri}


def camera_actions() -> list[Action]:
    return [{"type": "camera", "label": texts.BTN_CAMERA}, {"type": "cameraRoll", "label": texts.BTN_PHOTO_LIBRARY}]


def quick_reply(actions: Sequence[Any]) -> dict[str, Any]:
    """Quick-reply buttons for the actions (at most 13 are kept)."""
    return {"items": [{"type": "action", "action": as_json(a)} for a in list(actions)[:MAX_QUICK_REPLIES]]}


def text(body: str, quick: Sequence[Any] = ()) -> Message:
    """A text message, with quick-reply buttons when given (at most 13 are kept)."""
    body = body if len(body) <= MAX_TEXT else body[: MAX_TEXT - 1] + "…"
    message: Message = {"type": "text", "text": body}
    if quick:
        message["quickReply"] = quick_reply(quick)
    return message


def image(url: str, preview_url: str) -> Message:
    """An image message; both URLs must be https."""
    return {"type": "image", "originalContentUrl": url, "previewImageUrl": preview_url}


def flex(alt_text: str, contents: dict[str, Any], quick: Sequence[Any] = ()) -> Message:
    """A Flex message of one bubble or carousel given as Flex JSON."""
    if len(alt_text) > MAX_ALT_TEXT:
        alt_text = alt_text[: MAX_ALT_TEXT - 1] + "…"
    message: Message = {"type": "flex", "altText": alt_text, "contents": as_json(contents)}
    if quick:
        message["quickReply"] = quick_reply(quick)
    return message


def carousels(bubbles: list[dict[str, Any]], *, alt_text: str, max_messages: int) -> list[Message]:
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
