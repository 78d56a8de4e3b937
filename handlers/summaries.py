"""Supervisor summaries: this period, the fiscal year, who is pending, one measure, a chart.

For supervisors and admins of the organisation in a 1:1 chat (the router
refuses everyone else politely), and in group chats that a supervisor has set
up with ตั้งกลุ่มรายงาน; the organisation is then the group's. In a group every
answer lists counts only: no names, no one's free text. ``มาตรการ`` (names
and history) and ``กราฟ`` (pushed to the asker) stay 1:1.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, select

from core.links import new_file_path, signed_url
from core.services import Services
from handlers.groups import group_organisation
from handlers.registry import Context, Reply, command
from ita import periods
from ita.progress_chart import ChartText, ProgressChart, UnitBar, draw_progress_chart
from ita.status import Status
from ita.thai import fiscal_year, format_month, format_thai_date, normalize_text
from ita.vocab.time import MONTH_RE, month_of_match
from line import texts, views
from line.cards import period_label, status_label
from models import Measure, Role, Unit
from models.plan import find_measure
from models.reports import current_period
from models.summaries import (
    BUCKETS,
    NO_REPORT,
    PeriodProgress,
    Tally,
    YearProgress,
    deadline_date,
    find_unit,
    latest_summaries,
    measure_detail,
    organisation_and_deadline_day,
    organisation_name,
    pending_parties,
    period_progress,
    unit_names,
    year_progress,
)
from outbox.send import Recipient, push

log = logging.getLogger(__name__)

YEAR_WORDS = frozenset({"ปี", "ทั้งปี", "ปีงบ", "ปีงบประมาณ", "year"})
MEASURE_ARG = re.compile(r"^(?:มาตรการ|measure|ข้อ)?\s*(\d+(?:[.\-]\d+)*)\.?$", re.IGNORECASE)
# A measure number anywhere among the filters: "สรุป กองคลัง 1.2", "ค้างส่ง มาตรการ 3".
MEASURE_IN_ARGS = re.compile(r"(?:^|\s)(?:มาตรการ|measure|ข้อ)?\s*(\d+(?:[.\-]\d+)*)\.?(?=\s|$)", re.IGNORECASE)
FILLER_WORDS = ("เดือน", "ของ", "หน่วยงาน", "เฉพาะ", "รอบ")
MAX_UNIT_ROWS = 15
MAX_OFFICER_ROWS = 15
MAX_HISTORY_PERIODS = 6
MAX_REFS = 8
SNIPPET = 80
GREY, RED, AMBER, GREEN = "#6B7280", "#E02424", "#E3A008", "#1DB446"
BUCKET_LABELS = {
    Status.DONE.value: texts.SUM_STATUS_DONE,
    Status.IN_PROGRESS.value: texts.SUM_STATUS_IN_PROGRESS,
    Status.NOT_STARTED.value: texts.SUM_STATUS_NOT_STARTED,
    Status.BLOCKED.value: texts.SUM_STATUS_BLOCKED,
    NO_REPORT: texts.SUM_STATUS_NO_REPORT,
}
CADENCE_LABELS = {"monthly": texts.MDETAIL_CADENCE_MONTHLY, "quarterly": texts.MDETAIL_CADENCE_QUARTERLY,
                  "six_monthly": texts.MDETAIL_CADENCE_SIX_MONTHLY}
CHART_TEXT = ChartText(units_title=texts.CHART_UNITS_TITLE, months_title=texts.CHART_MONTHS_TITLE,
                       period_legend=texts.CHART_PERIOD_LEGEND, year_legend=texts.CHART_YEAR_LEGEND,
                       axis=texts.CHART_AXIS, no_data=texts.CHART_NO_UNITS)


# -- small pure helpers ------------------------------------------------------------

def deadline_text(today: date, deadline: date) -> tuple[str, bool]:
    """The deadline sentence and whether it has passed."""
    days = (deadline - today).days
    when = format_thai_date(deadline)
    if days > 0:
        return texts.SUM_DEADLINE_LEFT.format(days=days, date=when), False
    if days == 0:
        return texts.SUM_DEADLINE_TODAY.format(date=when), False
    return texts.SUM_DEADLINE_PASSED.format(days=-days, date=when), True


def fit_lines(head: Sequence[str], items: Sequence[str], tail: Sequence[str], *, limit: int,
              more: str, total: int | None = None) -> str:
    """Join lines within ``limit`` characters, dropping items from the end with a "…and N more" line.

    ``total`` is how many items there are in all, when ``items`` is already a selection.
    """
    kept = list(items)
    total = len(items) if total is None else total
    while True:
        dropped = total - len(kept)
        lines = [*head, *kept, *([more.format(count=dropped)] if dropped else []), *tail]
        body = views.lines(lines)
        if len(body) <= limit or not kept:
            return body if len(body) <= limit else body[: limit - 1] + "…"
        kept.pop()


def percent_color(tally: Tally) -> str:
    if not tally.due:
        return GREY
    return GREEN if tally.percent >= 80 else AMBER if tally.percent >= 50 else RED


def _tally_text(tally: Tally) -> str:
    return f"{tally.reported}/{tally.due} ({tally.percent}%)"


# -- where the question comes from ------------------------------------------------------

def _organisation_id(ctx: Context) -> int:
    """The organisation whose data this chat may see: the group's, else the asker's own."""
    if ctx.in_group:
        org_id = group_organisation(ctx)
        if org_id is None:  # the router checks this first; never fall back to the sender's org
            raise PermissionError("group is not set up")
        return org_id
    return ctx.officer.organisation_id


def _period(ctx: Context) -> date:
    return current_period(ctx.now, ctx.settings.tz)


def _today(ctx: Context) -> date:
    return ctx.now.astimezone(ctx.settings.tz).date()


@dataclass(frozen=True)
class Scope:
    """What a supervisor's filters narrow an answer to: a unit, a measure and/or a month."""

    unit: Unit | None = None
    measure: Measure | None = None
    month: date | None = None  # a month asked for by name; None: this month


