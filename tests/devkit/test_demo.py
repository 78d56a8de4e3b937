"""The demo organisation loads through the real importers, twice without change."""
import pytest
from sqlmodel import func, select

from devkit.app import create_dev_app
from devkit.demo import OFFICERS
from models import Assignment, Measure, Officer


def test_demo_load_is_idempotent(dev_runner, session):
    first = dev_runner.invoke(args=["demo-load"])
    assert first.exit_code == 0, first.output
    again = dev_runner.invoke(args=["demo-load"])
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


def test_the_production_app_has_no_simulator_and_no_demo(app, runner):
    assert "simulator" not in app.blueprints
    assert app.test_client().get("/simulator").status_code == 404
    assert runner.invoke(args=["demo-load"]).exit_code != 0


def test_the_development_app_refuses_a_real_channel_secret(settings_overrides):
    with pytest.raises(SystemExit):
        create_dev_app(settings_overrides)  # it carries the test channel's secret


def test_demo_measures_name_the_indicators_they_target(dev_runner, session):
    assert dev_runner.invoke(args=["demo-load"]).exit_code == 0
    session.expire_all()
    measures = session.exec(select(Measure)).all()
    assert all(m.indicator_numbers for m in measures)
    assert {n for m in measures for n in m.indicator_numbers} == set(range(1, 11))
    assert len([m for m in measures if 9 in m.indicator_numbers]) >= 2  # "มาตรการของตัวชี้วัดที่ 9" has answers
