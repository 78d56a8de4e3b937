"""What the console says about an upload: the importers' reasons and warnings in Thai, never their English.

The expected sentences come from `ita.messages` (and the importers themselves),
so the tests say which message, not how it is worded today.
"""
from __future__ import annotations

import html
import io
import re
from pathlib import Path

import pytest

from ita.messages import msg, thai_place
from ita.plan import read_plan
from ita.plan_model import PlanWarning
from ita.score_text import ScoreConflictError, read_scores
from line import texts
from tests.console.conftest import FIXTURES, sign_in

DOCUMENTS = Path(__file__).resolve().parents[1] / "fixtures" / "documents"


def _admin(client, services, world) -> str:
    return sign_in(client, services, world.officers["นางอรุณี ผู้ดูแล"])


def _upload(client, url: str, csrf: str, name: str, data: bytes):
    return client.post(url, content_type="multipart/form-data", follow_redirects=True,
                       data={"csrf_token": csrf, "file": (io.BytesIO(data), name)})


def _visible(response) -> str:
    """The page's text as a reader sees it: no tags, no attribute values, entities decoded."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.text)).split())


def _shows_only_thai(page: str, *messages) -> None:
    for message in messages:
        thai, english = " ".join(message.th().split()), " ".join(message.en().split())
        assert thai in page, thai
        assert english not in page, english


@pytest.mark.parametrize(("url", "name", "data", "message"), [
    ("/console/plan/preview", "plan.txt", b"  \n\n  ", msg("document.empty")),
    ("/console/plan/preview", "plan.txt",
     "รายงานการประชุม\n\nวันนี้ประชุมเรื่องงบประมาณประจำปี และการจัดซื้อจัดจ้าง\n".encode(), msg("plan.no_table")),
    ("/console/people/import/preview", "staff.csv", "ตำแหน่ง,หน่วยงาน\nนักวิชาการ,กองคลัง\n".encode(),
     msg("staff.no_header")),
    ("/console/people/import/preview", "staff.csv", "ชื่อ-สกุล,ตำแหน่ง\n".encode(), msg("staff.no_rows")),
    ("/console/scores/preview", "scores.txt", b"\n \n", msg("document.empty")),
    ("/console/scores/preview", "scores.txt", b"ITA\x00\x00\x00" * 50, msg("document.not_text")),
])
def test_a_file_the_importer_cannot_use_is_explained_in_thai(client, services, world, url, name, data, message):
    csrf = _admin(client, services, world)
    page = _visible(_upload(client, url, csrf, name, data))
    assert " ".join(texts.CONSOLE_FILE_UNREADABLE.format(reason=message.th()).split()) in page
    _shows_only_thai(page, message)


@pytest.mark.parametrize("fixture", [FIXTURES / "plan-ban-nong-kham.csv", DOCUMENTS / "plan_approach.docx",
                                     DOCUMENTS / "report_results.docx"])
def test_the_plan_preview_lists_every_warning_in_thai(client, services, world, fixture):
    warnings = read_plan(fixture).warnings
    assert warnings, "the fixture must give warnings to show"
    csrf = _admin(client, services, world)
    page = _visible(_upload(client, "/console/plan/preview", csrf, fixture.name, fixture.read_bytes()))
    assert "ตรวจก่อนนำเข้า" in page  # the preview, not a refusal
    _shows_only_thai(page, *(warning.what for warning in warnings))
    for warning in warnings:
        assert str(warning) not in page


def test_a_table_note_names_its_place_in_thai(client, services, world):
    fixture = DOCUMENTS / "plan_approach.docx"
    (note,) = [w for w in read_plan(fixture).warnings if w.what.code == "plan.table_note"]
    csrf = _admin(client, services, world)
    page = _visible(_upload(client, "/console/plan/preview", csrf, fixture.name, fixture.read_bytes()))
    assert note.th() in page  # "บรรทัด 3: ตาราง 1: อ่านคอลัมน์ 2 …"
    assert thai_place(note.what.params["where"]) != note.what.params["where"]


def test_a_staff_row_with_an_unknown_role_is_warned_about_in_thai(client, services, world):
    csrf = _admin(client, services, world)
    data = "ชื่อ-สกุล,หน่วยงาน,บทบาท\nนายทดสอบ ระบบ,กองคลัง,พ่อครัว\n".encode()
    page = _visible(_upload(client, "/console/people/import/preview", csrf, "staff.csv", data))
    warning = PlanWarning(2, msg("staff.unknown_role", role="พ่อครัว", name="นายทดสอบ ระบบ"))
    assert warning.th() in page and str(warning) not in page


def test_the_score_preview_lists_its_warnings_in_thai(client, services, world):
    fixture = FIXTURES / "scores-ban-nong-kham.csv"
    warnings = read_scores(fixture).warnings
    assert warnings
    csrf = _admin(client, services, world)
    page = _visible(_upload(client, "/console/scores/preview", csrf, fixture.name, fixture.read_bytes()))
    _shows_only_thai(page, *(warning.what for warning in warnings))


def test_scores_that_contradict_each_other_are_shown_in_thai(client, services, world):
    fixture = DOCUMENTS / "scores_conflict.txt"
    with pytest.raises(ScoreConflictError) as caught:
        read_scores(fixture)
    csrf = _admin(client, services, world)
    page = _visible(_upload(client, "/console/scores/preview", csrf, "scores.txt", fixture.read_bytes()))
    assert "เอกสารให้คะแนนไม่ตรงกัน" in page
    for conflict in caught.value.conflicts:
        _shows_only_thai(page, conflict.what)
        for place, value in conflict.places:
            line = place.rsplit(" ", 2)[-2:]  # "… line 17": the console's copy of the file has another name
            assert f"{value} ที่ " in page and thai_place(" ".join(line)) in page
            assert " ".join(line) not in page
    assert caught.value.message.en() not in page