def _find_one_measure(ctx: Context, org_id: int, number: str, period: date, again: str
                      ) -> tuple[Measure | None, Reply]:
    found = (find_measure(ctx.session, organisation_id=org_id, number=number, fiscal_year=fiscal_year(period))
             or find_measure(ctx.session, organisation_id=org_id, number=number))
    if not found:
        return None, [views.text(texts.SUM_UNKNOWN_MEASURE.format(number=number))]
    if len(found) > 1:
        refs = ", ".join(m.ref for m in found)
        quick = [views.say_action(f"{m.ref} {m.title}", f"{again} {m.ref}") for m in found]
        return None, [views.text(texts.SUM_AMBIGUOUS_MEASURE.format(number=number, refs=refs), quick)]
    return found[0], []


def month_asked(month: int, current: date) -> date:
    """The latest month with that number, not after the current one (ธันวาคม in November: last December)."""
    year = current.year if month <= current.month else current.year - 1
    return date(year, month, 1)


def split_filters(args: str) -> tuple[int | None, str | None, str]:
    """Split a supervisor's filter words into (month number, measure number, the rest: a unit's name).

    The same words work on every supervisor command: ``สรุป กองช่าง``,
    ``ค้างส่ง ธันวาคม``, ``สรุป ธ.ค. กองคลัง``, ``สรุปปี มาตรการ 2``.
    """
    text = normalize_text(args)
    month = None
    found = MONTH_RE.search(text)
    if found:
        month = month_of_match(found)
        text = text[:found.start()] + " " + text[found.end():]
    number = None
    found = MEASURE_IN_ARGS.search(text)
    if found:
        number = found.group(1)
        text = text[:found.start()] + " " + text[found.end():]
    words = [w for w in text.split() if w not in FILLER_WORDS]
    rest = " ".join(words)
    for filler in FILLER_WORDS:  # Thai runs words together: "เดือนธันวาคม", "ของกองคลัง"
        if rest.startswith(filler) and len(rest) > len(filler):
            rest = rest[len(filler):].strip()
    return month, number, rest


