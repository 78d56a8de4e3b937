"""Jinja filters for the console: Thai dates, months, statuses, periods, cadences and places in a document."""
from __future__ import annotations

from datetime import date, datetime

from flask import current_app

from bot.console.blueprint import bp
from ita.messages import thai_place
from ita.periods import Period, period_label
from ita.thai import format_month, format_thai_date
from ita.vocab.status import STATUS_LABELS_TH
from line import texts
from models.plan import Cadence
from models.summaries import NO_REPORT

CADENCE_LABELS = {Cadence.MONTHLY.value: "รายเดือน", Cadence.QUARTERLY.value: "รายไตรมาส",
                  Cadence.SIX_MONTHLY.value: "ราย 6 เดือน"}
ROLE_LABELS = {"officer": "เจ้าหน้าที่", "supervisor": "ผู้บังคับบัญชา", "admin": "ผู้ดูแลระบบ"}
OUTBOX_LABELS = {"pending": "รอส่ง", "sending": "กำลังส่ง", "delivered": "ส่งแล้ว", "dead": "ส่งไม่สำเร็จ",
                 "expired": "หมดรอบ", "held": "พักไว้ (เกินโควตา)"}
KIND_LABELS = {"reminder": "แจ้งเตือน", "nudge": "เตือนซ้ำ", "digest": "สรุปถึงหัวหน้า", "notice": "ประกาศ",
               "answer": "คำตอบ"}


@bp.app_template_filter("thai_date")
def thai_date(value: date | datetime | None) -> str:
    if value is None:
        return "-"
    if isinstance(value, datetime):
        local = value.astimezone(current_app.extensions["tidtam"].settings.tz)
        return f"{format_thai_date(local.date())} {local:%H:%M}"
    return format_thai_date(value)


@bp.app_template_filter("thai_month")
def thai_month(value: date | None) -> str:
    return format_month(value, abbr=True) if value else "-"


@bp.app_template_filter("status_label")
def status_label(value: str | None) -> str:
    if not value or value == NO_REPORT:
        return texts.SUM_STATUS_NO_REPORT
    return STATUS_LABELS_TH.get(value, value)


@bp.app_template_filter("period_range")
def period_range(start: date | None, end: date | None) -> str:
    return period_label(Period(start, end)) if start and end else "-"


@bp.app_template_filter("cadence_label")
def cadence_label(value: str) -> str:
    return CADENCE_LABELS.get(value, value)


@bp.app_template_filter("role_label")
def role_label(value: str) -> str:
    return ROLE_LABELS.get(value, value)


@bp.app_template_filter("outbox_label")
def outbox_label(value: str) -> str:
    return OUTBOX_LABELS.get(value, value)


@bp.app_template_filter("kind_label")
def kind_label(value: str) -> str:
    return KIND_LABELS.get(value, value)


@bp.app_template_filter("score")
def score(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


@bp.app_template_filter("thai_place")
def place_in_thai(value: str) -> str:
    """Where in a document, as the importers write it ("table 2 row 3"), in Thai ("ตาราง 2 แถว 3")."""
    return thai_place(value or "")


@bp.context_processor
def _choices() -> dict:
    return {"cadences": list(CADENCE_LABELS.items()), "roles": list(ROLE_LABELS.items())}
