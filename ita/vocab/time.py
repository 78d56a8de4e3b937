"""Thai words for time: month names and their variants, eras, fiscal periods.

`ita.thai` and `ita.periods` match against these; the regular expressions at
the bottom are built from the word lists so a new spelling is added in one
place.  All patterns expect text that went through ``normalize_text`` and
``to_arabic_digits`` (single spaces, Arabic digits).
"""

import re

# Index 0 is January; month numbers are index + 1.
MONTHS_FULL: tuple[str, ...] = (
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)

MONTHS_ABBR: tuple[str, ...] = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)

# Spoken short forms used in chat ("ตุลา 67").
MONTHS_SPOKEN: tuple[str, ...] = (
    "มกรา",
    "กุมภา",
    "มีนา",
    "เมษา",
    "พฤษภา",
    "มิถุนา",
    "กรกฎา",
    "สิงหา",
    "กันยา",
    "ตุลา",
    "พฤศจิกา",
    "ธันวา",
)

# Misspellings seen often enough in typed documents to accept.
MONTH_MISSPELLINGS: dict[int, tuple[str, ...]] = {
    2: ("กุมภาพันธ",),
    5: ("พฤศภาคม",),
    7: ("กรกฏาคม",),
    11: ("พฤษจิกายน",),
}

ERA_BE: str = "พ.ศ."
ERA_CE: str = "ค.ศ."

FISCAL_YEAR: str = "ปีงบประมาณ"
FISCAL_YEAR_WORDS: tuple[str, ...] = ("ปีงบประมาณ", "ปีงบฯ", "ปีงบ")
YEAR_WORD: str = "ปี"
QUARTER_WORD: str = "ไตรมาส"
ORDINAL_WORD: str = "ที่"
# Between quarter numbers: "ไตรมาส 1 ถึง 2", "ไตรมาสที่ 3 และ 4".
QUARTER_JOIN_WORDS: tuple[str, ...] = ("ถึง", "และ", "-", ",")
QUARTER_FIRST_WORDS: tuple[str, ...] = ("ไตรมาสแรก",)
QUARTER_LAST_WORDS: tuple[str, ...] = ("ไตรมาสสุดท้าย",)

# "รอบ 6 เดือน" is the first half of the fiscal year, October to March.
FIRST_HALF_WORDS: tuple[str, ...] = (
    "รอบ 6 เดือนแรก",
    "รอบ 6 เดือน",
    "6 เดือนแรก",
    "ครึ่งปีงบประมาณแรก",
    "ครึ่งปีแรก",
    "ครึ่งแรก",
)
SECOND_HALF_WORDS: tuple[str, ...] = (
    "6 เดือนหลัง",
    "ครึ่งปีงบประมาณหลัง",
    "ครึ่งปีหลัง",
    "ครึ่งหลัง",
)
WHOLE_YEAR_WORDS: tuple[str, ...] = (
    "ตลอดปีงบประมาณ",
    "ทั้งปีงบประมาณ",
    "ตลอดทั้งปี",
    "ตลอดปี",
    "ทั้งปี",
    "รอบ 12 เดือน",
    "12 เดือน",
    "ทุกเดือน",
    "ทุกไตรมาส",
    "ต่อเนื่อง",
    "ตลอดระยะเวลา",
    "ประจำปี",
)

# A single month after these words means "from the fiscal year's start until it".
BY_MONTH_WORDS: tuple[str, ...] = ("ภายใน", "ไม่เกิน", "ก่อนสิ้น", "ก่อน", "จนถึง")
# A single month after (FROM_MONTH_WORDS) or before (ONWARDS_WORDS) these
# means "from it to the fiscal year's end".
FROM_MONTH_WORDS: tuple[str, ...] = ("ตั้งแต่", "เริ่ม")
ONWARDS_WORDS: tuple[str, ...] = ("เป็นต้นไป", "ต้นไป")
# A cell that says there is no period.
NO_PERIOD_WORDS: tuple[str, ...] = ("ไม่ระบุ", "ไม่กำหนด", "ไม่มี")
MONTH_WORD: str = "เดือน"

