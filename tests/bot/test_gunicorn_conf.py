"""gunicorn.conf.py: the settings the Procfile's web process runs with."""
from __future__ import annotations

import runpy
from pathlib import Path

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def _conf(monkeypatch, **env: str) -> dict:
    for name in ("WEB_CONCURRENCY", "WEB_THREADS", "WEB_MAX_REQUESTS", "PORT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONF))


def test_workers_are_not_recycled_unless_asked(monkeypatch):
    # A recycled worker halves a 2-worker web while its successor starts (docs/performance.md).
    conf = _conf(monkeypatch)
    assert (conf["max_requests"], conf["max_requests_jitter"]) == (0, 0)
    assert (conf["workers"], conf["threads"], conf["worker_class"]) == (2, 4, "gthread")
    assert conf["preload_app"] is True


def test_web_max_requests_turns_recycling_on_with_a_jitter(monkeypatch):
    conf = _conf(monkeypatch, WEB_MAX_REQUESTS="20000", WEB_CONCURRENCY="3", PORT="9001")
    assert (conf["max_requests"], conf["max_requests_jitter"]) == (20000, 2000)
    assert conf["workers"] == 3 and conf["bind"] == "0.0.0.0:9001"
