"""The LINE client against the fake LINE server: retries, retry keys, fallbacks."""
from __future__ import annotations

import pytest
import urllib3
from linebot.v3.messaging import MessageAction, QuickReply, QuickReplyItem, TextMessage

from core.services import line_config
from core.settings import Settings
from line import views
from line.client import ContentError, LineClient


@pytest.fixture
def client(line):
    settings = Settings(env="test", line_channel_access_token="test-access-token",
                        line_api_base_url=line.url, line_data_api_base_url=line.url,
                        line_read_timeout=0.5)
    return LineClient(line_config(settings))


def _keys(line, path="/v2/bot/message/push"):
    return [c.retry_key for c in line.calls if c.path == path]


def test_push_sends_a_fresh_retry_key_each_message(client, line):
    assert client.push("U1", [views.text("a")]).delivered
    assert client.push("U1", [views.text("b")]).delivered
    keys = _keys(line)
    assert len(keys) == 2 and keys[0] and keys[0] != keys[1]


def test_5xx_is_retried_with_the_same_key(client, line):
    line.fail_next(2, status=500, path="/v2/bot/message/push")
    result = client.push("U1", [views.text("hello")], attempts=3, backoff=0.01)
    assert result.delivered and result.status == 200
    keys = _keys(line)
    assert len(keys) == 3 and len(set(keys)) == 1
    assert [m["text"] for m in line.messages_to("U1")] == ["hello"]


def test_409_for_an_accepted_key_counts_as_delivered(client, line):
    first = client.push("U1", [views.text("once")])
    again = client.push("U1", [views.text("once")], retry_key=first.retry_key)
    assert again.delivered and again.status == 409
    assert len(line.messages_to("U1")) == 1


def test_timeout_is_retried_with_the_same_key(client, line):
    line.delay_next(1, seconds=1.5, path="/v2/bot/message/push")
    result = client.push("U1", [views.text("slow")], attempts=2, backoff=0.01)
    assert result.delivered
    keys = _keys(line)
    assert len(set(keys)) == 1
    # The slow first attempt may have been accepted late: either way one message.
    assert len(line.messages_to("U1")) == 1


def test_4xx_is_not_retried(client, line):
    line.fail_next(1, status=400, path="/v2/bot/message/push")
    result = client.push("U1", [views.text("x")], attempts=3, backoff=0.01)
    assert not result.delivered and result.status == 400 and not result.retryable
    assert len(_keys(line)) == 1


def test_monthly_quota_is_recognised(client, line):
    line.quota_limit = 0
    result = client.push("U1", [views.text("x")], attempts=3, backoff=0.01)
    assert result.quota_exhausted and not result.retryable
    assert len(_keys(line)) == 1


def test_rate_limit_429_is_retried(client, line):
    line.fail_next(1, status=429, path="/v2/bot/message/push", message="Too many requests")
    result = client.push("U1", [views.text("x")], attempts=2, backoff=0.01)
    assert result.delivered and not result.quota_exhausted


def test_reply_with_used_token_falls_back_to_push(client, line):
    token = line.issue_reply_token()
    assert client.reply(token, [views.text("first")], fallback_to="U1").via == "reply"
    result = client.reply(token, [views.text("second")], fallback_to="U1")
    assert result.delivered and result.via == "push"
    assert [m["text"] for m in line.messages_to("U1")] == ["second"]


def test_reply_without_fallback_reports_failure(client, line):
    result = client.reply("unknown-token", [views.text("x")])
    assert not result.delivered and result.status == 400


def _flex_with_quick_replies() -> dict:
    bubble = {"type": "bubble", "body": {"type": "box", "layout": "vertical", "contents": [
        {"type": "text", "text": "มาตรการ 1", "wrap": True},
        {"type": "button", "action": views.postback_action("รายงาน", "รายงานมาตรการ 1", a="rep", m=1, p="2025-01")}]}}
    return views.flex("มาตรการที่ครบกำหนด", {"type": "carousel", "contents": [bubble]},
                      [views.say_action("สรุป"), *views.camera_actions()])


def test_reply_sends_dict_messages_as_they_are(client, line):
    messages = [views.text("สวัสดีค่ะ", [views.say_action("ยืนยัน"), views.postback_action("ดู", a="x", m=2)]),
                _flex_with_quick_replies(),
                views.image("https://example.com/a.png", "https://example.com/a-preview.png")]
    token = line.issue_reply_token()
    result = client.reply(token, messages, fallback_to="U1")
    assert result.delivered and result.via == "reply" and result.status == 200
    (call,) = [c for c in line.calls if c.path == "/v2/bot/message/reply"]
    assert call.accepted and call.headers["Authorization"] == "Bearer test-access-token"
    assert call.headers["Content-Type"] == "application/json" and call.retry_key is None
    assert call.json == {"replyToken": token, "messages": messages, "notificationDisabled": False}


