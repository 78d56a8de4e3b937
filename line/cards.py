"""Message cards built from the measures: status labels, measure bubbles, the reminder and its nudge.

Shared by the chat handlers (งานของฉัน, รายงาน) and the outbox (the monthly
reminder, the follow-ups), so the reminder looks the same wherever it comes from.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from ita.status import STATUS_LABELS, Status
from ita.thai import format_month, polite_name
from line import texts, views
from line.views import Reply
from models import Measure, Officer
from models.reports import ReportingSnapshot, reporting_snapshot

FEW_MEASURES = 4  # up to this many, quick replies instead of a carousel


def status_label(status: str | None, percent: int | None = None) -> str:
    if not status:
        return texts.STATUS_NONE
    label = STATUS_LABELS[Status(status)]
    if percent is not None and status != Status.NOT_STARTED.value:
        label += f" {percent}%"
    return label


def period_label(period: date) -> str:
    return texts.PERIOD_LABEL.format(month=format_month(period))


def measure_bubble(measure: Measure, report_status: str, percent: int | None, period: date) -> dict[str, Any]:
    color = views.STATUS_COLORS.get(report_status or "", views.STATUS_COLORS[""])
    return {
        "type": "bubble", "size": "kilo",
        "body": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": [
            {"type": "text", "text": texts.MEASURE_NO.format(ref=measure.ref), "size": "xs", "color": "#6B7280"},
            {"type": "text", "text": views.cut(measure.title, 120), "wrap": True, "weight": "bold", "size": "sm",
             "maxLines": 4},
            {"type": "text", "text": status_label(report_status, percent), "size": "xs", "color": color,
             "wrap": True},
        ]},
        "footer": {"type": "box", "layout": "vertical", "contents": [
            {"type": "button", "style": "primary", "height": "sm", "color": "#06C755",
             "action": views.postback_action(texts.BTN_REPORT, texts.REPORT_MEASURE_DISPLAY.format(ref=measure.ref),
                                             a="rep", m=measure.id, p=views.period_param(period))},
        ]},
    }


def more_bubble(count: int) -> dict[str, Any]:
    return {"type": "bubble", "size": "kilo", "body": {"type": "box", "layout": "vertical", "contents": [
        {"type": "text", "text": texts.MORE_MEASURES.format(count=count), "wrap": True, "size": "sm"}]}}


def measures_messages(measures: list[Measure], statuses: dict[int, tuple[str, int | None]], period: date,
                      *, heading: str, max_messages: int = views.MAX_MESSAGES) -> Reply:
    """A heading and the measures, as quick replies when few, else as carousels."""
    lines = [heading]
    for m in measures:
        status, percent = statuses.get(m.id, ("", None))
        lines.append(texts.MEASURE_LINE.format(ref=m.ref, title=views.cut(m.title, 40),
                                               status=status_label(status, percent)))
    lines.append(texts.HOW_TO_TYPE_REPORT)
    alt = views.lines(lines)
    if len(measures) <= FEW_MEASURES:
        quick = [views.postback_action(f"{m.ref} {m.title}", texts.REPORT_MEASURE_DISPLAY.format(ref=m.ref),
                                       a="rep", m=m.id, p=views.period_param(period)) for m in measures]
        return [views.text(alt, quick)]
    capacity = (max_messages - 1) * views.MAX_BUBBLES
    bubbles = [measure_bubble(m, *statuses.get(m.id, ("", None)), period) for m in measures]
    if len(bubbles) > capacity:
        bubbles = bubbles[: capacity - 1] + [more_bubble(len(measures) - (capacity - 1))]
    summary = views.lines([heading, texts.MEASURES_COUNT.format(count=len(measures)), texts.HOW_TO_TYPE_REPORT])
    return [views.text(summary), *views.carousels(bubbles, alt_text=alt, max_messages=max_messages - 1)]


def reminder_for(officer: Officer, snapshot: ReportingSnapshot, measures: list[Measure], *,
                 nudge: bool = False) -> Reply:
    """The reminder (or nudge) for one officer, built from the organisation's snapshot."""
    if not measures:
        return []
    template = texts.NUDGE_GREETING if nudge else texts.REMINDER_GREETING
    heading = template.format(name=polite_name(officer.name), period=period_label(snapshot.period),
                              count=len(measures))
    return measures_messages(measures, snapshot.statuses.get(officer.id, {}), snapshot.period, heading=heading)


def reminder_messages(session, *, officer: Officer, period: date, nudge: bool = False) -> Reply:
    """The reminder an officer receives for a period (the scheduler pushes it)."""
    snapshot = reporting_snapshot(session, organisation_id=officer.organisation_id, period=period)
    measures = snapshot.pending(officer.id) if nudge else snapshot.due(officer.id)
    return reminder_for(officer, snapshot, measures, nudge=nudge)
