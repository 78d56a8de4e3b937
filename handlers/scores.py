"""ITA score questions in plain Thai: totals, tools, indicators, questions, rankings, changes, charts.

Officers type questions in their own words; ``ita.questions.parse_question``
turns them into an intent with slots and this module answers from the
organisation's stored scores (``models.scores``), always the asker's own
organisation. Numbers are shown with two decimals and year-on-year changes as
point differences with ▲/▼. When a document's reported total or level differs
from the one computed by the NACC's rules, both are said.

The indicator chart is drawn off the request by the task pool and pushed as
an image; Thai labels need a Thai font, found once per process
(``thai_font_path``), and the chart falls back to English labels without one.
"""
from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session, func, select

from core.links import new_file_path, signed_url
from core.services import Services
from handlers.registry import Context, Reply, command
from ita.progress_chart import thai_font_path
from ita.questions import Query, looks_like_score_question, parse_question
from ita.scores import (
    EXCELLENT_MARK,
    INDICATORS,
    PASS_MARK,
    TOLERANCE,
    TOOL_INDICATORS,
    TOOLS,
    YearScores,
    indicator_of_question,
    round_score,
)
from ita.thai import normalize_text
from ita.vocab.scores import TOOL_NAMES
from line import texts, views
from line.cards import status_label
from models import Measure, Organisation, Role
from models.reports import current_period
from models.scores import available_years, scores_for_years
from models.summaries import NO_REPORT, period_progress
from outbox.send import Recipient, push

log = logging.getLogger(__name__)

RANKED = 3  # indicators shown for "lowest" / "highest"
MAX_LISTED_QUESTIONS = 10
MAX_LISTED_MEASURES = 15
QUESTION_LETTER = {"IIT": "i", "EIT": "e", "OIT": "o"}
CHART_DPI, PREVIEW_DPI = 150, 60
ADVISED = 3  # indicators an advice answer walks through

# Questions Tidtam cannot answer from the organisation's own documents: say so rather than
# answer a neighbouring figure ("อันดับเท่าไหร่ของจังหวัด" is not the total score).
RANKING_WORDS = ("อันดับ", "ลำดับที่", "ของจังหวัด", "ในจังหวัด", "ของอำเภอ", "ในอำเภอ", "ทั้งประเทศ",
                 "ของประเทศ", "อบต.อื่น", "อบตอื่น", "เทศบาลอื่น", "หน่วยงานอื่น", "ranking", "rank")
# Asking what to do, not what was scored.
ADVICE_WORDS = ("ควรปรับปรุง", "ปรับปรุงเรื่องไหน", "ปรับปรุงอะไร", "เรื่องไหนก่อน", "ต้องทำยังไง", "ต้องทำอย่างไร",
                "ทำยังไงให้", "ทำอย่างไรให้", "อยากได้", "ทำไม", "ทำอะไรไปบ้าง", "ทำอะไรบ้าง", "คำแนะนำ",
                "แนะนำ")
EXCELLENT_WORDS = ("ดีเยี่ยม", "95")


# -- entry points -------------------------------------------------------------------

def _has(text: str, words: Sequence[str]) -> bool:
    squashed = "".join(normalize_text(text).lower().split())
    return any("".join(word.lower().split()) in squashed for word in words)


def maybe_answer_score_question(ctx: Context) -> Reply | None:
    """Answer the text if it is a score question, a ranking or an advice question; None lets the router help."""
    if ctx.officer is None:
        return None
    if _has(ctx.text, RANKING_WORDS):
        return [views.text(texts.SCORE_RANKING_UNKNOWN, _quick())]
    if _has(ctx.text, ADVICE_WORDS) and (looks_like_score_question(ctx.text) or
                                         _has(ctx.text, ("ปรับปรุง", "ดีเยี่ยม", "ผ่าน", "คะแนน"))):
        return advice(ctx, parse_question(ctx.text))
    if not looks_like_score_question(ctx.text):
        return None
    return answer(ctx, parse_question(ctx.text))


