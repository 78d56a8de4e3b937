"""Settings, the app factory, health check, migrations and the CLI's help."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from bot import create_app
from core.schema import upgrade_database
from core.settings import Settings, SettingsError, normalize_database_url
from models import make_engine


def test_production_without_line_credentials_names_the_variable():
    with pytest.raises(SettingsError, match="LINE_CHANNEL_SECRET"):
        Settings.from_env({"TIDTAM_ENV": "production"})
    with pytest.raises(SettingsError, match="LINE_CHANNEL_ACCESS_TOKEN"):
        Settings.from_env({"TIDTAM_ENV": "production", "LINE_CHANNEL_SECRET": "s"})


def test_development_starts_without_credentials():
    settings = Settings.from_env({"TIDTAM_ENV": "development"})
    assert settings.line_channel_secret == "" and settings.database_url.startswith("sqlite:///")
    assert settings.database_url.endswith("instance/tidtam.db")


def test_environment_names_are_read():
    settings = Settings.from_env({
        "TIDTAM_ENV": "production", "LINE_CHANNEL_SECRET": "sec", "LINE_CHANNEL_ACCESS_TOKEN": "tok",
        "SECRET_KEY": "k", "LINE_API_BASE_URL": "http://127.0.0.1:1", "LINE_DATA_API_BASE_URL": "http://127.0.0.1:2",
        "DATABASE_URL": "postgres://u:p@db/tidtam", "PUBLIC_BASE_URL": "https://bot.example",
        "BOT_TIMEZONE": "Asia/Bangkok", "PORT": "9000",
    })
    assert settings.line_api_base_url == "http://127.0.0.1:1"
    assert settings.line_data_api_base_url == "http://127.0.0.1:2"
    assert settings.database_url == "postgresql+psycopg://u:p@db/tidtam"
    assert settings.port == 9000 and settings.public_base_url == "https://bot.example"


@pytest.mark.parametrize("env, message", [
    ({"PORT": "eighty"}, "PORT"),
    ({"BOT_TIMEZONE": "Mars/Base"}, "BOT_TIMEZONE"),
    ({"TIDTAM_ENV": "staging"}, "TIDTAM_ENV"),
    ({"LINE_API_BASE_URL": "api.line.me"}, "LINE_API_BASE_URL"),
])
def test_malformed_settings_name_the_variable(env, message):
    with pytest.raises(SettingsError, match=message):
        Settings.from_env({"TIDTAM_ENV": "development", **env})


def test_database_url_normalisation():
    assert normalize_database_url("postgresql://x/y") == "postgresql+psycopg://x/y"
    assert normalize_database_url("sqlite:///a.db") == "sqlite:///a.db"


def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json["database"] == "ok"


def test_healthz_503_when_database_unreachable(line):
    app = create_app({"env": "test", "database_url": "postgresql://postgres@127.0.0.1:1/none",
                      "line_api_base_url": line.url})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503 and response.json["status"] == "unavailable"


def test_webhook_503_when_database_unreachable(line):
    from tests.chat import Chat
    from tests.conftest import CHANNEL_SECRET

    app = create_app({"env": "test", "database_url": "postgresql://postgres@127.0.0.1:1/none",
                      "line_channel_secret": CHANNEL_SECRET, "line_api_base_url": line.url})
    chat = Chat(app.test_client(), line, CHANNEL_SECRET)
    assert chat.text("U1", "ช่วยเหลือ").status == 503  # LINE redelivers: nothing lost


def test_migrations_are_idempotent_and_complete(db_url):
    upgrade_database(db_url)  # already at head: a no-op
    upgrade_database(db_url)
    engine = make_engine(db_url.replace("postgresql://", "postgresql+psycopg://"))
    tables = set(sa.inspect(engine).get_table_names())
    engine.dispose()
    from sqlmodel import SQLModel

    import models  # noqa: F401
    assert set(SQLModel.metadata.tables) <= tables


def test_migrations_match_the_models(db_url):
    """Autogenerate finds nothing to do: the migrations build exactly the models."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    engine = make_engine(db_url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    engine.dispose()
    assert diff == []


def test_init_db_command(runner):
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert "up to date" in result.output


def test_cli_help_lists_commands_with_one_line_help(runner):
    result = runner.invoke(args=["--help"])
    assert result.exit_code == 0
    assert "init-db" in result.output and "Create or upgrade" in result.output


def test_start_up_error_is_one_line_naming_the_variable(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {k: v for k, v in os.environ.items() if not k.startswith(("LINE_", "TIDTAM_ENV", "SECRET_KEY"))}
    env["TIDTAM_ENV"] = "production"
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, "-c", "import bot; bot.create_app()"], cwd=root, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        result.stderr.strip().splitlines()[0]] and "LINE_CHANNEL_SECRET" in result.stderr
    assert "Traceback" not in result.stderr


def _open_chat_index(engine) -> str:
    query = ("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_webhookevent_open_chat'"
             if engine.dialect.name == "postgresql" else
             "SELECT sql FROM sqlite_master WHERE name = 'ix_webhookevent_open_chat'")
    with engine.connect() as conn:
        return conn.execute(sa.text(query)).scalar_one()


def test_the_open_chat_index_covers_events_whose_answer_is_on_its_way(db_url):
    engine = make_engine(db_url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        assert "answering" in _open_chat_index(engine)
    finally:
        engine.dispose()


def test_a_database_migrated_before_answering_existed_gets_the_new_index(tmp_path):
    from alembic import command

    from core.schema import alembic_config

    url = f"sqlite:///{tmp_path / 'old.db'}"
    config = alembic_config(url)
    command.upgrade(config, "0004")
    engine = make_engine(url)
    try:
        assert "answering" not in _open_chat_index(engine)
        command.upgrade(config, "head")
        assert "answering" in _open_chat_index(engine)
        command.downgrade(config, "0004")
        assert "answering" not in _open_chat_index(engine)
    finally:
        engine.dispose()


def test_a_report_in_progress_survives_the_flow_key_migration(db_url):
    """Migration 0008 renames a report conversation's keys; the officer's next step still works."""
    import json

    from alembic import command

    from core.schema import alembic_config

    url = db_url.replace("postgresql://", "postgresql+psycopg://")
    config = alembic_config(url)
    command.downgrade(config, "0007")
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            cast = "CAST(:data AS JSON)" if engine.dialect.name == "postgresql" else ":data"
            conn.execute(sa.text(
                "INSERT INTO conversation (line_user_id, flow, step, data, updated_at, expires_at) "
                f"VALUES ('U-mid', 'report', 'percent', {cast}, :now, :now)"),
                {"data": json.dumps({"m": 7, "p": "2026-11", "for": None, "ev": [3], "status": "in_progress"}),
                 "now": "2026-12-07 00:00:00+00:00"})
        command.upgrade(config, "head")
        with engine.connect() as conn:
            data = conn.execute(sa.text("SELECT data FROM conversation WHERE line_user_id = 'U-mid'")).scalar_one()
        data = json.loads(data) if isinstance(data, str) else data
        assert data == {"measure_id": 7, "period": "2026-11", "on_behalf_of": None, "evidence_ids": [3],
                        "status": "in_progress"}
        command.downgrade(config, "0007")
        with engine.connect() as conn:
            data = conn.execute(sa.text("SELECT data FROM conversation WHERE line_user_id = 'U-mid'")).scalar_one()
        assert (json.loads(data) if isinstance(data, str) else data)["m"] == 7
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text("DELETE FROM conversation"))
        command.upgrade(config, "head")
        engine.dispose()
