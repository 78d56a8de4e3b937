"""The fake LINE server, driven by the real line-bot-sdk over HTTP."""
from __future__ import annotations

import json
import struct
import subprocess
import sys
import threading
import uuid
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import urllib3
from linebot.v3.messaging import (
    ApiClient,
    ApiException,
    Configuration,
    CreateRichMenuAliasRequest,
    FlexBox,
    FlexBubble,
    FlexCarousel,
    FlexMessage,
    FlexText,
    MessagingApi,
    MessagingApiBlob,
    MulticastRequest,
    PostbackAction,
    PushMessageRequest,
    QuickReply,
    QuickReplyItem,
    ReplyMessageRequest,
    RichMenuArea,
    RichMenuBounds,
    RichMenuRequest,
    RichMenuSize,
    SetWebhookEndpointRequest,
    ShowLoadingAnimationRequest,
    TextMessage,
)
from linebot.v3.messaging import (
    TestWebhookEndpointRequest as WebhookTestRequest,
)

from devkit.fake_line import Call, FakeLine, sign

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = (2, 5)


@pytest.fixture
def fake():
    with FakeLine(channel_secret="s3cret") as server:
        yield server


@pytest.fixture
def client(fake):
    with ApiClient(Configuration(access_token=fake.access_token, host=fake.url)) as c:
        yield c


@pytest.fixture
def api(client):
    return MessagingApi(client)


@pytest.fixture
def blob(client):
    return MessagingApiBlob(client)


def push(api, to="U1", text="hello", key=None, timeout=TIMEOUT):
    request = PushMessageRequest(to=to, messages=[TextMessage(text=text)])
    return api.push_message_with_http_info(
        request, x_line_retry_key=key, _request_timeout=timeout)


def body_of(exc: ApiException) -> dict:
    return json.loads(exc.body)


def png(width: int, height: int) -> bytes:
    def chunk(tag: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(tag + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", crc)

    raw = (b"\x00" + b"\x00" * width) * height
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9))
            + chunk(b"IEND", b""))


def rich_menu_request(height: int = 843, areas: int = 2) -> RichMenuRequest:
    width = 2500 // areas
    return RichMenuRequest(
        size=RichMenuSize(width=2500, height=height),
        selected=True,
        name="main",
        chat_bar_text="เมนู",
        areas=[
            RichMenuArea(
                bounds=RichMenuBounds(x=i * width, y=0, width=width, height=height),
                action=PostbackAction(label=f"b{i}", data=f"action=menu&i={i}"),
            )
            for i in range(areas)
        ],
    )


# -- push, retry keys, failures -----------------------------------------------


def test_push_is_recorded_and_counted(fake, api):
    response = push(api, text="สวัสดี")
    assert response.status_code == 200
    assert len(response.data.sent_messages) == 1
    assert response.headers["x-line-request-id"]
    assert fake.messages_to("U1") == [{"type": "text", "text": "สวัสดี"}]
    assert fake.quota_used == 1
    [call] = fake.pushes()
    assert isinstance(call, Call)
    assert call.headers["authorization"] == "Bearer test-token"
    assert call.headers["Authorization"] == "Bearer test-token"
    assert call.request_id == response.headers["x-line-request-id"]
    assert fake.sent_messages() == [("push", "U1", {"type": "text", "text": "สวัสดี"})]


def test_same_retry_key_answers_409_with_accepted_request_id(fake, api):
    key = str(uuid.uuid4())
    first = push(api, key=key)
    with pytest.raises(ApiException) as info:
        push(api, key=key)
    assert info.value.status == 409
    assert body_of(info.value)["message"] == "The retry key is already accepted"
    assert info.value.headers["x-line-accepted-request-id"] == \
        first.headers["x-line-request-id"]
    assert len(fake.messages_to("U1")) == 1
    assert fake.quota_used == 1
    assert [c.retry_key for c in fake.calls] == [key, key]


def test_retry_key_must_be_a_uuid(api):
    with pytest.raises(ApiException) as info:
        push(api, key="not-a-uuid")
    assert info.value.status == 400


