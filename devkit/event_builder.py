"""Build and sign LINE webhook events as LINE would send them.

Used by the development simulator and by the tests' chat helper, so both
speak exactly the webhook contract the product verifies.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
import time
from typing import Any

_counter = itertools.count(1)


def new_event_id() -> str:
    """A unique, ULID-like event id."""
    return f"01SIM{int(time.time() * 1000):013d}{next(_counter):08d}"


def new_message_id() -> str:
    return str(700_000_000 + next(_counter))


def sign(secret: str, body: str) -> str:
    """The x-line-signature of a body: base64(HMAC-SHA256(secret, body))."""
    digest = hmac.new(secret.encode(), body.encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def base_event(kind: str, user_id: str | None, group_id: str | None = None, *, reply_token: str | None = None,
               event_id: str | None = None, redelivery: bool = False) -> dict[str, Any]:
    if group_id:
        source: dict[str, Any] = {"type": "group", "groupId": group_id}
        if user_id:
            source["userId"] = user_id
    else:
        source = {"type": "user", "userId": user_id}
    event: dict[str, Any] = {
        "type": kind, "mode": "active", "timestamp": int(time.time() * 1000), "source": source,
        "webhookEventId": event_id or new_event_id(), "deliveryContext": {"isRedelivery": redelivery},
    }
    if reply_token:
        event["replyToken"] = reply_token
    return event


def text_message(text: str, *, mention_bot: bool = False) -> dict[str, Any]:
    message: dict[str, Any] = {"id": new_message_id(), "type": "text", "text": text,
                               "quoteToken": "q" + new_message_id()}
    if mention_bot:
        message["text"] = "@Tidtam " + text
        message["mention"] = {"mentionees": [
            {"index": 0, "length": 7, "type": "user", "userId": "Ubot", "isSelf": True}]}
    return message


def media_message(message_id: str, *, kind: str = "image", file_name: str = "", size: int = 0) -> dict[str, Any]:
    message: dict[str, Any] = {"id": message_id, "type": kind, "contentProvider": {"type": "line"}}
    if kind == "image":
        message["quoteToken"] = "q" + message_id
    if kind == "file":
        message.update({"fileName": file_name or "file", "fileSize": size})
    return message


def body_of(events: list[dict[str, Any]], destination: str = "Ubot") -> str:
    return json.dumps({"destination": destination, "events": events}, ensure_ascii=False)