def _scope(ctx: Context, org_id: int, args: str, period: date, again: str) -> tuple[Scope | None, Reply]:
    """Read a supervisor's filters (unit, month, measure), or a question back when one is unclear."""
    month_number, number, rest = split_filters(args)
    month = month_asked(month_number, period) if month_number else None
    measure = unit = None
    if number:
        measure, reply = _find_one_measure(ctx, org_id, number, month or period, again)
        if measure is None:
            return None, reply
    if rest:
        unit, candidates = find_unit(ctx.session, organisation_id=org_id, text=rest)
        if unit is None:
            if candidates:
                quick = [views.say_action(u.name, f"{again} {u.name}") for u in candidates]
                return None, [views.text(texts.SUM_AMBIGUOUS_UNIT.format(text=views.cut(rest, 40)), quick)]
            names = unit_names(ctx.session, organisation_id=org_id)
            quick = [views.say_action(name, f"{again} {name}") for name in names]
            return None, [views.text(texts.SUM_UNKNOWN_UNIT.format(text=views.cut(rest, 40),
                                                                     units=", ".join(names[:20]) or "-"), quick)]
    return Scope(unit=unit, measure=measure, month=month), []


# -- Flex pieces --------------------------------------------------------------------------

def _t(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "text", "text": text or "-", "wrap": True, **style}


def _row(label: str, value: str, *, color: str | None = None, bold: bool = False) -> dict[str, Any]:
    value_style: dict[str, Any] = {"size": "sm", "align": "end", "flex": 2}
    if color:
        value_style["color"] = color
    if bold:
        value_style["weight"] = "bold"
    return {"type": "box", "layout": "horizontal", "contents": [
        _t(label, size="sm", flex=5, color="#111827"), _t(value, **value_style)]}


def _tally_rows(label: str, tally: Tally) -> list[dict[str, Any]]:
    return [_row(label, _tally_text(tally), color=percent_color(tally)),
            views.progress_bar(tally.percent / 100 if tally.due else 0, percent_color(tally))]


def _buttons(words: Sequence[str]) -> dict[str, Any]:
    return {"type": "box", "layout": "horizontal", "spacing": "sm", "contents": [
        {"type": "button", "style": "link", "height": "sm", "action": views.say_action(word)}
        for word in words]}


def _bubble(org_name: str, heading: str, scope: str, body: list[dict[str, Any]],
            buttons: Sequence[str]) -> dict[str, Any]:
    header = [_t(org_name, size="xs", color=GREY), _t(heading, weight="bold", size="md")]
    if scope:
        header.append(_t(scope, size="sm", color="#374151"))
    return {"type": "bubble", "size": "mega",
            "header": {"type": "box", "layout": "vertical", "contents": header, "paddingBottom": "none"},
            "body": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": body},
            "footer": _buttons(buttons)}


def _quick_units(units: Sequence[Tally], again: str) -> list[Any]:
    return [views.say_action(u.label, f"{again} {u.label}") for u in units if u.label != texts.SUM_NO_UNIT]


# -- สรุป ------------------------------------------------------------------------------------------

def _scope_line(scope: Scope) -> str:
    parts = []
    if scope.unit is not None:
        parts.append(texts.SUM_SCOPE_UNIT.format(unit=scope.unit.name))
    if scope.measure is not None:
        parts.append(texts.SUM_SCOPE_MEASURE.format(ref=scope.measure.ref, title=views.cut(scope.measure.title, 60)))
    return " · ".join(parts)


