"""Webhook benchmark: the product under gunicorn against a bare signature-checking baseline.

Starts the product exactly as the Procfile does (``gunicorn 'bot:create_app()'
--config gunicorn.conf.py``) on PostgreSQL (a database of its own, created and
dropped here) and on SQLite (a temporary file), with the fake LINE server in
its own process, loads 2,000 registered officers with their measures, scores
and earlier reports, then fires signed webhook batches from a separate load
generator process over keep-alive connections. The mix: 60% answers inside a
reporting flow (start, status, percent, summary, confirm), 20% ``งานของฉัน``,
10% ``สรุป`` from supervisors, 10% score questions. Every event has its own
webhookEventId and a reply token issued by the fake LINE server.

For each target it measures the maximum throughput (closed loop) and the
latency at half of that rate (open loop, paced; latency counted from the
scheduled send time), and checks that every request answered 200 and that
every event sent is ``done`` in the webhookevent table. The baseline
(bench/baseline_app.py: verify the signature, answer 200) runs beside the
product under the same gunicorn settings, driven by the same load generator:
the maximum is measured in short rounds in which the two take turns (the
order flipping every round, the product's events all handled before the next
round), so a shared machine's changing load weighs on both alike, and each
product round is compared with the baseline round next to it.

    .venv/bin/python bench/webhook.py [--repeat 2] [--backends postgresql,sqlite]
        [--connections 8] [--batch 1] [--workers 2] [--threads 4] [--rounds 4] [--round-events 2000]
    .venv/bin/python bench/webhook.py --count-queries   # statements per event kind, in-process
    .venv/bin/python bench/webhook.py --profile all     # cProfile (CPU clock) of the worker's handling per kind
    .venv/bin/python bench/webhook.py --backends postgresql --handlers product,minimal --no-baseline
        # the product's worker against bench/minimal_worker.py, the same events, taking turns; per-kind rounds
    .venv/bin/python bench/webhook.py --backends postgresql --handlers product,before,minimal --no-baseline \
        --before ../before   # and the worker of another checkout (git worktree add ../before REV): before/after
    .venv/bin/python bench/webhook.py --backends postgresql --worker-processes 1,2,3 --no-baseline
        # worker scaling: each count with its own copy of the database, taking turns

PostgreSQL: TIDTAM_BENCH_PG_URL (default postgresql://postgres@127.0.0.1:5432/postgres)
is the server; the benchmark creates and drops its own database on it.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from multiprocessing import get_context
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SECRET = "bench-channel-secret"
TOKEN = "bench-access-token"
PG_URL = os.environ.get("TIDTAM_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
MIX = (("flow", 0.6), ("tasks", 0.2), ("summary", 0.1), ("score", 0.1))
SCORE_QUESTION = "คะแนน ITA ปีนี้เท่าไหร่"
# The three kinds of answers an officer gives in the reporting flow (status, percent or None).
FLOW_ANSWERS = (("กำลังดำเนินการ", "60%"), ("อยู่ระหว่างดำเนินการ", "ร้อยละ 40"), ("ดำเนินการแล้วเสร็จ", None))
SUMMARIES = ("จัดประชุมชี้แจงบุคลากรแล้ว ๒ ครั้ง", "เผยแพร่ข้อมูลบนเว็บไซต์ของหน่วยงานแล้ว",
             "อยู่ระหว่างรวบรวมเอกสารหลักฐาน")


# -- processes --------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_ready(port: int, path: str, proc: subprocess.Popen, timeout: float = 90.0) -> None:
    """Wait until GET path answers 200, or fail when the process died or the time is up."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"process exited with {proc.returncode} before it was ready")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", path)
            if conn.getresponse().status == 200:
                conn.close()
                return
            conn.close()
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"nothing answered 200 on port {port}{path} within {timeout:.0f} s")


def stop(proc: subprocess.Popen | None) -> None:
    """Stop a process this script started: SIGTERM, then SIGKILL if it lingers."""
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=25)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


# The fake LINE server with a fixed delay on every API call, to play LINE's network latency.
_SLOW_FAKE = """
import sys, time
from devkit.fake_line import FakeLine
fake = FakeLine(access_token=sys.argv[2])
fake.delay_next(10**9, seconds=float(sys.argv[3]), path="/v2/bot/*")
fake.start(port=int(sys.argv[1]))
while True:
    time.sleep(3600)
"""


def start_fake_line(log_dir: Path, latency: float = 0.0) -> tuple[subprocess.Popen, str]:
    """Run the fake LINE server in its own process (``python -m devkit.fake_line``)."""
    port = free_port()
    log = open(log_dir / "fake_line.log", "wb")  # noqa: SIM115  (closed with the process)
    if latency > 0:
        cmd = [sys.executable, "-c", _SLOW_FAKE, str(port), TOKEN, str(latency)]
    else:
        cmd = [sys.executable, "-m", "devkit.fake_line", "--port", str(port), "--quiet", "--access-token", TOKEN]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise SystemExit("the fake LINE server did not start")


@dataclass
class Gunicorn:
    name: str
    proc: subprocess.Popen
    port: int
    log_path: Path

    def tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def start_gunicorn(name: str, app: str, env: dict[str, str], log_dir: Path, *, pythonpath: str | None = None,
                   ready_path: str = "/healthz") -> Gunicorn:
    """Start gunicorn with the Procfile's configuration file; PORT and WEB_* come from env."""
    port = free_port()
    cmd = [sys.executable, "-m", "gunicorn", app, "--config", str(ROOT / "gunicorn.conf.py")]
    if pythonpath:
        cmd += ["--pythonpath", pythonpath]
    log_path = log_dir / f"gunicorn-{name}.log"
    log = open(log_path, "wb")  # noqa: SIM115
    proc = subprocess.Popen(cmd, cwd=ROOT, env={**env, "PORT": str(port)}, stdout=log, stderr=subprocess.STDOUT)
    server = Gunicorn(name, proc, port, log_path)
    try:
        wait_ready(port, ready_path, proc)
    except RuntimeError as exc:
        stop(proc)
        raise SystemExit(f"gunicorn ({name}) did not start: {exc}\n{server.tail()}") from None
    return server


def start_workers(name: str, env: dict[str, str], log_dir: Path, count: int,
                  command: list[str] | None = None, cwd: Path = ROOT) -> list[subprocess.Popen]:
    """Start ``count`` worker processes (the Procfile's ``worker``, or ``command``) and wait until each listens."""
    procs = []
    for index in range(count):
        log_path = log_dir / f"worker-{name}-{index}.log"
        log = open(log_path, "wb")  # noqa: SIM115  (closed with the process)
        proc = subprocess.Popen(command or [sys.executable, "-m", "bot.worker"], cwd=cwd, env=env, stdout=log,
                                stderr=subprocess.STDOUT)
        procs.append(proc)
        deadline = time.monotonic() + 60
        while "handling webhook events" not in log_path.read_text(errors="replace"):
            if proc.poll() is not None or time.monotonic() > deadline:
                for started in procs:
                    stop(started)
                raise SystemExit(f"the worker did not start:\n{log_path.read_text(errors='replace')[-2000:]}")
            time.sleep(0.05)
    return procs


# -- databases and data ------------------------------------------------------------------

def create_pg_database(name: str) -> str:
    import psycopg

    admin = PG_URL.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return admin.rsplit("/", 1)[0] + f"/{name}"


def drop_pg_database(name: str) -> None:
    import psycopg

    admin = PG_URL.replace("postgresql+psycopg://", "postgresql://")
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    except psycopg.Error as exc:
        print(f"warning: could not drop database {name}: {exc}", file=sys.stderr)


def pg_version() -> str:
    import psycopg

    try:
        with psycopg.connect(PG_URL.replace("postgresql+psycopg://", "postgresql://"), connect_timeout=5) as conn:
            return conn.execute("SHOW server_version").fetchone()[0]
    except psycopg.Error:
        return "unreachable"


@dataclass(frozen=True)
class Person:
    user_id: str
    supervisor: bool
    refs: tuple[str, ...]  # measure refs this officer may report on


def user_id_for(org: int, index: int) -> str:
    return f"U{org:08x}{index:024x}"


