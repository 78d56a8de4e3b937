"""The /callback webhook: signatures, deduplication, isolation of failures, limits."""
from __future__ import annotations

import json

import pytest
from sqlmodel import select

from handlers import registry
from line import texts
from models import EventStatus, WebhookEvent
from tests.chat import sign


def _events(session):
    session.expire_all()
    return {e.webhook_event_id: e for e in session.exec(select(WebhookEvent)).all()}


def test_valid_signature_is_handled(chat, session):
    sent = chat.text("U-stranger", "สวัสดี")
    assert sent.status == 200
    assert "ลงทะเบียน" in sent.text  # strangers get registration instructions
    assert [e.status for e in _events(session).values()] == [EventStatus.DONE.value]


def test_handling_an_event_takes_one_database_connection(chat, services, line):
    """Claim, the handler's queries and the final mark share one pool checkout (and its one ping)."""
    from sqlalchemy import event as sa_event

    checkouts: list[int] = []

    def on_checkout(*_args) -> None:
        checkouts.append(1)

    sa_event.listen(services.engine.pool, "checkout", on_checkout)
    try:
        assert chat.text("U-stranger", "สวัสดี").status == 200
        # The webhook's store, the event's own handling, then one look that finds the chat has nothing more to take.
        assert len(checkouts) == 1 + 1 + 1
    finally:
        sa_event.remove(services.engine.pool, "checkout", on_checkout)


@pytest.mark.parametrize("signature", ["", "bm90IGEgc2lnbmF0dXJl", None])
def test_missing_or_wrong_signature_is_400_and_nothing_stored(chat, session, signature):
    event = chat.text_event("U1", "สวัสดี")
    body = json.dumps({"events": [event]}, ensure_ascii=False)
    if signature is None:  # signed with another secret
        signature = sign("another-secret", body)
    sent = chat.post([], body=body, signature=signature)
    assert sent.status == 400
    assert sent.messages == []
    assert _events(session) == {}


def test_signature_is_checked_over_raw_bytes_with_thai(chat):
    event = chat.text_event("U1", "ช่วยเหลือ")
    # A body with unusual spacing: re-serialising the JSON would change the bytes.
    body = '{"destination":"Ubot",   "events": [' + json.dumps(event, ensure_ascii=False) + "]}"
    sent = chat.post([], body=body, signature=sign("test-channel-secret", body))
    assert sent.status == 200
    assert "คำสั่ง" in sent.text


def test_empty_events_is_200(chat, session):
    sent = chat.post([])
    assert sent.status == 200
    assert _events(session) == {}


def test_body_over_one_megabyte_is_413(chat, session):
    body = json.dumps({"events": [], "padding": "x" * (1024 * 1024 + 10)})
    sent = chat.post([], body=body)
    assert sent.status == 413
    assert _events(session) == {}


@pytest.mark.parametrize("body", ["not json", "[]", '{"events": {}}', '{"nothing": 1}'])
def test_malformed_body_is_400(chat, body):
    assert chat.post([], body=body).status == 400


def test_duplicate_event_id_is_handled_once(chat, session, line):
    event = chat.text_event("U-dup", "ช่วยเหลือ")
    first = chat.post([event])
    again = dict(event, replyToken=line.issue_reply_token(), deliveryContext={"isRedelivery": True})
    second = chat.post([again])
    assert first.status == second.status == 200
    assert len(first.messages) == 1
    assert second.messages == []
    stored = _events(session)
    assert len(stored) == 1 and stored[event["webhookEventId"]].attempts == 1


def test_same_event_twice_in_one_batch_is_handled_once(chat):
    event = chat.text_event("U-dup2", "ช่วยเหลือ")
    sent = chat.post([event, event])
    assert sent.status == 200
    assert len(sent.messages) == 1


@pytest.fixture
def exploding_command(monkeypatch):
    def boom(ctx, args):
        """ระเบิด"""
        raise RuntimeError("handler bug")

    cmd = registry.Command(("ระเบิด",), boom, None, False, False, "ระเบิด")
    monkeypatch.setattr(registry, "_commands", [*registry._commands, cmd])