def summary_messages(*, org_name: str, progress: PeriodProgress, scope: Scope, deadline: tuple[str, bool],
                     counts_only: bool, summaries: dict[int, str] | None = None) -> Reply:
    """The period summary as one Flex bubble whose altText reads well on its own."""
    heading = texts.SUM_HEAD.format(period=period_label(progress.period))
    scope_line = _scope_line(scope)
    deadline_line, late = deadline
    total, counts = progress.total, progress.status_counts
    blocked = [m.measure.ref for m in progress.measures if m.status == Status.BLOCKED.value]
    status_line = " · ".join(texts.SUM_STATUS_LINE.format(label=BUCKET_LABELS[b], count=counts[b]) for b in BUCKETS)

    head = [heading, org_name, scope_line, texts.SUM_REPORTED.format(reported=total.reported, due=total.due,
                                                                     percent=total.percent), deadline_line,
            texts.SUM_MEASURES_HEAD.format(count=len(progress.measures)) + ": " + status_line,
            texts.SUM_BLOCKED_REFS.format(refs=", ".join(blocked[:20])) if blocked else "",
            texts.SUM_UNITS_HEAD]
    items = [texts.SUM_UNIT_LINE.format(unit=u.label, reported=u.reported, due=u.due, percent=u.percent)
             for u in progress.units]
    officer_rows: list[tuple[str, str, str]] = []  # (line, status, snippet)
    if scope.measure is not None and not counts_only and progress.measures:
        # Who reported (and what) first: the rest are the same "not reported yet" line.
        for duty in sorted(progress.measures[0].parties, key=lambda d: not d.status):
            snippet = views.cut((summaries or {}).get(duty.reporter_id, ""), SNIPPET) if duty.reporter_id else ""
            line = (texts.SUM_PARTY_UNIT_LINE if duty.party[0] == "unit" else texts.SUM_OFFICER_LINE).format(
                name=duty.label, unit=duty.unit, status=status_label(duty.status, duty.percent))
            if duty.party[0] == "unit" and duty.reporter:
                line += texts.SUM_REPORTED_BY.format(name=duty.reporter)
            officer_rows.append((line, duty.status, snippet))
        items += [texts.SUM_OFFICERS_HEAD] + [
            line + (("\n" + texts.SUM_OFFICER_TEXT.format(text=snippet)) if snippet else "")
            for line, _, snippet in officer_rows]
    alt = fit_lines([h for h in head if h], items, [], limit=views.MAX_ALT_TEXT, more=texts.AND_MORE)

    body: list[dict[str, Any]] = [
        {"type": "box", "layout": "horizontal", "contents": [
            _t(texts.SUM_REPORTED_SHORT.format(reported=total.reported, due=total.due), size="sm", flex=5,
               gravity="bottom"),
            _t(f"{total.percent}%", size="xxl", weight="bold", align="end", flex=2, color=percent_color(total))]},
        views.progress_bar(total.percent / 100 if total.due else 0, percent_color(total)),
        _t(deadline_line, size="xs", color=RED if late else GREY),
        {"type": "separator", "margin": "md"},
        _t(texts.SUM_MEASURES_HEAD.format(count=len(progress.measures)), size="sm", weight="bold", margin="md"),
    ]
    for bucket in BUCKETS:
        color = views.STATUS_COLORS.get(bucket if bucket != NO_REPORT else "", GREY)
        body.append({"type": "box", "layout": "horizontal", "contents": [
            _t("●", size="sm", color=color, flex=0), _t(BUCKET_LABELS[bucket], size="sm", flex=5, margin="sm"),
            _t(str(counts[bucket]), size="sm", align="end", flex=1, weight="bold")]})
    if blocked:
        body.append(_t(texts.SUM_BLOCKED_REFS.format(refs=", ".join(blocked[:20])), size="xs", color=RED))
    body += [{"type": "separator", "margin": "md"}, _t(texts.SUM_UNITS_HEAD, size="sm", weight="bold", margin="md")]
    for unit in progress.units[:MAX_UNIT_ROWS]:
        body += _tally_rows(unit.label, unit)
    if len(progress.units) > MAX_UNIT_ROWS:
        body.append(_t(texts.SUM_MORE_UNITS.format(count=len(progress.units) - MAX_UNIT_ROWS), size="xs",
                       color=GREY))
    if officer_rows:
        body += [{"type": "separator", "margin": "md"},
                 _t(texts.SUM_OFFICERS_HEAD, size="sm", weight="bold", margin="md")]
        for line, status, snippet in officer_rows[:MAX_OFFICER_ROWS]:
            body.append(_t(line.lstrip("• "), size="xs",
                           color=views.STATUS_COLORS.get(status or "", GREY)))
            if snippet:
                body.append(_t(snippet, size="xxs", color=GREY))
    buttons = [texts.SUM_BTN_PENDING, texts.SUM_BTN_YEAR] + ([] if counts_only else [texts.SUM_BTN_CHART])
    bubble = _bubble(org_name, heading, scope_line, body, buttons)
    quick = [views.say_action(texts.SUM_BTN_PENDING), views.say_action(texts.SUM_BTN_YEAR)]
    if not counts_only:
        quick.append(views.say_action(texts.SUM_BTN_CHART))
    if scope.unit is None and scope.measure is None:
        quick += _quick_units(progress.units, texts.SUM_BTN_SUMMARY)
    else:
        quick.insert(0, views.say_action(texts.SUM_BTN_SUMMARY))
    return [views.flex(alt, bubble, quick)]