@command("คะแนน", "คะแนน ITA", "score", role=Role.OFFICER, usage="คะแนน ITA")
def score_command(ctx: Context, args: str) -> Reply:
    """ดูคะแนน ITA ของหน่วยงาน หรือถาม เช่น ตัวชี้วัดไหนต่ำกว่า 85"""
    if args and _has(args, RANKING_WORDS):
        return [views.text(texts.SCORE_RANKING_UNKNOWN, _quick())]
    if args and _has(args, ADVICE_WORDS):
        return advice(ctx, parse_question(ctx.text))
    query = parse_question(ctx.text) if args else Query("overall")
    return answer(ctx, query)


@command("กราฟคะแนน", "score chart", role=Role.OFFICER, slow=True, usage="กราฟคะแนน")
def score_chart_command(ctx: Context, args: str) -> Reply:
    """กราฟคะแนนตัวชี้วัด ITA ปีล่าสุดเทียบปีก่อน"""
    query = parse_question(ctx.text)
    query.intent, query.chart = "chart", True
    return answer(ctx, query)


# "มาตรการ <number>" belongs to the summaries; these longer words win the match.
@command("มาตรการของตัวชี้วัด", "มาตรการตัวชี้วัด", "มาตรการของข้อ", "มาตรการสำหรับ", "มาตรการเรื่อง",
         role=Role.OFFICER, usage="มาตรการของตัวชี้วัดที่ 9")
def measures_for_indicator_command(ctx: Context, args: str) -> Reply:
    """มาตรการที่มุ่งยกระดับตัวชี้วัดหรือข้อคำถามนั้น"""
    query = parse_question(ctx.text)
    if query.indicator is None and query.question is None and query.tool is None:
        return [views.text(texts.SCORE_MEASURES_NEED_SUBJECT)]
    query.intent = "measures_for_indicator"
    return answer(ctx, query)


def answer(ctx: Context, query: Query) -> Reply:
    """The messages answering one parsed score question for the asker's organisation."""
    organisation_id = ctx.officer.organisation_id
    if query.intent == "unknown":
        return [views.text(texts.SCORE_CAN_ANSWER, _quick())]
    if query.intent == "measures_for_indicator":
        return [views.text(_measures_answer(ctx.session, organisation_id, query), _quick())]
    years = available_years(ctx.session, organisation_id=organisation_id)
    if not years:
        org = ctx.session.get(Organisation, organisation_id)
        return [views.text(texts.SCORE_NO_DATA.format(org=org.name if org else ""))]
    year = _resolve_year(query, years)
    if year not in years:
        return [views.text(texts.SCORE_NO_YEAR.format(year=year, years=_join_years(years)),
                           [views.say_action(texts.SCORE_YEAR_BUTTON.format(year=years[-1]))])]
    if query.intent == "chart":
        return _start_chart(ctx, year, years)
    data = scores_for_years(ctx.session, organisation_id=organisation_id, years=[year, year - 1])
    # File names and line numbers are for admins checking an import, not for officers.
    view = _YearView(data[year], data.get(year - 1), years, show_sources=ctx.has_role(Role.ADMIN))
    body = _ANSWERS.get(query.intent, _overall)(view, query)
    return [views.text(body, _quick())]


# -- advice: what to improve first, and what is being done about it -----------------------------