def test_one_failing_event_does_not_stop_the_batch(chat, session, exploding_command):
    bad = chat.text_event("U-a", "ระเบิด")
    good = chat.text_event("U-b", "ช่วยเหลือ")
    sent = chat.post([bad, good])
    assert sent.status == 200
    stored = _events(session)
    assert stored[bad["webhookEventId"]].status == EventStatus.FAILED.value
    assert "handler bug" in stored[bad["webhookEventId"]].error
    assert stored[good["webhookEventId"]].status == EventStatus.DONE.value
    # The failing user gets an apology, not silence; the other user their answer.
    assert any("ขออภัย" in t for t in sent.texts)
    assert any("คำสั่ง" in t for t in sent.texts)


def test_failed_event_is_not_retried_by_redelivery(chat, session, exploding_command):
    bad = chat.text_event("U-a", "ระเบิด")
    chat.post([bad])
    again = chat.post([dict(bad, replyToken="whatever")])
    assert again.status == 200 and again.messages == []


def test_expired_reply_token_falls_back_to_push(chat, line, caplog):
    event = chat.text_event("U-late", "ช่วยเหลือ")
    line.expire_reply_token(event["replyToken"])
    with caplog.at_level("WARNING"):
        sent = chat.post([event])
    assert sent.kinds == ["push"]
    assert line.messages_to("U-late")
    assert "falling back to push" in caplog.text


def test_standby_mode_sends_nothing(chat, session):
    event = chat.text_event("U-standby", "ช่วยเหลือ")
    event["mode"] = "standby"
    sent = chat.post([event])
    assert sent.status == 200 and sent.messages == []
    assert _events(session)[event["webhookEventId"]].status == EventStatus.SKIPPED.value


def test_unknown_event_type_is_stored_and_ignored(chat, session):
    event = chat._base("somethingNew", "U1", None)
    sent = chat.post([event])
    assert sent.status == 200 and sent.messages == []
    assert _events(session)[event["webhookEventId"]].status == EventStatus.SKIPPED.value


def test_malformed_event_is_kept_as_failed_and_the_user_is_told(chat, session):
    event = chat.text_event("U1", "ช่วยเหลือ")
    event["message"] = {"type": "text"}  # no id, no text
    sent = chat.post([event])
    assert sent.status == 200
    assert sent.texts == [texts.SORRY_ERROR]  # no silence: the user hears that it failed
    assert _events(session)[event["webhookEventId"]].status == EventStatus.FAILED.value


def test_a_message_of_a_kind_the_sdk_does_not_know_gets_an_apology(chat, session):
    event = chat.text_event("U1", "ช่วยเหลือ")
    event["message"] = {"type": "somethingNew", "id": "1"}
    sent = chat.post([event])
    assert sent.status == 200 and sent.texts == [texts.SORRY_ERROR]


def test_stale_processing_event_is_reclaimed_by_redelivery(chat, session, services):
    from datetime import timedelta

    from inbox.claims import claim_next
    from inbox.store import store_events
    from models import utcnow

    event = chat.text_event("U-crash", "ช่วยเหลือ")
    store_events(services.engine, [event])
    assert claim_next(services.engine, "U-crash").event_id == event["webhookEventId"]  # taken; worker died
    assert chat.post([event]).messages == []  # still held: not handled twice meanwhile
    row = _events(session)[event["webhookEventId"]]
    row.claimed_at = utcnow() - timedelta(minutes=5)
    session.add(row)
    session.commit()
    sent = chat.post([dict(event, deliveryContext={"isRedelivery": True})])  # answered with the stored token
    assert len(sent.messages) == 1
    assert _events(session)[event["webhookEventId"]].status == EventStatus.DONE.value


def test_sweeper_finishes_events_left_received(chat, session, services, line):
    from datetime import timedelta

    from inbox.store import store_events
    from inbox.sweeper import sweep_stale_events
    from models import utcnow

    event = chat.text_event("U-swept", "ช่วยเหลือ")
    store_events(services.engine, [event])
    row = _events(session)[event["webhookEventId"]]
    row.received_at = utcnow() - timedelta(minutes=10)
    session.add(row)
    session.commit()
    outcomes = sweep_stale_events(services)
    assert [o.status for o in outcomes] == ["done"]
    assert line.messages_to("U-swept")  # answered by push: the reply token is long gone


