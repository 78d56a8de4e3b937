"""answering holds its chat: the open-chat index also covers events whose answer is on its way

An event is now saved as 'answering' until its answer has gone to LINE, and
the claim looks for a chat's oldest event among 'received', 'processing' and
'answering'. The partial index of 0004 covered the first two only, so a
database migrated before this change could not use it for that lookup.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-21 14:45:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

OPEN = sa.text("status IN ('received', 'processing', 'answering')")
OPEN_BEFORE = sa.text("status IN ('received', 'processing')")


def _replace_index(where) -> None:
    with op.batch_alter_table('webhookevent', schema=None) as batch_op:
        batch_op.drop_index('ix_webhookevent_open_chat')
        batch_op.create_index('ix_webhookevent_open_chat', ['chat_key', 'id'], unique=False,
                              postgresql_where=where, sqlite_where=where)


def upgrade() -> None:
    _replace_index(OPEN)


def downgrade() -> None:
    _replace_index(OPEN_BEFORE)
