"""The console's pages with the product's own importers, queries and writers."""
from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import unquote

import pytest
from sqlmodel import select

from bot.console.people import register_link
from ita.annual_report import docx_text
from line import texts
from models import Measure, Officer, RegistrationCode
from models.console import AuditEntry
from models.scores import available_years, year_scores
from tests.console.conftest import FIXTURES, sign_in


def _upload(name: str) -> tuple[io.BytesIO, str]:
    return io.BytesIO((FIXTURES / name).read_bytes()), name


def _admin(client, services, world) -> str:
    return sign_in(client, services, world.officers["นางอรุณี ผู้ดูแล"])


def test_plan_preview_saves_nothing_and_import_keeps_the_correction(client, services, world, session):
    csrf = _admin(client, services, world)
    before = len(session.exec(select(Measure)).all())
    preview = client.post("/console/plan/preview", data={"csrf_token": csrf,
                                                         "file": _upload("plan-ban-nong-kham.csv")},
                          content_type="multipart/form-data")
    assert preview.status_code == 200, preview.text
    assert "ประชุมชี้แจงแนวทางป้องกันผลประโยชน์ทับซ้อน" in preview.text
    assert "ถือว่าทั้งปีงบประมาณ" in preview.text  # the guessed period is flagged
    # The title is a text area wide enough to read; each month is also said in Thai, Buddhist era.
    assert '<textarea name="m-1-title"' in preview.text
    assert "ต.ค. 2567" in preview.text and "ก.ย. 2568" in preview.text
    assert len(session.exec(select(Measure)).all()) == before
    sealed = preview.text.split('name="sealed" value="')[1].split('"')[0]
    form = {"csrf_token": csrf, "sealed": sealed, "year": "2568"}
    for i in range(3):
        form |= {f"m-{i}-title": f"มาตรการ {i}", f"m-{i}-responsible": "กองคลัง", f"m-{i}-start": "2024-10",
                 f"m-{i}-end": "2025-09", f"m-{i}-cadence": "monthly", f"m-{i}-indicators": ""}
    form |= {"m-0-title": "เผยแพร่รายงานจัดซื้อจัดจ้างรายเดือน (แก้แล้ว)", "m-0-indicators": "9, 10",
             "m-2-skip": "1"}
    response = client.post("/console/plan/import", data=form)
    assert response.status_code == 302, response.text
    session.expire_all()
    stored = session.exec(select(Measure).where(Measure.organisation_id == world.org.id,
                                                Measure.fiscal_year == 2568)).all()
    assert sorted(m.title for m in stored) == ["มาตรการ 1", "เผยแพร่รายงานจัดซื้อจัดจ้างรายเดือน (แก้แล้ว)"]
    assert next(m for m in stored if m.title.endswith("(แก้แล้ว)")).indicator_numbers == [9, 10]
    assert session.exec(select(AuditEntry).where(AuditEntry.action == "plan.import")).one()


def test_a_bad_cell_shows_the_preview_again_and_saves_nothing(client, services, world, session):
    csrf = _admin(client, services, world)
    preview = client.post("/console/plan/preview", data={"csrf_token": csrf,
                                                         "file": _upload("plan-ban-nong-kham.csv")},
                          content_type="multipart/form-data")
    sealed = preview.text.split('name="sealed" value="')[1].split('"')[0]
    response = client.post("/console/plan/import", data={"csrf_token": csrf, "sealed": sealed, "year": "2568",
                                                         "m-1-indicators": "12", "m-1-cadence": "monthly"})
    assert response.status_code == 400 and texts.CONSOLE_BAD_INDICATORS in response.text
    assert session.exec(select(Measure).where(Measure.fiscal_year == 2568)).all() == []
    forged = client.post("/console/plan/import", data={"csrf_token": csrf, "sealed": sealed[:-3] + "abc",
                                                       "year": "2568"})
    assert forged.status_code == 302
    assert session.exec(select(Measure).where(Measure.fiscal_year == 2568)).all() == []


def test_edit_a_measure_and_its_assignments(client, services, world, session):
    csrf = _admin(client, services, world)
    measure = world.measures["1"]
    client.post(f"/console/plan/measures/{measure.id}", data={
        "csrf_token": csrf, "title": "เปิดเผยข้อมูลจัดซื้อจัดจ้าง", "responsible": "สำนักปลัด", "start": "",
        "end": "", "cadence": "quarterly", "indicators": "9", "active": "1"})
    session.expire_all()
    saved = session.get(Measure, measure.id)
    assert (saved.title, saved.cadence, saved.indicator_numbers) == ("เปิดเผยข้อมูลจัดซื้อจัดจ้าง", "quarterly", [9])
    mali = world.officers["นางสาวมะลิ ขยัน"]
    client.post(f"/console/plan/measures/{measure.id}/assignments", data={"csrf_token": csrf, "officer": [mali.id]})
    page = client.get(f"/console/measures/{measure.id}")
    assert f'value="{mali.id}" checked' in page.text


