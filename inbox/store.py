"""The webhook's one write: store a batch of events once each and wake whoever handles them.

One statement per batch, keyed by the unique ``webhookEventId``, so a
redelivered or duplicated event is stored once (``ON CONFLICT DO NOTHING``).
On PostgreSQL the same statement announces the chats of the new rows to the
worker (NOTIFY on ``NOTIFY_CHANNEL``); on SQLite the worker polls. All or
nothing: when the database fails nothing is stored, the webhook answers 503
and LINE sends the batch again.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

import psycopg
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine

from inbox.intake import Intake
from models import EventStatus, WebhookEvent, utcnow

NOTIFY_CHANNEL = "tidtam_events"

_TABLE = WebhookEvent.__table__
# The columns a stored event fills (see _row_of); the rest keep their defaults.
_COLUMNS = [c for c in _TABLE.columns if c.name in (
    "webhook_event_id", "event_type", "source_type", "user_id", "group_id", "chat_key", "payload", "is_redelivery",
    "status", "attempts", "received_at")]


def _postgresql_store() -> sa.Select:
    """Insert the batch (given as one JSON parameter) skipping stored ids, and NOTIFY each new chat once.

    One autocommitted statement, built once: one round trip, where an INSERT and
    a NOTIFY in a transaction took four and about twice the CPU
    (docs/performance.md). NOTIFY is delivered when the statement commits.
    """
    batch = (sa.func.json_to_recordset(sa.cast(sa.bindparam("rows"), postgresql.JSON))
             .table_valued(*[sa.column(c.name, c.type) for c in _COLUMNS])
             .render_derived(name="batch", with_types=True))
    stored = (postgresql.insert(_TABLE)
              .from_select([c.name for c in _COLUMNS], sa.select(*[batch.c[c.name] for c in _COLUMNS]))
              .on_conflict_do_nothing(index_elements=["webhook_event_id"])
              .returning(_TABLE.c.chat_key)
              .cte("stored"))
    return (sa.select(stored.c.chat_key, sa.func.count().label("events"),
                      sa.func.pg_notify(sa.bindparam("channel", NOTIFY_CHANNEL, type_=sa.Text), stored.c.chat_key))
            .group_by(stored.c.chat_key))


_PG_STORE = _postgresql_store()
_PG_SQL: dict[str, tuple[str, dict[str, Any]]] = {}  # the statement compiled once per process, and its constants
_SQLITE_STORE = (sqlite.insert(_TABLE).on_conflict_do_nothing(index_elements=["webhook_event_id"])
                 .returning(_TABLE.c.chat_key))


@dataclass(frozen=True)
class Stored:
    """What one batch did: how many events were new, and every chat the batch touched (first seen first).

    A chat whose event was already stored is listed too: a redelivery is a good
    moment to look at it again (its first handler may have died).
    """

    new_events: int | None  # None when stored by the shared writer, which counts per write, not per batch
    chats: list[str]


def clean_text(value: Any, limit: int) -> str:
    """Text any database takes: no NUL, no lone surrogate, at most ``limit`` characters."""
    text = str(value).replace("\x00", "")[:limit]
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text


def _json_text(raw: dict[str, Any]) -> str:
    """The event as JSON text, Thai kept readable unless the event holds a lone surrogate."""
    text = json.dumps(raw, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(raw)
    return text


def event_id_of(raw: dict[str, Any]) -> str:
    """Return the event's webhookEventId, or a content hash when LINE omitted it."""
    value = raw.get("webhookEventId")
    if isinstance(value, str) and 0 < len(value) <= 64 and clean_text(value, 64) == value:
        return value
    digest = hashlib.sha256(_json_text(raw).encode()).hexdigest()
    return "h" + digest[:40]


def chat_id_of(source: Any) -> str | None:
    """The conversation a LINE ``source`` names: its group or room, else its user."""
    if not isinstance(source, dict):
        return None
    return source.get("groupId") or source.get("roomId") or source.get("userId") or None


def chat_key_of(raw: dict[str, Any]) -> str:
    """The conversation an event belongs to: its group or room, else its user, else itself."""
    key = chat_id_of(raw.get("source"))
    return clean_text(key, 64) if key else event_id_of(raw)


