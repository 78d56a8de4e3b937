"""Reporting progress: the reminder, the button flow, the typed shortcut, my tasks, history.

The flow is a state machine kept in the Conversation table:
measure → status → percent → summary → obstacles → more (outcome, evidence) → confirm.
Steps that do not apply are skipped; ``next_step`` decides from what has been
collected, so an edit simply forgets one answer and asks again.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Any

from handlers import flows
from handlers.registry import Context, Reply, command, postback
from ita.status import AMBIGUOUS, STATUS_LABELS, Status, parse_percent, parse_report_command, parse_status
from ita.thai import fiscal_year_bounds, format_month, format_thai_date, to_arabic_digits
from line import texts, views
from line.cards import measures_messages, period_label, status_label
from models import Conversation, Measure, Officer, Role
from models.evidence import EvidenceError, store_evidence
from models.people import OfficerLookupError, find_officer
from models.plan import find_measure
from models.reports import (
    Draft,
    assigned_measures,
    can_report,
    current_period,
    due_measures,
    evidence_counts,
    measure_is_due,
    report_history,
    reports_for_period,
    save_report,
)

FLOW = "report"
# A figure over 100 typed as a percentage: the parser drops it, so say so instead of silently ignoring it.
OVER_100_PERCENT = re.compile(r"(?<![0-9.])([1-9][0-9]{2,})(?:\.[0-9]+)?\s*(?:%|เปอร์เซ็นต์|เปอร์เซ็น)|ร้อยละ\s*([1-9][0-9]{2,})")
PERCENT_BUTTONS = (25, 50, 75, 100)
STATUS_ORDER = (Status.NOT_STARTED, Status.IN_PROGRESS, Status.DONE, Status.BLOCKED)


# -- parameters ---------------------------------------------------------------

def parse_period_param(value: str | None) -> date | None:
    """The month a button's ``p=YYYY-MM`` names; None when it names none (the caller checks the range)."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return date(year, month, 1)
    except (ValueError, OverflowError):  # OverflowError: a year too large for a date, from a forged button
        return None


def status_map(session, officer_id: int, period: date) -> dict[int, tuple[str, int | None]]:
    """This period's status and percent per measure (measures not yet reported are absent)."""
    reports = reports_for_period(session, officer_id=officer_id, period=period)
    return {measure_id: (r.status, r.percent) for measure_id, r in reports.items()}



@command("งานของฉัน", "my tasks", "tasks")
def my_tasks(ctx: Context, args: str) -> Reply:
    """ดูมาตรการของท่านและสถานะรอบนี้"""
    period = current_period(ctx.now, ctx.settings.tz)
    all_measures = assigned_measures(ctx.session, officer_id=ctx.officer.id)
    if not all_measures:
        return [views.text(texts.NO_MEASURES)]
    statuses = status_map(ctx.session, ctx.officer.id, period)
    due = [m for m in all_measures if measure_is_due(m, period)]
    pending = [m for m in due if not statuses.get(m.id, ("",))[0]]
    heading = texts.MY_TASKS_HEAD.format(period=period_label(period), due=len(due), pending=len(pending))
    if not due:
        return [views.text(views.lines([heading, texts.NOTHING_DUE]))]
    return measures_messages(due, statuses, period, heading=heading)


# -- starting a report -------------------------------------------------------------------

def _reportable(ctx: Context, officer: Officer) -> list[Measure]:
    period = current_period(ctx.now, ctx.settings.tz)
    measures = assigned_measures(ctx.session, officer_id=officer.id)
    due = [m for m in measures if measure_is_due(m, period)]
    return due or measures


