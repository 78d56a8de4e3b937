"""A fake LINE Messaging API: a real HTTP server on 127.0.0.1 for tests and the
development chat simulator.

The real line-bot-sdk talks to it through
``Configuration(access_token=..., host=fake.url)``; with ``host`` set the SDK
sends every call there, media downloads included, so one server stands in for
both api.line.me and api-data.line.me.

    fake = FakeLine(channel_secret="s3cret").start()
    token = fake.issue_reply_token()
    ...                       # drive the bot, which replies/pushes to fake.url
    assert fake.messages_to("U123")[0]["text"] == "สวัสดี"
    fake.stop()

It checks what LINE checks (bearer token, single-use reply tokens, message
limits, ``X-Line-Retry-Key`` idempotency, the monthly quota, rich menu
shapes) so tests catch what production would reject, and it can inject
failures and delays. Only werkzeug and the standard library are used: this
module must stay importable without the rest of ``bot`` and without pytest.
"""
from __future__ import annotations

import argparse
import base64
import fnmatch
import hashlib
import hmac
import itertools
import json
import logging
import random
import re
import secrets
import socket
import struct
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Self

from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

log = logging.getLogger(__name__)

# Limits, from LINE's reference (see docs in /work/shared/line-platform.md).
MAX_MESSAGES = 5
MAX_TEXT_LENGTH = 5000  # UTF-16 code units
MAX_QUICK_REPLY_ITEMS = 13
MAX_QUICK_REPLY_LABEL = 20
MAX_POSTBACK_DATA = 300
MAX_ACTION_TEXT = 300  # message action text, postback displayText
MAX_URI_LENGTH = 1000
MAX_ALT_TEXT = 1500
MAX_TEMPLATE_ALT_TEXT = 400
MAX_CAROUSEL_BUBBLES = 12
MAX_BUBBLE_BYTES = 30_000  # "30 KB": the stricter reading, so tests fail first
MAX_CAROUSEL_BYTES = 50_000
MAX_MEDIA_URL = 2000
MAX_MULTICAST_TO = 500
MAX_RICH_MENU_AREAS = 20
MAX_RICH_MENU_IMAGE_BYTES = 1024 * 1024
RICH_MENU_WIDTH = 2500
RICH_MENU_HEIGHTS = (1686, 843)
MAX_CHAT_BAR_TEXT = 14
MAX_RICH_MENU_NAME = 300

AUTH_FAILED = (
    "Authentication failed. Confirm that the access token in the "
    "authorization header is valid."
)
INVALID_REPLY_TOKEN = "Invalid reply token"
RETRY_KEY_ACCEPTED = "The retry key is already accepted"
MONTHLY_LIMIT = "You have reached your monthly limit."
RATE_LIMITED = "The API rate limit has been exceeded. Try again later."

_UUID_RE = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)
_ALIAS_ID_RE = re.compile(r"^[a-z0-9_-]{1,32}$")
_ACTION_TYPES = {
    "postback", "message", "uri", "datetimepicker", "camera", "cameraRoll",
    "location", "richmenuswitch", "clipboard",
}
_MESSAGE_TYPES = {
    "text", "textV2", "sticker", "image", "video", "audio", "location",
    "imagemap", "template", "flex", "coupon",
}
_SEND_PATHS = {
    "/v2/bot/message/reply": "reply",
    "/v2/bot/message/push": "push",
    "/v2/bot/message/multicast": "multicast",
}