@command("สรุป", "summary", role=Role.SUPERVISOR, group_ok=True, usage="สรุป [หน่วยงาน เลขมาตรการ เดือน]")
def summary_command(ctx: Context, args: str) -> Reply:
    """ดูความคืบหน้ารอบนี้ รายหน่วยงานและรายมาตรการ (ผู้บังคับบัญชา)"""
    if args.strip().lower() in YEAR_WORDS:
        return year_command(ctx, "")
    org_id = _organisation_id(ctx)
    scope, reply = _scope(ctx, org_id, args, _period(ctx), texts.SUM_BTN_SUMMARY)
    if scope is None:
        return reply
    period = scope.month or _period(ctx)
    progress = period_progress(ctx.session, organisation_id=org_id, period=period,
                               unit_id=scope.unit.id if scope.unit else None,
                               measure_id=scope.measure.id if scope.measure else None,
                               unnamed_unit=texts.SUM_NO_UNIT)
    if progress.total.due == 0:
        if scope.unit is not None:
            return [views.text(texts.SUM_UNIT_NOTHING_DUE.format(unit=scope.unit.name))]
        return [views.text(texts.SUM_NOTHING_DUE, [views.say_action(texts.SUM_BTN_YEAR)])]
    org_name, deadline_day = organisation_and_deadline_day(ctx.session, org_id)
    deadline = deadline_text(_today(ctx), deadline_date(period, deadline_day))
    summaries = None
    if scope.measure is not None and not ctx.in_group:
        summaries = latest_summaries(ctx.session, measure_id=scope.measure.id, period=period)
    return summary_messages(org_name=org_name, progress=progress, scope=scope, deadline=deadline,
                            counts_only=ctx.in_group, summaries=summaries)


# -- สรุปปี ------------------------------------------------------------------------------------------

def year_messages(*, org_name: str, year: YearProgress, scope: Scope, counts_only: bool) -> Reply:
    """The fiscal year so far, month by month, as a Flex bubble with a text altText."""
    heading = texts.SUM_YEAR_HEAD.format(year=year.fiscal_year, month=format_month(year.period, abbr=True))
    scope_line = _scope_line(scope)
    total = year.total
    total_line = texts.SUM_YEAR_TOTAL.format(reported=total.reported, due=total.due, percent=total.percent)
    items = []
    body: list[dict[str, Any]] = [
        {"type": "box", "layout": "horizontal", "contents": [
            _t(texts.SUM_YEAR_TOTAL_SHORT.format(reported=total.reported, due=total.due), size="sm", flex=5,
               gravity="bottom"),
            _t(f"{total.percent}%", size="xxl", weight="bold", align="end", flex=2, color=percent_color(total))]},
        views.progress_bar(total.percent / 100 if total.due else 0, percent_color(total)),
        {"type": "separator", "margin": "md"},
    ]
    for month, tally in year.months:
        label = format_month(month, abbr=True)
        if tally.due:
            items.append(texts.SUM_MONTH_LINE.format(month=label, reported=tally.reported, due=tally.due,
                                                     percent=tally.percent))
            body += _tally_rows(label, tally)
        else:
            items.append(texts.SUM_MONTH_NOTHING.format(month=label))
            body.append(_row(label, "-", color=GREY))
    alt = fit_lines([heading, org_name, scope_line, total_line] if scope_line else [heading, org_name, total_line],
                    items, [], limit=views.MAX_ALT_TEXT, more=texts.AND_MORE)
    buttons = [texts.SUM_BTN_SUMMARY, texts.SUM_BTN_PENDING] + ([] if counts_only else [texts.SUM_BTN_CHART])
    quick = [views.say_action(word) for word in buttons]
    if scope.unit is None and scope.measure is None:
        quick += _quick_units(year.units_year, texts.SUM_BTN_YEAR)
    return [views.flex(alt, _bubble(org_name, heading, scope_line, body, buttons), quick)]


