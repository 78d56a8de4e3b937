"""The demo organisation loads through the real importers, twice without change."""
from sqlmodel import func, select

from bot.demo import OFFICERS
from models import Assignment, Measure, Officer


def test_demo_load_is_idempotent(runner, session):
    first = runner.invoke(args=["demo-load"])
    assert first.exit_code == 0, first.output
    again = runner.invoke(args=["demo-load"])
    assert again.exit_code == 0 and "(0 new)" in again.output and "0 new assignments" in again.output
    session.expire_all()
    assert 15 <= session.exec(select(func.count()).select_from(Measure)).one() <= 20
    officers = session.exec(select(Officer)).all()
    assert len(officers) == len(OFFICERS)
    assert {o.role for o in officers} == {"officer", "supervisor", "admin"}
    # Everyone has something to report on, and the simulator's unregistered officer is not linked.
    for officer in officers:
        assert session.exec(select(func.count()).select_from(Assignment).where(
            Assignment.officer_id == officer.id)).one() > 0, officer.name
    malee = next(o for o in officers if o.name == "นางมาลี ศรีสุข")
    assert malee.line_user_id is None
