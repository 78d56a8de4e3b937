"""No silence: a chart whose push LINE refuses reaches the user as an apology; `make run` delivers it.

The app here builds its file links on http://127.0.0.1, as `make run` does. Real
LINE (and the fake server by default) refuses image URLs that are not https;
the development fake server started with --allow-local-media accepts them.
"""
from __future__ import annotations

import pytest

from line import texts
from tests.factories import make_world

BOSS = "ประยุทธ์ หัวหน้า"


@pytest.fixture
def settings_overrides(settings_overrides):
    return {**settings_overrides, "public_base_url": "http://127.0.0.1:8000"}


@pytest.fixture
def boss(session):
    world = make_world(session)
    return world.officers[BOSS].line_user_id


def test_a_refused_chart_push_ends_in_an_apology_and_the_log(chat, line, boss, caplog):
    assert chat.text(boss, "กราฟ").text == texts.CHART_COMING
    assert line.wait_for(lambda fake: any(m.get("text") == texts.PUSH_FAILED for m in fake.messages_to(boss)),
                         timeout=60), line.messages_to(boss)
    assert all(m.get("type") != "image" for m in line.messages_to(boss))
    assert any(r.levelname in ("WARNING", "ERROR") for r in caplog.records), "the failure must be logged"


def test_the_development_fake_line_delivers_the_chart(chat, line, boss):
    line.allow_local_media = True
    try:
        assert chat.text(boss, "กราฟ").text == texts.CHART_COMING
        assert line.wait_for(lambda fake: any(m.get("type") == "image" for m in fake.messages_to(boss)),
                             timeout=60), line.messages_to(boss)
        image = next(m for m in line.messages_to(boss) if m.get("type") == "image")
        assert image["originalContentUrl"].startswith("http://127.0.0.1:8000/files/")
        assert texts.PUSH_FAILED not in [m.get("text") for m in line.messages_to(boss)]
    finally:
        line.allow_local_media = False
