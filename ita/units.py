"""Responsible units: turn a plan's "ผู้รับผิดชอบ" cell into canonical unit names.

A cell may name one unit, a unit with a role in parentheses, several units in
a dash or comma list, every unit at once, a misspelt unit, or a person.  The
result is a list of canonical unit names (`ita.vocab.plan.UNITS`), with two
special forms the importer understands:

* ``"*"`` – every unit (ทุกส่วนราชการ, เจ้าหน้าที่ทุกภารกิจงาน, ทุกกอง …);
* ``"person:<name>"`` – a named person (honorific dropped) or a position
  without a unit (ปลัด อบต.), so the importer can match an officer.

Names that are neither known units nor people are returned cleaned but
otherwise as written; `known_unit` tells the caller which ones those are.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz

from ita.thai import normalize_text
from ita.vocab import plan as vocab

EVERYONE = "*"
PERSON_PREFIX = "person:"

# Similarity (0–100) above which a misspelt name is taken as a known unit.
FUZZY_CUTOFF = 88.0
# Stricter cutoff when the unit name is only part of a longer cell.
PARTIAL_CUTOFF = 92.0

_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9:-]*(?:\s[^<>]*)?/?>")
_PARENS = re.compile(r"\([^()]*\)|（[^（）]*）")
_UNCLOSED_PAREN = re.compile(r"\([^)]*$")
_DASH_BULLET = re.compile(r"(?:^|\s)[-–—•·]+\s*")
_SPACES = re.compile(r"\s+")
# Words that start a position after a person's name ("นางสาวสมใจ ใจดี นักวิเคราะห์…").
_POSITION_START = re.compile(
    r"^(?:ตำแหน่ง|นัก|หัวหน้า|ผู้อำนวยการ|ผอ\.|เจ้าพนักงาน|จพง\.|ปลัด|รองปลัด|ครู|พนักงาน|ลูกจ้าง|ผู้ช่วย|ผช\.)"
)


def _squash(text: str) -> str:
    return _SPACES.sub("", text)


@lru_cache(maxsize=1)
def _aliases() -> tuple[tuple[str, str], ...]:
    """(squashed alias, canonical) pairs, longest alias first."""
    pairs: dict[str, str] = {}
    for canonical, aliases in vocab.UNITS.items():
        for alias in (canonical, *aliases):
            pairs.setdefault(_squash(alias), canonical)
    return tuple(sorted(pairs.items(), key=lambda pair: -len(pair[0])))


def _prepare(text: str) -> str:
    text = normalize_text(_TAG.sub(" ", text or ""))
    return text.replace("&amp;", "&").replace("&nbsp;", " ")


def is_everyone(text: str) -> bool:
    """Return True when a cell means every unit (ทุกส่วนราชการ, ทุกกอง …)."""
    squashed = _squash(_prepare(text))
    if any(_squash(word) in squashed for word in vocab.EVERYONE_WORDS):
        return True
    return any(vocab.EVERYONE_PREFIX + after in squashed for after in vocab.EVERYONE_AFTER)


def _find_units(squashed: str) -> list[str]:
    """Known unit names inside a squashed text, in order of appearance, non-overlapping."""
    taken: list[tuple[int, int, str]] = []
    for alias, canonical in _aliases():
        start = squashed.find(alias)
        while start != -1:
            end = start + len(alias)
            if all(end <= s or start >= e for s, e, _ in taken):
                taken.append((start, end, canonical))
            start = squashed.find(alias, end)
    return [canonical for _, _, canonical in sorted(taken)]


def _fuzzy_unit(squashed: str) -> str | None:
    if len(squashed) < 4:
        return None
    best_score, best_unit = 0.0, None
    for alias, canonical in _aliases():
        if len(alias) < 5:
            continue
        score = fuzz.ratio(squashed, alias)
        if score < FUZZY_CUTOFF and len(alias) >= 7 and len(squashed) >= len(alias) - 1:
            # The cell may hold the unit plus a role written without parentheses.
            partial = fuzz.partial_ratio(alias, squashed)
            if partial >= PARTIAL_CUTOFF:
                score = partial
        if score > best_score:
            best_score, best_unit = score, canonical
    return best_unit if best_score >= FUZZY_CUTOFF else None


def known_unit(name: str) -> str | None:
    """Return the canonical unit a name means (alias or near-miss), or None."""
    squashed = _squash(_PARENS.sub(" ", _prepare(name)))
    if not squashed:
        return None
    for alias, canonical in _aliases():
        if squashed == alias:
            return canonical
    found = _find_units(squashed)
    if len(found) == 1 and len(squashed) - len(_squash(found[0])) <= 3:
        return found[0]
    return _fuzzy_unit(squashed)


def canonical_unit(name: str) -> str:
    """Return the canonical name of a unit, "*" for everyone, or the cleaned name itself."""
    if is_everyone(name):
        return EVERYONE
    known = known_unit(name)
    if known:
        return known
    return _SPACES.sub(" ", _PARENS.sub(" ", _prepare(name))).strip()


def _person(part: str) -> str | None:
    """Return "person:<name>" when a part starts with an honorific, else None."""
    squashed_start = part.lstrip()
    for title in vocab.PERSON_TITLES:
        if not squashed_start.startswith(title):
            continue
        rest = squashed_start[len(title) :].strip()
        if title == "นาย" and _is_head_position(rest):
            return None
        tokens = rest.split()
        name_tokens: list[str] = []
        for token in tokens[:2]:
            if _POSITION_START.match(token):
                break
            name_tokens.append(token)
        if not name_tokens:
            return None
        return PERSON_PREFIX + " ".join(name_tokens)
    return None


def _is_head_position(rest: str) -> bool:
    """นายก อบต. / นายกเทศมนตรี are positions, not นาย + a name starting with ก."""
    squashed = _squash(rest)
    return squashed.startswith("ก") and (
        squashed == "ก" or squashed[1:].startswith(("อบต", "องค์การ", "เทศมนตรี", "ฯ", "อบจ"))
    )


def _position(part: str) -> str | None:
    squashed = _squash(part)
    for word in vocab.POSITION_WORDS:
        if squashed.startswith(_squash(word)):
            return PERSON_PREFIX + _SPACES.sub(" ", part).strip()
    return None


def _split_parts(text: str) -> list[str]:
    parts = [text]
    for separator in ("\n", *vocab.UNIT_SEPARATORS):
        parts = [piece for part in parts for piece in part.split(separator)]
    result: list[str] = []
    for part in parts:
        result.extend(piece for piece in _DASH_BULLET.split(part) if piece.strip())
    return result


def _resolve_part(part: str) -> list[str]:
    person = _person(part)
    if person:
        return [person]
    squashed = _squash(part)
    found = _find_units(squashed)
    if found:
        return found
    if "/" in part:
        pieces = [piece for piece in part.split("/") if piece.strip()]
        if len(pieces) > 1:
            resolved = [name for piece in pieces for name in _resolve_part(piece)]
            if any(known_unit(name) for name in resolved):
                return resolved
    fuzzy = _fuzzy_unit(squashed)
    if fuzzy:
        return [fuzzy]
    position = _position(part)
    if position:
        return [position]
    cleaned = _SPACES.sub(" ", part).strip(" .,-–:;/")
    return [cleaned] if len(_squash(cleaned)) >= 2 else []


@lru_cache(maxsize=4096)
def means_everyone(text: str) -> bool:
    """Whether a responsible cell names every unit (one of its parts, or the whole).

    Cached: summaries ask it of the same few hundred cells on every command.
    """
    return EVERYONE in split_responsible(text)


def split_responsible(text: str) -> list[str]:
    """Return the canonical units (or "*", or "person:<name>") a responsible cell names."""
    prepared = _prepare(text)
    if not prepared.strip():
        return []
    if is_everyone(prepared):
        return [EVERYONE]
    without_roles = prepared
    while True:
        stripped = _PARENS.sub(" ", without_roles)
        if stripped == without_roles:
            break
        without_roles = stripped
    without_roles = _UNCLOSED_PAREN.sub(" ", without_roles)
    names: list[str] = []
    for part in _split_parts(without_roles):
        for name in _resolve_part(part):
            if name not in names:
                names.append(name)
    return names
