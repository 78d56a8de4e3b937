"""Understand officers' questions about ITA scores as an intent with slots.

"คะแนน ITA ปีนี้เท่าไหร่ครับ", "ตัวชี้วัดไหนต่ำกว่า 85", "o12 ได้เท่าไหร่" and
"what is our ITA score" all become a `Query`: what is asked (the intent) and
about what (year, tool, indicator, question code, threshold). Slots are found
independently and the intent is decided from them plus a few cue words, so a
phrasing never seen before still parses as long as its parts are known.

Relative years ("ปีที่แล้ว") stay relative in `Query.relative_year`; the
handler resolves them against the years it has scores for.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ita.scores import (
    PASS_MARK,
    find_question_code,
    indicator_named_in,
    match_indicator,
    match_tool,
)
from ita.thai import expand_be_year, normalize_text, to_arabic_digits
from ita.vocab import scores as vocab
from ita.vocab import time as time_vocab

INTENTS: tuple[str, ...] = (
    "overall",
    "tool",
    "indicator",
    "question",
    "lowest",
    "highest",
    "below",
    "above",
    "change",
    "measures_for_indicator",
    "chart",
    "unknown",
)


@dataclass
class Query:
    """What a score question asks. `relative_year` is an offset: 0 this year, -1 last year."""

    intent: str
    year_be: int | None = None
    tool: str | None = None
    indicator: int | None = None
    question: str | None = None
    threshold: float | None = None
    compare: bool = False
    chart: bool = False
    relative_year: int | None = None


# English cues; officers sometimes type in English, especially on desktop LINE.
_EN_SCORE = re.compile(r"\b(?:score|scores|scored|result|results|rating|level|grade|ita|points?)\b")
_EN_LOWEST = re.compile(r"\b(?:lowest|worst|weakest|minimum|min)\b")
_EN_HIGHEST = re.compile(r"\b(?:highest|best|strongest|top|maximum|max)\b")
_EN_BELOW = re.compile(r"(?:\bbelow\b|\bunder\b|\bless than\b|\blower than\b|<)\s*(\d{1,3}(?:\.\d+)?)?")
_EN_ABOVE = re.compile(r"(?:\babove\b|\bover\b|\bmore than\b|\bhigher than\b|\bat least\b|>=?)\s*(\d{1,3}(?:\.\d+)?)?")
_EN_FAIL = re.compile(r"\b(?:fail|failed|failing|not pass|did not pass|didn't pass)\b")
_EN_PASS = re.compile(r"\b(?:passed|passing)\b")
_EN_COMPARE = re.compile(
    r"\b(?:compare|compared|comparison|vs|versus|change|changed|difference|improve|improved|"
    r"increase|increased|decrease|decreased|drop|dropped)\b"
)
_EN_MEASURE = re.compile(r"\b(?:measures?|actions?|plans?)\b")
_EN_CHART = re.compile(r"\b(?:chart|graph|plot)\b")
_EN_ITEMS = re.compile(r"\b(?:which|what indicators|list|indicators|questions)\b")
_EN_INDICATOR_NUMBER = re.compile(r"\bindicator\s*(?:no\.?|number|#)?\s*(\d{1,2})\b")
_EN_RELATIVE = (
    (re.compile(r"\b(?:last|previous|prior) year\b"), -1),
    (re.compile(r"\b(?:this|current|latest) year\b"), 0),
    (re.compile(r"\bnext year\b"), 1),
)
_EN_COMPARE_BASE = re.compile(r"\b(?:than|with|to|vs\.?|versus|from|since)\s+(?:the\s+)?(?:last|previous|prior) year\b")


def _words(words: Iterable[str]) -> str:
    """A regex alternation of literal words, longest first so prefixes do not win."""
    return "(?:" + "|".join(re.escape(word) for word in sorted(set(words), key=len, reverse=True)) + ")"


_ERA = time_vocab.ERA_BE_PATTERN
_YEAR = re.compile(
    rf"{re.escape(vocab.SENTENCE_YEAR_PREFIX)}\s*(?:{_ERA})?\s*(\d{{4}}|\d{{2}})(?![\d.])"
    rf"|{_ERA}\s*(\d{{4}}|\d{{2}})(?![\d.])"
    r"|\b(?:year|fy)\s*(\d{4}|\d{2})(?![\d.])"
    r"|(?<![\d.])(25[4-9]\d|20[1-4]\d)(?![\d.])"
)
# The second year of "ปี 66 กับ 67", "2566 vs 2567".
_SECOND_YEAR = re.compile(
    rf"\s*(?:{_words(vocab.YEAR_PAIR_WORDS)}|vs\.?|versus|and|to|-)\s*"
    rf"(?:{re.escape(vocab.SENTENCE_YEAR_PREFIX)}\s*)?(\d{{4}}|\d{{2}})(?![\d.])"
)
_THAI_RELATIVE = re.compile(_words(word for word, _ in vocab.RELATIVE_YEARS))
_RELATIVE_OFFSETS = dict(vocab.RELATIVE_YEARS)
# "เทียบกับปีที่แล้ว" names the baseline, not the year asked about.
_THAI_COMPARE_BASE = re.compile(
    _words(vocab.COMPARE_BASE_WORDS) + r"\s*" + _words(word for word, offset in vocab.RELATIVE_YEARS if offset < 0)
)
_NUMBER = r"(\d{1,3}(?:\.\d+)?)"
_SCORE_WORD = re.escape(vocab.SCORE_HEADER)
_THAI_BELOW = re.compile(_words(vocab.BELOW_WORDS) + rf"\s*(?:{_SCORE_WORD})?\s*" + _NUMBER + "?")
_THAI_ABOVE = re.compile(_words(vocab.ABOVE_WORDS) + rf"\s*(?:{_SCORE_WORD})?\s*" + _NUMBER + "?")
_BUDGET_YEAR = re.compile(_words(vocab.BUDGET_YEAR_WORDS))
_INDICATOR_NUMBER = re.compile(_words(vocab.INDICATOR_NUMBER_PREFIXES) + r"\s*(\d{1,2})(?![\d.])")
# "ครับ", "คะ", "?", "555" (laughter) trail off the end of chat messages.
_PARTICLES_AT_END = re.compile("(?:" + _words(vocab.POLITE_PARTICLES) + r"|[\s?!.~]|5+)+$")
# Words removed before a leftover is fuzzy-matched against indicator names.
_FILLER = tuple(
    sorted(
        {
            *vocab.QUESTION_WORDS,
            *vocab.SCORE_WORDS,
            *vocab.LEVEL_WORDS,
            *vocab.LOWEST_WORDS,
            *vocab.HIGHEST_WORDS,
            *vocab.BELOW_WORDS,
            *vocab.ABOVE_WORDS,
            *vocab.COMPARE_WORDS,
            *vocab.MEASURE_WORDS,
            *vocab.CHART_WORDS,
            *vocab.ITEM_WORDS,
            *vocab.OVERALL_WORDS,
            vocab.INDICATOR_WORD,
            *vocab.FILLER_WORDS,
        },
        key=len,
        reverse=True,
    )
)


def _prepare(text: str) -> str:
    prepared = normalize_text(to_arabic_digits(text)).lower()
    # "ปีงบประมาณ" would otherwise match the indicator alias "งบประมาณ".
    return _BUDGET_YEAR.sub(vocab.SENTENCE_YEAR_PREFIX, prepared)


def _has(text: str, words: Iterable[str]) -> bool:
    return any(word in text for word in words)


def _cut(text: str, start: int, end: int) -> str:
    return text[:start] + " " + text[end:]


@dataclass
class _Slots:
    text: str
    year_be: int | None = None
    relative_year: int | None = None
    compare_base: bool = False
    question: str | None = None
    tool: str | None = None
    indicator: int | None = None
    # A comparison word was seen ("ต่ำกว่า", "above"); its number when one followed.
    below_asked: bool = False
    below: float | None = None
    above_asked: bool = False
    above: float | None = None


def _take_year(slots: _Slots) -> None:
    for pattern in (_THAI_COMPARE_BASE, _EN_COMPARE_BASE):
        match = pattern.search(slots.text)
        if match:
            slots.compare_base = True
            slots.text = _cut(slots.text, match.start(), match.end())
    years = []
    for _ in range(2):
        match = _YEAR.search(slots.text)
        if not match:
            break
        end = match.end()
        years.append(next(group for group in match.groups() if group))
        second = _SECOND_YEAR.match(slots.text, end)
        if second:
            years.append(second.group(1))
            end = second.end()
        slots.text = _cut(slots.text, match.start(), end)
    valid = [year for year in (expand_be_year(int(digits)) for digits in years) if 2550 <= year <= 2600]
    if valid:
        # Two years asked together are a comparison ending at the later one.
        slots.year_be = max(valid)
        slots.compare_base = slots.compare_base or len(set(valid)) > 1
    match = _THAI_RELATIVE.search(slots.text)
    if match:
        slots.relative_year = _RELATIVE_OFFSETS[match.group(0)]
        slots.text = _cut(slots.text, match.start(), match.end())
        return
    for pattern, offset in _EN_RELATIVE:
        match = pattern.search(slots.text)
        if match:
            slots.relative_year = offset
            slots.text = _cut(slots.text, match.start(), match.end())
            return


def _take_threshold(slots: _Slots) -> None:
    for side, patterns in (("below", (_THAI_BELOW, _EN_BELOW)), ("above", (_THAI_ABOVE, _EN_ABOVE))):
        for pattern in patterns:
            match = pattern.search(slots.text)
            if match:
                number = float(match.group(1)) if match.group(1) else None
                setattr(slots, f"{side}_asked", True)
                setattr(slots, side, number if number is not None and 0 <= number <= 100 else None)
                slots.text = _cut(slots.text, match.start(), match.end())
                break


def _take_subjects(slots: _Slots) -> None:
    found = find_question_code(slots.text)
    if found:
        slots.question = found[0]
        slots.text = _cut(slots.text, found[1], found[2])
    slots.tool = match_tool(slots.text)
    numbered = _INDICATOR_NUMBER.search(slots.text) or _EN_INDICATOR_NUMBER.search(slots.text)
    if numbered and 1 <= int(numbered.group(1)) <= 10:
        slots.indicator = int(numbered.group(1))
        return
    leftover = slots.text
    if slots.tool:
        # A tool's Thai name contains an indicator's ("เปิดเผยข้อมูลสาธารณะ").
        for alias in vocab.TOOL_ALIASES[slots.tool]:
            leftover = leftover.replace(alias, " ")
    leftover = re.sub(r"(?<![a-z])(?:iit|eit|oit|ita)(?![a-z])", " ", leftover)
    exact = indicator_named_in(leftover)
    if exact:
        slots.indicator = exact
        return
    for word in _FILLER:
        leftover = leftover.replace(word, " ")
    leftover = _PARTICLES_AT_END.sub("", leftover.strip())
    leftover = re.sub(r"\d+(?:\.\d+)?", " ", leftover)
    # Fuzzy matching on Latin words only invents matches.
    if re.search("[\u0e01-\u0e5b]", leftover):
        slots.indicator = match_indicator(leftover)


def parse_question(text: str) -> Query:
    """Read a score question in Thai or simple English into a Query ("unknown" when it is not one)."""
    if not isinstance(text, str) or not text.strip():
        return Query("unknown")
    prepared = _prepare(text)
    slots = _Slots(prepared)
    _take_year(slots)
    _take_threshold(slots)
    _take_subjects(slots)
    rest = slots.text
    chart = _has(rest, vocab.CHART_WORDS) or bool(_EN_CHART.search(rest))
    compare = slots.compare_base or _has(rest, vocab.COMPARE_WORDS) or bool(_EN_COMPARE.search(rest))
    asks_items = _has(rest, vocab.ITEM_WORDS) or bool(_EN_ITEMS.search(rest))
    fails = _has(prepared, vocab.FAIL_WORDS) or bool(_EN_FAIL.search(rest))
    passes = (_has(rest, vocab.PASS_WORDS) and not fails) or bool(_EN_PASS.search(rest))
    query = Query(
        "unknown",
        year_be=slots.year_be,
        tool=slots.tool,
        indicator=slots.indicator,
        question=slots.question,
        compare=compare,
        chart=chart,
        relative_year=slots.relative_year,
    )
    specific = slots.indicator is not None or slots.question is not None
    # "อันไหนดีที่สุด" alone is not about scores; a ranking needs something scored.
    scored = (
        asks_items
        or specific
        or slots.tool is not None
        or vocab.INDICATOR_WORD in prepared
        or bool(re.search(r"\b(?:indicators?|questions?|tools?)\b", prepared))
        or _asks_for_score(prepared, slots)
        or slots.below is not None
        or slots.above is not None
    )
    # "ไม่ผ่าน" and "ผ่านเกณฑ์" compare with the national target.
    below = slots.below_asked or (fails and (asks_items or not specific))
    above = slots.above_asked or (passes and asks_items)

    if chart:
        query.intent = "chart"
    elif (_has(rest, vocab.MEASURE_WORDS) or _EN_MEASURE.search(rest)) and (specific or slots.tool):
        query.intent = "measures_for_indicator"
    elif scored and (_has(rest, vocab.LOWEST_WORDS) or _EN_LOWEST.search(rest)):
        query.intent = "lowest"
    elif scored and (_has(rest, vocab.HIGHEST_WORDS) or _EN_HIGHEST.search(rest)):
        query.intent = "highest"
    elif scored and below and (asks_items or not specific):
        query.intent, query.threshold = "below", slots.below if slots.below is not None else PASS_MARK
    elif scored and above and (asks_items or not specific):
        query.intent, query.threshold = "above", slots.above if slots.above is not None else PASS_MARK
    elif compare and not specific and not slots.tool:
        query.intent = "change"
    elif slots.question:
        query.intent = "question"
    elif slots.indicator:
        query.intent = "indicator"
    elif slots.tool:
        query.intent = "tool"
    elif compare:
        query.intent = "change"
    elif _asks_for_score(prepared, slots):
        query.intent = "overall"
    if query.intent in ("question", "indicator", "tool"):
        # "ตัวชี้วัดที่ 9 ต่ำกว่า 85 ไหม" asks about one item against a bar.
        bound = slots.below if slots.below is not None else slots.above
        if bound is not None:
            query.threshold = bound
        elif compare:
            query.intent = "change"
    return query


def _asks_for_score(prepared: str, slots: _Slots) -> bool:
    if _has(prepared, vocab.SCORE_WORDS) or _has(prepared, vocab.LEVEL_WORDS):
        return True
    if _EN_SCORE.search(prepared) or _ITA.search(prepared):
        return True
    has_year = slots.year_be is not None or slots.relative_year is not None
    return has_year and (_has(prepared, vocab.YEAR_SCORE_CUES) or _has(prepared, ("how much", "how did")))


_ITA = re.compile(r"(?<![a-z])ita(?![a-z])")
_LOOKS_LATIN = re.compile(
    r"(?<![a-z])(?:ita|iit|eit|oit)(?![a-z])|\b(?:score|scores|indicator|indicators|level|grade|chart)\b"
)


def looks_like_score_question(text: str) -> bool:
    """Say cheaply whether a chat message is plausibly about ITA scores."""
    if not isinstance(text, str) or not text.strip():
        return False
    prepared = _prepare(text)
    if _has(prepared, vocab.SCORE_TOPIC_WORDS) or _LOOKS_LATIN.search(prepared):
        return True
    if find_question_code(prepared) or indicator_named_in(prepared):
        return True
    # Misspelt names and "ตัวไหนดีที่สุด" need the full parser, but only when asked as a question.
    asking = (*vocab.QUESTION_WORDS, *vocab.ITEM_WORDS, *vocab.LOWEST_WORDS, *vocab.HIGHEST_WORDS, *vocab.BELOW_WORDS)
    if _has(prepared, asking) and parse_question(text).intent != "unknown":
        return True
    # "เทียบกับปีที่แล้ว" alone is about scores when nothing else is going on.
    slots = _Slots(prepared)
    _take_year(slots)
    compares = _has(prepared, vocab.COMPARE_WORDS) or bool(_EN_COMPARE.search(prepared))
    return compares and (slots.compare_base or slots.relative_year is not None or slots.year_be is not None)