def test_failed_attempts_can_be_retried_with_the_same_key(fake, api):
    fake.fail_next(2, status=500, path="/v2/bot/message/push")
    key = str(uuid.uuid4())
    for _ in range(2):
        with pytest.raises(ApiException) as info:
            push(api, key=key)
        assert info.value.status == 500
        assert body_of(info.value) == {"message": "fake failure"}
    assert push(api, key=key).status_code == 200
    assert [c.status for c in fake.calls] == [500, 500, 200]
    assert len(fake.messages_to("U1")) == 1
    assert fake.quota_used == 1


def test_fail_next_only_hits_matching_paths(fake, api):
    fake.add_profile("U1", "Somchai")
    fake.fail_next(1, status=503, path="/v2/bot/message/*")
    assert api.get_profile("U1").display_name == "Somchai"
    with pytest.raises(ApiException) as info:
        push(api)
    assert info.value.status == 503
    assert push(api).status_code == 200


def test_delayed_push_times_out_on_the_client_but_is_delivered(fake, api):
    fake.delay_next(1, seconds=0.3)
    key = str(uuid.uuid4())
    # The SDK lets urllib3's timeout error through; it is not an ApiException.
    with pytest.raises(urllib3.exceptions.ReadTimeoutError):
        push(api, key=key, timeout=(1, 0.1))
    assert fake.wait_for(lambda f: len(f.pushes()) == 1, timeout=2)
    with pytest.raises(ApiException) as info:
        push(api, key=key)
    assert info.value.status == 409  # the retry learns it was delivered
    assert len(fake.messages_to("U1")) == 1


def test_fail_randomly_is_deterministic_and_can_be_disabled(fake, api):
    def run() -> list[int]:
        statuses = []
        for _ in range(20):
            try:
                statuses.append(push(api).status_code)
            except ApiException as exc:
                statuses.append(exc.status)
        return statuses

    fake.fail_randomly(0.5, seed=7)
    first = run()
    assert 200 in first and set(first) - {200} <= {500, 429} and set(first) != {200}
    fake.fail_randomly(0.5, seed=7)
    assert run() == first
    fake.fail_randomly(0)
    assert set(run()) == {200}


def test_reset_forgets_calls_keys_and_quota(fake, api):
    key = str(uuid.uuid4())
    push(api, key=key)
    fake.fail_next(5)
    fake.reset()
    assert fake.calls == [] and fake.quota_used == 0
    assert push(api, key=key).status_code == 200


# -- reply --------------------------------------------------------------------


def test_reply_token_works_once(fake, api):
    token = fake.issue_reply_token()
    request = ReplyMessageRequest(reply_token=token, messages=[TextMessage(text="รับทราบ")])
    response = api.reply_message(request, _request_timeout=TIMEOUT)
    assert response.sent_messages[0].id
    with pytest.raises(ApiException) as info:
        api.reply_message(request, _request_timeout=TIMEOUT)
    assert info.value.status == 400
    assert body_of(info.value) == {"message": "Invalid reply token"}
    assert fake.replies() == [
        {"replyToken": token, "messages": [{"type": "text", "text": "รับทราบ"}],
         "notificationDisabled": False},
    ]
    assert fake.sent_messages() == [("reply", token, {"type": "text", "text": "รับทราบ"})]
    assert fake.quota_used == 0
    assert fake.messages_to("U1") == []


@pytest.mark.parametrize("how", ["unknown", "expired", "ttl"])
def test_unknown_or_expired_reply_token_is_rejected(fake, api, how):
    if how == "unknown":
        token = "nope"
    elif how == "expired":
        token = fake.issue_reply_token()
        fake.expire_reply_token(token)
    else:
        token = fake.issue_reply_token(ttl=-1)
    with pytest.raises(ApiException) as info:
        api.reply_message(ReplyMessageRequest(reply_token=token,
                                              messages=[TextMessage(text="x")]))
    assert info.value.status == 400
    assert fake.replies() == []


# -- auth, quota --------------------------------------------------------------


def test_wrong_access_token_is_401(fake):
    config = Configuration(access_token="wrong", host=fake.url)
    with ApiClient(config) as c, pytest.raises(ApiException) as info:
        MessagingApi(c).get_bot_info()
    assert info.value.status == 401
    assert body_of(info.value)["message"].startswith("Authentication failed")
    assert info.value.headers["x-line-request-id"]