def test_push_sends_dict_messages_with_a_retry_key(client, line):
    messages = [views.text("แจ้งเตือน"), _flex_with_quick_replies()]
    result = client.push("U1", messages, retry_key="0b6c3f2e-6f7a-4d8e-9a51-2c1e4f5a6b7c")
    assert result.delivered and result.via == "push" and result.retry_key == "0b6c3f2e-6f7a-4d8e-9a51-2c1e4f5a6b7c"
    (call,) = line.pushes()
    assert call.retry_key == result.retry_key and call.headers["Content-Type"] == "application/json"
    assert call.json == {"to": "U1", "messages": messages, "notificationDisabled": False}
    assert line.messages_to("U1") == messages


def test_reply_with_a_dead_token_pushes_the_same_dict_messages(client, line):
    messages = [views.text("ตอบกลับ", [views.say_action("ยืนยัน")]), _flex_with_quick_replies()]
    result = client.reply("expired-token", messages, fallback_to="U1")
    assert result.delivered and result.via == "push"
    assert line.messages_to("U1") == messages


def test_at_most_five_messages_are_sent(client, line):
    assert client.push("U1", [views.text(str(n)) for n in range(7)]).delivered
    assert [m["text"] for m in line.messages_to("U1")] == ["0", "1", "2", "3", "4"]


def test_sdk_message_models_are_still_accepted_and_sent_the_same(client, line):
    model = TextMessage(text="เลือก", quick_reply=QuickReply(items=[
        QuickReplyItem(action=MessageAction(label="ยืนยัน", text="ยืนยัน"))]))
    token = line.issue_reply_token()
    assert client.reply(token, [model]).delivered
    assert client.push("U1", [model]).delivered
    expected = views.text("เลือก", [views.say_action("ยืนยัน")])
    assert [c.json["messages"] for c in line.calls if c.path.startswith("/v2/bot/message/")] == [[expected]] * 2


def test_content_download_and_size_limit(client, line):
    line.add_content("m1", b"\x89PNG" + b"0" * 100, "image/png")
    data, content_type = client.content("m1", max_bytes=1000)
    assert data.startswith(b"\x89PNG") and content_type == "image/png"
    with pytest.raises(ContentError) as exc:
        client.content("m1", max_bytes=10)
    assert exc.value.reason == "too_large"
    with pytest.raises(ContentError) as exc:
        client.content("missing", max_bytes=10)
    assert exc.value.reason == "unavailable"


def test_unreachable_line_is_a_failed_result_not_an_exception():
    settings = Settings(env="test", line_api_base_url="http://127.0.0.1:9", line_read_timeout=0.5,
                        line_connect_timeout=0.5)
    result = LineClient(line_config(settings)).push("U1", [views.text("x")], attempts=2, backoff=0.01)
    assert not result.delivered and result.status is None and result.retryable


def test_profile(client, line):
    line.add_profile("U-p", "สมชาย")
    assert client.display_name("U-p") == "สมชาย"
    assert client.display_name("U-nobody") is None


def test_a_tls_failure_is_retried_with_the_same_key(client, line, monkeypatch):
    """A TLS handshake cut by the network is passing, like a timeout: the push is tried again."""
    pool = client.api.api_client.rest_client.pool_manager
    real, failures = pool.request, []

    def flaky(method, url, **kwargs):
        if not failures:
            failures.append(kwargs["headers"]["X-Line-Retry-Key"])
            raise urllib3.exceptions.SSLError("handshake interrupted")
        return real(method, url, **kwargs)

    monkeypatch.setattr(pool, "request", flaky)
    result = client.push("U1", [views.text("hello")], attempts=2, backoff=0.01)
    assert result.delivered
    assert _keys(line) == failures  # the second try carried the first one's key


def test_a_failed_answer_carries_lines_own_sentence(client, line):
    line.fail_next(1, status=400, path="/v2/bot/message/push")
    result = client.push("U1", [views.text("hello")])
    assert not result.delivered and result.status == 400 and not result.retryable
    assert result.error and "{" not in result.error  # LINE's message, not its raw JSON