def _resolve_measure(ctx: Context, officer: Officer, number: str) -> tuple[Measure | None, Reply]:
    """The measure a typed number means, or a question back."""
    found = find_measure(ctx.session, organisation_id=officer.organisation_id, number=number)
    if not found:
        return None, ask_measure(ctx, officer, texts.UNKNOWN_MEASURE.format(number=number))
    if len(found) > 1:
        refs = ", ".join(m.ref for m in found)
        return None, ask_measure(ctx, officer, texts.AMBIGUOUS_MEASURE.format(number=number, refs=refs))
    measure = found[0]
    if not can_report(ctx.session, officer=officer, measure=measure):
        return None, [views.text(texts.NOT_YOUR_MEASURE.format(ref=measure.ref))]
    return measure, []


def ask_measure(ctx: Context, officer: Officer, question: str | None = None) -> Reply:
    measures = _reportable(ctx, officer)
    if not measures:
        return [views.text(texts.NO_MEASURES)]
    period = current_period(ctx.now, ctx.settings.tz)
    flows.start(ctx, FLOW, "measure", {"on_behalf_of": officer.id if officer.id != ctx.officer.id else None})
    heading = question or texts.ASK_MEASURE
    return measures_messages(measures, status_map(ctx.session, officer.id, period), period, heading=heading,
                             max_messages=4)


@command("รายงาน", "report", usage="รายงาน [เลขมาตรการ สถานะ ร้อยละ ผลการดำเนินการ]")
def report_command(ctx: Context, args: str) -> Reply:
    """รายงานความคืบหน้ามาตรการ (กดปุ่มหรือพิมพ์ในข้อความเดียว)"""
    # Parse what was typed (the parser reads Thai digits itself) so the text keeps them.
    parsed = parse_report_command(ctx.raw_text) if ctx.raw_text else None
    if parsed is None:
        parsed = parse_report_command(f"รายงาน {args}")
    reply = _start_from_typed(ctx, ctx.officer, parsed, via="shortcut")
    over = OVER_100_PERCENT.search(to_arabic_digits(ctx.raw_text or args))
    if over and parsed is not None and parsed.percent is None:
        value = over.group(1) or over.group(2)
        conversation = flows.active(ctx)
        if conversation is not None and conversation.data.get("status") == Status.DONE.value:
            return [views.text(texts.PERCENT_OVER_100_DONE.format(value=value)), *reply[:4]]
        if conversation is not None and conversation.data.get("percent") is None and conversation.step != "percent" \
                and conversation.data.get("status"):
            flows.advance(ctx, conversation, "percent")
            return [views.text(texts.PERCENT_OVER_100.format(value=value)),
                    views.text(texts.ASK_PERCENT, [views.say_action(f"{p}%") for p in PERCENT_BUTTONS])]
        return [views.text(texts.PERCENT_OVER_100.format(value=value)), *reply[:4]]
    return reply


@command("รายงานแทน", "report for", role=Role.SUPERVISOR, usage="รายงานแทน ชื่อ เลขมาตรการ สถานะ ...")
def report_for_command(ctx: Context, args: str) -> Reply:
    """รายงานแทนเจ้าหน้าที่ (ผู้บังคับบัญชา)"""
    words = to_arabic_digits(args).split()
    split_at = next((i for i, w in enumerate(words) if i and w.rstrip(".").replace(".", "").isdigit()), None)
    if not words or split_at is None:
        return [views.text(texts.REPORT_FOR_USAGE)]
    try:
        officer = find_officer(ctx.session, organisation_id=ctx.officer.organisation_id,
                               name=" ".join(words[:split_at]))
    except OfficerLookupError:
        return [views.text(texts.REPORT_FOR_UNKNOWN.format(name=" ".join(words[:split_at])))]
    parsed = parse_report_command("รายงาน " + " ".join(words[split_at:]))
    return _start_from_typed(ctx, officer, parsed, via="on_behalf")


