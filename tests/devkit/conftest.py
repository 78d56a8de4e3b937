"""The development app (devkit.app): the product plus the simulator and the demo commands."""
import pytest

from devkit.app import create_dev_app


@pytest.fixture
def dev_app(settings_overrides):
    # The development app refuses a real channel secret; it signs with the development one.
    app = create_dev_app({**settings_overrides, "line_channel_secret": ""})
    yield app
    services = app.extensions["tidtam"]
    if services.chats is not None:
        services.chats.shutdown(timeout=30)
    services.tasks.shutdown()
    services.dispose()


@pytest.fixture
def dev_runner(dev_app):
    return dev_app.test_cli_runner()


@pytest.fixture
def session(dev_app):
    from sqlmodel import Session

    with Session(dev_app.extensions["tidtam"].engine, expire_on_commit=False) as session:
        yield session
