"""Shared writes for the webhook's store on PostgreSQL when a worker handles the events (EVENT_HANDLERS=worker).

Every webhook must be stored before LINE gets its 200. Under a burst, the
request threads of a web process share their writes (group commit): the
thread that finds nobody writing becomes the writer and stores, in one
statement, every batch waiting at that moment, its own included; then it
hands the writer's role to the oldest batch that arrived meanwhile and goes
back to answer LINE. No thread writes more than once, so none waits behind a
stream of others, and a quiet server stores each batch at once. The statement
inserts the rows (skipping ids already stored) and announces the chats of
the new rows to the worker (NOTIFY) when it commits; it runs in autocommit,
so one round trip is the whole transaction. The statement is the store's
own (inbox.store), compiled once from its SQLAlchemy form; this module only
shares it between request threads.

Only the writer touches the database, so each process needs one connection,
not a pool. The writer sends the prepared statement through libpq's own
blocking call (psycopg.pq, which lets other threads run meanwhile): psycopg's
general execute costs about 100 microseconds of CPU more per write
(docs/performance.md). The connection is opened on the first
write, and a broken one is dropped and opened again on the next write.

When the statement fails for a shared write because of the rows, each batch
is tried again on its own, so one bad batch cannot take others down with it;
when the database is unreachable they all get the 503 at once. A batch that
cannot be stored raises StoreFailed: the webhook answers 503 and LINE
redelivers it.
"""
from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg import pq
from sqlalchemy.engine import make_url

log = logging.getLogger(__name__)

_STATEMENT = b"tidtam_store_events"
CONNECT_OPTIONS = {
    "autocommit": True,
    "connect_timeout": 5,
    "application_name": "tidtam-intake",  # one per web process, in pg_stat_activity
    "options": "-c statement_timeout=5000",
    # A connection whose packets stop (failover, a NAT dropping it) fails within
    # seconds instead of holding the writer.
    "tcp_user_timeout": 5000, "keepalives": 1, "keepalives_idle": 5, "keepalives_interval": 2, "keepalives_count": 2,
}


class StoreFailed(Exception):
    """The batch could not be stored; nothing of it was."""


def _unreachable(exc: Exception) -> bool:
    """Whether the failure is the database's or the network's, not the rows'."""
    return isinstance(exc, psycopg.OperationalError | psycopg.InterfaceError | OSError)


def _error_of(result: pq.abc.PGresult, conn: psycopg.Connection) -> psycopg.Error:
    """The psycopg exception for a failed statement, as psycopg's own execute would raise it."""
    message = (result.error_message or conn.pgconn.error_message).decode("utf-8", "replace").strip()
    if conn.pgconn.status == pq.ConnStatus.BAD:
        return psycopg.OperationalError(message or "the connection was lost")
    sqlstate = result.error_field(pq.DiagnosticField.SQLSTATE)
    try:
        error_class = psycopg.errors.lookup(sqlstate.decode()) if sqlstate else psycopg.DatabaseError
    except KeyError:
        error_class = psycopg.DatabaseError
    return error_class(message)


@dataclass(eq=False)
class _Batch:
    rows: list[dict[str, Any]]
    wake: threading.Event = field(default_factory=threading.Event)
    stored: bool = False
    lead: bool = False  # woken to be the next writer, not because it was written
    error: str | None = None


class Intake:
    """Stores webhook rows with shared writes; see the module's docstring."""

    def __init__(self, database_url: str, statement: str, constants: list[str], *, timeout: float = 10.0) -> None:
        """``statement`` takes the rows as JSON in $1, then ``constants`` in $2…"""
        self.conninfo = make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)
        self.statement = statement.encode()
        self.constants = [c.encode() for c in constants]
        self.timeout = timeout
        self._conn: psycopg.Connection | None = None  # the writer's; one writer at a time
        self._lock = threading.Lock()
        self._waiting: list[_Batch] = []
        self._writing = False

    def store(self, rows: list[dict[str, Any]]) -> None:
        """Store the rows (dicts of the store's columns) before returning; raise StoreFailed if they were not."""
        batch = _Batch(rows)
        with self._lock:
            self._waiting.append(batch)
            lead = not self._writing
            self._writing = True
        while not lead:
            woke = batch.wake.wait(self.timeout)
            with self._lock:
                batch.wake.clear()
                if batch.stored or batch.error:
                    break
                lead = batch.lead
                if not lead and not woke and batch in self._waiting:
                    self._waiting.remove(batch)  # never written after LINE was told 503
                    raise StoreFailed("timed out waiting for the database")
                # otherwise it is being written right now: wait for the outcome
        if lead:
            self._write_waiting()
        if not batch.stored:
            raise StoreFailed(batch.error or "not stored")

    def _write_waiting(self) -> None:
        with self._lock:
            batches, self._waiting = self._waiting, []
        try:
            self._execute([row for batch in batches for row in batch.rows])
            for batch in batches:
                batch.stored = True
        except Exception as exc:
            if len(batches) == 1 or _unreachable(exc):
                # One batch, or the database is not answering: retrying each batch would only
                # make every waiting request wait longer for the same 503.
                for batch in batches:
                    batch.error = f"{type(exc).__name__}: {str(exc)[:200]}"
            else:
                log.warning("webhook store: a shared write failed (%s); storing each batch on its own",
                            type(exc).__name__)
                for batch in batches:
                    try:
                        self._execute(batch.rows)
                        batch.stored = True
                    except Exception as single:
                        batch.error = f"{type(single).__name__}: {str(single)[:200]}"
        with self._lock:
            if self._waiting:
                successor = self._waiting[0]
                successor.lead = True
                successor.wake.set()
            else:
                self._writing = False
        for batch in batches:
            batch.wake.set()

    def _execute(self, rows: list[dict[str, Any]]) -> None:
        payload = json.dumps(rows, ensure_ascii=False, default=str).encode()
        conn = self._connection()
        result = conn.pgconn.exec_prepared(_STATEMENT, [payload, *self.constants])
        if result.status != pq.ExecStatus.TUPLES_OK:
            error = _error_of(result, conn)
            if _unreachable(error):
                self.dispose()  # opened afresh by the next write
            raise error

    def _connection(self) -> psycopg.Connection:
        if self._conn is None or self._conn.closed:
            conn = psycopg.connect(self.conninfo, **CONNECT_OPTIONS)
            result = conn.pgconn.prepare(_STATEMENT, self.statement)
            if result.status != pq.ExecStatus.COMMAND_OK:
                error = _error_of(result, conn)
                conn.close()
                raise error
            self._conn = conn
        return self._conn

    def dispose(self, close: bool = True) -> None:
        """Drop the connection; ``close=False`` in a forked child leaves the parent's connection alone."""
        conn, self._conn = self._conn, None
        if conn is not None and close:
            conn.close()
