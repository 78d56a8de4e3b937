"""One logging set-up for every process (web, worker, clock, CLI)."""
from __future__ import annotations

import logging

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(level: int = logging.INFO) -> None:
    """Log to stderr at ``level`` unless the host (gunicorn, pytest) already set handlers up."""
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(level=level, format=FORMAT)
    logging.getLogger("alembic").setLevel(logging.WARNING)
