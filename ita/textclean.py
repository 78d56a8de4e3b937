"""Clean a cell's text: HTML and markdown left by exports, PDF wrap spaces, inline numbered lists.

Shared by the plan and score readers; knows nothing of tables or measures.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from pythainlp.corpus import thai_words
from pythainlp.tokenize import word_tokenize

from ita.status import normalize_measure_number
from ita.thai import normalize_text, to_arabic_digits
from ita.vocab import plan as vocab

_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.S)
_BLOCK_TAG = re.compile(
    r"</?(?:p|li|ul|ol|div|br|tr|td|th|h[1-6]|table|tbody|thead|dl|dt|dd|blockquote|hr)\b[^<>]*>",
    re.I,
)
_ANY_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9:-]*(?:\s[^<>]*)?/?>")
_MARKDOWN_HEADING = re.compile(r"^[ \t]*#{1,6}[ \t]*", re.M)
_MARKDOWN_EMPHASIS = re.compile(r"\*\*+|__+|~~")
_HORIZONTAL_SPACE = re.compile(r"[^\S\n]+")
# A list marker inside a cell: "๑.", "2)", at the start or after a space.
LIST_MARKER = re.compile(r"(?:(?<=\s)|^)([0-9๐-๙]{1,2})[.)](?![0-9๐-๙])\s*")
_DASH_ITEM = re.compile(r"\s[-–•]\s*(?=\S)")
_LEADING_DASH = re.compile(r"^[-–•]")

THAI_DEPENDENT = frozenset(chr(c) for c in [*range(0x0E30, 0x0E3B), 0x0E45, *range(0x0E47, 0x0E4F)])
_THAI_LEADING_VOWELS = frozenset("เแโใไ")
# Thai letters and marks, without digits, ฯ and ๆ, which stand apart from words.
_THAI_WORD_CHAR = re.compile(r"[\u0E01-\u0E2E\u0E30-\u0E3A\u0E40-\u0E45\u0E47-\u0E4E]")
THAI_RUN = r"[\u0E01-\u0E2E\u0E30-\u0E3A\u0E40-\u0E45\u0E47-\u0E4E]+"
THAI_RUN_RE = re.compile(THAI_RUN)
# How much text either side of a space the dictionary looks at.
_WRAP_WINDOW = 20


def strip_markup(raw: str) -> str:
    """Remove HTML tags and entities and markdown emphasis; block tags become new lines."""
    text = _COMMENT.sub(" ", raw)
    text = _BLOCK_TAG.sub("\n", text)
    text = _ANY_TAG.sub(" ", text)
    text = html.unescape(text)
    # Escaped tags (&lt;p&gt;) only become tags after unescaping.
    text = _BLOCK_TAG.sub("\n", text)
    text = _ANY_TAG.sub(" ", text)
    text = _MARKDOWN_HEADING.sub("", text)
    return _MARKDOWN_EMPHASIS.sub("", text)


def _is_thai_word_char(ch: str) -> bool:
    return bool(_THAI_WORD_CHAR.fullmatch(ch))


def _space_breaks_word(left: str, right: str) -> bool:
    """True when a space between two Thai runs splits one word (a line-wrap artefact)."""
    if not left or not right or not _is_thai_word_char(left[-1]) or not _is_thai_word_char(right[0]):
        return False
    if right[0] in THAI_DEPENDENT or left[-1] in _THAI_LEADING_VOWELS:
        return True
    left_run = re.search(THAI_RUN + r"$", left[-_WRAP_WINDOW:])
    right_run = re.match(THAI_RUN, right[:_WRAP_WINDOW])
    if not left_run or not right_run or right[right_run.end() :].startswith("."):
        # "ปีงบประมาณ พ.ศ.": an abbreviation is its own word.
        return False
    joined = left_run.group(0) + right_run.group(0)
    boundary = len(left_run.group(0))
    for phrase in _wrap_compounds():
        start = joined.find(phrase)
        while start != -1:
            if start < boundary < start + len(phrase):
                return True
            start = joined.find(phrase, start + 1)
    position = 0
    for token in word_tokenize(joined, engine="newmm", keep_whitespace=False):
        if position < boundary < position + len(token):
            # Only a dictionary word proves the space split a word (the
            # tokenizer also glues unknown fragments), and only when a half
            # is no word by itself: "บางคา มี" must not become "บางคามี".
            head, tail = token[: boundary - position], token[boundary - position :]
            words = _dictionary()
            return token in words and (head not in words or tail not in words)
        position += len(token)
        if position >= boundary:
            return False
    return False


@lru_cache(maxsize=1)
def _wrap_compounds() -> tuple[str, ...]:
    units = (squash(name) for canonical, aliases in vocab.UNITS.items() for name in (canonical, *aliases))
    phrases = {*vocab.WRAP_COMPOUNDS, *(name for name in units if THAI_RUN_RE.fullmatch(name))}
    return tuple(sorted(phrases, key=len, reverse=True))


@lru_cache(maxsize=1)
def _dictionary() -> frozenset[str]:
    return frozenset(thai_words())


def fix_wrap_spaces(line: str) -> str:
    """Join Thai words that a PDF line wrap split with a space ("ทุกส่วน ราชการ")."""
    pieces = line.split(" ")
    if len(pieces) < 2:
        return line
    out = pieces[0]
    for piece in pieces[1:]:
        if not piece:
            continue
        if out and _space_breaks_word(out, piece):
            out += piece
        else:
            out = f"{out} {piece}" if out else piece
    return out


def split_list_items(line: str) -> list[str]:
    """Put each numbered or dash item of an inline list on its own line."""
    cuts: list[int] = []
    expected: int | None = None
    for match in LIST_MARKER.finditer(line):
        number = int(to_arabic_digits(match.group(1)))
        if expected is None:
            if match.start() == 0 or number == 1:
                expected = number + 1
                if match.start() > 0:
                    cuts.append(match.start())
            continue
        if number == expected:
            cuts.append(match.start())
            expected += 1
    pieces = [line[a:b].strip() for a, b in zip([0, *cuts], [*cuts, len(line)])]
    items: list[str] = []
    for piece in pieces:
        if _LEADING_DASH.match(piece):
            parts = _DASH_ITEM.split(_LEADING_DASH.sub("", piece, count=1))
            items.extend(f"- {part.strip()}" for part in parts if part.strip())
        else:
            items.append(piece)
    return [item for item in items if item]


@lru_cache(maxsize=4096)
def clean_text(raw: str | None, *, multiline: bool = False) -> str:
    """Return a cell's text without markup, with spacing and wrap spaces fixed.

    With ``multiline`` list items (``๑. … ๒. …``, ``- … - …``, ``<li>``) are put
    on their own lines; otherwise everything is joined into one line.
    """
    if not raw:
        return ""
    lines: list[str] = []
    for line in strip_markup(raw).split("\n"):
        line = normalize_text(_HORIZONTAL_SPACE.sub(" ", line))
        if not line:
            continue
        line = fix_wrap_spaces(line)
        lines.extend(split_list_items(line) if multiline else [line])
    return ("\n" if multiline else " ").join(lines)


def squash(text: str) -> str:
    """Text without any whitespace, for matching words that wrap."""
    return re.sub(r"\s+", "", text)


LEADING_NUMBER = re.compile(r"^\(?([0-9]{1,3}(?:\.[0-9]{1,3})*)\s*[.)]?(?=\s|[^\s0-9.]|$)\s*")


def leading_number(text: str) -> tuple[str, str]:
    """Split "๑. การเสริมสร้าง…" into ("1", "การเสริมสร้าง…"); ("", text) when unnumbered."""
    arabic = to_arabic_digits(text)
    match = LEADING_NUMBER.match(arabic)
    if not match:
        return "", text
    rest = text[match.end() :].strip()
    return normalize_measure_number(match.group(1)) or match.group(1), rest
