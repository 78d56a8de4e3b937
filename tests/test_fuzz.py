"""Hostile and malformed input: the webhook never answers 500, parsers never raise.

Example counts are bounded so CI stays fast; raise them locally with
HYPOTHESIS_PROFILE=thorough.
"""
from __future__ import annotations

import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.chat import sign


@pytest.fixture
def worker_mode_client(settings_overrides):
    from bot import create_app

    app = create_app({**settings_overrides, "event_handlers": "worker"})
    yield app.test_client()
    app.extensions["tidtam"].dispose()

settings.register_profile("ci", max_examples=40, deadline=None,
                          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=500, deadline=None,
                          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

NASTY = st.sampled_from([
    "", " ", "\x00", "a\x00b", "ก" * 5000, "😀" * 100, "\u200b\u200c\u200d\ufeff", "'; DROP TABLE officer; --",
    "<script>alert(1)</script>", "รายงาน", "รายงาน 1", "รายงาน ๑ ดำเนินการ", "รายงาน 99999999999999999999",
    "ลงทะเบียน ' OR 1=1 --", "สรุป", "ค้างส่ง", "ยืนยัน", "ยกเลิก", "ช่วยเหลือ", "../../etc/passwd", "%s%s%n",
    "คะแนน o99", "ตัวชี้วัดที่ 99 ได้เท่าไหร่", "รายงานแทน", "เตือน", "\n\n\n", "ร้อยละ -5", "200%",
])
TEXT = st.one_of(NASTY, st.text(max_size=300), st.text(alphabet="กขคงจดตทนบปผพมยรลวสหอะาิีึืุูเแโใไ่้๊๋์ํ๐๑๒๓๔๕๖๗๘๙ .%", max_size=80))


def _post(client, body: str, signature: str | None = None):
    signature = signature if signature is not None else sign("test-channel-secret", body)
    return client.post("/callback", data=body.encode("utf-8", "surrogatepass"),
                       headers={"x-line-signature": signature, "content-type": "application/json"})


@given(text=TEXT)
def test_any_text_from_a_registered_officer_gets_a_polite_answer(chat, session, text):
    from tests.factories import make_world

    if not session.info.get("world"):
        session.info["world"] = make_world(session)
    user = session.info["world"].officers["สมชาย ใจดี"].line_user_id
    sent = chat.text(user, text)
    assert sent.status == 200
    assert not any("Traceback" in t for t in sent.texts)


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)


@given(body=st.one_of(st.text(max_size=200), JSONISH.map(lambda v: json.dumps(v)),
                      st.fixed_dictionaries({"events": JSONISH}).map(json.dumps),
                      st.fixed_dictionaries({"events": st.lists(st.dictionaries(
                          st.sampled_from(["type", "source", "message", "replyToken", "webhookEventId", "mode",
                                           "timestamp", "postback", "deliveryContext"]), JSONISH, max_size=8),
                          max_size=3)}).map(json.dumps)))
def test_any_signed_body_is_answered_without_a_server_error(client, body):
    response = _post(client, body)
    assert response.status_code in (200, 400, 503), response.status_code


NASTY_ID = st.one_of(NASTY, st.text(max_size=70), st.just("\ud800"), st.just("U\x00" + "1" * 32))


@given(ids=st.lists(st.tuples(NASTY_ID, NASTY_ID, NASTY_ID), min_size=1, max_size=3))
def test_any_ids_are_stored_by_a_web_process_in_worker_mode(worker_mode_client, ids):
    """The worker mode's one-statement store (PostgreSQL) takes any text LINE could send."""
    events = [{"type": kind, "webhookEventId": event_id, "source": {"type": "user", "userId": user},
               "message": {"type": "text", "id": "1", "text": user}} for kind, event_id, user in ids]
    body = json.dumps({"destination": "U0", "events": events})  # lone surrogates travel escaped
    response = _post(worker_mode_client, body)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["accepted"] == len(events)


# Header values cannot carry line breaks over HTTP (the test client refuses them too).
@given(signature=st.text(alphabet=st.characters(blacklist_characters="\r\n", blacklist_categories=("Cs",),
                                                max_codepoint=0xFF), max_size=100),
       body=st.text(max_size=100))
def test_bad_signatures_are_rejected(client, signature, body):
    response = _post(client, body, signature=signature)
    assert response.status_code in (400, 413)


@given(events=st.lists(st.sampled_from(["message", "postback", "follow", "unfollow", "join", "leave",
                                        "memberJoined", "unsend", "videoPlayComplete", "beacon", "whatever"]),
                       min_size=1, max_size=5),
       message_type=st.sampled_from(["text", "image", "file", "sticker", "location", "audio", "video", "nope"]))
def test_unknown_and_unusual_events(chat, events, message_type):
    batch = []
    for kind in events:
        event = chat._base(kind, "U-fuzz", None)
        if kind == "message":
            event["message"] = {"id": "1", "type": message_type, "text": "x", "quoteToken": "q",
                                "packageId": "1", "stickerId": "1", "latitude": 1.0, "longitude": 2.0,
                                "duration": 1, "contentProvider": {"type": "line"}}
        if kind == "postback":
            event["postback"] = {"data": "a=rep&m=not-a-number&p=garbage"}
        batch.append(event)
    assert chat.post(batch).status == 200