def test_monthly_quota():
    fake = FakeLine(quota_limit=2).start()
    try:
        with ApiClient(Configuration(access_token=fake.access_token, host=fake.url)) as c:
            api = MessagingApi(c)
            assert api.get_message_quota().to_dict() == {"type": "limited", "value": 2}
            push(api)
            with pytest.raises(ApiException) as info:
                api.multicast(MulticastRequest(to=["U2", "U3"],
                                               messages=[TextMessage(text="x")]))
            assert info.value.status == 429
            assert body_of(info.value) == {"message": "You have reached your monthly limit."}
            push(api)
            with pytest.raises(ApiException) as info:
                push(api)
            assert info.value.status == 429
            assert api.get_message_quota_consumption().total_usage == 2
            # replies are free
            token = fake.issue_reply_token()
            api.reply_message(ReplyMessageRequest(reply_token=token,
                                                  messages=[TextMessage(text="x")]))
    finally:
        fake.stop()


def test_group_push_counts_members_and_quota_none(fake, api):
    assert api.get_message_quota().type == "none"
    fake.member_counts["C1"] = 4
    push(api, to="C1")
    assert fake.quota_used == 4


def test_multicast(fake, api):
    api.multicast(MulticastRequest(to=["U1", "U2"], messages=[TextMessage(text="hi")]),
                  x_line_retry_key=str(uuid.uuid4()))
    assert fake.messages_to("U2") == [{"type": "text", "text": "hi"}]
    assert [(k, t) for k, t, _ in fake.sent_messages()] == [("multicast", "U1"),
                                                           ("multicast", "U2")]
    assert fake.quota_used == 2


# -- limits -------------------------------------------------------------------


def test_fourteen_quick_reply_items_are_rejected(fake, api):
    items = [QuickReplyItem(action=PostbackAction(label=f"b{i}", data=f"i={i}"))
             for i in range(14)]
    # The SDK itself refuses 14 items; construct() skips its check so the server sees them.
    quick = QuickReply.construct(items=items)
    message = TextMessage(text="choose", quick_reply=quick)
    with pytest.raises(ApiException) as info:
        api.push_message(PushMessageRequest(to="U1", messages=[message]))
    assert info.value.status == 400
    details = body_of(info.value)["details"]
    assert details == [{"message": "Size must be between 1 and 13",
                        "property": "messages[0].quickReply.items"}]
    assert fake.messages_to("U1") == [] and fake.quota_used == 0


def test_text_and_flex_limits(api):
    with pytest.raises(ApiException) as info:
        push(api, text="ก" * 5001)
    assert body_of(info.value)["details"][0]["property"] == "messages[0].text"
    assert push(api, text="ก" * 5000).status_code == 200
    with pytest.raises(ApiException):  # emoji are two UTF-16 units
        push(api, text="😀" * 2501)

    bubble = FlexBubble(body=FlexBox(layout="vertical", contents=[FlexText(text="x")]))
    carousel = FlexMessage(alt_text="cards", contents=FlexCarousel(contents=[bubble] * 13))
    with pytest.raises(ApiException) as info:
        api.push_message(PushMessageRequest(to="U1", messages=[carousel]))
    assert body_of(info.value)["details"][0]["property"] == "messages[0].contents.contents"
    carousel = FlexMessage(alt_text="a" * 1501, contents=FlexCarousel(contents=[bubble] * 12))
    with pytest.raises(ApiException) as info:
        api.push_message(PushMessageRequest(to="U1", messages=[carousel]))
    assert body_of(info.value)["details"][0]["property"] == "messages[0].altText"
    carousel = FlexMessage(alt_text="cards", contents=FlexCarousel(contents=[bubble] * 12))
    api.push_message(PushMessageRequest(to="U1", messages=[carousel]))


def test_quick_reply_label_and_reply_validation(fake, api):
    item = QuickReplyItem(action=PostbackAction(label="ป" * 21, data="x"))
    token = fake.issue_reply_token()
    message = TextMessage(text="x", quick_reply=QuickReply(items=[item]))
    with pytest.raises(ApiException) as info:
        api.reply_message(ReplyMessageRequest(reply_token=token, messages=[message]))
    assert body_of(info.value)["details"][0]["property"] == \
        "messages[0].quickReply.items[0].action.label"
    # a rejected reply does not use up the token
    api.reply_message(ReplyMessageRequest(reply_token=token, messages=[TextMessage(text="ok")]))


