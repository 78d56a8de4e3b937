"""A test helper that plays LINE: builds, signs and posts webhook events.

``chat.text("U1", "สรุป")`` posts a signed text event from user U1 to
/callback, waits for the app's handler threads to finish, and returns the
message objects the bot sent in answer (replies and pushes), as recorded by
the fake LINE server.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from devkit.event_builder import base_event, body_of, media_message, new_event_id, new_message_id, sign, text_message

__all__ = ["Chat", "Sent", "new_event_id", "sign"]


@dataclass
class Sent:
    """What the bot sent in answer to one posted batch."""

    status: int
    messages: list[dict[str, Any]] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    response: Any = None

    @property
    def texts(self) -> list[str]:
        return [m.get("text") or m.get("altText", "") for m in self.messages]

    @property
    def text(self) -> str:
        return "\n".join(self.texts)

    def quick_replies(self) -> list[dict[str, Any]]:
        for message in reversed(self.messages):
            items = (message.get("quickReply") or {}).get("items")
            if items:
                return [item["action"] for item in items]
        return []

    def flex(self) -> dict[str, Any] | None:
        for message in self.messages:
            if message.get("type") == "flex":
                return message
        return None


class Chat:
    """Posts webhook events to the app and reads back what it sent to the fake LINE."""

    def __init__(self, client, line, secret: str) -> None:
        self.client = client
        self.line = line
        self.secret = secret

    # -- event builders ------------------------------------------------------

    def _base(self, kind: str, user_id: str | None, group_id: str | None, *, reply: bool = True,
              event_id: str | None = None, redelivery: bool = False) -> dict[str, Any]:
        token = self.line.issue_reply_token() if reply else None
        return base_event(kind, user_id, group_id, reply_token=token, event_id=event_id, redelivery=redelivery)

    def text_event(self, user_id: str | None, text: str, *, group_id: str | None = None,
                   mention_bot: bool = False, **kw) -> dict[str, Any]:
        event = self._base("message", user_id, group_id, **kw)
        event["message"] = text_message(text, mention_bot=mention_bot)
        return event

    def postback_event(self, user_id: str, data: str, **kw) -> dict[str, Any]:
        event = self._base("postback", user_id, kw.pop("group_id", None), **kw)
        event["postback"] = {"data": data}
        return event

    def media_event(self, user_id: str, data: bytes, *, kind: str = "image",
                    content_type: str = "image/jpeg", file_name: str = "evidence.pdf", **kw) -> dict[str, Any]:
        event = self._base("message", user_id, kw.pop("group_id", None), **kw)
        message_id = new_message_id()
        self.line.add_content(message_id, data, content_type)
        event["message"] = media_message(message_id, kind=kind, file_name=file_name, size=len(data))
        return event

    def follow_event(self, user_id: str, *, unblocked: bool = False, **kw) -> dict[str, Any]:
        event = self._base("follow", user_id, None, **kw)
        event["follow"] = {"isUnblocked": unblocked}
        return event

    def unfollow_event(self, user_id: str, **kw) -> dict[str, Any]:
        return self._base("unfollow", user_id, None, reply=False, **kw)

    def join_event(self, group_id: str, **kw) -> dict[str, Any]:
        return self._base("join", None, group_id, **kw)

    # -- posting ---------------------------------------------------------------

    def post(self, events: list[dict[str, Any]], *, signature: str | None = None,
             body: str | None = None) -> Sent:
        """Post a batch; return the HTTP status and everything the bot sent meanwhile."""
        if body is None:
            body = body_of(events)
        if signature is None:
            signature = sign(self.secret, body)
        since = len(self.line.calls)
        response = self.client.post(
            "/callback", data=body.encode("utf-8"),
            headers={"x-line-signature": signature, "content-type": "application/json"},
        )
        # The webhook answers before handling (as LINE recommends); wait for the handler threads.
        chats = self.client.application.extensions["tidtam"].chats
        assert chats.wait_idle(timeout=30), "the bot did not finish handling the events within 30 s"
        sent = Sent(status=response.status_code, response=response)
        # Only what answers this batch: replies with its tokens, pushes to its chats. Background
        # tasks of earlier tests may still be pushing to the shared fake server.
        tokens = {e.get("replyToken") for e in events if isinstance(e, dict)}
        chats = set()
        for event in events:
            source = event.get("source", {}) if isinstance(event, dict) else {}
            chats.update(v for k, v in source.items() if k in ("userId", "groupId", "roomId"))
        for kind, to, message in self.line.sent_messages(since):
            if (kind == "reply" and to in tokens) or (kind != "reply" and to in chats) or not events:
                sent.kinds.append(kind)
                sent.messages.append(message)
        return sent

    def text(self, user_id: str | None, text: str, **kw) -> Sent:
        return self.post([self.text_event(user_id, text, **kw)])

    def postback(self, user_id: str, data: str, **kw) -> Sent:
        return self.post([self.postback_event(user_id, data, **kw)])

    def tap(self, user_id: str, action: dict[str, Any]) -> Sent:
        """Tap a quick-reply or button action as LINE would."""
        if action.get("type") == "postback":
            return self.postback(user_id, action["data"])
        return self.text(user_id, action.get("text") or action.get("label", ""))

    def media(self, user_id: str, data: bytes, **kw) -> Sent:
        return self.post([self.media_event(user_id, data, **kw)])

    def follow(self, user_id: str, **kw) -> Sent:
        return self.post([self.follow_event(user_id, **kw)])

    def unfollow(self, user_id: str) -> Sent:
        return self.post([self.unfollow_event(user_id)])