def load_population(url: str, *, officers: int, organisations: int) -> list[Person]:
    """Organisations with the demo plan and scores, N linked officers, and earlier reports."""
    import sqlalchemy as sa
    from sqlmodel import Session, select

    from core.schema import upgrade_database
    from devkit.demo import plan_text, score_text
    from ita.plan_text import parse_plan_text
    from ita.score_text import parse_score_text
    from ita.thai import fiscal_year
    from models import Assignment, Measure, Officer, Organisation, ReportVersion, StatusReport, Unit, make_engine
    from models.plan import apply_plan, assign_automatically
    from models.reports import current_period, measure_is_due
    from models.scores import save_year_scores
    from models.summaries import organisation_and_deadline_day  # noqa: F401  (the summaries import chain)

    upgrade_database(url)
    engine = make_engine(url)
    from zoneinfo import ZoneInfo

    from models import utcnow

    tz = ZoneInfo("Asia/Bangkok")
    now = utcnow()
    today = now.astimezone(tz).date()
    year = fiscal_year(today)
    plan = parse_plan_text(plan_text(year))
    scores = parse_score_text(score_text())
    per_org = officers // organisations
    period = current_period(now, tz)
    previous = (period - timedelta(days=1)).replace(day=1)
    rng = random.Random(7)
    with Session(engine, expire_on_commit=False) as session:
        for org_no in range(1, organisations + 1):
            org = Organisation(name=f"เทศบาลตำบลทดสอบโหลด {org_no:03d}", district="เมือง", province="ทดสอบ")
            session.add(org)
            session.flush()
            apply_plan(session, plan, organisation=org, fiscal_year=year, now=now)
            units = list(session.exec(select(Unit).where(Unit.organisation_id == org.id).order_by(Unit.id)).all())
            palad = next((u for u in units if u.name == "สำนักปลัด"), units[0])
            rows = []
            for i in range(per_org):
                supervisor = i < 2
                unit = palad if supervisor else units[i % len(units)]
                rows.append({"organisation_id": org.id, "name": f"เจ้าหน้าที่ทดสอบ {org_no:03d}-{i:04d}",
                             "position": "ปลัด" if supervisor else "นักวิชาการ", "unit_id": unit.id,
                             "role": "supervisor" if supervisor else "officer", "phone": None,
                             "line_user_id": user_id_for(org_no, i), "display_name": None, "active": True,
                             "reachable": True, "leave_start": None, "leave_end": None, "linked_at": now,
                             "created_at": now})
            session.execute(sa.insert(Officer.__table__), rows)
            assign_automatically(session, organisation_id=org.id, fiscal_year=year, now=now)
            for year_scores in scores.years.values():
                save_year_scores(session, organisation_id=org.id, scores=year_scores, source="bench")
        session.commit()

        # Earlier answers, so summaries and task lists have something to count.
        pairs = session.exec(
            select(Assignment.organisation_id, Assignment.officer_id, Assignment.measure_id, Measure)
            .join(Measure, Measure.id == Assignment.measure_id).where(Assignment.active)
        ).all()
        reports, versions = [], []
        for org_id, officer_id, measure_id, measure in pairs:
            for when, share in ((previous, 0.7), (period, 0.35)):
                if measure_is_due(measure, when) and rng.random() < share:
                    status = rng.choice(("done", "in_progress", "in_progress", "not_started"))
                    percent = {"done": 100, "in_progress": rng.choice((20, 40, 60, 80)), "not_started": None}[status]
                    reports.append({"organisation_id": org_id, "measure_id": measure_id, "officer_id": officer_id,
                                    "period": when, "current_version": 1, "status": status, "percent": percent,
                                    "created_at": now, "updated_at": now})
                    versions.append({"version": 1, "status": status, "percent": percent,
                                     "summary": rng.choice(SUMMARIES), "outcome": "", "obstacles": "",
                                     "reported_by_officer_id": officer_id, "webhook_event_id": None,
                                     "via": "import", "created_at": now})
        if reports:
            table = StatusReport.__table__
            ids = session.connection().execute(
                sa.insert(table).returning(table.c.id, sort_by_parameter_order=True), reports).scalars().all()
            for report_id, version in zip(ids, versions, strict=True):
                version["report_id"] = report_id
            session.connection().execute(sa.insert(ReportVersion.__table__), versions)
        session.commit()

        people: dict[str, list] = {}
        for user_id, role, ref in session.exec(
            select(Officer.line_user_id, Officer.role, Measure.ref)
            .join(Assignment, Assignment.officer_id == Officer.id)
            .join(Measure, Measure.id == Assignment.measure_id)
            .where(Assignment.active, Measure.active, Officer.line_user_id.is_not(None))
            .order_by(Officer.id, Measure.source_line)
        ).all():
            people.setdefault(user_id, [role, []])[1].append(ref)
        for user_id, role in session.exec(select(Officer.line_user_id, Officer.role)).all():
            people.setdefault(user_id, [role, []])
    engine.dispose()
    return [Person(user_id, role == "supervisor", tuple(refs)) for user_id, (role, refs) in people.items()]


def event_statuses(url: str) -> dict[str, int]:
    import sqlalchemy as sa

    from models import make_engine

    engine = make_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT status, count(*) FROM webhookevent GROUP BY status")).all()
    engine.dispose()
    return {status: count for status, count in rows}


def handling_stats(url: str, id_prefix: str, timeout: float = 600.0) -> dict[str, float]:
    """Wait until the events whose id starts with ``id_prefix`` are all handled; measure how it went."""
    import sqlalchemy as sa

    from models import make_engine

    engine = make_engine(url)
    like = {"prefix": id_prefix + "%"}
    started = time.perf_counter()
    try:
        with engine.connect() as conn:
            while True:
                open_count = conn.execute(sa.text(
                    "SELECT count(*) FROM webhookevent WHERE webhook_event_id LIKE :prefix "
                    "AND status IN ('received', 'processing', 'answering')"), like).scalar_one()
                conn.commit()
                if not open_count or time.perf_counter() - started > timeout:
                    break
                time.sleep(0.1)
            rows = conn.execute(sa.text(
                "SELECT received_at, handled_at FROM webhookevent WHERE webhook_event_id LIKE :prefix"),
                like).all()
    finally:
        engine.dispose()

    def as_seconds(value) -> float:
        if isinstance(value, str):  # SQLite hands back text through a plain connection
            from datetime import datetime

            value = datetime.fromisoformat(value)
        return value.timestamp()

    spans = [(as_seconds(r[0]), as_seconds(r[1])) for r in rows if r[1] is not None]
    if not spans:
        return {"open": float(open_count)}
    waits = sorted((done - got) * 1000 for got, done in spans)
    window = max(done for _, done in spans) - min(got for got, _ in spans)

    def pct(q: float) -> float:
        return waits[min(len(waits) - 1, int(round(q / 100 * (len(waits) - 1))))]

    handled = sorted(done for _, done in spans)
    busy = handled[-1] - handled[0]
    return {"rate": len(spans) / window if window > 0 else float("nan"), "p50": pct(50), "p95": pct(95),
            "p99": pct(99), "max": waits[-1], "open": float(open_count),
            "drain_s": time.perf_counter() - started,
            # first handled -> last handled: the handlers' own pace when a backlog waited for them
            "drain_rate": (len(spans) - 1) / busy if busy > 0 else float("nan")}


# -- the mix ------------------------------------------------------------------------------