@command("สรุปปี", "summary year", role=Role.SUPERVISOR, group_ok=True,
         usage="สรุปปี [หน่วยงาน เลขมาตรการ เดือน]")
def year_command(ctx: Context, args: str) -> Reply:
    """ดูความคืบหน้าทั้งปีงบประมาณ รายเดือน (ผู้บังคับบัญชา)"""
    org_id = _organisation_id(ctx)
    scope, reply = _scope(ctx, org_id, args, _period(ctx), texts.SUM_BTN_YEAR)
    if scope is None:
        return reply
    period = scope.month or _period(ctx)
    year = year_progress(ctx.session, organisation_id=org_id, period=period,
                         unit_id=scope.unit.id if scope.unit else None,
                         measure_id=scope.measure.id if scope.measure else None, unnamed_unit=texts.SUM_NO_UNIT)
    if year.total.due == 0:
        return [views.text(texts.SUM_YEAR_NOTHING_DUE)]
    return year_messages(org_name=organisation_name(ctx.session, org_id), year=year, scope=scope,
                         counts_only=ctx.in_group)


# -- ค้างส่ง -----------------------------------------------------------------------------------------

@command("ค้างส่ง", "pending", role=Role.SUPERVISOR, group_ok=True, usage="ค้างส่ง [หน่วยงาน เลขมาตรการ เดือน]")
def pending_command(ctx: Context, args: str) -> Reply:
    """ดูว่าหน่วยงานใดยังไม่ส่งรายงานรอบนี้ และถูกเตือนไปแล้วกี่ครั้ง (ผู้บังคับบัญชา)"""
    org_id = _organisation_id(ctx)
    scope, reply = _scope(ctx, org_id, args, _period(ctx), texts.SUM_BTN_PENDING)
    if scope is None:
        return reply
    period = scope.month or _period(ctx)
    pending, due = pending_parties(ctx.session, organisation_id=org_id, period=period,
                                   unit_id=scope.unit.id if scope.unit else None,
                                   measure_id=scope.measure.id if scope.measure else None,
                                   unnamed_unit=texts.SUM_NO_UNIT)
    label = period_label(period)
    scope_line = _scope_line(scope)
    quick = [views.say_action(texts.SUM_BTN_SUMMARY, f"{texts.SUM_BTN_SUMMARY} {args}".strip())]
    if due == 0:
        return [views.text(views.lines([texts.SUM_NOTHING_DUE, scope_line]), quick)]
    if not pending:
        return [views.text(views.lines([texts.PENDING_NONE.format(period=label), scope_line]), quick)]
    _name, deadline_day = organisation_and_deadline_day(ctx.session, org_id)
    deadline, _late = deadline_text(_today(ctx), deadline_date(period, deadline_day))
    items_total = sum(len(p.measure_refs) for p in pending)
    head = [texts.PENDING_HEAD.format(period=label, parties=len(pending), items=items_total), scope_line,
            deadline, ""]
    lines = []
    for p in pending:
        refs = ", ".join(p.measure_refs[:MAX_REFS]) + ("…" if len(p.measure_refs) > MAX_REFS else "")
        if ctx.in_group:  # counts only: no names in a group
            lines.append(texts.PENDING_GROUP_LINE.format(unit=p.label if p.is_unit else p.unit,
                                                         count=len(p.measure_refs), refs=refs,
                                                         reminders=p.reminders))
        elif p.is_unit:
            lines.append(texts.PENDING_UNIT_LINE.format(unit=p.label, count=len(p.measure_refs), refs=refs,
                                                        names=", ".join(p.names), reminders=p.reminders))
        else:
            lines.append(texts.PENDING_PERSON_LINE.format(name=p.label, unit=p.unit, count=len(p.measure_refs),
                                                          refs=refs, reminders=p.reminders))
    body = fit_lines([h for h in head if h is not None], lines, [], limit=views.MAX_TEXT - 100, more=texts.AND_MORE)
    if not ctx.in_group:
        quick.append(views.say_action(texts.SUM_BTN_NUDGE))
    return [views.text(body, quick)]