def test_add_an_officer_and_print_registration_cards(client, services, world, session, line):
    csrf = _admin(client, services, world)
    added = client.post("/console/people/add", data={"csrf_token": csrf, "name": "นางสาวใหม่ ลงทะเบียน",
                                                     "unit": "กองช่าง", "role": "officer"}, follow_redirects=True)
    assert "นางสาวใหม่ ลงทะเบียน" in added.text
    officer = session.exec(select(Officer).where(Officer.name == "นางสาวใหม่ ลงทะเบียน")).one()
    code = session.exec(select(RegistrationCode).where(RegistrationCode.officer_id == officer.id)).one().code
    cards = client.post("/console/people/cards", data={"csrf_token": csrf})
    assert cards.status_code == 200
    assert f"ลงทะเบียน {code}" in cards.text  # the code printed for typing by hand, not a new one
    assert cards.text.count('class="reg-card"') == 1  # every other officer of the world is registered
    assert "<svg" in cards.text and line.bot_info["basicId"] in cards.text


def test_the_registration_link_opens_the_bot_with_the_command_typed():
    url = register_link("@tidtam", "ABCD2345")
    assert url.startswith("https://line.me/R/oaMessage/@tidtam/?")
    assert unquote(url.split("?", 1)[1]) == "ลงทะเบียน ABCD2345"


def test_import_staff_through_a_preview(client, services, world, session):
    csrf = _admin(client, services, world)
    preview = client.post("/console/people/import/preview", data={
        "csrf_token": csrf, "file": _upload("staff-ban-nong-kham.csv")}, content_type="multipart/form-data")
    assert "นายก้องภพ สมมุติ" in preview.text
    assert session.exec(select(Officer).where(Officer.name == "นายก้องภพ สมมุติ")).first() is None
    sealed = preview.text.split('name="sealed" value="')[1].split('"')[0]
    client.post("/console/people/import", data={"csrf_token": csrf, "sealed": sealed})
    assert session.exec(select(Officer).where(Officer.name == "นายก้องภพ สมมุติ")).one()


def test_import_scores_with_cross_checks(client, services, world, session):
    csrf = _admin(client, services, world)
    preview = client.post("/console/scores/preview", data={"csrf_token": csrf,
                                                           "file": _upload("scores-ban-nong-kham.csv")},
                          content_type="multipart/form-data")
    assert preview.status_code == 200, preview.text
    assert "94.20" in preview.text and "99.00" in preview.text and "ไม่ตรงกัน" in preview.text
    assert available_years(session, organisation_id=world.org.id) == []
    sealed = preview.text.split('name="sealed" value="')[1].split('"')[0]
    client.post("/console/scores/import", data={"csrf_token": csrf, "sealed": sealed})
    assert available_years(session, organisation_id=world.org.id) == [2567, 2568]
    assert year_scores(session, organisation_id=world.org.id, year_be=2568).reported_overall == 99.0
    page = client.get("/console/scores")
    assert "+15.00" in page.text  # indicator 9: 80 -> 95, a point difference


def test_the_dashboard_moves_after_a_report_in_the_chat(client, services, world, chat):
    _admin(client, services, world)
    before = client.get("/console/").text
    total = before.split('data-testid="period-total">')[1].split("<")[0]
    reported, due = map(int, total.split("/"))
    user = world.officers["นายสมชาย ใจดี"].line_user_id
    chat.text(user, "รายงาน 1 ดำเนินการแล้ว 100% เผยแพร่ครบ")
    chat.text(user, "ยืนยัน")
    after = client.get("/console/").text
    assert after.split('data-testid="period-total">')[1].split("<")[0] == f"{reported + 1}/{due}"
    history = client.get(f"/console/measures/{world.measures['1'].id}").text
    assert "เผยแพร่ครบ" in history


def test_reminders_page_shows_the_quota_and_the_forecast(client, services, world, line):
    line.quota_limit = 2
    _admin(client, services, world)
    page = client.get("/console/reminders").text
    assert 'data-testid="quota">0/2' in page
    assert "เกินโควตา 2 ข้อความ" in page  # four officers with due measures cannot fit in two pushes