class Script:
    """An endless, deterministic stream of (user, text) for one connection's officers.

    Each officer belongs to one connection, so their events are sent in order;
    an officer in the middle of a reporting flow only answers the flow.
    """

    def __init__(self, people: list[Person], seed: int, only: str | None = None) -> None:
        from line import texts

        self.rng = random.Random(seed)
        self.idle = [p for p in people if not p.supervisor and p.refs]
        self.supervisors = [p for p in people if p.supervisor]
        self.in_flow: dict[str, list[str]] = {}
        self.flow_people: dict[str, Person] = {}
        self.to_confirm, self.confirm = texts.BTN_TO_CONFIRM, texts.BTN_CONFIRM
        # only: one kind of event (the per-kind rounds), else the mix
        self.kinds = [k for k, _ in MIX if only in (None, k)]
        self.weights = [w for k, w in MIX if only in (None, k)]

    def _flow_steps(self, person: Person) -> list[str]:
        status, percent = self.rng.choice(FLOW_ANSWERS)
        steps = [f"รายงาน {self.rng.choice(person.refs)}", status]
        if percent:
            steps.append(percent)
        return [*steps, self.rng.choice(SUMMARIES), self.to_confirm, self.confirm]

    def step_name(self, text: str) -> str:
        """Which step of the reporting flow a text answers."""
        if text.startswith("รายงาน "):
            return "start"
        if text in (s for s, _ in FLOW_ANSWERS):
            return "status"
        if text in (p for _, p in FLOW_ANSWERS):
            return "percent"
        if text in SUMMARIES:
            return "summary"
        return "more" if text == self.to_confirm else "confirm"

    def batch(self, size: int) -> list[tuple[str, str, str]]:
        """Up to ``size`` events from distinct users: (kind, user id, text)."""
        chosen: list[tuple[str, str, str]] = []
        used: set[str] = set()
        attempts = 0
        while len(chosen) < size and attempts < size * 20:
            attempts += 1
            kind = self.rng.choices(self.kinds, self.weights)[0]
            if kind == "summary":
                person = self.rng.choice(self.supervisors) if self.supervisors else None
                if person is None or person.user_id in used:
                    continue
                chosen.append((kind, person.user_id, "สรุป"))
            elif kind == "flow":
                waiting = [u for u in self.in_flow if u not in used]
                # Keep a handful of flows open at once, as when many officers answer a reminder.
                if waiting and (len(self.in_flow) >= 6 or self.rng.random() < 0.8):
                    user = self.rng.choice(waiting)
                else:
                    person = self._idle_person(used)
                    if person is None:
                        continue
                    user = person.user_id
                    self.in_flow[user] = self._flow_steps(person)
                    self.idle.remove(person)
                    self.flow_people[user] = person
                text = self.in_flow[user].pop(0)
                if not self.in_flow[user]:
                    del self.in_flow[user]
                    self.idle.append(self.flow_people.pop(user))
                chosen.append((kind, user, text))
            else:
                person = self._idle_person(used)
                if person is None:
                    continue
                chosen.append((kind, person.user_id, "งานของฉัน" if kind == "tasks" else SCORE_QUESTION))
            used.add(chosen[-1][1])
        return chosen

    def _idle_person(self, used: set[str]) -> Person | None:
        for _ in range(10):
            if not self.idle:
                return None
            person = self.rng.choice(self.idle)
            if person.user_id not in used:
                return person
        return None


# -- the load generator (runs in its own process) ------------------------------------------