def _start_from_typed(ctx: Context, officer: Officer, parsed, *, via: str) -> Reply:
    if parsed is None or not parsed.measure_number:
        return ask_measure(ctx, officer)
    measure, problem = _resolve_measure(ctx, officer, parsed.measure_number)
    if measure is None:
        return problem
    data: dict[str, Any] = {"measure_id": measure.id,
                            "period": views.period_param(current_period(ctx.now, ctx.settings.tz)),
                            "on_behalf_of": officer.id if officer.id != ctx.officer.id else None, "via": via}
    if parsed.status is not None or parsed.ambiguous_status:
        # Everything came in one message: once the status is clear, go straight to confirm.
        # Without a "what was done" text the flow still asks for it, as the buttons do.
        if parsed.text.strip():
            data["summary"] = parsed.text.strip()
        data["more_done"] = True
    if parsed.status is not None:
        data["status"] = parsed.status.value
    if parsed.percent is not None:
        data["percent"] = parsed.percent
    if parsed.ambiguous_status:
        flows.start(ctx, FLOW, "status", data)
        return [_ask_status(measure, texts.AMBIGUOUS_STATUS)]
    return _ask_next(ctx, data)


@postback("rep")
def report_postback(ctx: Context) -> Reply:
    """Start a report from a button on a reminder or task list."""
    # Reporting happens in 1:1 chats only; in a group the button can only be forged or forwarded.
    if ctx.in_group:
        return [views.text(texts.REPORT_ONE_TO_ONE_ONLY)]
    measure = _measure_of(ctx, ctx.postback.get("m"))
    if measure is None:
        return [views.text(texts.BAD_BUTTON)]
    conversation = flows.active(ctx)
    on_behalf = conversation.data.get("on_behalf_of") if conversation is not None else None
    officer = ctx.session.get(Officer, on_behalf) if on_behalf else ctx.officer
    if not can_report(ctx.session, officer=officer, measure=measure):
        return [views.text(texts.NOT_YOUR_MEASURE.format(ref=measure.ref))]
    current = current_period(ctx.now, ctx.settings.tz)
    requested = parse_period_param(ctx.postback.get("p")) if "p" in ctx.postback else current
    if requested is None:
        return [views.text(texts.BAD_BUTTON)]
    first, last = fiscal_year_bounds(measure.fiscal_year)
    # A month outside the measure's fiscal year (an old reminder's button, a forged one), or a
    # fiscal year not begun yet, would file the report where no summary or annual report looks.
    if not first <= requested <= last or current < first:
        return [views.text(texts.REPORT_PERIOD_OUTSIDE_YEAR.format(year=measure.fiscal_year, ref=measure.ref))]
    period = min(requested, current)
    data = {"measure_id": measure.id, "period": views.period_param(period), "on_behalf_of": on_behalf, "via": "chat"}
    return _ask_next(ctx, data)


# -- the flow's steps --------------------------------------------------------------------------

def next_step(data: dict[str, Any]) -> str:
    """The first question still unanswered, or confirm."""
    if "measure_id" not in data:
        return "measure"
    status = data.get("status")
    if not status:
        return "status"
    if status in (Status.IN_PROGRESS.value, Status.BLOCKED.value) and data.get("percent") is None:
        return "percent"
    if "summary" not in data:
        return "summary"
    if status == Status.BLOCKED.value and "obstacles" not in data:
        return "obstacles"
    if not data.get("more_done"):
        return "more"
    return "confirm"


def _measure_of(ctx: Context, value: Any) -> Measure | None:
    """The measure an id names (from a flow's data, or a button's ``m``); None when no row can have that id."""
    try:
        measure_id = int(value if value is not None else "")
    except (TypeError, ValueError):
        return None
    # The column is a 32-bit integer: a larger id (a forged button) is no lookup but a database error.
    if not 0 < measure_id < 2**31:
        return None
    return ctx.session.get(Measure, measure_id)


def _ask_status(measure: Measure, question: str | None = None) -> views.Message:
    body = (question or texts.ASK_STATUS).format(ref=measure.ref, title=views.cut(measure.title, 60))
    return views.text(body, [views.say_action(STATUS_LABELS[s]) for s in STATUS_ORDER])


