"""Fan-out benchmark: one period's reminders to 10,000 officers through the fake LINE server.

Prints the product's pushes per second (the real delivery path: outbox rows
claimed, pushed through the LINE SDK with retry keys, outcomes recorded in the
database) next to a plain HTTP client pushing the same 10,000 requests to the
same server in the same run, with the same concurrency, and their ratio.

    .venv/bin/python bench/fanout.py [--officers 10000] [--workers 8] [--database-url URL]

The fake LINE server runs in its own process so neither side shares its GIL.
"""
from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TOKEN = "bench-token"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_fake_line() -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "devkit.fake_line", "--port", str(port), "--quiet",
                             "--access-token", TOKEN], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc, url
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise SystemExit("the fake LINE server did not start")


def build_database(url: str, officers: int) -> None:
    """An organisation with one unit, one monthly measure and N linked officers."""
    import sqlalchemy as sa

    from core.schema import upgrade_database
    from ita.thai import fiscal_year
    from models import make_engine, utcnow

    upgrade_database(url)
    engine = make_engine(url)
    year = fiscal_year(date.today())
    now = utcnow()
    with engine.begin() as conn:
        org_id = conn.execute(sa.text("INSERT INTO organisation (name, created_at) VALUES (:n, :t) RETURNING id"),
                              {"n": f"อบต.ทดสอบประสิทธิภาพ {uuid.uuid4().hex[:6]}", "t": now}).scalar()
        unit_id = conn.execute(sa.text("INSERT INTO unit (organisation_id, name) VALUES (:o, 'กองคลัง') RETURNING id"),
                               {"o": org_id}).scalar()
        measure_id = conn.execute(sa.text(
            "INSERT INTO measure (organisation_id, fiscal_year, key, section_path, number, ref, title, steps, "
            "responsible_text, period_assumed, cadence, indicator_numbers, question_codes, imported_result, "
            "imported_outcome, active, created_at, updated_at) VALUES (:o, :y, '1', '[]', '1', '1', "
            "'เปิดเผยข้อมูลการจัดซื้อจัดจ้างบนเว็บไซต์', '', 'กองคลัง', true, 'monthly', '[]', '[]', '', '', true, "
            ":t, :t) RETURNING id"), {"o": org_id, "y": year, "t": now}).scalar()
        conn.execute(sa.text(
            "INSERT INTO officer (organisation_id, name, unit_id, role, line_user_id, active, reachable, created_at) "
            "VALUES (:o, :n, :u, 'officer', :l, true, true, :t)"),
            [{"o": org_id, "n": f"เจ้าหน้าที่ {i:05d}", "u": unit_id, "l": f"Ubench{org_id}x{i:05d}", "t": now}
             for i in range(officers)])
        conn.execute(sa.text(
            "INSERT INTO assignment (organisation_id, measure_id, officer_id, source, active, created_at) "
            "SELECT :o, :m, id, 'auto', true, :t FROM officer WHERE organisation_id = :o"),
            {"o": org_id, "m": measure_id, "t": now})
    engine.dispose()


def product_run(url: str, line_url: str, workers: int) -> tuple[float, float, int]:
    """Enqueue and deliver through the product; returns (enqueue seconds, deliver seconds, delivered)."""
    from core.services import Services, line_config
    from core.settings import Settings
    from line.client import LineClient
    from models import make_engine
    from outbox.delivery import deliver
    from outbox.planning import reconcile

    settings = Settings(env="test", database_url=url, line_channel_access_token=TOKEN, line_api_base_url=line_url,
                        line_data_api_base_url=line_url)
    services = Services(settings=settings, engine=make_engine(url), line=LineClient(line_config(settings)))
    import handlers.all  # noqa: F401

    started = time.perf_counter()
    plan = reconcile(services, force_reminders=True)
    enqueued_at = time.perf_counter()
    result = deliver(services, workers=workers)
    finished = time.perf_counter()
    if result.delivered != plan.enqueued["reminder"]:
        raise SystemExit(f"delivered {result.delivered} of {plan.enqueued['reminder']}: {result}")
    services.engine.dispose()
    return enqueued_at - started, finished - enqueued_at, result.delivered


def baseline_run(line_url: str, count: int, workers: int, body_template: dict) -> float:
    """A plain urllib3 client pushing the same number of requests with the same concurrency."""
    import urllib3

    pool = urllib3.PoolManager(maxsize=workers, retries=False)
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}

    def push(i: int) -> int:
        body = dict(body_template, to=f"Ubaseline{i:05d}")
        response = pool.request("POST", f"{line_url}/v2/bot/message/push", body=json.dumps(body).encode(),
                                headers={**headers, "X-Line-Retry-Key": str(uuid.uuid4())}, timeout=10)
        return response.status

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as executor:
        statuses = list(executor.map(push, range(count)))
    elapsed = time.perf_counter() - started
    if set(statuses) != {200}:
        raise SystemExit(f"baseline got statuses {sorted(set(statuses))}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--officers", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory()
    url = args.database_url or f"sqlite:///{tmp.name}/fanout.db"
    os.environ.setdefault("TIDTAM_ENV", "test")
    fake, line_url = start_fake_line()
    try:
        build_database(url, args.officers)
        enqueue_s, deliver_s, delivered = product_run(url, line_url, args.workers)
        sample = _sample_body(url)
        base_s = baseline_run(line_url, delivered, args.workers, sample)
    finally:
        fake.terminate()
        fake.wait(timeout=10)
        tmp.cleanup()
    product_rate, base_rate = delivered / deliver_s, delivered / base_s
    print(f"machine: {os.cpu_count()} cores; database: {url.split(':', 1)[0]}; workers: {args.workers}")
    print(f"enqueue {delivered} reminders: {enqueue_s:.1f} s ({delivered / enqueue_s:.0f} per second)")
    print(f"product delivery:  {delivered} pushes in {deliver_s:.1f} s = {product_rate:.0f} pushes/s")
    print(f"plain HTTP client: {delivered} pushes in {base_s:.1f} s = {base_rate:.0f} pushes/s")
    print(f"ratio (product / plain): {product_rate / base_rate:.2f}  (target ≥ 0.50)")


def _sample_body(url: str) -> dict:
    """The first stored reminder, so the baseline pushes bodies of the same size."""
    import sqlalchemy as sa

    from models import make_engine

    engine = make_engine(url)
    with engine.connect() as conn:
        messages = conn.execute(sa.text("SELECT messages FROM outboxmessage ORDER BY id LIMIT 1")).scalar()
    engine.dispose()
    if isinstance(messages, str):
        messages = json.loads(messages)
    return {"messages": messages}


if __name__ == "__main__":
    main()