def advice(ctx: Context, query: Query) -> Reply:
    """Which indicators are furthest below the pass line (or the next level), and the measures on them."""
    organisation_id = ctx.officer.organisation_id
    years = available_years(ctx.session, organisation_id=organisation_id)
    if not years:
        org = ctx.session.get(Organisation, organisation_id)
        return [views.text(texts.SCORE_NO_DATA.format(org=org.name if org else ""))]
    now = scores_for_years(ctx.session, organisation_id=organisation_id, years=[years[-1]])[years[-1]]
    if not now.indicators:
        return [views.text(texts.SCORE_NO_INDICATORS.format(year=now.year_be), _quick())]
    if query.indicator:
        chosen = [query.indicator]
        target = PASS_MARK if now.indicators.get(query.indicator, 100) < PASS_MARK else EXCELLENT_MARK
        lines = []
    else:
        lowest = min(now.indicators.values())
        target = EXCELLENT_MARK if _has(ctx.text, EXCELLENT_WORDS) or lowest >= PASS_MARK else PASS_MARK
        chosen = [n for n, v in sorted(now.indicators.items(), key=lambda item: item[1]) if v < target][:ADVISED]
        if not chosen:
            return [views.text(texts.ADVICE_ALL_ABOVE.format(year=now.year_be, target=_threshold(target)), _quick())]
        lines = [texts.ADVICE_HEAD.format(year=now.year_be, target=_threshold(target),
                                          level=texts.ADVICE_LEVEL_EXCELLENT if target == EXCELLENT_MARK
                                          else texts.ADVICE_LEVEL_PASS)]
    period = current_period(ctx.now, ctx.settings.tz)
    statuses = {m.measure.id: (m.status, m.parties) for m in period_progress(
        ctx.session, organisation_id=organisation_id, period=period).measures}
    measures = list(ctx.session.exec(select(Measure).where(
        Measure.organisation_id == organisation_id, Measure.active,
        Measure.fiscal_year == select(func.max(Measure.fiscal_year)).where(
            Measure.organisation_id == organisation_id, Measure.active).scalar_subquery())
        .order_by(Measure.source_line, Measure.id)).all())
    for number in chosen:
        score = now.indicators.get(number)
        label = _indicator_label(number)
        if score is None:
            lines.append(texts.SCORE_NO_INDICATOR.format(label=label, year=now.year_be))
            continue
        lines.append(texts.ADVICE_INDICATOR.format(label=label, score=_n(score), against=_against(score, target)))
        weak = sorted(((code, value) for code, value in now.questions.items()
                       if indicator_of_question(code, now.year_be) == number and value < target),
                      key=lambda item: item[1])[:3]
        if weak:
            lines.append(texts.ADVICE_QUESTIONS.format(
                items=", ".join(f"{code.upper()} ({_n(value)})" for code, value in weak)))
            for code, _value in weak:  # what the assessor said about them, in the organisation's own report
                if now.question_advice.get(code):
                    lines.append(texts.ADVICE_ASSESSOR.format(code=code.upper(),
                                                              advice=views.cut(now.question_advice[code], 160)))
        on_it = [m for m in measures if number in {int(n) for n in m.indicator_numbers or [] if str(n).isdigit()}]
        if not on_it:
            lines.append(texts.ADVICE_NO_MEASURES)
        for measure in on_it[:5]:
            status, _parties = statuses.get(measure.id, ("", ()))
            state = (texts.ADVICE_NOT_DUE if not status else
                     texts.SUM_STATUS_NO_REPORT if status == NO_REPORT else status_label(status))
            lines.append(texts.ADVICE_MEASURE.format(ref=measure.ref, title=views.cut(measure.title, 50),
                                                     status=state))
    quick = [views.say_action(texts.ADVICE_BTN_MEASURES.format(number=n), f"มาตรการของตัวชี้วัดที่ {n}")
             for n in chosen] + _quick()
    return [views.text(views.lines(lines), quick)]


def _resolve_year(query: Query, years: Sequence[int]) -> int:
    """The year asked about; relative years count from the latest year with scores."""
    if query.year_be:
        return query.year_be
    if query.relative_year is not None:
        return years[-1] + query.relative_year
    return years[-1]


def _quick() -> list:
    return [views.say_action(label, text) for label, text in texts.SCORE_QUICK]


# -- formatting -----------------------------------------------------------------------

def _n(value: float) -> str:
    return f"{value:.2f}"