# -- users, content, misc -----------------------------------------------------


def test_profile_and_404(fake, api):
    fake.add_profile("U1", "สมชาย", "https://example.com/p.jpg")
    profile = api.get_profile("U1")
    assert (profile.display_name, profile.picture_url) == ("สมชาย", "https://example.com/p.jpg")
    with pytest.raises(ApiException) as info:
        api.get_profile("U404")
    assert info.value.status == 404
    assert body_of(info.value) == {"message": "Not found"}


def test_message_content_download(fake, blob):
    fake.add_content("m1", b"\xff\xd8jpeg-bytes", "image/jpeg")
    response = blob.get_message_content_with_http_info("m1", _request_timeout=TIMEOUT)
    assert bytes(response.data) == b"\xff\xd8jpeg-bytes"
    assert response.headers["Content-Type"] == "image/jpeg"
    with pytest.raises(ApiException) as info:
        blob.get_message_content("m2")
    assert info.value.status == 404


def test_loading_bot_info_and_unknown_path(fake, api):
    api.show_loading_animation(ShowLoadingAnimationRequest(chat_id="U1", loading_seconds=20))
    assert fake.calls[-1].status == 202
    with pytest.raises(ApiException) as info:
        api.show_loading_animation(ShowLoadingAnimationRequest(chat_id="U1", loading_seconds=7))
    assert info.value.status == 400
    info_ = api.get_bot_info()
    assert (info_.basic_id, info_.display_name) == ("@tidtam", "Tidtam")
    fake.bot_info["displayName"] = "Tidtam (dev)"
    assert api.get_bot_info().display_name == "Tidtam (dev)"
    http = urllib3.PoolManager()
    response = http.request("GET", fake.url + "/v2/bot/nothing",
                            headers={"Authorization": "Bearer test-token"})
    assert response.status == 404
    assert json.loads(response.data)["message"].startswith("Not found")
    assert response.headers["x-line-request-id"]


# -- rich menus ---------------------------------------------------------------


def test_rich_menu_lifecycle(fake, api, blob):
    menu_id = api.create_rich_menu(rich_menu_request()).rich_menu_id
    assert menu_id.startswith("richmenu-")
    assert [m.rich_menu_id for m in api.get_rich_menu_list().richmenus] == [menu_id]
    assert api.get_rich_menu(menu_id).chat_bar_text == "เมนู"

    # Linking before an image is uploaded is refused, as on LINE.
    with pytest.raises(ApiException) as info:
        api.link_rich_menu_id_to_user("U1", menu_id)
    assert info.value.status == 400

    image = png(2500, 843)
    # The SDK sends no Content-Type for the image unless told to.
    blob.set_rich_menu_image(menu_id, image, _headers={"Content-Type": "image/png"})
    assert fake.rich_menu_images[menu_id] == (image, "image/png")
    assert bytes(blob.get_rich_menu_image(menu_id)) == image
    with pytest.raises(ApiException) as info:  # only one upload per menu
        blob.set_rich_menu_image(menu_id, image, _headers={"Content-Type": "image/png"})
    assert info.value.status == 400

    api.link_rich_menu_id_to_user("U1", menu_id)
    assert fake.user_rich_menus == {"U1": menu_id}
    assert api.get_rich_menu_id_of_user("U1").rich_menu_id == menu_id
    api.set_default_rich_menu(menu_id)
    assert fake.default_rich_menu == menu_id
    assert api.get_default_rich_menu_id().rich_menu_id == menu_id

    api.create_rich_menu_alias(CreateRichMenuAliasRequest(
        rich_menu_alias_id="main", rich_menu_id=menu_id))
    assert [a.rich_menu_alias_id for a in api.get_rich_menu_alias_list().aliases] == ["main"]
    with pytest.raises(ApiException):
        api.create_rich_menu_alias(CreateRichMenuAliasRequest(
            rich_menu_alias_id="main", rich_menu_id=menu_id))
    api.delete_rich_menu_alias("main")

    api.unlink_rich_menu_id_from_user("U1")
    with pytest.raises(ApiException) as info:
        api.get_rich_menu_id_of_user("U1")
    assert info.value.status == 404
    api.cancel_default_rich_menu()
    assert fake.default_rich_menu is None
    api.delete_rich_menu(menu_id)
    assert api.get_rich_menu_list().richmenus == []