def _ask_next(ctx: Context, data: dict[str, Any], conversation: Conversation | None = None) -> Reply:
    """Save what the flow has so far with its next question as the step (one write), and ask it.

    Without a conversation the flow is started (flows.start reuses the user's row if there is one).
    """
    data = dict(data)
    if data.get("status") == Status.DONE.value and data.get("percent") is None:
        data["percent"] = 100
    if data.get("status") == Status.NOT_STARTED.value:
        data["percent"] = None
    step = next_step(data)
    if conversation is None:
        flows.start(ctx, FLOW, step, data)
    else:
        flows.advance(ctx, conversation, step, data, replace=True)
    if step == "measure":
        officer = _officer_of(ctx, data)
        return ask_measure(ctx, officer)
    if step == "status":
        return [_ask_status(_measure_of(ctx, data["measure_id"]))]
    if step == "percent":
        return [views.text(texts.ASK_PERCENT, [views.say_action(f"{p}%") for p in PERCENT_BUTTONS])]
    if step == "summary":
        question = texts.ASK_SUMMARY_NOT_STARTED if data["status"] == Status.NOT_STARTED.value else texts.ASK_SUMMARY
        quick = [views.say_action(texts.BTN_SKIP)] if data["status"] == Status.NOT_STARTED.value else []
        return [views.text(question, quick)]
    if step == "obstacles":
        return [views.text(texts.ASK_OBSTACLES)]
    if step == "more":
        return [views.text(texts.ASK_MORE, [views.say_action(texts.BTN_TO_CONFIRM), *views.camera_actions()])]
    return [confirmation(ctx, data)]


def _officer_of(ctx: Context, data: dict[str, Any]) -> Officer:
    return ctx.session.get(Officer, data["on_behalf_of"]) if data.get("on_behalf_of") else ctx.officer


def confirmation(ctx: Context, data: dict[str, Any]) -> views.Message:
    """The whole report as the officer is about to save it, with confirm / edit / cancel."""
    measure = _measure_of(ctx, data["measure_id"])
    period = parse_period_param(data["period"])
    officer = _officer_of(ctx, data)
    current = current_period(ctx.now, ctx.settings.tz)
    body = [
        texts.CONFIRM_HEAD,
        texts.CONFIRM_MEASURE.format(ref=measure.ref, title=views.cut(measure.title, 80)),
        texts.CONFIRM_PERIOD.format(period=period_label(period))
        + (texts.LATE_MARK if period < current else ""),
        texts.CONFIRM_STATUS.format(status=status_label(data["status"], data.get("percent"))),
    ]
    if data.get("summary"):
        body.append(texts.CONFIRM_SUMMARY.format(text=views.cut(data["summary"], 600)))
    if data.get("outcome"):
        body.append(texts.CONFIRM_OUTCOME.format(text=views.cut(data["outcome"], 400)))
    if data.get("obstacles"):
        body.append(texts.CONFIRM_OBSTACLES.format(text=views.cut(data["obstacles"], 400)))
    if data.get("evidence_ids"):
        body.append(texts.CONFIRM_EVIDENCE.format(count=len(data["evidence_ids"])))
    if officer.id != ctx.officer.id:
        body.append(texts.CONFIRM_ON_BEHALF.format(name=officer.name))
    quick = [views.say_action(texts.BTN_CONFIRM), views.say_action(texts.BTN_EDIT), views.say_action(texts.BTN_CANCEL)]
    return views.text(views.lines(body), quick)


EDITABLE = {
    texts.EDIT_STATUS: ("status", "percent"),
    texts.EDIT_PERCENT: ("percent",),
    texts.EDIT_SUMMARY: ("summary",),
    texts.EDIT_OUTCOME: ("outcome",),
    texts.EDIT_OBSTACLES: ("obstacles",),
}