# -- มาตรการ <ref> ---------------------------------------------------------------------------------------

def _measure_period(measure: Measure) -> str:
    if measure.period_start is None and measure.period_end is None or measure.period_assumed:
        return texts.MDETAIL_WHOLE_YEAR
    # Periods are stored as whole months (each date the first of its month): say months, not days.
    start = measure.period_start or measure.period_end
    return periods.period_label(periods.Period(start, measure.period_end or start))


def _measure_list(ctx: Context, org_id: int, period: date) -> Reply:
    year = fiscal_year(period)
    measures = list(ctx.session.exec(
        select(Measure).where(Measure.organisation_id == org_id, Measure.fiscal_year == year, Measure.active)
        .order_by(Measure.source_line, Measure.id)).all())
    if not measures:
        return [views.text(texts.MDETAIL_ASK)]
    lines = [texts.MDETAIL_LIST_LINE.format(ref=m.ref, title=views.cut(m.title, 50)) for m in measures]
    body = fit_lines([texts.MDETAIL_LIST_HEAD.format(year=year, count=len(measures))], lines, [texts.MDETAIL_ASK],
                     limit=views.MAX_TEXT - 100, more=texts.AND_MORE)
    quick = [views.say_action(f"{m.ref} {m.title}", f"มาตรการ {m.ref}") for m in measures]
    return [views.text(body, quick)]


@command("มาตรการ", "measure", role=Role.SUPERVISOR, usage="มาตรการ เลขมาตรการ")
def measure_command(ctx: Context, args: str) -> Reply:
    """ดูรายละเอียดมาตรการ ผู้รับผิดชอบ และประวัติการรายงาน (ผู้บังคับบัญชา)"""
    org_id = _organisation_id(ctx)
    period = _period(ctx)
    number = MEASURE_ARG.match(args.strip())
    if not number:
        return _measure_list(ctx, org_id, period)
    measure, reply = _find_one_measure(ctx, org_id, number.group(1), period, "มาตรการ")
    if measure is None:
        return reply
    detail = measure_detail(ctx.session, measure=measure, unnamed_unit=texts.SUM_NO_UNIT)
    head = [texts.MDETAIL_HEAD.format(ref=measure.ref, year=measure.fiscal_year), views.cut(measure.title, 300)]
    if measure.steps:
        head.append(texts.MDETAIL_STEPS.format(text=views.cut(measure.steps, 300)))
    if measure.responsible_text:
        head.append(texts.MDETAIL_RESPONSIBLE.format(text=views.cut(measure.responsible_text, 150)))
    head.append(texts.MDETAIL_PERIOD.format(text=_measure_period(measure)))
    head.append(texts.MDETAIL_CADENCE.format(text=CADENCE_LABELS.get(measure.cadence, measure.cadence)))
    if detail.officers:
        names = ", ".join(f"{o.name} ({o.unit})" for o in detail.officers)
        head.append(views.cut(texts.MDETAIL_OFFICERS.format(count=len(detail.officers), names=names), 1200))
    else:
        head.append(texts.MDETAIL_NO_OFFICERS)
    head.append("")
    if not detail.history:
        head.append(texts.MDETAIL_NO_HISTORY)
        return [views.text("\n".join(head))]
    head.append(texts.MDETAIL_HISTORY_HEAD)
    items: list[tuple[date, list[str]]] = []
    for entry in detail.history:  # newest period first
        if not items or items[-1][0] != entry.period:
            items.append((entry.period, [texts.MDETAIL_HISTORY_PERIOD.format(period=format_month(entry.period))]))
        evidence = texts.MDETAIL_EVIDENCE.format(count=entry.evidence) if entry.evidence else ""
        items[-1][1].append(texts.MDETAIL_HISTORY_LINE.format(
            name=entry.name, status=status_label(entry.status, entry.percent), versions=entry.versions,
            evidence=evidence))
    blocks = ["\n".join(lines) for _, lines in items]
    body = fit_lines(head, blocks[:MAX_HISTORY_PERIODS], [], limit=views.MAX_TEXT - 100,
                     more=texts.MDETAIL_MORE_PERIODS, total=len(blocks))
    quick = [views.say_action(texts.SUM_BTN_SUMMARY + " " + measure.ref, f"{texts.SUM_BTN_SUMMARY} {measure.ref}")]
    return [views.text(body, quick)]