def test_an_event_whose_handling_keeps_dying_is_given_up_and_its_chat_goes_on(chat, session, services, line):
    from datetime import timedelta

    from inbox.claims import MAX_ATTEMPTS, claim_next
    from inbox.store import store_events
    from inbox.sweeper import sweep_stale_events
    from models import utcnow

    poison, after = chat.text_event("U-poison", "ช่วยเหลือ"), chat.text_event("U-poison", "ช่วยเหลือ")
    store_events(services.engine, [poison, after])
    for _ in range(MAX_ATTEMPTS):  # each time its handler took the process down with it
        assert claim_next(services.engine, "U-poison").event_id == poison["webhookEventId"]
        rows = _events(session)
        rows[poison["webhookEventId"]].claimed_at = utcnow() - timedelta(minutes=5)
        rows[after["webhookEventId"]].received_at = utcnow() - timedelta(minutes=5)
        session.add_all(rows.values())
        session.commit()
    outcomes = sweep_stale_events(services)
    # Not handled a fourth time: given up in its chat's order, then the chat goes on.
    assert [(o.event_id, o.status) for o in outcomes] == [(poison["webhookEventId"], "failed"),
                                                          (after["webhookEventId"], "done")]
    rows = _events(session)
    assert rows[poison["webhookEventId"]].status == EventStatus.FAILED.value
    assert "gave up" in rows[poison["webhookEventId"]].error
    # No silence: an apology for the event given up, then the answer to the one after it (by push).
    assert [m["text"] for m in line.messages_to("U-poison")][0] == texts.SORRY_ERROR
    assert len(line.messages_to("U-poison")) == 2


def test_the_clock_sweeper_can_run_commands_that_start_background_tasks(chat, session, services, line):
    from datetime import timedelta

    from core.services import build_services
    from inbox.store import store_events
    from inbox.sweeper import sweep_stale_events
    from models import utcnow
    from tests.factories import make_world

    world = make_world(session)
    boss = world.officers["ประยุทธ์ หัวหน้า"].line_user_id
    event = chat.text_event(boss, "กราฟ")  # pushes a chart from a background task
    store_events(services.engine, [event])
    row = _events(session)[event["webhookEventId"]]
    row.received_at = utcnow() - timedelta(minutes=10)
    session.add(row)
    session.commit()
    clock = build_services(services.settings)  # as the clock process builds them
    try:
        assert [o.status for o in sweep_stale_events(clock)] == ["done"]
        clock.tasks.shutdown()  # the chart task finishes
    finally:
        clock.dispose()
    assert any(m.get("type") == "image" for m in line.messages_to(boss))


def test_slow_commands_start_the_loading_animation_in_one_to_one_chats(chat, line, monkeypatch):
    calls = []

    def slow(ctx, args):
        """ช้า"""
        calls.append(args)
        return []

    cmd = registry.Command(("ช้า",), slow, None, True, True, "ช้า")
    monkeypatch.setattr(registry, "_commands", [*registry._commands, cmd])
    chat.text("U-slow", "ช้า")
    loading = [c for c in line.calls if c.path == "/v2/bot/chat/loading/start"]
    assert [c.json["chatId"] for c in loading] == ["U-slow"]
    chat.text("U-slow", "ช้า", group_id="G-slow")  # no loading animation in groups
    assert len([c for c in line.calls if c.path == "/v2/bot/chat/loading/start"]) == 1
    assert calls == ["", ""]


def test_an_answer_that_cannot_be_delivered_is_logged_as_an_error(chat, line, caplog):
    event = chat.text_event("U-lost", "ช่วยเหลือ")
    line.expire_reply_token(event["replyToken"])
    line.fail_next(5, status=500, path="/v2/bot/message/push")
    with caplog.at_level("ERROR"):
        assert chat.post([event]).status == 200
    assert "not delivered" in caplog.text and event["webhookEventId"] in caplog.text


# -- hostile but correctly signed inputs (issue #20) -------------------------------------------------

def test_deeply_nested_json_is_400_not_500(chat, session):
    body = "[" * 10_000 + "]" * 10_000  # deeper than the JSON parser recurses
    sent = chat.post([], body=body)
    assert sent.status == 400 and sent.response.get_json() == {"error": "body is not JSON"}
    nested_events = '{"events": ' + "[" * 10_000 + "]" * 10_000 + "}"
    assert chat.post([], body=nested_events).status == 400
    assert _events(session) == {}