def on_text(ctx: Context, conversation) -> Reply:
    """Take the officer's typed (or tapped) answer to the current step."""
    data = dict(conversation.data)
    step = conversation.step
    answer = ctx.text.strip()
    if step == "measure":
        number = answer.replace(texts.MEASURE_WORD, "").strip()
        measure, problem = _resolve_measure(ctx, _officer_of(ctx, data), number)
        if measure is None:
            return problem
        data.update(measure_id=measure.id, period=views.period_param(current_period(ctx.now, ctx.settings.tz)))
    elif step == "status":
        status = parse_status(answer)
        if status is AMBIGUOUS:
            return [_ask_status(_measure_of(ctx, data["measure_id"]), texts.AMBIGUOUS_STATUS)]
        if status is None:
            return [_ask_status(_measure_of(ctx, data["measure_id"]), texts.STATUS_NOT_UNDERSTOOD)]
        data["status"] = status.value
        percent = parse_percent(answer)
        if percent is not None:
            data["percent"] = percent
    elif step == "percent":
        percent = parse_percent(answer, bare_ok=True)
        if percent is None:
            return [views.text(texts.PERCENT_NOT_UNDERSTOOD, [views.say_action(f"{p}%") for p in PERCENT_BUTTONS])]
        data["percent"] = percent
    elif step == "summary":
        data["summary"] = "" if answer == texts.BTN_SKIP else (ctx.raw_text or answer)
    elif step == "obstacles":
        data["obstacles"] = ctx.raw_text or answer
    elif step == "more":
        if answer not in (texts.BTN_TO_CONFIRM, texts.BTN_SKIP, texts.NOTHING_MORE):
            data["outcome"] = ctx.raw_text or answer
        data["more_done"] = True
    elif step == "edit":
        fields = EDITABLE.get(answer)
        if fields is None:
            return [_edit_menu()]
        for field in fields:
            data.pop(field, None)
        if answer == texts.EDIT_OUTCOME:
            data["more_done"] = False
    elif step == "confirm":
        if answer == texts.BTN_CONFIRM:
            return _save(ctx, data)
        if answer == texts.BTN_EDIT:
            flows.advance(ctx, conversation, "edit")
            return [_edit_menu()]
        return [views.text(texts.CONFIRM_HINT), confirmation(ctx, data)]
    return _ask_next(ctx, data, conversation)


def _edit_menu() -> views.Message:
    return views.text(texts.ASK_EDIT, [views.say_action(label) for label in EDITABLE])


def _save(ctx: Context, data: dict[str, Any]) -> Reply:
    officer = _officer_of(ctx, data)
    measure = _measure_of(ctx, data["measure_id"])
    draft = Draft(measure_id=measure.id, period=parse_period_param(data["period"]), status=data["status"],
                  percent=data.get("percent"), summary=data.get("summary", ""), outcome=data.get("outcome", ""),
                  obstacles=data.get("obstacles", ""))
    via = data.get("via", "chat")
    if officer.id != ctx.officer.id:
        via = "on_behalf"
    report, version = save_report(ctx.session, draft=draft, officer=officer, reported_by=ctx.officer,
                                  webhook_event_id=ctx.webhook_event_id, via=via, evidence_ids=data.get("evidence_ids", []),
                                  now=ctx.now)
    flows.end(ctx)
    saved = texts.SAVED.format(ref=measure.ref, period=period_label(draft.period), version=version.version)
    if officer.id != ctx.officer.id:
        saved += "\n" + texts.SAVED_ON_BEHALF.format(name=officer.name)
    period = current_period(ctx.now, ctx.settings.tz)
    reported = reports_for_period(ctx.session, officer_id=officer.id, period=period)
    remaining = [m for m in due_measures(ctx.session, officer_id=officer.id, period=period) if m.id not in reported]
    quick = [views.postback_action(f"{m.ref} {m.title}", texts.REPORT_MEASURE_DISPLAY.format(ref=m.ref),
                                   a="rep", m=m.id, p=views.period_param(period)) for m in remaining[:12]]
    if remaining:
        saved += "\n" + texts.REMAINING.format(count=len(remaining))
    else:
        saved += "\n" + texts.ALL_DONE
    return [views.text(saved, quick)]