@dataclass
class PhaseResult:
    name: str
    events: int = 0
    requests: int = 0
    seconds: float = 0.0
    rate: float = 0.0  # events per second
    latencies_ms: list[float] = field(default_factory=list)
    non_200: int = 0
    not_handled: int = 0  # events a 200 answer did not report as accepted
    errors: int = 0  # requests that got no answer even after one resend
    resent: int = 0  # requests resent once after a dropped keep-alive connection
    kinds: dict[str, int] = field(default_factory=dict)
    # Product only, from the webhookevent table once the phase's events are all handled:
    # events handled per second from the first stored to the last handled, and the time
    # from storing to handling (queueing included), in ms.
    handled: dict[str, float] = field(default_factory=dict)
    worst_by_second: list[float] = field(default_factory=list)  # ms, second by second
    round_rates: list[float] = field(default_factory=list)  # the max phase: each round's rate
    # CPU seconds by part (CpuMeter.snapshot's keys), summed over rounds; summary() gives them per event.
    cpu_seconds: dict[str, float] = field(default_factory=dict)
    reply_bytes: int = 0  # per-kind rounds: bytes of the messages LINE received (as the SDK sends them)

    def percentile(self, q: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        data = sorted(self.latencies_ms)
        return data[min(len(data) - 1, int(round(q / 100 * (len(data) - 1))))]

    def summary(self) -> dict[str, Any]:
        out = {k: v for k, v in self.__dict__.items() if k not in ("latencies_ms", "cpu_seconds")}
        out.update(p50=self.percentile(50), p95=self.percentile(95), p99=self.percentile(99),
                   max=max(self.latencies_ms, default=float("nan")),
                   # CPU ms per event by part ("connects": database connections opened per 1,000 events)
                   cpu_ms={part: s * 1000 / max(1, self.events) for part, s in self.cpu_seconds.items()})
        return out


class TokenSource:
    """Reply tokens from the fake LINE server's control endpoint, fetched before a phase."""

    def __init__(self, line_url: str, fetch: bool) -> None:
        parsed = urllib.parse.urlsplit(line_url)
        self.host, self.port, self.fetch = parsed.hostname, parsed.port, fetch

    def many(self, users: list[str]) -> list[str]:
        if not self.fetch:
            return [f"{i:032x}" for i in random.sample(range(1 << 60), len(users))]
        tokens: list[str | None] = [None] * len(users)

        def work(offset: int, step: int) -> None:
            conn = http.client.HTTPConnection(self.host, self.port, timeout=10)
            for i in range(offset, len(users), step):
                conn.request("POST", "/_fake/reply-token", body=json.dumps({"user": users[i]}),
                             headers={"content-type": "application/json"})
                tokens[i] = json.loads(conn.getresponse().read())["replyToken"]
            conn.close()

        threads = [threading.Thread(target=work, args=(i, 4)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return [t for t in tokens if t is not None]


def reply_bytes(line_url: str, since: int) -> int:
    """Bytes of the messages the fake LINE server accepted since ``since``, serialised as the SDK does."""
    parsed = urllib.parse.urlsplit(line_url)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=60)
    conn.request("GET", f"/_fake/messages?since={since}")
    data = json.loads(conn.getresponse().read())
    conn.close()
    return sum(len(json.dumps(item["message"])) for item in data["items"])


def _cpu_ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime + stime
    except (OSError, IndexError, ValueError):
        return 0


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


class CpuMeter:
    """CPU seconds used by the target (gunicorn and its workers), PostgreSQL backends of its
    database, the fake LINE server, this load generator, and the whole machine."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.tick = os.sysconf("SC_CLK_TCK")

    def _pids(self) -> dict[str, list[int]]:
        master = self.spec["gunicorn_pid"]
        pids = {"app": [master, *_children(master)], "worker": list(self.spec["worker_pids"]),
                "line": [self.spec["line_pid"]], "db": []}
        self.sessions = 0
        if self.spec.get("pg_database"):
            import psycopg

            with psycopg.connect(self.spec["pg_admin_url"], autocommit=True) as conn:
                pids["db"] = [r[0] for r in conn.execute(
                    "SELECT pid FROM pg_stat_activity WHERE datname = %s", (self.spec["pg_database"],))]
                self.sessions = conn.execute("SELECT sessions FROM pg_stat_database WHERE datname = %s",
                                             (self.spec["pg_database"],)).fetchone()[0]
        return pids

    def snapshot(self) -> dict[str, float]:
        out = {name: sum(_cpu_ticks(p) for p in pids) / self.tick for name, pids in self._pids().items()}
        out["connects"] = self.sessions  # summary() turns it into connections per 1,000 events
        out["loadgen"] = time.process_time()
        cpu = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
        out["machine"] = (sum(int(x) for x in cpu) - int(cpu[3]) - int(cpu[4])) / self.tick
        return out


@dataclass
class Prepared:
    body: bytes
    headers: dict[str, str]
    events: int
    kinds: list[str]


def _prepare(batches: list[list[tuple[str, str, str]]], tokens: TokenSource, id_prefix: str,
             counter: Iterator[int]) -> list[Prepared]:
    from devkit.event_builder import base_event, body_of, sign, text_message

    users = [user for batch in batches for _, user, _ in batch]
    token_list = iter(tokens.many(users))
    prepared = []
    for batch in batches:
        events = []
        for _kind, user, text in batch:
            event = base_event("message", user, reply_token=next(token_list),
                               event_id=f"{id_prefix}{next(counter):010d}")
            event["message"] = text_message(text)
            events.append(event)
        body = body_of(events, destination="Ubench")
        prepared.append(Prepared(body.encode(), {"content-type": "application/json",
                                                 "x-line-signature": sign(SECRET, body)},
                                 len(events), [k for k, _, _ in batch]))
    return prepared


class Connection:
    """One keep-alive HTTP connection to the target, resending once if the server dropped it."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def post(self, item: Prepared) -> tuple[int | None, dict | None, bool]:
        resent = False
        for attempt in range(2):
            try:
                self.conn.request("POST", "/callback", body=item.body, headers=item.headers)
                response = self.conn.getresponse()
                data = response.read()
                if response.getheader("connection", "").lower() == "close":
                    self.conn.close()
                try:
                    payload = json.loads(data)
                except ValueError:
                    payload = None
                return response.status, payload, resent
            except (http.client.HTTPException, OSError):
                # gunicorn closes idle keep-alive connections and recycles workers; LINE
                # would redeliver, here the same body (same event ids) is sent again once.
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                resent = attempt == 0
        return None, None, resent

    def close(self) -> None:
        self.conn.close()


def _run_phase(name: str, port: int, per_thread: list[list[Prepared]], *, rate: float | None = None
               ) -> PhaseResult:
    """Send each thread's list; closed loop, or paced at ``rate`` events/s (open loop)."""
    result = PhaseResult(name)
    lock = threading.Lock()
    done_at: list[float] = []
    start = time.perf_counter() + 0.2
    threads_total = len(per_thread)
    first_finish: list[float] = []
    timeline: list[tuple[float, float]] = []  # (scheduled send, seconds from start; latency ms)

    def work(index: int, items: list[Prepared]) -> None:
        conn = Connection(port)
        local: list[tuple[float, int, int | None, dict | None, bool, Prepared]] = []
        while time.perf_counter() < start:
            time.sleep(0.001)
        for j, item in enumerate(items):
            if rate is not None:
                # Request k of the whole phase is due at start + k * (events per request / rate).
                scheduled = start + (index + j * threads_total) * item.events / rate
                delay = scheduled - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
            else:
                scheduled = time.perf_counter()
            status, payload, resent = conn.post(item)
            finished = time.perf_counter()
            local.append((finished - scheduled, item.events, status, payload, resent, item))
            timeline.append((scheduled - start, (finished - scheduled) * 1000))
            done_at.append(finished)
        conn.close()
        with lock:
            first_finish.append(time.perf_counter())
            for latency, events, status, payload, resent, item in local:
                result.requests += 1
                result.events += events
                result.latencies_ms.append(latency * 1000)
                result.resent += int(resent)
                for kind in item.kinds:
                    result.kinds[kind] = result.kinds.get(kind, 0) + 1
                if status is None:
                    result.errors += 1
                elif status != 200:
                    result.non_200 += 1
                elif not isinstance(payload, dict) or payload.get("accepted", events) != events:
                    accepted = payload.get("accepted", 0) if isinstance(payload, dict) else 0
                    result.not_handled += events - (accepted if isinstance(accepted, int) else 0)

    threads = [threading.Thread(target=work, args=(i, items)) for i, items in enumerate(per_thread)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    end = time.perf_counter()
    # The worst latency in each second of the phase, to tell a steady lag from a stall.
    for second in range(int(max((t for t, _ in timeline), default=0)) + 1):
        worst = [ms for t, ms in timeline if second <= t < second + 1]
        result.worst_by_second.append(round(max(worst, default=0.0), 1))
    if rate is None:
        # Throughput over the window in which every connection was busy (no tail effect).
        window_end = min(first_finish)
        events_per_request = result.events / max(1, result.requests)
        completed = sum(1 for t in done_at if t <= window_end)
        result.seconds = window_end - start
        result.rate = completed * events_per_request / result.seconds if result.seconds > 0 else 0.0
    else:
        result.seconds = end - start
        result.rate = result.events / result.seconds if result.seconds > 0 else 0.0
    return result


class LoadTarget:
    """One server the load generator drives: its port, its officers' scripts, its CPU meter."""

    def __init__(self, spec: dict[str, Any], target: dict[str, Any]) -> None:
        people = [Person(*p) for p in target["people"]]
        random.Random(spec["seed"]).shuffle(people)
        connections = spec["connections"]
        self.label, self.port, self.db_url = target["label"], target["port"], target["db_url"]
        self.prefix = target["id_prefix"]
        self.scripts = [Script(people[i::connections], seed=spec["seed"] * 100 + i) for i in range(connections)]
        # The per-kind rounds: each kind's own scripts (a flow-only script keeps its flows to itself).
        self.kind_scripts = {kind: [Script(people[i::connections], seed=spec["seed"] * 100 + i, only=kind)
                                    for i in range(connections)] for kind, _ in MIX}
        self.tokens = TokenSource(spec["line_url"], fetch=target["fetch_tokens"])
        self.meter = CpuMeter({**spec, **target})
        self.worker_pids = tuple(target["worker_pids"])


def merge_rounds(rounds: list[PhaseResult]) -> PhaseResult:
    """One 'max' result from its rounds: counts, latencies and CPU pooled; the rate is the rounds' median."""
    merged = PhaseResult("max")
    for r in rounds:
        merged.events += r.events
        merged.requests += r.requests
        merged.seconds += r.seconds
        merged.latencies_ms += r.latencies_ms
        merged.non_200 += r.non_200
        merged.not_handled += r.not_handled
        merged.errors += r.errors
        merged.resent += r.resent
        merged.worst_by_second += r.worst_by_second
        for name, count in r.kinds.items():
            merged.kinds[name] = merged.kinds.get(name, 0) + count
        for name, seconds in r.cpu_seconds.items():
            merged.cpu_seconds[name] = merged.cpu_seconds.get(name, 0.0) + seconds
    merged.round_rates = [r.rate for r in rounds]
    merged.rate = statistics.median(merged.round_rates)
    return merged


def run_load(spec: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Warm up, find each target's maximum rate in alternating rounds, then hold half of it.

    The maximum is measured in ``rounds`` short closed-loop rounds, the targets
    taking turns (the order flips every round), so a machine whose other load
    drifts slows every target alike; a target's maximum is the median of its
    rounds. Returns each target's phase summaries.
    """
    import itertools

    connections, batch = spec["connections"], spec["batch"]
    targets = [LoadTarget(spec, t) for t in spec["targets"]]
    counter = itertools.count(1)

    def build(target: LoadTarget, events_per_thread: int, prefix: str, kind: str | None) -> list[list[Prepared]]:
        per_thread = []
        for script in target.kind_scripts[kind] if kind else target.scripts:
            batches = [script.batch(batch) for _ in range(max(1, events_per_thread // batch))]
            per_thread.append(_prepare(batches, target.tokens, target.prefix + prefix, counter))
        return per_thread

    def phase(target: LoadTarget, name: str, events_per_thread: int, prefix: str,
              rate: float | None = None, kind: str | None = None) -> PhaseResult:
        per_thread = build(target, events_per_thread, prefix, kind)
        if kind:
            _, _, since = fake_counts(spec["line_url"], 1 << 62)
            # The per-kind rounds measure handling alone: the worker processes are paused while the
            # round is sent, then drain the backlog, so the handled rate is not the sending rate.
            for pid in target.worker_pids:
                os.kill(pid, signal.SIGSTOP)
        before = target.meter.snapshot()
        try:
            result = _run_phase(name, target.port, per_thread, rate=rate)
        finally:
            if kind:
                for pid in target.worker_pids:
                    os.kill(pid, signal.SIGCONT)
        if target.db_url:
            # The product answers LINE before handling: wait for the handlers to finish
            # the phase's events, so CPU per event and the next phase include that work.
            result.handled = handling_stats(target.db_url, target.prefix + prefix)
        after = target.meter.snapshot()
        result.cpu_seconds = {part: after[part] - before[part] for part in before}
        if kind:
            result.reply_bytes = reply_bytes(spec["line_url"], since)
        return result

    results: dict[str, list[dict[str, Any]]] = {t.label: [] for t in targets}
    for target in targets:
        results[target.label].append(phase(target, "warm-up", spec["warmup_events"] // connections, "W").summary())
    rounds: dict[str, list[PhaseResult]] = {t.label: [] for t in targets}
    for number in range(spec["rounds"]):
        for target in targets if number % 2 == 0 else targets[::-1]:
            rounds[target.label].append(
                phase(target, "max", max(1, spec["round_events"] // connections), f"M{chr(97 + number)}"))
    # Per kind of event: rounds of that kind alone, the handling targets taking turns.
    handling = [t for t in targets if t.db_url]
    kind_rounds: dict[str, dict[str, list[PhaseResult]]] = {t.label: {} for t in handling}
    for number in range(spec["kind_rounds"]):
        for kind, _ in MIX:
            for target in handling if number % 2 == 0 else handling[::-1]:
                kind_rounds[target.label].setdefault(kind, []).append(
                    phase(target, f"kind:{kind}", max(1, spec["kind_events"] // connections),
                          f"K{kind[:2]}{chr(97 + number)}", kind=kind))
    for target in targets:
        peak = merge_rounds(rounds[target.label])
        if target.db_url:
            handled = [r.handled for r in rounds[target.label] if r.handled.get("rate")]
            if handled:
                # Waits pooled over every round (all handled by now); the rate is the rounds' median.
                peak.handled = handling_stats(target.db_url, target.prefix + "M")
                peak.handled["rate"] = statistics.median(h["rate"] for h in handled)
                peak.handled["drain_s"] = max(h["drain_s"] for h in handled)
        results[target.label].append(peak.summary())
        for kind, kind_phases in kind_rounds.get(target.label, {}).items():
            merged = merge_rounds(kind_phases)
            merged.name = f"kind:{kind}"
            drains = [r.handled.get("drain_rate", float("nan")) for r in kind_phases]
            merged.handled = {"rate": statistics.median(drains), "rates": drains}
            merged.reply_bytes = sum(r.reply_bytes for r in kind_phases)
            results[target.label].append(merged.summary())
        half = peak.rate * spec["paced_fraction"]
        paced_events = int(half * spec["paced_seconds"])
        results[target.label].append(
            phase(target, "paced", max(batch, paced_events // connections), "P", rate=half).summary())
        if target.db_url and peak.handled.get("rate"):
            # A load the handlers keep up with: how long users wait for their answers.
            steady = peak.handled["rate"] * spec["sustained_fraction"]
            steady_events = int(steady * spec["paced_seconds"])
            results[target.label].append(
                phase(target, "sustained", max(batch, steady_events // connections), "S", rate=steady).summary())
    return results


def load_in_other_process(spec: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        return pool.submit(run_load, spec).result()


# -- one target ---------------------------------------------------------------------------

@dataclass
class TargetResult:
    run: int
    target: str
    phases: dict[str, dict[str, Any]]
    sent: int  # events sent in all phases
    not_done: int | None  # events sent but not 'done' in webhookevent (None for the baseline)
    statuses: dict[str, int] = field(default_factory=dict)
    replies: int | None = None
    pushes: int | None = None


def fake_counts(line_url: str, since: int) -> tuple[int, int, int]:
    """(replies, pushes, next index) the fake LINE server accepted since ``since``."""
    parsed = urllib.parse.urlsplit(line_url)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=60)
    conn.request("GET", f"/_fake/messages?since={since}")
    data = json.loads(conn.getresponse().read())
    conn.close()
    kinds = [item["kind"] for item in data["items"]]
    return kinds.count("reply"), kinds.count("push"), data["next"]


def base_env(line_url: str, workers: int | None, threads: int | None, tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("LINE_", "DATABASE_URL", "TIDTAM_", "WEB_", "PORT"))}
    env.update({
        "TIDTAM_ENV": "production", "LINE_CHANNEL_SECRET": SECRET, "LINE_CHANNEL_ACCESS_TOKEN": TOKEN,
        "LINE_API_BASE_URL": line_url, "LINE_DATA_API_BASE_URL": line_url, "SECRET_KEY": "bench-secret-key",
        "PUBLIC_BASE_URL": "https://tidtam.example", "EVIDENCE_DIR": str(tmp / "evidence"),
        "GENERATED_DIR": str(tmp / "generated"), "PYTHONPATH": str(ROOT),
    })
    for name, value in (("WEB_CONCURRENCY", workers), ("WEB_THREADS", threads)):
        if value is not None:
            env[name] = str(value)
    return env


def gunicorn_settings(args) -> str:
    """What gunicorn.conf.py gives for the environment the benchmark sets."""
    import runpy

    saved = {k: os.environ.get(k) for k in ("WEB_CONCURRENCY", "WEB_THREADS")}
    try:
        for name, value in (("WEB_CONCURRENCY", args.workers), ("WEB_THREADS", args.threads)):
            if value is not None:
                os.environ[name] = str(value)
            else:
                os.environ.pop(name, None)
        conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return f"{conf['worker_class']}, {conf['workers']} workers x {conf['threads']} threads"


def target_spec(label: str, server: Gunicorn, people: list[Person], run: int, *, product: bool,
                pg_database: str | None = None, db_url: str | None = None,
                worker_pids: tuple[int, ...] = ()) -> dict[str, Any]:
    """What the load generator needs to drive one server."""
    return {
        "label": label, "port": server.port, "gunicorn_pid": server.proc.pid, "worker_pids": worker_pids,
        "pg_database": pg_database, "db_url": db_url, "fetch_tokens": product,
        "people": [(p.user_id, p.supervisor, p.refs) for p in people],
        "id_prefix": f"01BENCH{run}{label[:2].upper()}{os.getpid():07d}",
    }


def measure(run: int, targets: list[dict[str, Any]], args, line_url: str, line_pid: int
            ) -> dict[str, list[dict[str, Any]]]:
    spec = {
        "targets": targets, "line_pid": line_pid, "line_url": line_url,
        "pg_admin_url": PG_URL.replace("postgresql+psycopg://", "postgresql://"),
        "connections": args.connections, "batch": args.batch, "seed": args.seed + run,
        "warmup_events": args.warmup_events, "rounds": args.rounds, "round_events": args.round_events,
        "paced_fraction": 0.5, "paced_seconds": args.paced_seconds,
        "sustained_fraction": args.sustained_fraction,
        "kind_rounds": args.kind_rounds, "kind_events": args.kind_events,
    }
    return load_in_other_process(spec)


@dataclass(frozen=True)
class Variant:
    """One way of handling the stored events: the product's worker or the minimal one, N processes."""

    handler: str  # product | minimal | before (the product's worker from another checkout)
    processes: int
    checkout: Path = ROOT  # where the worker's code comes from

    def label(self, backend: str, variants: list[Variant]) -> str:
        if len(variants) == 1 and self.handler == "product":
            return backend  # the plain run keeps its old name
        counts = {v.processes for v in variants}
        return f"{backend}:{self.handler}" + (f"x{self.processes}" if len(counts) > 1 else "")

    def command(self) -> list[str]:
        if self.handler == "minimal":
            return [sys.executable, str(ROOT / "bench" / "minimal_worker.py")]
        return [sys.executable, "-m", "bot.worker"]  # run in self.checkout


def variants_of(args) -> list[Variant]:
    """--handlers x --worker-processes: every combination (the minimal and before handlers run with one process)."""
    handlers = [h.strip() for h in args.handlers.split(",") if h.strip()]
    counts = [int(n) for n in str(args.worker_processes).split(",") if n.strip()]
    out = [Variant("product", n) for n in counts] if "product" in handlers else []
    single = counts[0] if len(counts) == 1 else 1
    if "before" in handlers:
        if not args.before:
            raise SystemExit("--handlers ...before needs --before PATH (a checkout of the code to compare with)")
        out.append(Variant("before", single, Path(args.before).resolve()))
    if "minimal" in handlers:
        out.append(Variant("minimal", single))
    return out


def clone_pg_database(template: str, name: str) -> str:
    """A copy of a loaded benchmark database (CREATE DATABASE ... TEMPLATE), so each variant has its own."""
    import psycopg

    admin = PG_URL.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return admin.rsplit("/", 1)[0] + f"/{name}"


def bench_product(run: int, backend: str, args, line_url: str, line_pid: int, tmp: Path) -> list[TargetResult]:
    """The product on one backend and, unless --no-baseline, the baseline beside it (paired rounds).

    With several variants (--handlers product,minimal, --worker-processes 1,2,3) each
    gets its own copy of the loaded database, its own gunicorn running the product's
    web (the same store path for all) and its own worker processes; they take turns
    in the same rounds, and the idle ones only wait on LISTEN.
    """
    variants = variants_of(args)
    if backend != "postgresql" and (len(variants) > 1 or variants[0].handler != "product"):
        raise SystemExit("the minimal handler and several variants need PostgreSQL")
    db_names = [f"tidtam_bench_{os.getpid()}_{run}_{i}" for i in range(len(variants))]
    if backend == "postgresql":
        urls = [create_pg_database(db_names[0])]
    else:
        urls = [f"sqlite:///{tmp / f'bench-{run}.db'}"]
    try:
        started = time.perf_counter()
        people = load_population(urls[0].replace("postgresql://", "postgresql+psycopg://"), officers=args.officers,
                                 organisations=args.organisations)
        urls += [clone_pg_database(db_names[0], name) for name in db_names[1:]]
        print(f"  loaded {len(people)} officers on {backend} in {time.perf_counter() - started:.1f} s"
              + (f" ({len(urls)} copies)" if len(urls) > 1 else ""), flush=True)
        _, _, since = fake_counts(line_url, 1 << 62)
        servers: list[Gunicorn] = []
        workers: list[subprocess.Popen] = []
        targets = []
        labels = [v.label(backend, variants) for v in variants]
        try:
            for variant, label, url, db_name in zip(variants, labels, urls, db_names, strict=True):
                env = base_env(line_url, args.workers, args.threads, tmp)
                env.update(DATABASE_URL=url, EVENT_HANDLERS=args.event_handlers)
                # As the Procfile runs it: gunicorn stores and answers, the worker process(es) handle.
                mine = start_workers(label.replace(":", "-") + f"-{run}", env, tmp, variant.processes
                                     if args.event_handlers == "worker" else 0, command=variant.command(),
                                     cwd=variant.checkout)
                workers += mine
                server = start_gunicorn(label.replace(":", "-") + f"-{run}", "bot:create_app()", env, tmp)
                servers.append(server)
                targets.append(target_spec(
                    label, server, people, run, product=True,
                    pg_database=db_name if backend == "postgresql" else None,
                    # --worker-processes 0: the web's path alone (events stay stored, unhandled)
                    db_url=url.replace("postgresql://", "postgresql+psycopg://")
                    if mine or args.event_handlers == "web" else None,
                    worker_pids=tuple(w.pid for w in mine)))
            if not args.no_baseline:
                base = start_gunicorn(f"baseline-{backend}-{run}", "baseline_app:create_app()",
                                      base_env(line_url, args.workers, args.threads, tmp),
                                      tmp, pythonpath=str(ROOT / "bench"))
                servers.append(base)
                targets.insert(0, target_spec(f"baseline:{backend}", base, _baseline_people(args), run,
                                              product=False))
            phases = measure(run, targets, args, line_url, line_pid)
        finally:
            for server in servers:
                stop(server.proc)
            for worker in workers:
                stop(worker)
        replies, pushes, _ = fake_counts(line_url, since)  # every variant of the run together
        results = []
        for label, url in zip(labels, urls, strict=True):
            statuses = event_statuses(url.replace("postgresql://", "postgresql+psycopg://"))
            mine = phases[label]
            sent = sum(p["events"] for p in mine)
            results.append(TargetResult(
                run, label, {p["name"]: p for p in mine}, sent,
                sent - statuses.get("done", 0) + sum(v for k, v in statuses.items() if k != "done"),
                statuses, replies, pushes))
        if not args.no_baseline:
            base_phases = phases[f"baseline:{backend}"]
            results.insert(0, TargetResult(run, f"baseline:{backend}", {p["name"]: p for p in base_phases},
                                           sum(p["events"] for p in base_phases), None))
        return results
    finally:
        if backend == "postgresql" and not args.keep_database:
            for name in db_names:
                drop_pg_database(name)


# -- reporting ------------------------------------------------------------------------------

def _print_rows(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(header)]
    print()
    print("  ".join(h.rjust(w) for h, w in zip(header, widths)))
    for row in rows:
        print("  ".join(c.rjust(w) for c, w in zip(row, widths)))


def paired_ratios(results: list[TargetResult], product: TargetResult) -> list[float]:
    """Each max round's rate over the paired baseline's rate in the same round."""
    base = next((r for r in results if r.run == product.run and r.target.startswith("baseline:")), None)
    if base is None or base is product:
        return []
    return [p / b for p, b in zip(product.phases["max"].get("round_rates") or [],
                                  base.phases["max"].get("round_rates") or []) if b > 0]


def print_table(results: list[TargetResult]) -> None:
    header = ("run", "target", "max ev/s", "p50", "p95", "p99", "half ev/s", "p50", "p95", "p99", "max",
              "non-200", "errors", "not done", "vs base")
    rows = []
    for r in results:
        errors = sum(p["errors"] for p in r.phases.values())
        non_200 = sum(p["non_200"] + p["not_handled"] for p in r.phases.values())
        peak, paced = r.phases["max"], r.phases["paced"]
        ratios = paired_ratios(results, r)
        rows.append((str(r.run), r.target, f"{peak['rate']:.0f}", f"{peak['p50']:.1f}",
                     f"{peak['p95']:.1f}", f"{peak['p99']:.1f}", f"{paced['rate']:.0f}", f"{paced['p50']:.1f}",
                     f"{paced['p95']:.1f}", f"{paced['p99']:.1f}", f"{paced['max']:.0f}", str(non_200),
                     str(errors), "-" if r.not_done is None else str(r.not_done),
                     f"{statistics.median(ratios):.0%}" if ratios else "-"))
    print("\nThe webhook as LINE sees it (events acknowledged; latency of the HTTP answer):")
    _print_rows(header, rows)
    print("latencies in ms; 'max ev/s' = the median of the target's rounds; 'half' = paced at half of that rate, "
          "latency from the scheduled send; errors and 'not done' count every phase; 'vs base' = the median of "
          "the rounds' ratios to the baseline's round just before or after")
    print("Rounds of the maximum phase (events/s; the targets take turns, the order flipping every round):")
    for r in results:
        rates = r.phases["max"].get("round_rates") or []
        ratios = paired_ratios(results, r)
        line = f"  run {r.run} {r.target:20} " + ", ".join(f"{rate:.0f}" for rate in rates)
        if ratios:
            line += "   vs baseline " + ", ".join(f"{ratio:.0%}" for ratio in ratios)
        print(line)

    header = ("run", "target", "phase", "sent ev/s", "ack p99", "handled ev/s", "wait p50", "p95", "p99", "max",
              "drain s")
    rows = []
    for r in results:
        for name in ("max", "paced", "sustained"):
            phase = r.phases.get(name)
            handled = (phase or {}).get("handled") or {}
            if not handled.get("rate"):
                continue
            rows.append((str(r.run), r.target, name, f"{phase['rate']:.0f}", f"{phase['p99']:.1f}",
                         f"{handled['rate']:.0f}",
                         f"{handled['p50']:.0f}", f"{handled['p95']:.0f}", f"{handled['p99']:.0f}",
                         f"{handled['max']:.0f}", f"{handled['drain_s']:.1f}"))
    if rows:
        print("\nThe users' side: events handled (stored -> handled, answer sent right after; ms) per phase. "
              "'drain s' = how long after the last request the last event was handled:")
        _print_rows(header, rows)
    print("CPU ms per event at max rate, handling included (app = gunicorn master and workers, db = PostgreSQL "
          "backends of the benchmark database, line = fake LINE, loadgen, machine = all processes incl. other "
          "users; connects = database connections opened per 1,000 events):")
    for r in results:
        cpu = r.phases["max"].get("cpu_ms") or {}
        print(f"  run {r.run} {r.target:10} " + "  ".join(f"{k} {v:.2f}" for k, v in cpu.items()))
    print_kinds(results)
    for r in results:
        if r.statuses:
            resent = sum(p["resent"] for p in r.phases.values())
            print(f"run {r.run} {r.target}: {r.sent} events sent, webhookevent statuses {r.statuses}, "
                  f"LINE reply messages {r.replies}, pushed messages {r.pushes}, resent after dropped connection {resent}, "
                  f"mix {r.phases['max']['kinds']}")


def print_kinds(results: list[TargetResult]) -> None:
    """Per kind of event (its own rounds): handled/s and CPU per event, and the product over the minimal."""
    rows = []
    for r in results:
        for name, phase in r.phases.items():
            if not name.startswith("kind:"):
                continue
            cpu = phase.get("cpu_ms") or {}
            rates = phase["handled"].get("rates") or []
            rows.append((r, name[5:], phase["handled"]["rate"], rates, cpu, phase["reply_bytes"] / max(1, phase["events"])))
    if not rows:
        return
    print("\nPer kind of event (rounds of that kind alone, sent while the worker processes were paused; handled "
          "ev/s = the median of the rounds' backlog drain, first handled -> last handled; CPU ms per handled event; "
          "reply = bytes LINE received per event as the SDK serialises):")
    header = ("run", "target", "kind", "handled ev/s", "rounds", "worker ms", "db ms", "web ms", "line ms",
              "reply B", "worker x min", "handled / min", "worker x before")

    def same_run(r, kind: str, target: str):
        return next((x for x in rows if x[0].run == r.run and x[1] == kind and x[0].target.endswith(target)), None)

    table = []
    for r, kind, rate, rates, cpu, size in rows:
        floor, prior = same_run(r, kind, ":minimal"), same_run(r, kind, ":before")
        times = pace = change = "-"
        if floor is not None and floor[0] is not r and floor[4].get("worker"):
            times = f"{cpu.get('worker', 0) / floor[4]['worker']:.1f}x"
            pace = f"{rate / floor[2]:.0%}" if floor[2] else "-"
        if prior is not None and r not in (prior[0], floor and floor[0]) and prior[4].get("worker"):
            change = f"{cpu.get('worker', 0) / prior[4]['worker']:.2f}x"
        table.append((str(r.run), r.target, kind, f"{rate:.0f}", ", ".join(f"{x:.0f}" for x in rates),
                      f"{cpu.get('worker', 0):.2f}", f"{cpu.get('db', 0):.2f}", f"{cpu.get('app', 0):.2f}",
                      f"{cpu.get('line', 0):.2f}", f"{size:.0f}", times, pace, change))
    _print_rows(header, table)


def machine() -> str:
    mem = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) // 1024 // 1024} GiB"
    except OSError:
        pass
    return (f"{os.cpu_count()} CPUs, {mem} memory, Python {sys.version.split()[0]}, PostgreSQL {pg_version()}, "
            f"load average {os.getloadavg()[0]:.1f}")


# -- statements per event ------------------------------------------------------------------------

def count_queries(args) -> None:
    """Run each kind of event in-process through the Flask test client; count SQL statements and CPU."""
    from sqlalchemy import event as sa_event

    from bot import create_app
    from devkit.event_builder import base_event, body_of, sign, text_message

    tmp = Path(tempfile.mkdtemp(prefix="tidtam-bench-"))
    if args.backends.split(",")[0] == "postgresql":
        db_name = f"tidtam_bench_q_{os.getpid()}"
        url = create_pg_database(db_name)
    else:
        db_name, url = None, f"sqlite:///{tmp / 'queries.db'}"
    fake, line_url = start_fake_line(tmp)
    try:
        people = load_population(url.replace("postgresql://", "postgresql+psycopg://"), officers=args.officers,
                                 organisations=args.organisations)
        os.environ.update({k: v for k, v in base_env(line_url, 1, 1, tmp).items() if k.startswith(
            ("TIDTAM_", "LINE_", "SECRET_", "PUBLIC_", "EVIDENCE_", "GENERATED_"))}, DATABASE_URL=url,
            EVENT_HANDLERS="web")  # handled in this process, so its CPU is counted here
        app = create_app()
        engine = app.extensions["tidtam"].engine
        counts: list[int] = []
        sa_event.listen(engine, "before_cursor_execute", lambda *a, **k: counts.append(1))
        client = app.test_client()
        script = Script(people, seed=1)
        per_kind: dict[str, list[tuple[int, float]]] = {}
        tokens = TokenSource(line_url, fetch=True)
        for n in range(args.count_events):
            for kind, user, text in script.batch(1):
                event = base_event("message", user, reply_token=tokens.many([user])[0], event_id=f"01Q{n:012d}")
                event["message"] = text_message(text)
                body = body_of([event])
                counts.clear()
                started = time.process_time()
                response = client.post("/callback", data=body.encode(),
                                       headers={"x-line-signature": sign(SECRET, body),
                                                "content-type": "application/json"})
                assert app.extensions["tidtam"].chats.wait_idle(timeout=60)  # the handler thread's work
                cpu = time.process_time() - started
                assert response.status_code == 200, response.data
                label = kind if kind != "flow" else f"flow: {script.step_name(text)}"
                if n >= 50:  # after a warm-up
                    per_kind.setdefault(label, []).append((len(counts), cpu * 1000))
        print(f"Per event ({url.split(':')[0]}; statements include store, claim and finish; "
              "CPU is this process only, the reply's HTTP call included):")
        for label, values in sorted(per_kind.items()):
            statements = [v[0] for v in values]
            print(f"  {label:16} SQL statements median {statistics.median(statements):4.0f} max {max(statements):3d}"
                  f"   CPU ms median {statistics.median(v[1] for v in values):5.1f}   (n={len(values)})")
        engine.dispose()
    finally:
        stop(fake)
        if db_name:
            drop_pg_database(db_name)


# -- where the worker's milliseconds go --------------------------------------------------------

# Buckets for a profile's own time (tottime), by where the function lives; the first match wins.
PROFILE_BUCKETS = (
    ("SQLAlchemy / SQLModel (ORM, Core, pool)", ("/sqlalchemy/", "/sqlmodel/")),
    ("psycopg (driver)", ("/psycopg/", "/psycopg_binary/", "psycopg")),
    ("pydantic (SDK models)", ("/pydantic/", "/pydantic_core/")),
    ("LINE SDK (linebot)", ("/linebot/",)),
    ("urllib3 / http.client / socket (the reply)", ("/urllib3/", "/http/", "socket.py", "ssl.py", "<method 'recv",
                                                    "<method 'send", "<method 'connect", "<method 'sendall")),
    ("json", ("/json/", "<built-in method _json", "json.")),
    ("logging", ("/logging/",)),
    ("handlers/", ("/handlers/",)),
    ("line/ (views, cards, client)", ("/line/",)),
    ("inbox/", ("/inbox/",)),
    ("models/", ("/models/",)),
    ("ita/", ("/ita/",)),
    ("datetime / zoneinfo", ("datetime", "zoneinfo")),
)


def _bucket(path: str) -> str:
    for name, needles in PROFILE_BUCKETS:
        if any(needle in path for needle in needles):
            return name
    return "other (stdlib, builtins)"


def profile_handling(args) -> None:
    """Profile the worker's handling of each kind of event in-process (cProfile), with statement counts.

    The web's store runs through the Flask test client (EVENT_HANDLERS=worker, so
    the web does not handle); then ``inbox.dispatch.handle_next`` (what each worker
    thread calls: claim, route, finish, reply, mark done) runs in this thread under
    cProfile timed by this thread's CPU clock (time.thread_time, so waiting on
    PostgreSQL or LINE is not counted), against the fake LINE server in its own
    process. Prints, per kind: CPU ms per event without the profiler, statements,
    commits and pool checkouts per event, the profile's own CPU time by package,
    and the top functions.
    """
    import cProfile
    import pstats

    from sqlalchemy import event as sa_event

    from bot import create_app
    from devkit.event_builder import base_event, body_of, sign, text_message
    from inbox.dispatch import handle_next

    kinds = [k for k, _ in MIX] if args.profile == "all" else [args.profile]
    tmp = Path(tempfile.mkdtemp(prefix="tidtam-bench-"))
    db_name = f"tidtam_bench_p_{os.getpid()}"
    url = create_pg_database(db_name)
    fake, line_url = start_fake_line(tmp)
    try:
        people = load_population(url.replace("postgresql://", "postgresql+psycopg://"), officers=args.officers,
                                 organisations=args.organisations)
        os.environ.update({k: v for k, v in base_env(line_url, 1, 1, tmp).items() if k.startswith(
            ("TIDTAM_", "LINE_", "SECRET_", "PUBLIC_", "EVIDENCE_", "GENERATED_"))}, DATABASE_URL=url,
            EVENT_HANDLERS="worker")
        app = create_app()
        services = app.extensions["tidtam"]
        engine = services.engine
        # Counted around handle_next only (the web's store is left out): statements, commits, pool
        # checkouts (each one pings the server first: pool_pre_ping) and resets on return (a rollback).
        counters = {"statements": 0, "commits": 0, "checkouts": 0, "resets": 0}
        counting = [False]

        def bump(name: str):
            def listener(*_args, **_kwargs):
                if counting[0]:
                    counters[name] += 1
            return listener

        sa_event.listen(engine, "before_cursor_execute", bump("statements"))
        sa_event.listen(engine, "commit", bump("commits"))
        sa_event.listen(engine.pool, "checkout", bump("checkouts"))
        sa_event.listen(engine.pool, "reset", bump("resets"))
        client = app.test_client()
        tokens = TokenSource(line_url, fetch=True)
        numbering = iter(range(1, 1 << 40))
        print(f"machine: {machine()}")
        print(f"cProfile of inbox.dispatch.handle_next, in-process, PostgreSQL; {args.officers} officers in "
              f"{args.organisations} organisations; {args.profile_events} events per kind after "
              f"{args.profile_warmup} warm-up events (each kind alone)")

        def one(kind_script: Script, profiler: cProfile.Profile | None) -> tuple[str, float]:
            ((kind, user, text),) = kind_script.batch(1)
            event = base_event("message", user, reply_token=tokens.many([user])[0],
                               event_id=f"01PROF{os.getpid():07d}{next(numbering):010d}")
            event["message"] = text_message(text)
            body = body_of([event])
            response = client.post("/callback", data=body.encode(), headers={
                "x-line-signature": sign(SECRET, body), "content-type": "application/json"})
            assert response.status_code == 200, response.data
            counting[0] = profiler is None
            started = time.thread_time()
            if profiler is not None:
                profiler.enable()
            outcome = handle_next(services, user)
            if profiler is not None:
                profiler.disable()
            cpu = time.thread_time() - started
            counting[0] = False
            assert outcome is not None and outcome.status == "done", outcome
            return (kind if kind != "flow" else f"flow: {kind_script.step_name(text)}"), cpu

        for kind in kinds:
            script = Script(people, seed=args.seed, only=kind)
            for _ in range(args.profile_warmup):
                one(script, None)
            # First without the profiler: the CPU an event really costs, and the counts.
            plain: list[float] = []
            for value in counters:
                counters[value] = 0
            for _ in range(args.profile_events):
                plain.append(one(script, None)[1] * 1000)
            per_event = {name: count / args.profile_events for name, count in counters.items()}
            # This thread's CPU time, not the wall clock: waiting on PostgreSQL or LINE costs no CPU.
            profiler = cProfile.Profile(time.thread_time)
            steps: dict[str, int] = {}
            for _ in range(args.profile_events):
                label, _cpu = one(script, profiler)
                steps[label] = steps.get(label, 0) + 1
            stats = pstats.Stats(profiler)
            total = sum(row[2] for row in stats.stats.values())  # tottime over every function
            buckets: dict[str, float] = {}
            for (path, _line, name), row in stats.stats.items():
                key = _bucket(f"{path}:{name}")
                buckets[key] = buckets.get(key, 0.0) + row[2]
            print(f"\n=== {kind}: CPU ms per event (this thread) without the profiler: median {statistics.median(plain):.2f}, "
                  f"mean {statistics.mean(plain):.2f} (n={len(plain)}); per event: "
                  + ", ".join(f"{name} {value:.1f}" for name, value in per_event.items())
                  + (f"; steps {steps}" if kind == "flow" else ""))
            print(f"profiled: {total * 1000 / args.profile_events:.2f} CPU ms per event (cProfile's overhead "
                  "included); own CPU time by package:")
            for name, seconds in sorted(buckets.items(), key=lambda item: -item[1]):
                print(f"  {seconds / total:6.1%}  {seconds * 1000 / args.profile_events:6.2f} ms  {name}")
            out = Path(args.profile_dir) / f"handling-{kind}.pstats"
            out.parent.mkdir(parents=True, exist_ok=True)
            stats.dump_stats(out)
            print(f"top {args.profile_top} by cumulative time (per event ms; saved to {out}):")
            rows = sorted(stats.stats.items(), key=lambda item: -item[1][3])
            for (path, line, name), (_cc, calls, tottime, cumtime, _callers) in rows[:args.profile_top]:
                where = path.replace(str(ROOT) + "/", "").split("site-packages/")[-1]
                print(f"  {cumtime * 1000 / args.profile_events:7.2f} cum {tottime * 1000 / args.profile_events:6.2f} "
                      f"own {calls / args.profile_events:6.1f} calls  {where}:{line}({name})")
        engine.dispose()
    finally:
        stop(fake)
        drop_pg_database(db_name)


# -- main ----------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", default="postgresql,sqlite", help="postgresql, sqlite or both")
    parser.add_argument("--repeat", type=int, default=2, help="run every configuration this many times")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--officers", type=int, default=2000)
    parser.add_argument("--organisations", type=int, default=20)
    parser.add_argument("--connections", type=int, default=8, help="concurrent keep-alive connections")
    parser.add_argument("--batch", type=int, default=1, help="events per webhook request")
    parser.add_argument("--workers", type=int, help="WEB_CONCURRENCY (default: gunicorn.conf.py's)")
    parser.add_argument("--threads", type=int, help="WEB_THREADS (default: gunicorn.conf.py's)")
    parser.add_argument("--event-handlers", choices=("worker", "web"), default="worker",
                        help="EVENT_HANDLERS: worker processes handle (the Procfile), or the web's own threads")
    parser.add_argument("--worker-processes", default="1",
                        help="how many `python -m bot.worker` processes (the Procfile runs one; 0 measures "
                             "the web's path alone and leaves the events unhandled); a list such as 1,2,3 "
                             "measures each count in the same run, taking turns (worker scaling)")
    parser.add_argument("--handlers", default="product",
                        help="product, minimal or both (product,minimal): bench/minimal_worker.py handles the "
                             "same events with plain psycopg, the floor the product's handling is measured "
                             "against; each handler has its own copy of the database and its own product web. "
                             "Add before (with --before PATH) to run the product's worker from another "
                             "checkout in the same rounds: a before/after of the handling code in one run")
    parser.add_argument("--before", help="a checkout of the code to compare with (git worktree add PATH REV), "
                                         "for --handlers ...before; it must use the same database schema")
    parser.add_argument("--kind-rounds", type=int, default=None,
                        help="rounds per kind of event alone (flow, tasks, summary, score), handling targets "
                             "taking turns, each round sent while the workers are paused (SIGSTOP) and then "
                             "drained: worker CPU and handled/s per kind (default 2 with --handlers "
                             "...minimal, else 0)")
    parser.add_argument("--kind-events", type=int, default=400, help="events per target in each per-kind round")
    parser.add_argument("--warmup-events", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=4,
                        help="rounds of the max-rate phase; the baseline and the product take turns")
    parser.add_argument("--round-events", type=int, default=2000, help="events per target in each round")
    parser.add_argument("--paced-seconds", type=float, default=15.0)
    parser.add_argument("--sustained-fraction", type=float, default=0.7,
                        help="the sustained phase's rate, as a fraction of the handling rate at max")
    parser.add_argument("--line-latency", type=float, default=0.0,
                        help="seconds the fake LINE server waits before answering each API call")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeline", action="store_true", help="print each phase's worst latency per second")
    parser.add_argument("--keep-database", action="store_true")
    parser.add_argument("--count-queries", action="store_true", help="only count SQL statements per event kind")
    parser.add_argument("--count-events", type=int, default=300)
    parser.add_argument("--profile", choices=("all", *(k for k, _ in MIX)),
                        help="only profile the worker's handling of one kind of event (or all), in-process, "
                             "with cProfile: own time by package, top functions, statements per event")
    parser.add_argument("--profile-events", type=int, default=200, help="events per kind, profiled and not")
    parser.add_argument("--profile-warmup", type=int, default=30)
    parser.add_argument("--profile-top", type=int, default=30, help="functions listed per kind")
    parser.add_argument("--profile-dir", default=str(Path(tempfile.gettempdir()) / "tidtam-profiles"),
                        help="where the .pstats files go (open with python -m pstats, or snakeviz)")
    args = parser.parse_args()
    # SIGTERM unwinds like Ctrl-C, so the servers, workers and databases this run started are cleaned up.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if not 1 <= args.rounds <= 26:
        parser.error("--rounds must be between 1 and 26")
    if args.kind_rounds is None:
        args.kind_rounds = 2 if "minimal" in args.handlers or "before" in args.handlers else 0
    if args.count_queries:
        count_queries(args)
        return
    if args.profile:
        profile_handling(args)
        return

    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    print(f"machine: {machine()}")
    handlers = (f"{args.worker_processes} worker process(es) ({args.handlers})" if args.event_handlers == "worker"
                else "the web's own threads")
    print(f"gunicorn: {gunicorn_settings(args)}; events handled by {handlers}; load: {args.connections} "
          f"connections, {args.batch} event(s) per request; {args.officers} officers in {args.organisations} "
          f"organisations; LINE latency {args.line_latency * 1000:.0f} ms", flush=True)
    tmp = Path(tempfile.mkdtemp(prefix="tidtam-bench-"))
    fake, line_url = start_fake_line(tmp, args.line_latency)
    results: list[TargetResult] = []
    try:
        for run in range(1, args.repeat + 1):
            for backend in backends:
                print(f"run {run}: product on {backend}" + ("" if args.no_baseline else ", with the baseline"),
                      flush=True)
                pair = bench_product(run, backend, args, line_url, fake.pid, tmp)
                results.extend(pair)
                result = pair[-1]
                handled = result.phases["max"].get("handled") or {}
                ratios = paired_ratios(pair, result)
                print(f"  max {result.phases['max']['rate']:.0f} ev/s acknowledged"
                      + (f" ({statistics.median(ratios):.0%} of the baseline)" if ratios else "")
                      + f", {handled.get('rate', float('nan')):.0f} ev/s handled, p99 at half "
                      f"{result.phases['paced']['p99']:.1f} ms, not done {result.not_done}", flush=True)
    finally:
        stop(fake)
    results.sort(key=lambda r: (r.run, r.target.removeprefix("baseline:"), not r.target.startswith("baseline")))
    print_table(results)
    if args.timeline:
        for r in results:
            for name, phase in r.phases.items():
                print(f"run {r.run} {r.target} {name}: worst ms by second {phase['worst_by_second']}")
    print(f"machine at the end: {machine()}")


def _baseline_people(args) -> list[Person]:
    """The same population shape for the baseline (it reads no database)."""
    per_org = args.officers // args.organisations
    return [Person(user_id_for(org, i), i < 2, ("1", "2", "3"))
            for org in range(1, args.organisations + 1) for i in range(per_org)]


if __name__ == "__main__":
    main()
