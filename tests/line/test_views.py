"""Message views: LINE JSON as the SDK's models would have sent it, within LINE's limits."""
from __future__ import annotations

from datetime import date

import pytest
from linebot.v3.messaging.models import Message

from handlers.summaries import Scope, summary_messages
from line import views
from line.cards import measures_messages
from models import Measure
from models.summaries import MeasureProgress, MeasureRow, OfficerStatus, PeriodProgress, Tally

PERIOD = date(2025, 1, 1)


def _summary() -> list[views.Message]:
    units = (Tally("กองคลัง", 3, 6), Tally("กองช่าง", 0, 4))
    measures = tuple(
        MeasureProgress(MeasureRow(i, str(i), f"มาตรการที่ {i}", 2568, None, None, "monthly", None), status, 1, 2,
                        (OfficerStatus(i, "สมชาย ใจดี", "กองคลัง", "done", 100),))
        for i, status in enumerate(("done", "blocked", "no_report"), start=1))
    progress = PeriodProgress(1, PERIOD, Tally("", 3, 10), units, measures)
    return summary_messages(org_name="อบต.ทดสอบ", progress=progress, scope=Scope(),
                            deadline=("เลยกำหนดส่ง 5 วัน (10 ม.ค. 2568)", True), counts_only=False)


def _reminder(count: int) -> list[views.Message]:
    measures = [Measure(id=i, organisation_id=1, fiscal_year=2568, key=str(i), ref=str(i), title=f"มาตรการที่ {i}")
                for i in range(1, count + 1)]
    return measures_messages(measures, {1: ("done", 100), 2: ("in_progress", 40)}, PERIOD, heading="รอบเดือน ม.ค.")


@pytest.mark.parametrize("messages", [
    pytest.param([views.text("เลือกค่ะ", [views.say_action("ยืนยัน"), views.say_action("ดำเนินการแล้ว", "เสร็จ"),
                                          views.postback_action("รายงาน", "รายงาน 1", a="rep", m=1, p="2025-01"),
                                          *views.camera_actions()])], id="text with quick replies"),
    pytest.param([views.image("https://example.com/a.png", "https://example.com/b.png")], id="image"),
    pytest.param(_reminder(3), id="few measures"),
    pytest.param(_reminder(30), id="carousels"),
    pytest.param(_summary(), id="summary"),
])
def test_views_build_the_json_the_sdk_models_would_have_sent(messages):
    for message in messages:
        assert Message.from_dict(message).to_dict() == message


def test_text_is_cut_to_lines_limits():
    long = views.text("ก" * 6000, [views.say_action(f"ปุ่มที่ {n} " + "ข" * 30) for n in range(20)])
    assert len(long["text"]) == views.MAX_TEXT and long["text"].endswith("…")
    items = long["quickReply"]["items"]
    assert len(items) == views.MAX_QUICK_REPLIES
    assert all(len(item["action"]["label"]) == views.MAX_LABEL for item in items)
    assert items[0]["action"]["text"].startswith("ปุ่มที่ 0 ")  # the typed text is not cut
    assert "quickReply" not in views.text("ไม่มีปุ่ม")


def test_flex_and_carousels_are_cut_to_lines_limits():
    bubble = {"type": "bubble", "body": {"type": "box", "layout": "vertical", "contents": []}}
    pages = views.carousels([bubble] * 30, alt_text="ก" * 2000, max_messages=2)
    assert [len(page["contents"]["contents"]) for page in pages] == [views.MAX_BUBBLES] * 2
    assert all(len(page["altText"]) == views.MAX_ALT_TEXT for page in pages)


def test_postback_data_over_300_characters_is_refused():
    action = views.postback_action("ยาว" * 20, a="rep", m=1)
    assert action == {"type": "postback", "label": views.cut("ยาว" * 20, 20), "data": "a=rep&m=1",
                      "displayText": "ยาว" * 20}
    with pytest.raises(ValueError):
        views.postback_action("ยาว", text="x" * 300)
