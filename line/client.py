"""The only code that talks to LINE: replies, pushes, profiles, content, set-up calls.

Every call has explicit timeouts. Pushes carry an ``X-Line-Retry-Key`` that is
reused on every retry of the same message, and a 409 for an accepted key counts
as delivered. A reply whose token has expired or was used falls back to a push.

Replies and pushes send messages as LINE JSON (line.views builds them as dicts)
on the SDK's own connection pool, without its request and response models or
its REST layer: building, validating and serialising those pydantic models
cost more CPU than the rest of answering an event. SDK message models are
still accepted and converted with ``to_dict()``.
"""
from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import urllib3
from linebot.v3.messaging import (
    ApiClient,
    ApiException,
    Configuration,
    MessagingApi,
    MessagingApiBlob,
    ShowLoadingAnimationRequest,
)
from linebot.v3.messaging.models import Message as SdkMessage

from line.views import MAX_MESSAGES, as_json

log = logging.getLogger(__name__)

MONTHLY_LIMIT_TEXT = "monthly limit"
JSON_HEADERS = {"Accept": "application/json", "Content-Type": "application/json"}
DEV_ACCESS_TOKEN = "tidtam-development-token"


@dataclass(frozen=True)
class SendResult:
    """What became of one reply or push."""

    delivered: bool
    status: int | None = None  # HTTP status, None for a network failure
    error: str = ""
    retry_key: str | None = None
    via: str = "reply"  # reply | push
    quota_exhausted: bool = False

    @property
    def retryable(self) -> bool:
        if self.delivered or self.quota_exhausted:
            return False
        return self.status is None or self.status >= 500 or self.status == 429


def new_retry_key() -> str:
    return str(uuid.uuid4())


def wire_messages(messages: Sequence[dict[str, Any] | SdkMessage]) -> list[dict[str, Any]]:
    """At most five messages, as LINE JSON."""
    return [as_json(m) for m in list(messages)[:MAX_MESSAGES]]


def _api_error_message(exc: ApiException) -> str:
    """LINE's own error sentence (and details), not the raw JSON body."""
    body = exc.body
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    try:
        data = json.loads(body or "")
    except ValueError:
        return (body or exc.reason or "")[:300]
    if not isinstance(data, dict):
        return str(data)[:300]
    details = "; ".join(f"{d.get('property', '')}: {d.get('message', '')}" for d in data.get("details") or []
                        if isinstance(d, dict))
    return (str(data.get("message", "")) + (f" ({details})" if details else ""))[:300]


@dataclass(frozen=True)
class LineConfig:
    """Where and how to reach one LINE channel's API."""

    access_token: str = ""
    api_base_url: str = "https://api.line.me"
    data_api_base_url: str = "https://api-data.line.me"
    connect_timeout: float = 3.0
    read_timeout: float = 10.0


