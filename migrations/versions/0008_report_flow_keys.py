"""report flow keys: a report in progress names its data in words (measure_id, period, on_behalf_of, evidence_ids)

The reporting conversation kept its state under one- and two-letter keys
("m", "p", "for", "ev"). Conversations open while this migration runs are
carried over, so nobody loses a report half-way through a deploy.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 00:00:00
"""
import json

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

NEW_KEYS = {"m": "measure_id", "p": "period", "for": "on_behalf_of", "ev": "evidence_ids"}


def _rename(mapping: dict[str, str]) -> None:
    conn = op.get_bind()
    # PostgreSQL needs the text cast to json; SQLite keeps JSON as text (and would read CAST … AS JSON as a number).
    value_sql = "CAST(:data AS JSON)" if conn.dialect.name == "postgresql" else ":data"
    rows = conn.execute(sa.text("SELECT line_user_id, data FROM conversation WHERE flow = 'report'")).all()
    for user_id, data in rows:
        value = json.loads(data) if isinstance(data, str) else dict(data or {})
        renamed = {mapping.get(key, key): item for key, item in value.items()}
        if renamed != value:
            conn.execute(sa.text(f"UPDATE conversation SET data = {value_sql} WHERE line_user_id = :user"),
                         {"data": json.dumps(renamed, ensure_ascii=False), "user": user_id})


def upgrade() -> None:
    _rename(NEW_KEYS)


def downgrade() -> None:
    _rename({new: old for old, new in NEW_KEYS.items()})