def test_rich_menu_validation(fake, api, blob):
    bad = rich_menu_request()
    bad.size = RichMenuSize(width=1200, height=405)
    with pytest.raises(ApiException) as info:
        api.create_rich_menu(bad)
    assert info.value.status == 400
    with pytest.raises(ApiException):
        api.validate_rich_menu_object(bad)
    api.validate_rich_menu_object(rich_menu_request())
    with pytest.raises(ApiException):
        api.create_rich_menu(rich_menu_request(areas=21))
    assert fake.rich_menus == {}

    menu_id = api.create_rich_menu(rich_menu_request(height=1686)).rich_menu_id
    with pytest.raises(ApiException) as info:  # image must match the menu size
        blob.set_rich_menu_image(menu_id, png(2500, 843), _headers={"Content-Type": "image/png"})
    assert info.value.status == 400
    with pytest.raises(ApiException) as info:
        blob.set_rich_menu_image(menu_id, b"x" * (1024 * 1024 + 1),
                                 _headers={"Content-Type": "image/jpeg"})
    assert info.value.status == 413


# -- webhook endpoint ---------------------------------------------------------


class _Receiver(BaseHTTPRequestHandler):
    received: list = []
    status = 200

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append((self.headers, body))
        self.send_response(type(self).status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver():
    handler = type("Receiver", (_Receiver,), {"received": [], "status": 200})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    yield handler, f"http://127.0.0.1:{server.server_port}/callback"
    server.shutdown()
    server.server_close()


def test_webhook_endpoint_set_get_and_test(fake, api, receiver):
    handler, url = receiver
    assert api.get_webhook_endpoint().active is False
    api.set_webhook_endpoint(SetWebhookEndpointRequest(endpoint=url))
    got = api.get_webhook_endpoint()
    assert (got.endpoint, got.active) == (url, True)

    result = api.test_webhook_endpoint(WebhookTestRequest())
    assert (result.success, result.status_code, result.reason) == (True, 200, "OK")
    [(headers, body)] = handler.received
    assert json.loads(body) == {"destination": fake.bot_info["userId"], "events": []}
    assert headers["x-line-signature"] == sign("s3cret", body)

    handler.status = 500
    result = api.test_webhook_endpoint(WebhookTestRequest(endpoint=url))
    assert (result.success, result.status_code) == (False, 500)

    fake.webhook_timeout = 0.5
    result = api.test_webhook_endpoint(
        WebhookTestRequest(endpoint="http://127.0.0.1:9/nothing"))
    assert result.success is False and result.status_code == 0


# -- standalone ---------------------------------------------------------------


def test_runs_standalone():
    proc = subprocess.Popen(
        [sys.executable, "-m", "devkit.fake_line", "--port", "0", "--quiet"],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )
    try:
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        with ApiClient(Configuration(access_token="test-token", host=url)) as c:
            assert MessagingApi(c).get_bot_info().basic_id == "@tidtam"
    finally:
        proc.terminate()
        proc.wait(timeout=5)


def test_local_http_media_urls_only_with_the_development_flag():
    from devkit.fake_line import FakeLine

    image = {"type": "image", "originalContentUrl": "http://127.0.0.1:8000/files/a.png",
             "previewImageUrl": "http://localhost:8000/files/b.png"}
    elsewhere = {**image, "originalContentUrl": "http://example.com/a.png"}
    for allow, message, expected in ((False, image, 400), (True, image, 200), (True, elsewhere, 400)):
        fake = FakeLine(access_token="t", allow_local_media=allow).start()
        try:
            response = urllib3.request("POST", fake.url + "/v2/bot/message/push",
                                       headers={"Authorization": "Bearer t", "Content-Type": "application/json"},
                                       body=json.dumps({"to": "U1", "messages": [message]}))
            assert response.status == expected, (allow, message, response.data)
        finally:
            fake.stop()


def test_the_run_script_starts_the_fake_line_with_local_media_allowed():
    script = (Path(__file__).resolve().parents[2] / "scripts" / "run.sh").read_text()
    start = script.index("-m devkit.fake_line")
    assert "--allow-local-media" in script[start:script.index("&", start)]