class LineClient:
    """A thin, timeout-bounded wrapper over the LINE SDK for one channel."""

    def __init__(self, config: LineConfig) -> None:
        self.config = config
        self.timeout = (config.connect_timeout, config.read_timeout)
        self._timeout = urllib3.Timeout(connect=config.connect_timeout, read=config.read_timeout)
        self._local = threading.local()

    def _clients(self) -> tuple[MessagingApi, MessagingApiBlob]:
        # urllib3 pools are thread-safe, but the SDK's ApiClient keeps per-call
        # state; one per thread keeps threaded workers out of each other's way.
        clients = getattr(self._local, "clients", None)
        if clients is None:
            token = self.config.access_token or DEV_ACCESS_TOKEN
            config = Configuration(access_token=token, host=self.config.api_base_url)
            config.retries = False  # retries are ours, with the same retry key
            blob_config = Configuration(access_token=token, host=self.config.data_api_base_url)
            blob_config.retries = False
            clients = (MessagingApi(ApiClient(config)), MessagingApiBlob(ApiClient(blob_config)))
            self._local.clients = clients
        return clients

    @property
    def api(self) -> MessagingApi:
        return self._clients()[0]

    @property
    def blob(self) -> MessagingApiBlob:
        return self._clients()[1]

    # -- sending -----------------------------------------------------------

    def reply(self, reply_token: str, messages: Sequence[dict[str, Any] | SdkMessage], *,
              fallback_to: str | None = None) -> SendResult:
        """Reply with up to five messages; on a dead token push to ``fallback_to`` instead."""
        messages = wire_messages(messages)
        if not messages:
            return SendResult(delivered=True, via="reply")
        try:
            self._post("/v2/bot/message/reply",
                       {"replyToken": reply_token, "messages": messages, "notificationDisabled": False})
            return SendResult(delivered=True, status=200, via="reply")
        except ApiException as exc:
            result = SendResult(delivered=False, status=exc.status, error=_api_error_message(exc), via="reply")
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            result = SendResult(delivered=False, error=type(exc).__name__, via="reply")
        if fallback_to:
            log.warning("reply failed (status=%s, %s); falling back to push", result.status, result.error[:80])
            return self.push(fallback_to, messages, attempts=2)
        log.warning("reply failed (status=%s, %s) and no fallback", result.status, result.error[:80])
        return result

    def push(self, to: str, messages: Sequence[dict[str, Any] | SdkMessage], *, retry_key: str | None = None,
             attempts: int = 1, backoff: float = 0.5) -> SendResult:
        """Push messages to one user or group, retrying transient failures with the same key."""
        key = retry_key or new_retry_key()
        messages = wire_messages(messages)
        result = SendResult(delivered=False, retry_key=key, via="push")
        for attempt in range(max(1, attempts)):
            if attempt:
                time.sleep(backoff * (2 ** (attempt - 1)))
            result = self._push_once(to, messages, key)
            if not result.retryable:
                return result
        return result

    def push_json(self, to: str, messages: list[dict[str, Any]], *, retry_key: str) -> SendResult:
        """Push messages already stored as LINE JSON (the outbox), once, with the given key."""
        return self._push_once(to, wire_messages(messages), retry_key)

    def _push_once(self, to: str, messages: list[dict[str, Any]], key: str) -> SendResult:
        try:
            self._post("/v2/bot/message/push", {"to": to, "messages": messages, "notificationDisabled": False},
                       retry_key=key)
            return SendResult(delivered=True, status=200, retry_key=key, via="push")
        except ApiException as exc:
            if exc.status == 409:
                # LINE already accepted a request with this key: delivered.
                return SendResult(delivered=True, status=409, retry_key=key, via="push")
            message = _api_error_message(exc)
            return SendResult(
                delivered=False, status=exc.status, error=message, retry_key=key, via="push",
                quota_exhausted=exc.status == 429 and MONTHLY_LIMIT_TEXT in message.lower(),
            )
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            return SendResult(delivered=False, error=type(exc).__name__, retry_key=key, via="push")

    def _post(self, path: str, body: dict[str, Any], *, retry_key: str | None = None) -> None:
        """POST a JSON body on the SDK's connection pool, with its auth header; a non-2xx answer raises ApiException.

        Straight to urllib3: the SDK's ``call_api`` would walk our dict again
        (``sanitize_for_serialization``) and pass it through its REST layer
        before serialising it the same way. LINE's answer (the sent message
        ids) is read, so the connection goes back to the pool, and not parsed.
        A network or TLS failure raises urllib3's error, which the callers
        treat as passing (a push is tried again with the same retry key).
        """
        api_client = self.api.api_client
        headers = {**api_client.default_headers, **JSON_HEADERS}
        if retry_key:
            headers["X-Line-Retry-Key"] = retry_key
        response = api_client.rest_client.pool_manager.request(
            "POST", self.config.api_base_url + path, body=json.dumps(body).encode(), headers=headers,
            timeout=self._timeout, retries=False)
        if not 200 <= response.status <= 299:
            error = ApiException(status=response.status, reason=response.reason)
            error.body, error.headers = response.data, response.headers
            raise error

    def start_loading(self, chat_id: str, seconds: int = 20) -> None:
        """Show the typing animation in a 1:1 chat; failures are harmless and only logged."""
        try:
            self.api.show_loading_animation(
                ShowLoadingAnimationRequest(chat_id=chat_id, loading_seconds=seconds),
                _request_timeout=self.timeout,
            )
        except (ApiException, urllib3.exceptions.HTTPError, OSError) as exc:
            log.info("loading animation not shown: %s", type(exc).__name__)

    # -- reading -----------------------------------------------------------

    def display_name(self, user_id: str) -> str | None:
        """Return the user's LINE display name, or None when unavailable."""
        try:
            return self.api.get_profile(user_id, _request_timeout=self.timeout).display_name
        except (ApiException, urllib3.exceptions.HTTPError, OSError):
            return None

    def content(self, message_id: str, *, max_bytes: int) -> tuple[bytes, str]:
        """Download what a user sent as (bytes, content type); raise ContentError when missing or too large."""
        try:
            response = self.blob.get_message_content_with_http_info(
                message_id, _request_timeout=self.timeout
            )
        except ApiException as exc:
            raise ContentError("unavailable", f"status {exc.status}") from None
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise ContentError("unavailable", type(exc).__name__) from None
        data = bytes(response.data or b"")
        if len(data) > max_bytes:
            raise ContentError("too_large", f"{len(data)} bytes")
        content_type = (response.headers or {}).get("Content-Type", "application/octet-stream")
        return data, content_type


class ContentError(Exception):
    """A user's media could not be fetched; ``reason`` is ``unavailable`` or ``too_large``."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
