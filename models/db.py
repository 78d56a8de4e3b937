"""The database engine, sessions and column types shared by every model.

One engine per process (created from settings), one session per unit of work:
a webhook event, a CLI command, a scheduler job.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session
from sqlmodel import create_engine as _create_engine


def utcnow() -> datetime:
    """Return the current time, timezone-aware in UTC."""
    return datetime.now(UTC)


class UTCDateTime(sa.types.TypeDecorator):
    """A timestamp stored as UTC and always read back timezone-aware.

    SQLite has no time zones, so naive values would silently mix local and UTC
    times; this type refuses naive input and normalises everything to UTC.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """Create the process's engine with settings that suit each backend."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = _create_engine(
            url, echo=echo, connect_args={"check_same_thread": False, "timeout": 30}
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return _create_engine(
        url,
        echo=echo,
        # One connection per gunicorn thread (WEB_THREADS, 8) plus the task pool, kept open:
        # a smaller pool opened and closed a connection for every few events under load.
        pool_size=10,
        max_overflow=10,
        pool_pre_ping=True,
        pool_recycle=1800,
        connect_args={"connect_timeout": 5},
    )


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # WAL lets the clock process and web workers read while one writes;
    # foreign keys are off by default in SQLite.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """Open a session that commits on success and rolls back on error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def read_rows(session: Session, statement: sa.Select, params: dict | None = None) -> list[sa.Row]:
    """Run a select of columns as plain Core rows, after flushing the session's pending changes.

    For reads on every chat command (summaries, scores): loading rows through the
    ORM costs more CPU than the query itself, and these need no entities.
    """
    session.flush()
    return session.connection().execute(statement, params).all()


def database_ok(engine: Engine) -> tuple[bool, str]:
    """Return whether the database answers a trivial query, and why not."""
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        return True, "ok"
    except Exception as exc:  # any driver error means unreachable for /healthz
        return False, type(exc).__name__