def _row_of(raw: dict[str, Any], now) -> dict[str, Any]:
    source = raw.get("source") if isinstance(raw.get("source"), dict) else {}
    delivery = raw.get("deliveryContext") if isinstance(raw.get("deliveryContext"), dict) else {}
    return {
        "webhook_event_id": event_id_of(raw),
        "event_type": clean_text(raw.get("type", "unknown"), 40),
        "source_type": clean_text(source.get("type"), 10) if source.get("type") else None,
        "user_id": clean_text(source.get("userId"), 64) if source.get("userId") else None,
        "group_id": clean_text(source.get("groupId") or source.get("roomId") or "", 64) or None,
        "chat_key": chat_key_of(raw),
        "payload": _json_text(raw),
        "is_redelivery": bool(delivery.get("isRedelivery", False)),
        "status": EventStatus.RECEIVED.value,
        "attempts": 0,
        "received_at": now,
    }


def _store_postgresql(engine: Engine, rows: list[dict[str, Any]]) -> int:
    """Run the store statement on the pool's driver connection in autocommit; return how many rows were new.

    The statement is SQLAlchemy's, compiled once; running it on the driver's
    connection skips SQLAlchemy's per-execute work, a third of the webhook's
    CPU on this path (docs/performance.md). A failure rolls nothing back
    because the one statement is the whole transaction.
    """
    if engine.dialect.name not in _PG_SQL:
        compiled = _PG_STORE.compile(dialect=engine.dialect)
        _PG_SQL[engine.dialect.name] = (str(compiled), dict(compiled.params))
    sql, constants = _PG_SQL[engine.dialect.name]
    params = {**constants, "rows": json.dumps(rows, ensure_ascii=False, default=str)}
    try:
        pooled = engine.raw_connection()
    except psycopg.Error as exc:  # the database cannot be reached at all
        raise sa.exc.DBAPIError.instance(sql, None, exc, psycopg.Error) from None
    try:
        conn = pooled.driver_connection
        conn.autocommit = True
        try:
            with conn.cursor() as cursor:
                cursor.execute(sql, params)
                return sum(events for _chat, events, _notified in cursor.fetchall())
        finally:
            conn.autocommit = False
    except psycopg.Error as exc:
        if isinstance(exc, psycopg.OperationalError):
            pooled.invalidate()  # the server dropped it: the next webhook gets a fresh connection
        # Callers see SQLAlchemy's errors, as from every other query.
        raise sa.exc.DBAPIError.instance(sql, None, exc, psycopg.Error) from None
    finally:
        pooled.close()


def make_intake(database_url: str) -> Intake:
    """The web process's shared writer (inbox.intake) for the store statement, on PostgreSQL."""
    compiled = _PG_STORE.compile(dialect=postgresql.dialect())
    # psycopg's named placeholders become libpq's numbered ones: the rows, then the channel.
    statement = str(compiled).replace("%(rows)s", "$1").replace("%(channel)s", "$2")
    return Intake(database_url, statement, [NOTIFY_CHANNEL])


def store_events(engine: Engine, raws: list[dict[str, Any]], *, intake: Intake | None = None) -> Stored:
    """Store a batch in one transaction, skipping events already stored; wake the worker on PostgreSQL."""
    now = utcnow()
    rows: dict[str, dict[str, Any]] = {}
    for raw in raws:
        row = _row_of(raw, now)
        rows.setdefault(row["webhook_event_id"], row)  # the same event twice in one batch
    if not rows:
        return Stored(0, [])
    chats = list(dict.fromkeys(row["chat_key"] for row in rows.values()))
    if intake is not None:
        intake.store(list(rows.values()))  # shared with other requests' batches: no count of its own
        return Stored(None, chats)
    if engine.dialect.name == "postgresql":
        return Stored(_store_postgresql(engine, list(rows.values())), chats)
    with engine.begin() as conn:  # SQLite: the worker polls, no wake-up to send
        new_events = len(conn.execute(_SQLITE_STORE, list(rows.values())).all())
    return Stored(new_events, chats)
