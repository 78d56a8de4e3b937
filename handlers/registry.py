"""The command registry: maps typed commands and postback actions to handlers.

A handler is registered with ``@command("สรุป", "summary", role=Role.SUPERVISOR)``
and its docstring's first line is its help text. Handlers take a Context and
return the messages to send (a reply value: LINE JSON built by line.views); they
never call LINE themselves.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein
from sqlmodel import Session

from core.services import Services
from core.settings import Settings
from ita.thai import normalize_text, to_arabic_digits
from line.views import Reply
from models import Conversation, Officer, Role

log = logging.getLogger(__name__)

Handler = Callable[..., Reply]


@dataclass
class Context:
    """Everything a handler may need about the event it is answering."""

    session: Session
    settings: Settings
    now: datetime
    webhook_event_id: str
    source_type: str  # user | group | room
    user_id: str | None
    group_id: str | None
    officer: Officer | None
    text: str = ""  # normalised for matching: one line, Arabic digits
    raw_text: str = ""  # as typed, for storing: line breaks and Thai digits kept, control characters removed
    postback: dict[str, str] = field(default_factory=dict)
    mentioned: bool = False
    message: Any = None  # the SDK's message content for media events
    services: Services | None = None  # LINE content download, the task runner
    # The user's conversation row as this event found it (handlers.flows keeps it); None with
    # conversation_loaded set means the user has none, so it is not looked up again.
    conversation: Conversation | None = None
    conversation_loaded: bool = False

    @property
    def in_group(self) -> bool:
        return self.source_type in ("group", "room")

    @property
    def chat_id(self) -> str | None:
        return self.group_id if self.in_group else self.user_id

    def has_role(self, role: Role) -> bool:
        return (
            self.officer is not None
            and self.officer.active
            and self.officer.role_enum.rank >= role.rank
        )


@dataclass(frozen=True)
class Command:
    words: tuple[str, ...]
    func: Handler
    role: Role | None  # None: anyone, even unregistered
    group_ok: bool
    slow: bool
    usage: str

    @property
    def help(self) -> str:
        return (self.func.__doc__ or "").strip().splitlines()[0] if self.func.__doc__ else ""


@dataclass(frozen=True)
class Match:
    command: Command
    word: str
    args: str


_commands: list[Command] = []
_postbacks: dict[str, tuple[Handler, Role | None]] = {}


def command(*words: str, role: Role | None = Role.OFFICER, group_ok: bool = False,
            slow: bool = False, usage: str = "") -> Callable[[Handler], Handler]:
    """Register a typed command under one or more words (Thai first, then English)."""

    def decorate(func: Handler) -> Handler:
        _commands.append(Command(tuple(words), func, role, group_ok, slow, usage or words[0]))
        return func

    return decorate


def postback(action: str, *, role: Role | None = Role.OFFICER) -> Callable[[Handler], Handler]:
    """Register a handler for postback data ``a=<action>&...``."""

    def decorate(func: Handler) -> Handler:
        if action in _postbacks:
            raise ValueError(f"postback action {action!r} registered twice")
        _postbacks[action] = (func, role)
        return func

    return decorate


def commands() -> list[Command]:
    return list(_commands)


def postback_handler(action: str) -> tuple[Handler, Role | None] | None:
    return _postbacks.get(action)


def clean_free_text(text: str) -> str:
    """Tidy text that will be stored: each line normalised, line breaks and digits kept."""
    # A lone surrogate (JSON allows "\ud800") cannot be encoded: stored or echoed back, it fails every save.
    text = "".join(ch for ch in text if not "\ud800" <= ch <= "\udfff")
    text = "".join(ch if ch >= " " or ch in "\n\t" else " " for ch in text)
    lines = [normalize_text(line) for line in text.replace("\r\n", "\n").split("\n")]
    return "\n".join(lines).strip()


def clean_command_text(text: str) -> str:
    """Normalise typed text: spacing, zero-width and control characters, Thai digits."""
    # Control characters (NUL above all: PostgreSQL refuses it in text) carry no meaning in chat,
    # nor do lone surrogates, which no encoder takes.
    text = "".join(ch for ch in text if not "\ud800" <= ch <= "\udfff")
    text = "".join(ch if ch >= " " or ch in "\n\t" else " " for ch in text)
    return to_arabic_digits(normalize_text(text))


def match_command(text: str) -> Match | None:
    """Find the command a text starts with, preferring the longest word.

    Thai is written without spaces, so ``สรุปกองคลัง`` is ``สรุป`` + ``กองคลัง``;
    English words must be followed by a space or the end.
    """
    cleaned = clean_command_text(text)
    lowered = cleaned.lower()
    best: Match | None = None
    for cmd in _commands:
        for word in cmd.words:
            w = word.lower()
            if not lowered.startswith(w):
                continue
            rest = cleaned[len(w):]
            if w.isascii() and rest and not rest[0].isspace():
                continue
            if best is None or len(w) > len(best.word):
                best = Match(cmd, word, rest.strip())
    return best


TYPO_MIN_LENGTH = 4


def match_typo(text: str) -> Match | None:
    """A command whose word was mistyped in the first word of the text ("รายงน 4", "สรุบ"), or None.

    Only whole first words are compared, with Thai command words of four
    letters or more, and only one slip is forgiven (two in words of seven
    letters or more), so ordinary sentences are not taken for commands.
    """
    cleaned = clean_command_text(text)
    first, _, rest = cleaned.partition(" ")
    if len(first) < TYPO_MIN_LENGTH:
        return None
    words = {word: cmd for cmd in _commands for word in cmd.words
             if len(word) >= TYPO_MIN_LENGTH and " " not in word and not word.isascii()}
    allowed = 1 if len(first) < 7 else 2
    found = process.extract(first, list(words), scorer=Levenshtein.distance, score_cutoff=allowed, limit=2)
    if not found or (len(found) > 1 and found[0][1] == found[1][1] and words[found[0][0]] is not words[found[1][0]]):
        return None
    word = found[0][0]
    return Match(words[word], word, rest.strip())