def test_download_the_years_report_and_every_answer(client, services, world, chat, tmp_path):
    _admin(client, services, world)
    user = world.officers["นายสมชาย ใจดี"].line_user_id
    chat.text(user, "รายงาน 1 ดำเนินการแล้ว 100% ประกาศบนเว็บไซต์แล้ว")
    chat.text(user, "ยืนยัน")
    year = world.measures["1"].fiscal_year
    docx = client.get(f"/console/reports/annual.docx?year={year}")
    assert docx.status_code == 200
    path = tmp_path / "r.docx"
    path.write_bytes(docx.data)
    assert world.org.name in docx_text(path)
    answers = client.get(f"/console/reports/answers.csv?year={year}")
    assert "ประกาศบนเว็บไซต์แล้ว" in answers.data.decode("utf-8-sig")
    assert client.get("/console/reports/answers.csv?year=2400").status_code == 404


def test_a_plan_whose_columns_are_unclear_gets_a_column_picker_then_a_preview(client, services, world, session):
    csrf = _admin(client, services, world)
    before = len(session.exec(select(Measure)).all())
    ambiguous = Path(__file__).resolve().parents[1] / "fixtures" / "documents" / "plan_ambiguous.txt"
    asked = client.post("/console/plan/preview", content_type="multipart/form-data", data={
        "csrf_token": csrf, "file": (io.BytesIO(ambiguous.read_bytes()), "plan.txt")})
    assert asked.status_code == 200 and 'data-testid="column-picker"' in asked.text
    assert 'name="t1c3"' in asked.text  # every column of the candidate table has a picker
    upload = asked.text.split('name="upload" value="')[1].split('"')[0]
    no_measure = client.post("/console/plan/columns", data={"csrf_token": csrf, "upload": upload, "table": "1",
                                                             "t1c1": "steps"})
    assert no_measure.status_code == 400 and texts.CONSOLE_COLUMNS_NEED_MEASURE in no_measure.text
    chosen = client.post("/console/plan/columns", data={"csrf_token": csrf, "upload": upload, "table": "1",
                                                         "t1c1": "measure", "t1c2": "steps", "t1c3": "outcome"})
    assert chosen.status_code == 200, chosen.text
    assert "ส่งเสริมการมีส่วนร่วมของประชาชน" in chosen.text and 'name="sealed"' in chosen.text
    assert len(session.exec(select(Measure)).all()) == before  # still nothing stored
    forged = client.post("/console/plan/columns", data={"csrf_token": csrf, "upload": upload + "x", "table": "1",
                                                         "t1c1": "measure"}, follow_redirects=True)
    assert texts.CONSOLE_PLAN_PREVIEW_STALE in forged.text


def test_scores_that_contradict_each_other_ask_which_place_to_believe(client, services, world, session):
    csrf = _admin(client, services, world)
    conflict = Path(__file__).resolve().parents[1] / "fixtures" / "documents" / "scores_conflict.txt"
    asked = client.post("/console/scores/preview", content_type="multipart/form-data", data={
        "csrf_token": csrf, "file": (io.BytesIO(conflict.read_bytes()), "scores.txt")})
    assert asked.status_code == 200 and 'data-testid="score-conflicts"' in asked.text
    assert "--prefer" not in asked.text  # the CLI's flag means nothing in a browser
    assert available_years(session, organisation_id=world.org.id) == []
    upload = asked.text.split('name="upload" value="')[1].split('"')[0]
    chosen = client.post("/console/scores/prefer", data={"csrf_token": csrf, "upload": upload, "prefer": "first"})
    assert chosen.status_code == 200 and 'name="sealed"' in chosen.text  # the ordinary preview, nothing saved
    assert available_years(session, organisation_id=world.org.id) == []
    odd = client.post("/console/scores/prefer", data={"csrf_token": csrf, "upload": upload, "prefer": "anything"},
                      follow_redirects=True)
    assert texts.CONSOLE_SCORES_CHOOSE in odd.text


@pytest.mark.parametrize(("path", "page"), [("/console/plan/import", "/console/plan"),
                                            ("/console/scores/import", "/console/scores"),
                                            ("/console/people/import", "/console/people")])
def test_a_stale_or_forged_preview_goes_back_to_its_page_with_the_reason_in_thai(client, services, world, path,
                                                                                   page):
    csrf = _admin(client, services, world)
    response = client.post(path, data={"csrf_token": csrf, "sealed": "not-a-sealed-preview"})
    assert response.status_code == 302 and response.headers["Location"].endswith(page)
    assert texts.CONSOLE_PLAN_PREVIEW_STALE in client.get(page).text