def test_five_copies_of_one_event_are_accepted_stored_once_and_answered_once(chat, session):
    event = chat.text_event("U-five", "ช่วยเหลือ")
    sent = chat.post([event] * 5)
    assert sent.response.get_json() == {"status": "ok", "accepted": 5, "stored": 1}
    assert len(sent.messages) == 1
    again = chat.post([dict(event, deliveryContext={"isRedelivery": True})] * 5)
    assert again.response.get_json() == {"status": "ok", "accepted": 5, "stored": 0}
    assert again.messages == [] and len(_events(session)) == 1


@pytest.fixture
def world(session):
    from tests.factories import make_world

    return make_world(session)


def _officer_user(world) -> str:
    return world.officers["สมชาย ใจดี"].line_user_id  # กองคลัง: measure 1 is theirs


def _open_flow(session, user: str):
    from models.reports import Conversation

    session.expire_all()
    return session.get(Conversation, user)


def _fiscal_months_around(world) -> tuple[str, str, str, str]:
    from ita.cadence import add_months
    from ita.thai import fiscal_year_bounds

    first, last = fiscal_year_bounds(world.measures["1"].fiscal_year)
    last = last.replace(day=1)
    return (f"{add_months(first, -1):%Y-%m}", f"{first:%Y-%m}", f"{last:%Y-%m}", f"{add_months(last, 1):%Y-%m}")


@pytest.mark.parametrize("which", ["0001-01", "2020-01", "month before the year", "month after the year",
                                   "9999-12"])
def test_a_report_button_for_a_month_outside_the_measures_fiscal_year_is_refused(chat, session, world, which):
    before, _, _, after = _fiscal_months_around(world)
    period = {"month before the year": before, "month after the year": after}.get(which, which)
    measure = world.measures["1"]
    sent = chat.postback(_officer_user(world), f"a=rep&m={measure.id}&p={period}")
    assert sent.texts == [texts.REPORT_PERIOD_OUTSIDE_YEAR.format(year=measure.fiscal_year, ref=measure.ref)]
    assert _open_flow(session, _officer_user(world)) is None  # no report started, none can be saved
    assert {e.status for e in _events(session).values()} == {EventStatus.DONE.value}


def test_a_report_button_for_the_first_month_of_the_year_is_taken_as_a_late_report(chat, session, world):
    _, first, _, _ = _fiscal_months_around(world)
    sent = chat.postback(_officer_user(world), f"a=rep&m={world.measures['1'].id}&p={first}")
    assert "สถานะเป็นอย่างไร" in sent.text
    assert _open_flow(session, _officer_user(world)).data["period"] == first


@pytest.mark.parametrize("data", ["m=" + "9" * 300, f"m={2**31}", "m=-1", "m=0", "m=x", "m=",
                                  "m={m}&p=99999999999999999999-01", "m={m}&p=2025-13", "m={m}&p="])
def test_a_report_button_with_an_impossible_measure_or_month_is_a_bad_button_not_an_outage(chat, session, world,
                                                                                         data):
    sent = chat.postback(_officer_user(world), "a=rep&" + data.format(m=world.measures["1"].id))
    assert sent.texts == [texts.BAD_BUTTON]
    assert texts.SORRY_ERROR not in sent.texts
    assert [e.status for e in _events(session).values()] == [EventStatus.DONE.value]


def test_a_report_button_forged_in_a_group_is_refused(chat, session, world):
    user = _officer_user(world)
    event = chat.postback_event(user, f"a=rep&m={world.measures['1'].id}", group_id="G-forged")
    sent = chat.post([event])
    assert sent.texts == [texts.REPORT_ONE_TO_ONE_ONLY]  # no status question posted into the group
    assert _open_flow(session, user) is None


def test_a_lone_surrogate_in_report_text_is_dropped_so_the_report_can_be_confirmed(chat, session, world):
    from models import ReportVersion

    user = _officer_user(world)

    def send_escaped(text: str):
        # As LINE's JSON may carry it: "\ud800" escaped, which json.loads turns into a lone surrogate.
        return chat.post([], body=json.dumps({"destination": "Ubot", "events": [chat.text_event(user, text)]}))

    confirm = send_escaped("รายงาน 1 ดำเนินการแล้ว ผล\ud800งาน")
    assert "\ud800" not in confirm.text and "ยืนยัน" in [a["label"] for a in confirm.quick_replies()]
    saved = send_escaped("ยืนยัน")
    assert "บันทึกรายงานมาตรการ 1" in saved.text
    session.expire_all()
    assert [v.summary for v in session.exec(select(ReportVersion)).all()] == ["ผลงาน"]