def sign(channel_secret: str, body: bytes) -> str:
    """The ``x-line-signature`` LINE puts on a webhook request with ``body``."""
    digest = hmac.new(channel_secret.encode("utf-8"), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


class _Headers(dict):
    """A dict of request headers whose lookups ignore case."""

    def __init__(self, items: Iterable[tuple[str, str]] = ()) -> None:
        super().__init__((k.lower(), v) for k, v in items)

    def __getitem__(self, key: str) -> str:
        return super().__getitem__(key.lower())

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and super().__contains__(key.lower())

    def get(self, key: str, default: Any = None) -> Any:
        return super().get(key.lower(), default)


@dataclass
class Call:
    """One request the fake received, with the status it answered."""

    method: str
    path: str
    headers: dict[str, str]  # case-insensitive lookups
    json: Any | None
    body: bytes
    status: int
    time: float  # time.time() when the request arrived
    retry_key: str | None
    request_id: str = ""  # the x-line-request-id the fake answered with
    response: Any | None = None  # the JSON the fake answered with, if any

    @property
    def accepted(self) -> bool:
        return 200 <= self.status < 300


@dataclass
class _Failure:
    remaining: int
    status: int | None  # None: delay only
    path: str | None
    message: str
    delay: float

    def matches(self, path: str) -> bool:
        return self.path is None or fnmatch.fnmatchcase(path, self.path)


@dataclass
class _RandomFailure:
    ratio: float
    statuses: tuple[int, ...]
    path: str | None
    rng: random.Random = field(default_factory=random.Random)


class _Invalid(Exception):
    """Raised by validators; becomes a 400 with LINE-style details."""

    def __init__(self, details: list[dict[str, str]]) -> None:
        super().__init__(details)
        self.details = details


LOCAL_MEDIA_PREFIXES = ("http://127.0.0.1:", "http://127.0.0.1/", "http://localhost:", "http://localhost/")


class _Checker:
    def __init__(self, *, allow_local_media: bool = False) -> None:
        self.details: list[dict[str, str]] = []
        self.allow_local_media = allow_local_media

    def error(self, prop: str, message: str) -> None:
        self.details.append({"message": message, "property": prop})

    def raise_if_any(self) -> None:
        if self.details:
            raise _Invalid(self.details)

    # -- primitives -----------------------------------------------------------
    def string(self, obj: dict, key: str, prop: str, *, max_len: int | None = None,
               required: bool = True, min_len: int = 1) -> str | None:
        value = obj.get(key)
        where = f"{prop}.{key}" if prop else key
        if value is None:
            if required:
                self.error(where, "must be specified")
            return None
        if not isinstance(value, str):
            self.error(where, "must be a string")
            return None
        length = _utf16_len(value)
        if length < min_len:
            self.error(where, "may not be empty")
        elif max_len is not None and length > max_len:
            self.error(where, f"Length must be between {min_len} and {max_len}")
        return value

    def url(self, obj: dict, key: str, prop: str, *, max_len: int = MAX_MEDIA_URL) -> None:
        value = self.string(obj, key, prop, max_len=max_len)
        if value is not None and self.allow_local_media and value.startswith(LOCAL_MEDIA_PREFIXES):
            return  # development only: the phone is this machine's browser, which can fetch it
        if value is not None and not value.startswith("https://"):
            self.error(f"{prop}.{key}", "must be an https URL")

    # -- messages -------------------------------------------------------------
    def messages(self, messages: Any, prop: str = "messages") -> None:
        if not isinstance(messages, list) or not 1 <= len(messages) <= MAX_MESSAGES:
            self.error(prop, f"Size must be between 1 and {MAX_MESSAGES}")
            return
        for i, message in enumerate(messages):
            self.message(message, f"{prop}[{i}]")

    def message(self, m: Any, prop: str) -> None:
        if not isinstance(m, dict):
            self.error(prop, "must be a message object")
            return
        kind = m.get("type")
        if kind not in _MESSAGE_TYPES:
            self.error(f"{prop}.type", f"unknown message type {kind!r}")
            return
        if kind in ("text", "textV2"):
            self.string(m, "text", prop, max_len=MAX_TEXT_LENGTH)
        elif kind in ("image", "video"):
            self.url(m, "originalContentUrl", prop)
            self.url(m, "previewImageUrl", prop)
        elif kind == "audio":
            self.url(m, "originalContentUrl", prop)
            if not isinstance(m.get("duration"), int):
                self.error(f"{prop}.duration", "must be specified")
        elif kind == "sticker":
            self.string(m, "packageId", prop)
            self.string(m, "stickerId", prop)
        elif kind == "location":
            self.string(m, "title", prop, max_len=100)
            self.string(m, "address", prop, max_len=100)
            for key in ("latitude", "longitude"):
                if not isinstance(m.get(key), (int, float)):
                    self.error(f"{prop}.{key}", "must be a number")
        elif kind == "imagemap":
            self.url(m, "baseUrl", prop)
            self.string(m, "altText", prop, max_len=MAX_ALT_TEXT)
        elif kind == "template":
            self.string(m, "altText", prop, max_len=MAX_TEMPLATE_ALT_TEXT)
            if not isinstance(m.get("template"), dict):
                self.error(f"{prop}.template", "must be specified")
        elif kind == "flex":
            self.string(m, "altText", prop, max_len=MAX_ALT_TEXT)
            self.flex_container(m.get("contents"), f"{prop}.contents")
        self.quick_reply(m.get("quickReply"), f"{prop}.quickReply")
        for action, where in _actions(m, prop):
            self.action(action, where)

    def flex_container(self, c: Any, prop: str) -> None:
        if not isinstance(c, dict):
            self.error(prop, "must be specified")
            return
        if c.get("type") == "bubble":
            if _json_size(c) > MAX_BUBBLE_BYTES:
                self.error(prop, f"bubble must be at most {MAX_BUBBLE_BYTES} bytes")
        elif c.get("type") == "carousel":
            bubbles = c.get("contents")
            if not isinstance(bubbles, list) or not 1 <= len(bubbles) <= MAX_CAROUSEL_BUBBLES:
                self.error(f"{prop}.contents",
                           f"Size must be between 1 and {MAX_CAROUSEL_BUBBLES}")
            else:
                for i, bubble in enumerate(bubbles):
                    if not isinstance(bubble, dict) or bubble.get("type") != "bubble":
                        self.error(f"{prop}.contents[{i}]", "must be a bubble")
                    elif _json_size(bubble) > MAX_BUBBLE_BYTES:
                        self.error(f"{prop}.contents[{i}]",
                                   f"bubble must be at most {MAX_BUBBLE_BYTES} bytes")
            if _json_size(c) > MAX_CAROUSEL_BYTES:
                self.error(prop, f"carousel must be at most {MAX_CAROUSEL_BYTES} bytes")
        else:
            self.error(f"{prop}.type", "must be bubble or carousel")

    def quick_reply(self, qr: Any, prop: str) -> None:
        if qr is None:
            return
        items = qr.get("items") if isinstance(qr, dict) else None
        if not isinstance(items, list) or not 1 <= len(items) <= MAX_QUICK_REPLY_ITEMS:
            self.error(f"{prop}.items", f"Size must be between 1 and {MAX_QUICK_REPLY_ITEMS}")
            return
        for i, item in enumerate(items):
            where = f"{prop}.items[{i}]"
            action = item.get("action") if isinstance(item, dict) else None
            if not isinstance(action, dict):
                self.error(f"{where}.action", "must be specified")
                continue
            label = action.get("label")
            if label is None and action.get("type") not in ("camera", "cameraRoll", "location"):
                self.error(f"{where}.action.label", "must be specified")
            elif isinstance(label, str) and _utf16_len(label) > MAX_QUICK_REPLY_LABEL:
                self.error(f"{where}.action.label",
                           f"Length must be between 1 and {MAX_QUICK_REPLY_LABEL}")

    def action(self, a: Any, prop: str) -> None:
        if not isinstance(a, dict) or a.get("type") not in _ACTION_TYPES:
            self.error(f"{prop}.type", "unknown action type")
            return
        kind = a["type"]
        if kind == "postback":
            self.string(a, "data", prop, max_len=MAX_POSTBACK_DATA)
            self.string(a, "displayText", prop, max_len=MAX_ACTION_TEXT, required=False)
            self.string(a, "text", prop, max_len=MAX_ACTION_TEXT, required=False)
        elif kind == "message":
            self.string(a, "text", prop, max_len=MAX_ACTION_TEXT)
        elif kind == "uri":
            self.string(a, "uri", prop, max_len=MAX_URI_LENGTH)
        elif kind == "datetimepicker":
            self.string(a, "data", prop, max_len=MAX_POSTBACK_DATA)
            if a.get("mode") not in ("date", "time", "datetime"):
                self.error(f"{prop}.mode", "must be date, time or datetime")
        elif kind == "richmenuswitch":
            self.string(a, "richMenuAliasId", prop, max_len=32)
            self.string(a, "data", prop, max_len=MAX_POSTBACK_DATA)
        elif kind == "clipboard":
            self.string(a, "clipboardText", prop, max_len=1000)

    # -- rich menus -----------------------------------------------------------
    def rich_menu(self, body: Any) -> None:
        if not isinstance(body, dict):
            self.error("", "must be a rich menu object")
            return
        size = body.get("size")
        width = height = None
        if not isinstance(size, dict):
            self.error("size", "must be specified")
        else:
            width, height = size.get("width"), size.get("height")
            if width != RICH_MENU_WIDTH or height not in RICH_MENU_HEIGHTS:
                self.error("size", f"must be {RICH_MENU_WIDTH}x{RICH_MENU_HEIGHTS[0]} "
                                   f"or {RICH_MENU_WIDTH}x{RICH_MENU_HEIGHTS[1]}")
                width = height = None
        if not isinstance(body.get("selected"), bool):
            self.error("selected", "must be specified")
        self.string(body, "name", "", max_len=MAX_RICH_MENU_NAME)
        self.string(body, "chatBarText", "", max_len=MAX_CHAT_BAR_TEXT)
        areas = body.get("areas")
        if not isinstance(areas, list) or len(areas) > MAX_RICH_MENU_AREAS:
            self.error("areas", f"Size must be between 0 and {MAX_RICH_MENU_AREAS}")
            return
        for i, area in enumerate(areas):
            where = f"areas[{i}]"
            if not isinstance(area, dict):
                self.error(where, "must be an area object")
                continue
            b = area.get("bounds")
            keys = ("x", "y", "width", "height")
            if not isinstance(b, dict) or not all(isinstance(b.get(k), int) for k in keys):
                self.error(f"{where}.bounds", "must have integer x, y, width, height")
            elif b["x"] < 0 or b["y"] < 0 or b["width"] < 1 or b["height"] < 1:
                self.error(f"{where}.bounds", "out of range")
            elif width is not None and height is not None and (
                b["x"] + b["width"] > width or b["y"] + b["height"] > height
            ):
                self.error(f"{where}.bounds", "must be inside the rich menu")
            self.action(area.get("action"), f"{where}.action")


def sent_by(call: Call) -> list[tuple[str, str, dict]]:
    """(kind, recipient or reply token, message) for each message ``call`` got
    accepted; empty for other calls. A multicast gives one entry per recipient."""
    kind = _SEND_PATHS.get(call.path)
    if kind is None or call.method != "POST" or not call.accepted:
        return []
    body = call.json
    if kind == "reply":
        targets = [body["replyToken"]]
    elif kind == "push":
        targets = [body["to"]]
    else:
        targets = list(body["to"])
    return [(kind, target, m) for target in targets for m in body["messages"]]


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _json_size(obj: Any) -> int:
    return len(json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def _actions(obj: Any, prop: str) -> Iterator[tuple[Any, str]]:
    """Action objects nested in a message (template/flex/imagemap), not quick reply."""
    if isinstance(obj, dict):
        for key, value in obj.items():
            if key == "quickReply":
                continue
            where = f"{prop}.{key}"
            if key in ("action", "defaultAction") and isinstance(value, dict):
                yield value, where
            elif key == "actions" and isinstance(value, list):
                for i, a in enumerate(value):
                    yield a, f"{where}[{i}]"
            else:
                yield from _actions(value, where)
    elif isinstance(obj, list):
        for i, value in enumerate(obj):
            yield from _actions(value, f"{prop}[{i}]")


def _image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) of a PNG or JPEG, or None when it cannot tell."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR" and len(data) >= 24:
        return struct.unpack(">II", data[16:24])
    if data[:2] == b"\xff\xd8":
        i = 2
        while i + 4 <= len(data):
            if data[i] != 0xFF:
                return None
            marker = data[i + 1]
            if marker == 0xFF:
                i += 1
                continue
            if marker in (0x01, *range(0xD0, 0xDA)):
                i += 2
                continue
            (length,) = struct.unpack(">H", data[i + 2:i + 4])
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                if i + 9 > len(data):
                    return None
                height, width = struct.unpack(">HH", data[i + 5:i + 9])
                return width, height
            i += 2 + length
    return None


def _now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class _QuietHandler(WSGIRequestHandler):
    """No access log; remembers open connections so stop() can cut them."""

    def setup(self) -> None:
        super().setup()
        with self.server._fake_conns_lock:  # type: ignore[attr-defined]
            self.server._fake_conns.add(self.connection)  # type: ignore[attr-defined]

    def finish(self) -> None:
        with self.server._fake_conns_lock:  # type: ignore[attr-defined]
            self.server._fake_conns.discard(self.connection)  # type: ignore[attr-defined]
        super().finish()

    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass

    def log(self, type: str, message: str, *args: Any) -> None:
        if type == "error":
            super().log(type, message, *args)


def _rules() -> Map:
    r = [
        Rule("/v2/bot/message/reply", methods=["POST"], endpoint="reply"),
        Rule("/v2/bot/message/push", methods=["POST"], endpoint="push"),
        Rule("/v2/bot/message/multicast", methods=["POST"], endpoint="multicast"),
        Rule("/v2/bot/message/validate/<kind>", methods=["POST"], endpoint="validate_message"),
        Rule("/v2/bot/chat/loading/start", methods=["POST"], endpoint="loading"),
        Rule("/v2/bot/profile/<user_id>", methods=["GET"], endpoint="profile"),
        Rule("/v2/bot/message/<message_id>/content", methods=["GET"], endpoint="content"),
        Rule("/v2/bot/message/<message_id>/content/preview", methods=["GET"], endpoint="content"),
        Rule("/v2/bot/message/<message_id>/content/transcoding", methods=["GET"],
             endpoint="transcoding"),
        Rule("/v2/bot/message/quota", methods=["GET"], endpoint="quota"),
        Rule("/v2/bot/message/quota/consumption", methods=["GET"], endpoint="consumption"),
        Rule("/v2/bot/info", methods=["GET"], endpoint="bot_info"),
        Rule("/v2/bot/channel/webhook/endpoint", methods=["GET"], endpoint="get_webhook"),
        Rule("/v2/bot/channel/webhook/endpoint", methods=["PUT"], endpoint="set_webhook"),
        Rule("/v2/bot/channel/webhook/test", methods=["POST"], endpoint="test_webhook"),
        Rule("/v2/bot/richmenu", methods=["POST"], endpoint="create_rich_menu"),
        Rule("/v2/bot/richmenu/validate", methods=["POST"], endpoint="validate_rich_menu"),
        Rule("/v2/bot/richmenu/list", methods=["GET"], endpoint="list_rich_menus"),
        Rule("/v2/bot/richmenu/bulk/link", methods=["POST"], endpoint="bulk_link"),
        Rule("/v2/bot/richmenu/bulk/unlink", methods=["POST"], endpoint="bulk_unlink"),
        Rule("/v2/bot/richmenu/alias", methods=["POST"], endpoint="create_alias"),
        Rule("/v2/bot/richmenu/alias/list", methods=["GET"], endpoint="list_aliases"),
        Rule("/v2/bot/richmenu/alias/<alias_id>", methods=["GET"], endpoint="get_alias"),
        Rule("/v2/bot/richmenu/alias/<alias_id>", methods=["POST"], endpoint="update_alias"),
        Rule("/v2/bot/richmenu/alias/<alias_id>", methods=["DELETE"], endpoint="delete_alias"),
        Rule("/v2/bot/richmenu/<menu_id>", methods=["GET"], endpoint="get_rich_menu"),
        Rule("/v2/bot/richmenu/<menu_id>", methods=["DELETE"], endpoint="delete_rich_menu"),
        Rule("/v2/bot/richmenu/<menu_id>/content", methods=["POST"], endpoint="upload_image"),
        Rule("/v2/bot/richmenu/<menu_id>/content", methods=["GET"], endpoint="download_image"),
        Rule("/v2/bot/user/all/richmenu", methods=["GET"], endpoint="get_default"),
        Rule("/v2/bot/user/all/richmenu", methods=["DELETE"], endpoint="cancel_default"),
        Rule("/v2/bot/user/all/richmenu/<menu_id>", methods=["POST"], endpoint="set_default"),
        Rule("/v2/bot/user/<user_id>/richmenu", methods=["GET"], endpoint="get_user_menu"),
        Rule("/v2/bot/user/<user_id>/richmenu", methods=["DELETE"], endpoint="unlink_user"),
        Rule("/v2/bot/user/<user_id>/richmenu/<menu_id>", methods=["POST"],
             endpoint="link_user"),
    ]
    return Map(r, merge_slashes=False, strict_slashes=False)


def _json_response(status: int, payload: Any, headers: dict[str, str] | None = None) -> Response:
    return Response(
        json.dumps(payload, ensure_ascii=False),
        status=status,
        headers=headers or {},
        content_type="application/json; charset=utf-8",
    )


def _error(status: int, message: str, **extra: Any) -> Response:
    return _json_response(status, {"message": message, **extra})


def _invalid(details: list[dict[str, str]]) -> Response:
    return _error(400, f"The request body has {len(details)} error(s)", details=details)


class FakeLine:
    """A fake LINE Messaging API server. See the module docstring."""

    def __init__(self, *, access_token: str = "test-token", channel_secret: str | None = None,
                 quota_limit: int | None = None, allow_local_media: bool = False) -> None:
        self.access_token = access_token
        # LINE takes only https media URLs. In `make run` the bot's files are served at
        # http://127.0.0.1, so the development set-up (scripts/run.sh) lets those through.
        self.allow_local_media = allow_local_media
        self.channel_secret = channel_secret
        self.quota_limit: int | None = quota_limit
        self.quota_used = 0
        self.url = ""
        self.calls: list[Call] = []
        self.bot_info: dict[str, Any] = {
            "userId": "Ubot0123456789abcdef0123456789abcd",
            "basicId": "@tidtam",
            "displayName": "Tidtam",
            "chatMode": "bot",
            "markAsReadMode": "auto",
        }
        # Recipients a push to a group/room counts against the quota; default 1.
        self.member_counts: dict[str, int] = {}
        self.profiles: dict[str, dict[str, Any]] = {}
        self.contents: dict[str, tuple[bytes, str]] = {}
        self.webhook_endpoint: str | None = None
        self.webhook_timeout = 5.0
        self.rich_menus: dict[str, dict[str, Any]] = {}
        self.rich_menu_images: dict[str, tuple[bytes, str]] = {}
        self.rich_menu_aliases: dict[str, str] = {}
        self.default_rich_menu: str | None = None
        self.user_rich_menus: dict[str, str] = {}
        self.reply_token_users: dict[str, str] = {}  # reply token -> user, for the simulator
        # Called (outside the lock, in the server thread) with each recorded Call.
        self.on_call: Callable[[Call], None] | None = None

        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._reply_tokens: dict[str, float] = {}  # token -> expiry (monotonic)
        self._used_reply_tokens: set[str] = set()
        self._retry_keys: dict[str, dict[str, Any]] = {}
        self._failures: list[_Failure] = []
        self._random_failure: _RandomFailure | None = None
        self._message_ids = itertools.count(600_000_000_000_000_001)
        self._server: Any = None
        self._thread: threading.Thread | None = None
        self._map = _rules()

    # -- lifecycle ------------------------------------------------------------
    def start(self, *, host: str = "127.0.0.1", port: int = 0) -> Self:
        if self._server is not None:
            return self
        server = make_server(host, port, self._wsgi, threaded=True,
                             request_handler=_QuietHandler)
        server._fake_conns = set()
        server._fake_conns_lock = threading.Lock()
        self._server = server
        self.url = f"http://{host}:{server.server_port}"
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05},
            name=f"fake-line-{server.server_port}", daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        with server._fake_conns_lock:
            conns = list(server._fake_conns)
        for conn in conns:  # keep-alive connections would otherwise still be served
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def reset(self) -> None:
        """Forget calls, injected failures, reply tokens, retry keys and quota use."""
        with self._lock:
            self.calls.clear()
            self._failures.clear()
            self._random_failure = None
            self._reply_tokens.clear()
            self._used_reply_tokens.clear()
            self._retry_keys.clear()
            self.quota_used = 0

    # -- reply tokens ---------------------------------------------------------
    def issue_reply_token(self, *, ttl: float = 60.0) -> str:
        token = secrets.token_hex(16)
        with self._lock:
            self._reply_tokens[token] = time.monotonic() + ttl
        return token

    def expire_reply_token(self, token: str) -> None:
        with self._lock:
            if token in self._reply_tokens:
                self._reply_tokens[token] = 0.0

    # -- failure injection ----------------------------------------------------
    def fail_next(self, n: int = 1, *, status: int = 500, path: str | None = None,
                  message: str = "fake failure", delay: float = 0.0) -> None:
        """The next ``n`` requests matching ``path`` (exact or fnmatch glob; None:
        any) answer ``status`` with ``{"message": message}``, after ``delay`` s."""
        with self._lock:
            self._failures.append(_Failure(n, status, path, message, delay))

    def delay_next(self, n: int = 1, *, seconds: float, path: str | None = None) -> None:
        """The next ``n`` matching requests wait ``seconds``, then proceed normally
        (a push that the client gave up on is still delivered, as on LINE)."""
        with self._lock:
            self._failures.append(_Failure(n, None, path, "", seconds))

    def fail_randomly(self, ratio: float, *, statuses: Iterable[int] = (500, 429),
                      path: str | None = "/v2/bot/message/push", seed: int = 0) -> None:
        """Fail each matching request with probability ``ratio`` (0 disables)."""
        with self._lock:
            if ratio <= 0:
                self._random_failure = None
            else:
                self._random_failure = _RandomFailure(
                    ratio, tuple(statuses), path, random.Random(seed))

    # -- data -----------------------------------------------------------------
    def add_profile(self, user_id: str, display_name: str, picture_url: str | None = None,
                    *, status_message: str | None = None, language: str | None = None) -> None:
        profile: dict[str, Any] = {"userId": user_id, "displayName": display_name}
        if picture_url is not None:
            profile["pictureUrl"] = picture_url
        if status_message is not None:
            profile["statusMessage"] = status_message
        if language is not None:
            profile["language"] = language
        with self._lock:
            self.profiles[user_id] = profile

    def add_content(self, message_id: str, data: bytes, content_type: str = "image/jpeg") -> None:
        with self._lock:
            self.contents[message_id] = (bytes(data), content_type)

    def signature(self, body: bytes) -> str:
        """The x-line-signature for ``body`` under this fake's channel secret."""
        if self.channel_secret is None:
            raise ValueError("FakeLine has no channel_secret")
        return sign(self.channel_secret, body)

    # -- queries --------------------------------------------------------------
    def _accepted(self, kind: str, since: int = 0) -> list[Call]:
        with self._lock:
            return [c for c in self.calls[since:]
                    if c.method == "POST" and _SEND_PATHS.get(c.path) == kind and c.accepted]

    def messages_to(self, to: str) -> list[dict]:
        """Message objects from accepted pushes and multicasts to ``to``."""
        return [m for kind, recipient, m in self.sent_messages()
                if kind != "reply" and recipient == to]

    def replies(self) -> list[dict]:
        """Bodies of accepted reply requests."""
        return [c.json for c in self._accepted("reply")]

    def pushes(self) -> list[Call]:
        """Accepted push calls."""
        return self._accepted("push")

    def sent_messages(self, since: int = 0) -> list[tuple[str, str, dict]]:
        """(kind, recipient or reply token, message) for accepted sends in calls[since:];
        a multicast gives one entry per recipient."""
        with self._lock:
            calls = list(self.calls[since:])
        return [sent for c in calls for sent in sent_by(c)]

    def wait_for(self, predicate: Callable[[FakeLine], bool], timeout: float = 2.0) -> bool:
        """Block until ``predicate(self)`` is true (re-checked after each call)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not predicate(self):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._changed.wait(remaining)
            return True

    # -- the WSGI app ---------------------------------------------------------
    def _wsgi(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        request = Request(environ)
        if request.path.startswith("/_fake/"):
            return self._control(request)(environ, start_response)
        arrived = time.time()
        body = request.get_data()
        payload: Any = None
        if body and "json" in (request.mimetype or "json"):
            try:
                payload = json.loads(body)
            except ValueError:
                payload = None
        request_id = str(uuid.uuid4())
        try:
            response = self._handle(request, body, payload, request_id)
        except Exception as exc:  # a bug in the fake: say so loudly
            log.exception("fake LINE failed on %s %s", request.method, request.path)
            response = _error(500, f"fake LINE internal error: {exc!r}")
        response.headers["x-line-request-id"] = request_id
        response_json = None
        if response.mimetype == "application/json":
            try:
                response_json = json.loads(response.get_data())
            except ValueError:
                pass
        call = Call(
            method=request.method,
            path=request.path,
            headers=_Headers(request.headers.items()),
            json=payload,
            body=body,
            status=response.status_code,
            time=arrived,
            retry_key=request.headers.get("X-Line-Retry-Key"),
            request_id=request_id,
            response=response_json,
        )
        with self._changed:
            self.calls.append(call)
            self._changed.notify_all()
        callback = self.on_call
        if callback is not None:
            try:
                callback(call)
            except Exception:
                log.exception("FakeLine.on_call failed")
        return response(environ, start_response)

    # -- control endpoints for the development simulator (not part of LINE's API) ----
    def _control(self, request: Request) -> Response:
        """/_fake/...: issue reply tokens, add content and profiles, read what was sent.

        Not recorded as calls and not authenticated: the server listens on
        127.0.0.1 only, and these exist so a simulator in another process can
        play the LINE platform.
        """
        payload = request.get_json(silent=True) or {}
        if request.path == "/_fake/reply-token" and request.method == "POST":
            token = self.issue_reply_token()
            with self._lock:
                self.reply_token_users[token] = str(payload.get("user", ""))
            return _json_response(200, {"replyToken": token})
        if request.path == "/_fake/content" and request.method == "POST":
            message_id = request.args.get("id") or uuid.uuid4().hex
            self.add_content(message_id, request.get_data(), request.mimetype or "application/octet-stream")
            return _json_response(200, {"id": message_id})
        if request.path == "/_fake/profile" and request.method == "POST":
            self.add_profile(str(payload.get("userId", "")), str(payload.get("displayName", "")))
            return _json_response(200, {})
        if request.path == "/_fake/messages" and request.method == "GET":
            since = int(request.args.get("since", "0") or 0)
            with self._lock:
                total = len(self.calls)
                users = dict(self.reply_token_users)
            items = [{"kind": kind, "to": users.get(to, to) if kind == "reply" else to, "message": message}
                     for kind, to, message in self.sent_messages(since)]
            return _json_response(200, {"next": total, "items": items})
        return _json_response(404, {"message": f"Not found: {request.path}"})

    def _handle(self, request: Request, body: bytes, payload: Any, request_id: str) -> Response:
        if request.headers.get("Authorization") != f"Bearer {self.access_token}":
            return _error(401, AUTH_FAILED)
        status, message, delay = self._injected(request.path)
        if delay > 0:
            time.sleep(delay)
        if status is not None:
            return _error(status, message)
        try:
            endpoint, args = self._map.bind_to_environ(request.environ).match()
        except MethodNotAllowed:
            return _error(405, f"Method not allowed: {request.method} {request.path}")
        except NotFound:
            return _error(404, f"Not found: {request.path}")
        handler = getattr(self, f"_ep_{endpoint}")
        try:
            return handler(request=request, body=body, payload=payload,
                           request_id=request_id, **args)
        except _Invalid as exc:
            return _invalid(exc.details)

    def _injected(self, path: str) -> tuple[int | None, str, float]:
        with self._lock:
            status: int | None = None
            message = ""
            delay = 0.0
            fail = next((f for f in self._failures
                         if f.status is not None and f.matches(path)), None)
            wait = next((f for f in self._failures
                         if f.status is None and f.matches(path)), None)
            for rule in (fail, wait):
                if rule is None:
                    continue
                rule.remaining -= 1
                if rule.remaining <= 0:
                    self._failures.remove(rule)
                delay += rule.delay
            if fail is not None:
                status, message = fail.status, fail.message
            elif self._random_failure is not None:
                rf = self._random_failure
                if (rf.path is None or fnmatch.fnmatchcase(path, rf.path)) \
                        and rf.rng.random() < rf.ratio:
                    status = rf.rng.choice(rf.statuses)
                    message = RATE_LIMITED if status == 429 else "Internal server error"
            return status, message, delay

    @staticmethod
    def _body(payload: Any) -> dict:
        if not isinstance(payload, dict):
            raise _Invalid([{"message": "The request body must be a JSON object",
                             "property": ""}])
        return payload

    def _sent(self, messages: list) -> list[dict[str, str]]:
        return [{"id": str(next(self._message_ids)), "quoteToken": secrets.token_urlsafe(24)}
                for _ in messages]

    # -- sending --------------------------------------------------------------
    def _ep_reply(self, payload: Any, **_: Any) -> Response:
        body = self._body(payload)
        token = body.get("replyToken")
        with self._lock:
            expiry = self._reply_tokens.get(token) if isinstance(token, str) else None
            if expiry is None or token in self._used_reply_tokens \
                    or expiry <= time.monotonic():
                return _error(400, INVALID_REPLY_TOKEN)
            check = _Checker(allow_local_media=self.allow_local_media)
            check.messages(body.get("messages"))
            check.raise_if_any()
            self._used_reply_tokens.add(token)
            return _json_response(200, {"sentMessages": self._sent(body["messages"])})

    def _ep_push(self, request: Request, payload: Any, request_id: str, **_: Any) -> Response:
        return self._send(request, payload, request_id, multicast=False)

    def _ep_multicast(self, request: Request, payload: Any, request_id: str,
                      **_: Any) -> Response:
        return self._send(request, payload, request_id, multicast=True)

    def _send(self, request: Request, payload: Any, request_id: str, *,
              multicast: bool) -> Response:
        retry_key = request.headers.get("X-Line-Retry-Key")
        if retry_key is not None and not _UUID_RE.match(retry_key):
            return _error(400, "The value for the 'X-Line-Retry-Key' header is invalid")
        body = self._body(payload)
        with self._lock:
            if retry_key is not None and retry_key in self._retry_keys:
                earlier = self._retry_keys[retry_key]
                extra = {} if multicast else {"sentMessages": earlier["sentMessages"]}
                return _json_response(
                    409, {"message": RETRY_KEY_ACCEPTED, **extra},
                    headers={"x-line-accepted-request-id": earlier["requestId"]},
                )
            check = _Checker(allow_local_media=self.allow_local_media)
            to = body.get("to")
            if multicast:
                if not isinstance(to, list) or not 1 <= len(to) <= MAX_MULTICAST_TO \
                        or not all(isinstance(t, str) and t for t in to):
                    check.error("to", f"Size must be between 1 and {MAX_MULTICAST_TO}")
                    recipients = 0
                else:
                    recipients = len(to)
            else:
                if not isinstance(to, str) or not to:
                    check.error("to", "must be specified")
                    recipients = 0
                else:
                    recipients = self.member_counts.get(to, 1)
            check.messages(body.get("messages"))
            check.raise_if_any()
            if self.quota_limit is not None and self.quota_used + recipients > self.quota_limit:
                return _error(429, MONTHLY_LIMIT)
            self.quota_used += recipients
            sent = self._sent(body["messages"])
            if retry_key is not None:
                self._retry_keys[retry_key] = {"requestId": request_id, "sentMessages": sent}
            return _json_response(200, {} if multicast else {"sentMessages": sent})

    def _ep_validate_message(self, payload: Any, kind: str, **_: Any) -> Response:
        if kind not in ("reply", "push", "multicast", "narrowcast", "broadcast"):
            return _error(404, f"Not found: validate/{kind}")
        check = _Checker(allow_local_media=self.allow_local_media)
        check.messages(self._body(payload).get("messages"))
        check.raise_if_any()
        return _json_response(200, {})

    def _ep_loading(self, payload: Any, **_: Any) -> Response:
        body = self._body(payload)
        check = _Checker()
        check.string(body, "chatId", "")
        seconds = body.get("loadingSeconds", 20)
        if not isinstance(seconds, int) or not 5 <= seconds <= 60 or seconds % 5:
            check.error("loadingSeconds", "must be a multiple of 5 between 5 and 60")
        check.raise_if_any()
        return _json_response(202, {})

    # -- users and content ----------------------------------------------------
    def _ep_profile(self, user_id: str, **_: Any) -> Response:
        with self._lock:
            profile = self.profiles.get(user_id)
        if profile is None:
            return _error(404, "Not found")
        return _json_response(200, profile)

    def _ep_content(self, message_id: str, **_: Any) -> Response:
        with self._lock:
            item = self.contents.get(message_id)
        if item is None:
            return _error(404, "Not found")
        data, content_type = item
        return Response(data, status=200, content_type=content_type)

    def _ep_transcoding(self, message_id: str, **_: Any) -> Response:
        with self._lock:
            known = message_id in self.contents
        if not known:
            return _error(404, "Not found")
        return _json_response(200, {"status": "succeeded"})

    def _ep_quota(self, **_: Any) -> Response:
        if self.quota_limit is None:
            return _json_response(200, {"type": "none"})
        return _json_response(200, {"type": "limited", "value": self.quota_limit})

    def _ep_consumption(self, **_: Any) -> Response:
        return _json_response(200, {"totalUsage": self.quota_used})

    def _ep_bot_info(self, **_: Any) -> Response:
        return _json_response(200, self.bot_info)

    # -- webhook settings -----------------------------------------------------
    def _ep_get_webhook(self, **_: Any) -> Response:
        endpoint = self.webhook_endpoint
        return _json_response(200, {"endpoint": endpoint or "", "active": bool(endpoint)})

    def _ep_set_webhook(self, payload: Any, **_: Any) -> Response:
        check = _Checker()
        endpoint = check.string(self._body(payload), "endpoint", "", max_len=500)
        if endpoint is not None and not endpoint.startswith(("https://", "http://")):
            check.error("endpoint", "must be an http(s) URL")
        check.raise_if_any()
        with self._lock:
            self.webhook_endpoint = endpoint
        return _json_response(200, {})

    def _ep_test_webhook(self, payload: Any, **_: Any) -> Response:
        endpoint = payload.get("endpoint") if isinstance(payload, dict) else None
        endpoint = endpoint or self.webhook_endpoint
        if not endpoint:
            return _error(400, "The webhook endpoint is not set")
        data = json.dumps({"destination": self.bot_info["userId"], "events": []}).encode()
        headers = {"Content-Type": "application/json; charset=utf-8",
                   "User-Agent": "LineBotWebhook/2.0"}
        if self.channel_secret is not None:
            headers["x-line-signature"] = sign(self.channel_secret, data)
        req = urllib.request.Request(endpoint, data=data, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(req, timeout=self.webhook_timeout) as resp:
                status, reason = resp.status, resp.reason or "OK"
        except urllib.error.HTTPError as exc:
            status, reason = exc.code, str(exc.reason)
        except (urllib.error.URLError, OSError) as exc:
            timed_out = isinstance(getattr(exc, "reason", exc), (socket.timeout, TimeoutError))
            return _json_response(200, {
                "success": False, "timestamp": _now_iso(), "statusCode": 0,
                "reason": "REQUEST_TIMEOUT" if timed_out else "COULD_NOT_CONNECT",
                "detail": str(exc),
            })
        return _json_response(200, {
            "success": status == 200, "timestamp": _now_iso(), "statusCode": status,
            "reason": reason, "detail": str(status),
        })

    # -- rich menus -----------------------------------------------------------
    def _ep_create_rich_menu(self, payload: Any, **_: Any) -> Response:
        check = _Checker()
        check.rich_menu(payload)
        check.raise_if_any()
        menu_id = f"richmenu-{secrets.token_hex(16)}"
        menu = {"richMenuId": menu_id}
        menu.update({k: payload[k] for k in ("size", "selected", "name", "chatBarText", "areas")})
        with self._lock:
            self.rich_menus[menu_id] = menu
        return _json_response(200, {"richMenuId": menu_id})

    def _ep_validate_rich_menu(self, payload: Any, **_: Any) -> Response:
        check = _Checker()
        check.rich_menu(payload)
        check.raise_if_any()
        return _json_response(200, {})

    def _ep_list_rich_menus(self, **_: Any) -> Response:
        with self._lock:
            menus = list(self.rich_menus.values())
        return _json_response(200, {"richmenus": menus})

    def _ep_get_rich_menu(self, menu_id: str, **_: Any) -> Response:
        with self._lock:
            menu = self.rich_menus.get(menu_id)
        if menu is None:
            return _error(404, "Not found")
        return _json_response(200, menu)

    def _ep_delete_rich_menu(self, menu_id: str, **_: Any) -> Response:
        with self._lock:
            if self.rich_menus.pop(menu_id, None) is None:
                return _error(404, "Not found")
            self.rich_menu_images.pop(menu_id, None)
            if self.default_rich_menu == menu_id:
                self.default_rich_menu = None
            for user_id in [u for u, m in self.user_rich_menus.items() if m == menu_id]:
                del self.user_rich_menus[user_id]
            for alias in [a for a, m in self.rich_menu_aliases.items() if m == menu_id]:
                del self.rich_menu_aliases[alias]
        return _json_response(200, {})

    def _ep_upload_image(self, request: Request, body: bytes, menu_id: str,
                         **_: Any) -> Response:
        content_type = request.mimetype
        if content_type not in ("image/png", "image/jpeg"):
            return _error(415, f"Content-Type must be image/png or image/jpeg, "
                               f"not {content_type or 'missing'}")
        if len(body) > MAX_RICH_MENU_IMAGE_BYTES:
            return _error(413, "Request Entity Too Large: the image must be at most 1 MB")
        if not body:
            return _error(400, "The image is empty")
        with self._lock:
            menu = self.rich_menus.get(menu_id)
            if menu is None:
                return _error(404, "Not found")
            if menu_id in self.rich_menu_images:
                return _error(400, "An image has already been uploaded to the richmenu")
            size = _image_size(body)
            expected = (menu["size"]["width"], menu["size"]["height"])
            if size is not None and size != expected:
                return _error(400, f"The image is {size[0]}x{size[1]}; the rich menu is "
                                   f"{expected[0]}x{expected[1]}")
            self.rich_menu_images[menu_id] = (body, content_type)
        return _json_response(200, {})

    def _ep_download_image(self, menu_id: str, **_: Any) -> Response:
        with self._lock:
            item = self.rich_menu_images.get(menu_id)
        if item is None:
            return _error(404, "Not found")
        return Response(item[0], status=200, content_type=item[1])

    def _usable_menu(self, menu_id: str) -> Response | None:
        """An error response unless menu_id exists and has an image (call locked)."""
        if menu_id not in self.rich_menus:
            return _error(404, "Not found")
        if menu_id not in self.rich_menu_images:
            return _error(400, "must upload richmenu image before applying it to user")
        return None

    def _ep_set_default(self, menu_id: str, **_: Any) -> Response:
        with self._lock:
            problem = self._usable_menu(menu_id)
            if problem is not None:
                return problem
            self.default_rich_menu = menu_id
        return _json_response(200, {})

    def _ep_get_default(self, **_: Any) -> Response:
        menu_id = self.default_rich_menu
        if menu_id is None:
            return _error(404, "no default richmenu")
        return _json_response(200, {"richMenuId": menu_id})

    def _ep_cancel_default(self, **_: Any) -> Response:
        with self._lock:
            self.default_rich_menu = None
        return _json_response(200, {})

    def _ep_link_user(self, user_id: str, menu_id: str, **_: Any) -> Response:
        with self._lock:
            problem = self._usable_menu(menu_id)
            if problem is not None:
                return problem
            self.user_rich_menus[user_id] = menu_id
        return _json_response(200, {})

    def _ep_get_user_menu(self, user_id: str, **_: Any) -> Response:
        with self._lock:
            menu_id = self.user_rich_menus.get(user_id)
        if menu_id is None:
            return _error(404, "the user has no richmenu")
        return _json_response(200, {"richMenuId": menu_id})

    def _ep_unlink_user(self, user_id: str, **_: Any) -> Response:
        with self._lock:
            self.user_rich_menus.pop(user_id, None)
        return _json_response(200, {})

    def _user_ids(self, body: dict) -> list[str]:
        users = body.get("userIds")
        if not isinstance(users, list) or not 1 <= len(users) <= 500 \
                or not all(isinstance(u, str) and u for u in users):
            raise _Invalid([{"message": "Size must be between 1 and 500",
                             "property": "userIds"}])
        return users

    def _ep_bulk_link(self, payload: Any, **_: Any) -> Response:
        body = self._body(payload)
        users = self._user_ids(body)
        menu_id = body.get("richMenuId")
        with self._lock:
            problem = self._usable_menu(menu_id if isinstance(menu_id, str) else "")
            if problem is not None:
                return problem
            for user_id in users:
                self.user_rich_menus[user_id] = menu_id
        return _json_response(202, {})

    def _ep_bulk_unlink(self, payload: Any, **_: Any) -> Response:
        users = self._user_ids(self._body(payload))
        with self._lock:
            for user_id in users:
                self.user_rich_menus.pop(user_id, None)
        return _json_response(202, {})

    def _ep_create_alias(self, payload: Any, **_: Any) -> Response:
        body = self._body(payload)
        alias_id, menu_id = body.get("richMenuAliasId"), body.get("richMenuId")
        if not isinstance(alias_id, str) or not _ALIAS_ID_RE.match(alias_id):
            raise _Invalid([{"message": "must match [a-z0-9_-]{1,32}",
                             "property": "richMenuAliasId"}])
        with self._lock:
            if menu_id not in self.rich_menus:
                return _error(400, "richmenu not found")
            if alias_id in self.rich_menu_aliases:
                return _error(400, "conflict richmenu alias id")
            self.rich_menu_aliases[alias_id] = menu_id
        return _json_response(200, {})

    def _ep_list_aliases(self, **_: Any) -> Response:
        with self._lock:
            aliases = [{"richMenuAliasId": a, "richMenuId": m}
                       for a, m in self.rich_menu_aliases.items()]
        return _json_response(200, {"aliases": aliases})

    def _ep_get_alias(self, alias_id: str, **_: Any) -> Response:
        with self._lock:
            menu_id = self.rich_menu_aliases.get(alias_id)
        if menu_id is None:
            return _error(404, "Not found")
        return _json_response(200, {"richMenuAliasId": alias_id, "richMenuId": menu_id})

    def _ep_update_alias(self, payload: Any, alias_id: str, **_: Any) -> Response:
        menu_id = self._body(payload).get("richMenuId")
        with self._lock:
            if alias_id not in self.rich_menu_aliases:
                return _error(404, "Not found")
            if menu_id not in self.rich_menus:
                return _error(400, "richmenu not found")
            self.rich_menu_aliases[alias_id] = menu_id
        return _json_response(200, {})

    def _ep_delete_alias(self, alias_id: str, **_: Any) -> Response:
        with self._lock:
            if self.rich_menu_aliases.pop(alias_id, None) is None:
                return _error(404, "Not found")
        return _json_response(200, {})


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m devkit.fake_line", description="Run a fake LINE Messaging API.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--access-token", default="test-token")
    parser.add_argument("--channel-secret", default=None)
    parser.add_argument("--quota-limit", type=int, default=None)
    parser.add_argument("--quiet", action="store_true", help="do not print each request")
    parser.add_argument("--allow-local-media", action="store_true",
                        help="development: accept http://127.0.0.1 and http://localhost image URLs "
                             "(real LINE takes https only)")
    args = parser.parse_args(argv)
    fake = FakeLine(access_token=args.access_token, channel_secret=args.channel_secret,
                    quota_limit=args.quota_limit, allow_local_media=args.allow_local_media)
    if not args.quiet:
        def show(call: Call) -> None:
            print(f"{call.status} {call.method} {call.path}", flush=True)
            for kind, target, message in sent_by(call):
                text = message.get("text") or message.get("altText") or message.get("type")
                print(f"    {kind} -> {target}: {text}", flush=True)
        fake.on_call = show
    fake.start(host=args.host, port=args.port)
    print(fake.url, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        fake.stop()


if __name__ == "__main__":
    main()
