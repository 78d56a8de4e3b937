"""Admins adding officers at the same time (CLI now, the console later) on PostgreSQL.

Each ``add-officer`` refreshes the organisation's automatic assignments; run
at once for one unit, they used to create the same assignment twice and one
failed with a raw UniqueViolation. The commands run here in threads of one
process, released together, so their transactions overlap as much as they can.
"""
from __future__ import annotations

import threading

import pytest
from sqlmodel import select

from bot.cli.people import add_officer_command
from models import Officer
from models.plan import Assignment
from tests.conftest import _truncate_all
from tests.factories import make_world

RUNS = 8
MEASURES = 30  # a longer refresh: more room for the transactions to overlap


@pytest.fixture
def db_url(pg_database):
    """PostgreSQL only: SQLite serialises writers itself."""
    _truncate_all(pg_database)
    return pg_database


@pytest.mark.parametrize("unit", ["กองคลัง", "กองใหม่"])  # a unit that exists, and one the first run creates
def test_add_officer_run_eight_times_at_once_for_one_unit_adds_everyone(app, session, unit, capsys):
    world = make_world(session, measures=[(str(i), f"มาตรการที่ {i}", unit) for i in range(1, MEASURES + 1)])
    session.commit()
    start = threading.Barrier(RUNS, timeout=30)
    errors: list[BaseException] = []

    def add(number: int) -> None:
        with app.app_context():
            start.wait()
            try:
                add_officer_command.main(["--name", f"เจ้าหน้าที่ พร้อมกัน {number}", "--unit", unit],
                                         prog_name="flask add-officer", standalone_mode=False)
            except BaseException as exc:  # noqa: B036  (the test reports whatever escaped, tracebacks included)
                errors.append(exc)

    threads = [threading.Thread(target=add, args=(n,)) for n in range(RUNS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert capsys.readouterr().out.count("Registration code") == RUNS
    session.expire_all()
    added = session.exec(select(Officer).where(Officer.name.like("เจ้าหน้าที่ พร้อมกัน %"))).all()
    assert len(added) == RUNS
    for officer in added:
        assigned = session.exec(select(Assignment).where(Assignment.officer_id == officer.id,
                                                         Assignment.active)).all()
        assert len(assigned) == MEASURES, officer.name
    assert world.org.id == added[0].organisation_id