# Notes attached to a Period; {year} is the Buddhist-era fiscal year.
NOTE_NO_PERIOD: str = "ไม่ได้ระบุระยะเวลา จึงถือว่าดำเนินการตลอดปีงบประมาณ พ.ศ. {year}"
NOTE_UNREADABLE: str = "อ่านระยะเวลาไม่ได้ จึงถือว่าดำเนินการตลอดปีงบประมาณ พ.ศ. {year}"
NOTE_SWAPPED: str = "เดือนเริ่มต้นอยู่หลังเดือนสิ้นสุด จึงสลับให้"
NOTE_OUTSIDE_FISCAL_YEAR: str = "ระยะเวลาเกินขอบเขตปีงบประมาณ พ.ศ. {year}"
NOTE_UNTIL_MONTH: str = "ถือว่าเริ่มตั้งแต่ต้นปีงบประมาณ"
NOTE_FROM_MONTH: str = "ถือว่าดำเนินการจนสิ้นปีงบประมาณ"

# --- patterns built from the words above ------------------------------------

# Thai letters, vowels and marks, but not Thai digits: a word boundary in Thai.
THAI_LETTER: str = "\u0e01-\u0e4e"
_CONSONANT = "\u0e01-\u0e2e"


def _loose(word: str) -> str:
    return r"\s?".join(re.escape(ch) for ch in word if not ch.isspace())


def words_pattern(words: tuple[str, ...]) -> str:
    """Return an alternation of words, longest first, each tolerating a space between letters."""
    return "(?:" + "|".join(_loose(w) for w in sorted(words, key=len, reverse=True)) + ")"


def _abbreviation(abbr: str) -> list[str]:
    parts = [p for p in abbr.split(".") if p]
    dotted = r"\s?\.\s?".join(re.escape(p) for p in parts) + r"\.?"
    # "(?<!\.)" and the look-ahead keep ก.พ. out of อ.ก.พ. and ก.ค. out of
    # ก.ค.ศ., while "ต.ค.พ.ศ.2566" (an era straight after) still matches.
    guarded = rf"(?<!\.){dotted}(?!\.?(?![พค]\.\s?ศ)[{_CONSONANT}]\.)"
    # Without dots ("ตค 66") the letters must stand alone, or กค would match ตกค้าง.
    bare = rf"(?<![{THAI_LETTER}]){''.join(map(re.escape, parts))}\.?(?![{THAI_LETTER}])"
    return [guarded, bare]


def _month_alternatives(month: int) -> list[str]:
    i = month - 1
    words = [MONTHS_FULL[i], *MONTH_MISSPELLINGS.get(month, ())]
    alternatives = [_loose(w) for w in sorted(words, key=len, reverse=True)]
    alternatives.append(rf"{_loose(MONTHS_SPOKEN[i])}(?![{THAI_LETTER}])")
    alternatives += _abbreviation(MONTHS_ABBR[i])
    return alternatives


# Longer abbreviations first, so มี.ค. is tried before ม.ค. (the patterns
# differ in their second letter already; this keeps it so if one is loosened).
_ORDER = sorted(range(1, 13), key=lambda m: -len(MONTHS_ABBR[m - 1]))

# Named groups m1..m12 tell which month matched; see month_of_match.
MONTH_PATTERN: str = "(?:" + "|".join(f"(?P<m{m}>{'|'.join(_month_alternatives(m))})" for m in _ORDER) + ")"
# The same without groups, for look-aheads and for embedding twice.
ANY_MONTH_PATTERN: str = "(?:" + "|".join("|".join(_month_alternatives(m)) for m in _ORDER) + ")"
MONTH_RE: re.Pattern[str] = re.compile(MONTH_PATTERN)
ERA_BE_PATTERN: str = r"พ\s?\.?\s?ศ\s?\.?"
ERA_CE_PATTERN: str = r"ค\s?\.?\s?ศ\s?\.?"


def month_of_match(match: re.Match[str]) -> int:
    """Return the month number a match of MONTH_PATTERN (possibly embedded) found."""
    for month in range(1, 13):
        if match.group(f"m{month}") is not None:
            return month
    raise ValueError("the match holds no month group")
