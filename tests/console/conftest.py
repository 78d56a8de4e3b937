"""Console helpers: an organisation with an admin, a supervisor and officers, and signing a browser in."""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlmodel import Session

from handlers.console import new_sign_in_link
from models import Officer, utcnow
from tests.factories import make_world

FIXTURES = Path(__file__).parent / "fixtures"
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')

PEOPLE = [
    ("นางอรุณี ผู้ดูแล", "สำนักปลัด", "admin"),
    ("นายปรีชา ปลัดทดลอง", "สำนักปลัด", "supervisor"),
    ("นายสมชาย ใจดี", "กองคลัง", "officer"),
    ("นางสาวมะลิ ขยัน", "สำนักปลัด", "officer"),
]


@pytest.fixture
def world(session):
    return make_world(session, name="องค์การบริหารส่วนตำบลหนองขามทดลอง", officers=PEOPLE)


def link_path(services, officer: Officer) -> str:
    """A fresh one-time sign-in link's path (as `login-link` prints it)."""
    with Session(services.engine, expire_on_commit=False) as session:
        url = new_sign_in_link(session, services.settings, session.get(Officer, officer.id), utcnow(), via="cli")
        session.commit()
    return urlsplit(url).path


def csrf_of(html: str) -> str:
    return CSRF_RE.search(html).group(1)


def sign_in(client, services, officer: Officer) -> str:
    """Sign the test browser in as the officer; return the CSRF token of its session."""
    path = link_path(services, officer)
    confirm = client.get(path)
    response = client.post(path, data={"csrf_token": csrf_of(confirm.text)})
    assert response.status_code == 302, response.text
    return csrf_of(client.get("/console/").text)
