"""The test fixture stack: databases, the app, a fake LINE server and a chat helper.

Every test that takes ``app`` (or anything built on it) runs twice: on SQLite
and on PostgreSQL over a real connection. PostgreSQL must be reachable (set
TIDTAM_TEST_PG_URL to point elsewhere); its tests are never skipped silently.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa

os.environ.setdefault("TIDTAM_ENV", "test")

from bot import create_app  # noqa: E402
from core.schema import upgrade_database  # noqa: E402
from devkit.fake_line import FakeLine  # noqa: E402
from models import make_engine  # noqa: E402
from tests.chat import Chat  # noqa: E402

PG_BASE_URL = os.environ.get("TIDTAM_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
CHANNEL_SECRET = "test-channel-secret"
ACCESS_TOKEN = "test-access-token"
BACKENDS = ["sqlite", "postgresql"]


def _pg_url(database: str) -> str:
    base = PG_BASE_URL.rsplit("/", 1)[0]
    return f"{base}/{database}"


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


@pytest.fixture(scope="session")
def pg_database():
    """A migrated PostgreSQL database of this test run and worker's own, dropped at the end."""
    import psycopg

    run_id = os.environ.get("PYTEST_XDIST_TESTRUNUID", str(os.getpid()))[:8]
    name = f"tidtam_test_{run_id}_{_worker()}"
    admin_url = PG_BASE_URL.replace("postgresql+psycopg://", "postgresql://")
    try:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        pytest.fail(f"PostgreSQL is not reachable at {admin_url} ({exc}); start it "
                    "(pg_ctlcluster 15 main start) or set TIDTAM_TEST_PG_URL", pytrace=False)
    url = _pg_url(name)
    upgrade_database(url.replace("postgresql://", "postgresql+psycopg://"))
    yield url
    try:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    except psycopg.Error:
        pass


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A migrated SQLite file that each test copies."""
    path = tmp_path_factory.mktemp("sqlite") / "template.db"
    upgrade_database(f"sqlite:///{path}")
    return path


def _truncate_all(url: str) -> None:
    engine = make_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as conn:
        tables = [r[0] for r in conn.execute(sa.text(
            "SELECT tablename FROM pg_tables WHERE schemaname='public' AND tablename <> 'alembic_version'"))]
        if tables:
            conn.execute(sa.text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path) -> str:
    """A clean, migrated database URL: SQLite, then PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path / "tidtam.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("pg_database")
    _truncate_all(url)
    return url


@pytest.fixture(scope="session")
def line_server():
    server = FakeLine(access_token=ACCESS_TOKEN, channel_secret=CHANNEL_SECRET).start()
    yield server
    server.stop()


@pytest.fixture
def line(line_server):
    """The fake LINE API, emptied for this test."""
    line_server.reset()
    line_server.quota_limit = None
    yield line_server
    line_server.fail_randomly(0)


@pytest.fixture
def settings_overrides(db_url, line, tmp_path) -> dict:
    return {
        "env": "test",
        "database_url": db_url,
        "line_channel_secret": CHANNEL_SECRET,
        "line_channel_access_token": ACCESS_TOKEN,
        "line_api_base_url": line.url,
        "line_data_api_base_url": line.url,
        "public_base_url": "https://tidtam.example",
        "evidence_dir": str(tmp_path / "evidence"),
        "generated_dir": str(tmp_path / "generated"),
        "line_read_timeout": 2.0,
    }


@pytest.fixture
def app(settings_overrides):
    app = create_app(settings_overrides)
    yield app
    # Let this test's webhook events and background tasks (charts, reports, nudges)
    # finish before the next test, so nothing lands on the shared fake LINE server afterwards.
    if app.extensions["tidtam"].chats is not None:
        app.extensions["tidtam"].chats.shutdown(timeout=30)
    app.extensions["tidtam"].tasks.shutdown()
    app.extensions["tidtam"].dispose()


@pytest.fixture
def services(app):
    return app.extensions["tidtam"]


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def chat(client, line):
    return Chat(client, line, CHANNEL_SECRET)


@pytest.fixture
def session(services):
    from sqlmodel import Session

    with Session(services.engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture(autouse=True)
def _no_internet(monkeypatch):
    """Fail any test that tries to reach a host other than this machine."""
    import socket

    real_connect = socket.socket.connect

    def guarded(sock, address):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and not (host.startswith("127.") or host in ("localhost", "::1")) \
                and sock.family in (socket.AF_INET, socket.AF_INET6):
            raise OSError(f"tests must not reach the network ({host})")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