def _threshold(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else _n(value)


def _join_years(years: Sequence[int]) -> str:
    return ", ".join(str(y) for y in years)


def _change(now: float, before: float, *, unit: bool = True) -> str:
    """A point difference with an arrow: "▲ 6.71 คะแนน", "▼ 3.03", "เท่าเดิม"."""
    diff = round_score(now - before)
    if abs(diff) < TOLERANCE / 2:
        return texts.SCORE_SAME
    template = texts.SCORE_UP if diff > 0 else texts.SCORE_DOWN
    return template.format(points=_n(abs(diff))) + (texts.SCORE_POINTS if unit else "")


def _against(value: float, threshold: float) -> str:
    diff = round_score(value - threshold)
    if diff < 0:
        return texts.SCORE_UNDER.format(threshold=_threshold(threshold), points=_n(-diff))
    if diff > 0:
        return texts.SCORE_OVER.format(threshold=_threshold(threshold), points=_n(diff))
    return texts.SCORE_EQUAL.format(threshold=_threshold(threshold))


def _indicator_label(number: int) -> str:
    return texts.SCORE_INDICATOR_LABEL.format(number=number, name=INDICATORS[number].name)


def _numbers(numbers: Sequence[int]) -> str:
    return ", ".join(str(n) for n in numbers)


@dataclass
class _YearView:
    """One year's scores with the year before, and the years there are."""

    now: YearScores
    before: YearScores | None
    years: Sequence[int]
    show_sources: bool = False

    @property
    def year(self) -> int:
        return self.now.year_be

    @property
    def previous_year(self) -> int:
        return self.year - 1

    def versus(self, now: float | None, before: float | None) -> str:
        """The line comparing a number with the year before, or why it cannot."""
        if now is None:
            return ""
        if before is None:
            return texts.SCORE_NO_PREVIOUS.format(year=self.previous_year)
        return texts.SCORE_VERSUS.format(year=self.previous_year, before=_n(before), change=_change(now, before))

    def source(self, key: str) -> str:
        where = self.now.sources.get(key) if self.show_sources else None
        return texts.SCORE_SOURCE.format(source=where) if where else ""


# -- answers ------------------------------------------------------------------------------

def _overall(view: _YearView, query: Query) -> str:
    now, before = view.now, view.before
    total = now.display_overall
    tools = now.computed_tools()
    lines = []
    if total is None:
        missing = [n for n in INDICATORS if n not in now.indicators]
        lines.append(texts.SCORE_NO_OVERALL.format(year=view.year, missing=_numbers(missing)))
    else:
        lines.append(texts.SCORE_OVERALL_HEAD.format(year=view.year, score=_n(total)))
        if now.display_level:
            lines.append(texts.SCORE_LEVEL.format(level=now.display_level))
    if tools:
        lines.append(" · ".join(f"{tool} {_n(tools[tool]) if tool in tools else '-'}" for tool in TOOLS))
    if total is not None and query.threshold is not None:
        lines.append(_against(total, query.threshold))
    lines.extend(_disagreement_notes(now))
    lines.append(view.versus(total, before.display_overall if before else None))
    if total is None and now.indicators:
        lines += [texts.SCORE_LIST_LINE.format(label=_indicator_label(n), score=_n(v))
                  for n, v in sorted(now.indicators.items())]
    lines.append(view.source("overall"))
    return views.lines(lines)


def _disagreement_notes(scores: YearScores) -> list[str]:
    notes = []
    computed = scores.computed_overall
    if scores.reported_overall is not None and computed is not None \
            and abs(scores.reported_overall - computed) > TOLERANCE:
        notes.append(texts.SCORE_NOTE_OVERALL.format(reported=_n(scores.reported_overall), computed=_n(computed)))
    level = scores.computed_level
    if scores.reported_level and level and scores.reported_level != level:
        notes.append(texts.SCORE_NOTE_LEVEL.format(reported=scores.reported_level, computed=level))
    return notes


def _tool(view: _YearView, query: Query) -> str:
    tool = query.tool or "OIT"
    now = view.now
    value = now.computed_tools().get(tool)
    if value is None:
        return texts.SCORE_NO_TOOL.format(tool=tool, year=view.year)
    numbers = TOOL_INDICATORS[tool]
    lines = [texts.SCORE_TOOL_HEAD.format(tool=tool, name=TOOL_NAMES[tool], year=view.year, score=_n(value))]
    complete = all(n in now.indicators for n in numbers)
    if complete:
        lines.append(texts.SCORE_TOOL_MEAN.format(numbers=f"{numbers[0]}–{numbers[-1]}"))
        stated = now.tools.get(tool)
        if stated is not None and abs(stated - value) > TOLERANCE:
            lines.append(texts.SCORE_TOOL_STATED.format(stated=_n(stated)))
    lines += [texts.SCORE_LIST_LINE.format(label=_indicator_label(n), score=_n(now.indicators[n]))
              for n in numbers if n in now.indicators]
    if query.threshold is not None:
        lines.append(_against(value, query.threshold))
    before = view.before.computed_tools().get(tool) if view.before else None
    lines.append(view.versus(value, before))
    return views.lines(lines)


def _indicator(view: _YearView, query: Query) -> str:
    number = query.indicator or 1
    value = view.now.indicators.get(number)
    if value is None:
        return texts.SCORE_NO_INDICATOR.format(label=_indicator_label(number), year=view.year)
    lines = [texts.SCORE_INDICATOR_HEAD.format(label=_indicator_label(number), tool=INDICATORS[number].tool,
                                               year=view.year, score=_n(value))]
    threshold = query.threshold if query.threshold is not None else PASS_MARK
    lines.append(_against(value, threshold))
    before = view.before.indicators.get(number) if view.before else None
    lines.append(view.versus(value, before))
    lines.append(view.source(f"indicator:{number}"))
    return views.lines(lines)


def _question(view: _YearView, query: Query) -> str:
    code = query.question or ""
    shown = code.upper()
    number = indicator_of_question(code, view.year)
    value = view.now.questions.get(code)
    lines = []
    if value is None:
        lines.append(texts.SCORE_NO_QUESTION.format(code=shown, year=view.year))
        if not view.now.questions:
            lines.append(texts.SCORE_NO_QUESTIONS_THAT_YEAR.format(year=view.year))
        if number is not None and number in view.now.indicators:
            lines.append(texts.SCORE_QUESTION_FALLBACK.format(label=_indicator_label(number),
                                                              score=_n(view.now.indicators[number])))
        return views.lines(lines)
    lines.append(texts.SCORE_QUESTION_HEAD.format(code=shown, year=view.year, score=_n(value)))
    if view.now.question_texts.get(code):
        lines.append(texts.SCORE_QUESTION_TEXT.format(text=views.cut(view.now.question_texts[code], 200)))
    if number is not None:
        lines.append(texts.SCORE_QUESTION_OF.format(label=_indicator_label(number)))
    if view.now.question_advice.get(code):
        lines.append(texts.SCORE_QUESTION_ADVICE.format(advice=views.cut(view.now.question_advice[code], 300)))
    if query.threshold is not None:
        lines.append(_against(value, query.threshold))
    before = view.before.questions.get(code) if view.before else None
    lines.append(view.versus(value, before))
    lines.append(view.source(f"question:{code}"))
    return views.lines(lines)


def _indicators_in(view: _YearView, tool: str | None) -> dict[int, float]:
    numbers = TOOL_INDICATORS[tool] if tool else tuple(INDICATORS)
    return {n: view.now.indicators[n] for n in numbers if n in view.now.indicators}


def _questions_in(view: _YearView, tool: str | None) -> dict[str, float]:
    letter = QUESTION_LETTER.get(tool or "")
    return {code: v for code, v in view.now.questions.items() if letter is None or code.startswith(letter)}


def _ranking(view: _YearView, query: Query) -> str:
    highest = query.intent == "highest"
    scope = f" ({query.tool})" if query.tool else ""
    items = _indicators_in(view, query.tool)
    if not items:
        return texts.SCORE_NO_INDICATORS.format(year=view.year)
    ranked = sorted(items.items(), key=lambda item: (-item[1] if highest else item[1], item[0]))
    head = texts.SCORE_HIGHEST_HEAD if highest else texts.SCORE_LOWEST_HEAD
    lines = [head.format(scope=scope, year=view.year)]
    extreme = ranked[0][1]
    tied = [n for n, v in ranked if abs(v - extreme) <= TOLERANCE / 2]
    if len(tied) >= RANKED:
        lines.append(texts.SCORE_TIED.format(count=len(tied), score=_n(extreme), numbers=_numbers(sorted(tied))))
    else:
        lines += [texts.SCORE_RANK_LINE.format(rank=rank, label=_indicator_label(n), score=_n(v))
                  for rank, (n, v) in enumerate(ranked[:RANKED], start=1)]
    questions = _questions_in(view, query.tool)
    if questions:
        ranked_q = sorted(questions.items(), key=lambda item: (-item[1] if highest else item[1]))[:RANKED]
        lines.append(texts.SCORE_HIGHEST_QUESTIONS if highest else texts.SCORE_LOWEST_QUESTIONS)
        lines += [texts.SCORE_QUESTION_LINE.format(code=c.upper(), score=_n(v)) for c, v in ranked_q]
    lines.append(_missing_note(view, query.tool))
    return views.lines(lines)


def _missing_note(view: _YearView, tool: str | None) -> str:
    numbers = TOOL_INDICATORS[tool] if tool else tuple(INDICATORS)
    missing = [n for n in numbers if n not in view.now.indicators]
    return texts.SCORE_MISSING_INDICATORS.format(numbers=_numbers(missing)) if missing else ""


def _threshold_list(view: _YearView, query: Query) -> str:
    below = query.intent == "below"
    threshold = query.threshold if query.threshold is not None else PASS_MARK
    items = _indicators_in(view, query.tool)
    if not items:
        return texts.SCORE_NO_INDICATORS.format(year=view.year)

    def inside(value: float) -> bool:
        return round_score(value) < threshold if below else round_score(value) >= threshold

    chosen = sorted(((n, v) for n, v in items.items() if inside(v)), key=lambda item: item[1], reverse=not below)
    shown = _threshold(threshold)
    lines = []
    if chosen:
        head = texts.SCORE_BELOW_HEAD if below else texts.SCORE_ABOVE_HEAD
        lines.append(head.format(threshold=shown, year=view.year, count=len(chosen)))
        previous = view.before.indicators if view.before else {}
        for n, v in chosen:
            line = texts.SCORE_LIST_LINE.format(label=_indicator_label(n), score=_n(v))
            if n in previous:
                line += texts.SCORE_LAST_YEAR_SUFFIX.format(year=view.previous_year, before=_n(previous[n]),
                                                            change=_change(v, previous[n], unit=False))
            lines.append(line)
    else:
        n, v = (min if below else max)(items.items(), key=lambda item: item[1])
        none = texts.SCORE_NONE_BELOW if below else texts.SCORE_NONE_ABOVE
        lines.append(none.format(year=view.year, threshold=shown, label=_indicator_label(n), score=_n(v)))
    questions = sorted(((c, v) for c, v in _questions_in(view, query.tool).items() if inside(v)),
                       key=lambda item: item[1], reverse=not below)
    if questions:
        head = texts.SCORE_QUESTIONS_BELOW_HEAD if below else texts.SCORE_QUESTIONS_ABOVE_HEAD
        lines.append(head.format(threshold=shown, count=len(questions)))
        lines += [texts.SCORE_QUESTION_LINE.format(code=c.upper(), score=_n(v))
                  for c, v in questions[:MAX_LISTED_QUESTIONS]]
        if len(questions) > MAX_LISTED_QUESTIONS:
            lines.append(texts.AND_MORE.format(count=len(questions) - MAX_LISTED_QUESTIONS))
    lines.append(_missing_note(view, query.tool))
    return views.lines(lines)


def _change_answer(view: _YearView, query: Query) -> str:
    if query.question:
        return _question(view, query)
    if query.indicator:
        return _indicator(view, query)
    if query.tool:
        return _tool(view, query)
    now, before = view.now, view.before
    if before is None:
        return texts.SCORE_NO_PREVIOUS_YEAR.format(year=view.previous_year, years=_join_years(view.years))
    lines = [texts.SCORE_CHANGE_HEAD.format(year=view.year, previous=view.previous_year)]
    total, old_total = now.display_overall, before.display_overall
    if total is not None and old_total is not None:
        lines.append(texts.SCORE_CHANGE_OVERALL.format(score=_n(total), change=_change(total, old_total),
                                                       before=_n(old_total)))
    tools, old_tools = now.computed_tools(), before.computed_tools()
    tool_parts = [f"{t} {_n(tools[t])} ({_change(tools[t], old_tools[t], unit=False)})"
                  for t in TOOLS if t in tools and t in old_tools]
    if tool_parts:
        lines.append(" · ".join(tool_parts))
    up = down = same = 0
    for n in INDICATORS:
        if n in now.indicators and n in before.indicators:
            value, old = now.indicators[n], before.indicators[n]
            diff = round_score(value - old)
            up, down, same = up + (diff > 0), down + (diff < 0), same + (diff == 0)
            lines.append(texts.SCORE_CHANGE_LINE.format(label=_indicator_label(n), score=_n(value),
                                                        change=_change(value, old, unit=False)))
    if up or down or same:
        lines.append(texts.SCORE_CHANGE_COUNTS.format(up=up, down=down, same=same))
    lines.extend(_disagreement_notes(now))
    return views.lines(lines)


_ANSWERS = {
    "overall": _overall,
    "tool": _tool,
    "indicator": _indicator,
    "question": _question,
    "lowest": _ranking,
    "highest": _ranking,
    "below": _threshold_list,
    "above": _threshold_list,
    "change": _change_answer,
}


# -- measures that target an indicator --------------------------------------------------

def _measures_answer(session: Session, organisation_id: int, query: Query) -> str:
    latest_year = (select(func.max(Measure.fiscal_year))
                   .where(Measure.organisation_id == organisation_id, Measure.active).scalar_subquery())
    measures = list(session.exec(
        select(Measure).where(Measure.organisation_id == organisation_id, Measure.active,
                              Measure.fiscal_year == latest_year)
        .order_by(Measure.source_line, Measure.id)).all())
    if not measures:
        return texts.SCORE_NO_MEASURES
    year = measures[0].fiscal_year
    if query.question:
        number = indicator_of_question(query.question, year)
        targets = {number} if number else set()
        subject = texts.SCORE_SUBJECT_QUESTION.format(code=query.question.upper()) + (
            f" ({_indicator_label(number)})" if number else "")
    elif query.indicator:
        targets = {query.indicator}
        subject = _indicator_label(query.indicator)
    else:
        tool = query.tool or "OIT"
        targets = set(TOOL_INDICATORS[tool])
        subject = texts.SCORE_SUBJECT_TOOL_NAMED.format(tool=tool, numbers=_numbers(TOOL_INDICATORS[tool]))

    def targets_it(measure: Measure) -> bool:
        numbers = {int(n) for n in measure.indicator_numbers or [] if str(n).isdigit()}
        codes = [str(c).lower() for c in measure.question_codes or []]
        if query.question and query.question in codes:
            return True
        return bool(numbers & targets) or any(indicator_of_question(c, year) in targets for c in codes)

    chosen = [m for m in measures if targets_it(m)]
    if not chosen:
        return texts.SCORE_MEASURES_NONE.format(year=year, subject=subject)
    lines = [texts.SCORE_MEASURES_HEAD.format(year=year, subject=subject, count=len(chosen))]
    lines += [texts.SCORE_MEASURE_LINE.format(ref=m.ref, title=views.cut(m.title, 70))
              for m in chosen[:MAX_LISTED_MEASURES]]
    if len(chosen) > MAX_LISTED_MEASURES:
        lines.append(texts.AND_MORE.format(count=len(chosen) - MAX_LISTED_MEASURES))
    if len(targets) == 1:
        number = next(iter(targets))
        years = available_years(session, organisation_id=organisation_id)
        if years:
            latest = scores_for_years(session, organisation_id=organisation_id, years=[years[-1]])[years[-1]]
            if number in latest.indicators:
                lines.append(texts.SCORE_MEASURES_SCORE.format(year=years[-1],
                                                               score=_n(latest.indicators[number])))
    return views.lines(lines)


# -- the chart ------------------------------------------------------------------------------

def _start_chart(ctx: Context, year: int, years: Sequence[int]) -> Reply:
    previous = year - 1 if (year - 1) in years else None
    to = Recipient(ctx.officer.organisation_id, ctx.officer.id, ctx.user_id)
    ctx.services.tasks.submit(send_chart, ctx.services, to, year, previous)
    versus = texts.SCORE_CHART_VERSUS.format(year=previous) if previous else ""
    return [views.text(texts.SCORE_CHART_COMING.format(year=year, versus=versus))]


def send_chart(services: Services, to: Recipient, year: int, previous: int | None) -> bool:
    """Draw the indicator chart of one year (against the year before) and push it to the asker."""
    try:
        with Session(services.engine) as session:
            data = scores_for_years(session, organisation_id=to.organisation_id,
                                    years=[year] + ([previous] if previous else []))
        path = new_file_path(services.settings, ".png")
        preview = path.with_name(path.stem + "-preview.png")
        draw_indicator_chart(data[year], data.get(previous) if previous else None, [path, preview])
        name = f"ita-{year}.png"
        image = views.image(signed_url(services.settings, path, download_name=name),
                            signed_url(services.settings, preview, download_name=name))
        return push(services, to, [image])
    except Exception:
        log.exception("score chart for organisation %s failed", to.organisation_id)
        push(services, to, [views.text(texts.SCORE_CHART_FAILED)], apologise=False)
        return False


def draw_indicator_chart(now: YearScores, before: YearScores | None, paths: Sequence[Path]) -> None:
    """Draw the ten indicators as horizontal bars, this year against the year before, into each path."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

    font_path = thai_font_path()  # ita.progress_chart: one finder for every chart
    font = FontProperties(fname=str(font_path)) if font_path else FontProperties(family="DejaVu Sans")
    thai = font_path is not None
    small = font.copy()
    small.set_size(8)
    numbers = list(INDICATORS)
    labels = [texts.SCORE_CHART_LABEL.format(number=n, name=INDICATORS[n].name) if thai
              else texts.SCORE_CHART_LABEL_EN.format(number=n) for n in numbers]
    fig = Figure(figsize=(8, 6.5))
    ax = fig.subplots()
    height = 0.38 if before else 0.6
    series = [(before, "#9CA3AF", -height / 2)] if before else []
    series.append((now, None, height / 2 if before else 0))
    for scores, color, offset in series:
        positions = [i + offset for i, n in enumerate(numbers) if n in scores.indicators]
        values = [scores.indicators[n] for n in numbers if n in scores.indicators]
        colors = [color or ("#1DB446" if v >= PASS_MARK else "#E02424") for v in values]
        label = (texts.SCORE_CHART_YEAR if thai else texts.SCORE_CHART_YEAR_EN).format(year=scores.year_be)
        bars = ax.barh(positions, values, height=height, color=colors, label=label)
        for bar, value in zip(bars, values, strict=True):
            ax.text(bar.get_width() + 0.8, bar.get_y() + bar.get_height() / 2, _n(value), va="center",
                    fontproperties=small)
    ax.axvline(PASS_MARK, color="#E3A008", linestyle="--", linewidth=1,
               label=(texts.SCORE_CHART_TARGET if thai else texts.SCORE_CHART_TARGET_EN).format(
                   threshold=_threshold(PASS_MARK)))
    ax.set_yticks(range(len(numbers)), labels, fontproperties=font)
    ax.invert_yaxis()
    ax.set_xlim(0, 110)
    title = texts.SCORE_CHART_TITLE if thai else texts.SCORE_CHART_TITLE_EN
    versus = (texts.SCORE_CHART_TITLE_VERSUS if thai else texts.SCORE_CHART_TITLE_VERSUS_EN).format(
        year=before.year_be) if before else ""
    ax.set_title(title.format(year=now.year_be) + versus, fontproperties=font)
    ax.legend(prop=small, loc="upper center", bbox_to_anchor=(0.5, -0.06), ncol=3, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    for path, dpi in zip(paths, (CHART_DPI, PREVIEW_DPI), strict=False):
        fig.savefig(path, dpi=dpi, format="png")