def on_media(ctx: Context, conversation) -> Reply:
    """Store a photo or file sent during the flow as evidence for the report."""
    if conversation.step in ("measure", "status"):
        return [views.text(texts.EVIDENCE_TOO_EARLY)]
    content = ctx.message
    try:
        data, content_type = ctx.services.line.content(content.id, max_bytes=ctx.settings.evidence_max_bytes)
    except Exception as exc:  # ContentError, or LINE unreachable
        reason = getattr(exc, "reason", "unavailable")
        limit_mb = ctx.settings.evidence_max_bytes // (1024 * 1024)
        return [views.text(texts.EVIDENCE_TOO_LARGE.format(mb=limit_mb) if reason == "too_large"
                           else texts.EVIDENCE_FAILED)]
    try:
        evidence = store_evidence(ctx.session, evidence_dir=ctx.settings.evidence_dir, data=data, content_type=content_type,
                                  officer=ctx.officer, line_message_id=content.id,
                                  original_name=getattr(content, "file_name", None), now=ctx.now)
    except EvidenceError:
        return [views.text(texts.EVIDENCE_FAILED)]
    ids = [*conversation.data.get("evidence_ids", []), evidence.id]
    flows.advance(ctx, conversation, conversation.step, {"evidence_ids": ids})
    quick = [views.say_action(texts.BTN_TO_CONFIRM)] if conversation.step == "more" else []
    reply = [views.text(texts.EVIDENCE_RECEIVED.format(count=len(ids)), quick)]
    if conversation.step == "confirm":
        reply.append(confirmation(ctx, conversation.data))
    return reply


flows.register_flow(FLOW, on_text=on_text, on_media=on_media,
                    free_text_steps={"summary", "obstacles", "more"})


# -- history ----------------------------------------------------------------------------------------

@command("ประวัติ", "history", usage="ประวัติ เลขมาตรการ")
def history_command(ctx: Context, args: str) -> Reply:
    """ดูรายงานที่ท่านเคยส่งของมาตรการหนึ่ง"""
    if not args:
        measures = assigned_measures(ctx.session, officer_id=ctx.officer.id)
        quick = [views.say_action(f"{m.ref} {m.title}", f"ประวัติ {m.ref}") for m in measures[:13]]
        return [views.text(texts.ASK_HISTORY_MEASURE, quick)]
    found = find_measure(ctx.session, organisation_id=ctx.officer.organisation_id, number=args.split()[0])
    if len(found) != 1:
        # Show the list the sentence asks the officer to choose from.
        measures = assigned_measures(ctx.session, officer_id=ctx.officer.id)
        quick = [views.say_action(f"{m.ref} {m.title}", f"ประวัติ {m.ref}") for m in measures[:13]]
        listing = [texts.MEASURE_LINE_PLAIN.format(ref=m.ref, title=views.cut(m.title, 40)) for m in measures[:20]]
        return [views.text(views.lines([texts.UNKNOWN_MEASURE.format(number=args.split()[0]), *listing,
                                        texts.HISTORY_HOW_TO]), quick)]
    measure = found[0]
    rows = report_history(ctx.session, officer_id=ctx.officer.id, measure_id=measure.id)
    if not rows:
        return [views.text(texts.NO_HISTORY.format(ref=measure.ref))]
    counts = evidence_counts(ctx.session, [v.id for _, v in rows])
    lines = [texts.HISTORY_HEAD.format(ref=measure.ref, title=views.cut(measure.title, 60))]
    for report, version in rows:
        lines.append(texts.HISTORY_LINE.format(
            period=format_month(report.period, abbr=True), version=version.version,
            status=status_label(version.status, version.percent),
            date=format_thai_date(version.created_at.astimezone(ctx.settings.tz).date()),
            evidence=texts.EVIDENCE_SUFFIX.format(count=counts[version.id]) if counts.get(version.id) else ""))
        if version.summary:
            lines.append("   " + views.cut(version.summary, 120))
    return [views.text(views.lines(lines))]
