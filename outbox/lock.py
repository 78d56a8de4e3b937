"""One clock at a time: a PostgreSQL advisory lock, or a file lock beside a SQLite database."""
from __future__ import annotations

import fcntl
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

log = logging.getLogger(__name__)

LOCK_KEY = 0x7469_6474  # "tidt"


@contextmanager
def clock_lock(engine: Engine) -> Iterator[bool]:
    """Yield True when this process holds the clock's lock; False when another does."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            got = bool(conn.execute(sa.select(sa.func.pg_try_advisory_lock(LOCK_KEY))).scalar())
            conn.commit()
            try:
                yield got
            finally:
                if got:
                    conn.execute(sa.select(sa.func.pg_advisory_unlock(LOCK_KEY)))
                    conn.commit()
        return
    path = _lock_path(engine)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            got = True
        except BlockingIOError:
            got = False
        try:
            yield got
        finally:
            if got:
                fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _lock_path(engine: Engine) -> Path:
    database = engine.url.database or ""
    if database and database != ":memory:":
        return Path(database + ".clock.lock")
    return Path("instance") / "clock.lock"
