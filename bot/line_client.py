"""The only code that talks to LINE: replies, pushes, profiles, content, set-up calls.

Every call has explicit timeouts. Pushes carry an ``X-Line-Retry-Key`` that is
reused on every retry of the same message, and a 409 for an accepted key counts
as delivered. A reply whose token has expired or was used falls back to a push.
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
    PushMessageRequest,
    ReplyMessageRequest,
    ShowLoadingAnimationRequest,
)
from linebot.v3.messaging.models import Message

from bot.settings import Settings

log = logging.getLogger(__name__)

MONTHLY_LIMIT_TEXT = "monthly limit"
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


class LineClient:
    """A thin, timeout-bounded wrapper over the LINE SDK for one channel."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.timeout = (settings.line_connect_timeout, settings.line_read_timeout)
        self._local = threading.local()

    def _clients(self) -> tuple[MessagingApi, MessagingApiBlob]:
        # urllib3 pools are thread-safe, but the SDK's ApiClient keeps per-call
        # state; one per thread keeps threaded workers out of each other's way.
        clients = getattr(self._local, "clients", None)
        if clients is None:
            token = self.settings.line_channel_access_token or DEV_ACCESS_TOKEN
            config = Configuration(access_token=token, host=self.settings.line_api_base_url)
            config.retries = False  # retries are ours, with the same retry key
            blob_config = Configuration(access_token=token, host=self.settings.line_data_api_base_url)
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

    def reply(self, reply_token: str, messages: Sequence[Message], *, fallback_to: str | None = None) -> SendResult:
        """Reply with up to five messages; on a dead token push to ``fallback_to`` instead."""
        messages = list(messages)[:5]
        if not messages:
            return SendResult(delivered=True, via="reply")
        try:
            self.api.reply_message(
                ReplyMessageRequest(reply_token=reply_token, messages=messages),
                _request_timeout=self.timeout,
            )
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

    def push(self, to: str, messages: Sequence[Message], *, retry_key: str | None = None,
             attempts: int = 1, backoff: float = 0.5) -> SendResult:
        """Push messages to one user or group, retrying transient failures with the same key."""
        key = retry_key or new_retry_key()
        messages = list(messages)[:5]
        result = SendResult(delivered=False, retry_key=key, via="push")
        for attempt in range(max(1, attempts)):
            if attempt:
                time.sleep(backoff * (2 ** (attempt - 1)))
            result = self._push_once(to, messages, key)
            if not result.retryable:
                return result
        return result

    def push_json(self, to: str, messages: list[dict[str, Any]], *, retry_key: str) -> SendResult:
        """Push messages already stored as LINE JSON (the outbox), once, with the given key.

        The SDK's own client sends the request, but without rebuilding and
        re-validating message models that were validated when they were made:
        for a fan-out to thousands of officers that work dominates.
        """
        return self._push_once(to, list(messages)[:5], retry_key, prepared=True)

    def _push_once(self, to: str, messages: list, key: str, *, prepared: bool = False) -> SendResult:
        try:
            if prepared:
                self.api.api_client.call_api(
                    "/v2/bot/message/push", "POST", {}, [],
                    {"Accept": "application/json", "Content-Type": "application/json", "X-Line-Retry-Key": key},
                    body={"to": to, "messages": messages}, post_params=[], files={}, response_types_map={},
                    auth_settings=["Bearer"], _preload_content=False, _request_timeout=self.timeout,
                    collection_formats={},
                )
            else:
                self.api.push_message(
                    PushMessageRequest(to=to, messages=messages),
                    x_line_retry_key=key,
                    _request_timeout=self.timeout,
                )
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