# -- กราฟ ----------------------------------------------------------------------------------------------

def chart_data(year: YearProgress, org_name: str) -> ProgressChart:
    """Plain numbers for the chart: units this month and the year so far, and each month."""
    this_month = {t.label: t for t in year.units_period}
    units = [UnitBar(t.label, this_month[t.label].percent if t.label in this_month and this_month[t.label].due
                     else None, t.percent if t.due else None) for t in year.units_year]
    months = [(month, float(t.percent) if t.due else None) for month, t in year.months]
    title = texts.CHART_TITLE.format(org=org_name, period=period_label(year.period))
    ascii_title = f"Reporting progress {year.period:%Y-%m}"
    return ProgressChart(title=title, units=units, months=months, ascii_title=ascii_title)


def send_progress_chart(services: Services, *, to: Recipient, period: date, unit_id: int | None = None,
                        measure_id: int | None = None) -> bool:
    """Draw the organisation's progress chart and push it to a user as an image (runs off the request)."""
    settings = services.settings
    try:
        with Session(services.engine) as session:
            year = year_progress(session, organisation_id=to.organisation_id, period=period, unit_id=unit_id,
                                 measure_id=measure_id, unnamed_unit=texts.SUM_NO_UNIT)
            org_name = organisation_name(session, to.organisation_id)
        if year.total.due == 0:
            push(services, to, [views.text(texts.CHART_NO_DATA)])
            return False
        path, preview = new_file_path(settings, ".png"), new_file_path(settings, ".png")
        draw_progress_chart(chart_data(year, org_name), path, preview_path=preview, text=CHART_TEXT)
        name = f"tidtam-progress-{period:%Y-%m}.png"
        image = views.image(signed_url(settings, path, download_name=name),
                            signed_url(settings, preview, download_name=name))
        return push(services, to, [image])
    except Exception:
        log.exception("progress chart for organisation %s failed", to.organisation_id)
        push(services, to, [views.text(texts.CHART_FAILED)], apologise=False)
        return False


@command("กราฟ", "chart", role=Role.SUPERVISOR, slow=True, usage="กราฟ [หน่วยงาน เลขมาตรการ เดือน]")
def chart_command(ctx: Context, args: str) -> Reply:
    """ดูกราฟความคืบหน้ารายหน่วยงานและรายเดือน (ผู้บังคับบัญชา)"""
    org_id = _organisation_id(ctx)
    scope, reply = _scope(ctx, org_id, args, _period(ctx), texts.SUM_BTN_CHART)
    if scope is None:
        return reply
    ctx.services.tasks.submit(send_progress_chart, ctx.services, to=Recipient(org_id, ctx.officer.id, ctx.user_id),
                              period=scope.month or _period(ctx), unit_id=scope.unit.id if scope.unit else None,
                              measure_id=scope.measure.id if scope.measure else None)
    return [views.text(texts.CHART_COMING)]
