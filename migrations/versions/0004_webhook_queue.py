"""webhook queue: chat_key and a partial index over the events still to be handled

The webhook now stores events and answers LINE at once; handler threads drain
each chat's events in order. Existing rows get their chat key from the group
or user they came from.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21 10:10:00
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

OPEN = sa.text("status IN ('received', 'processing')")


def upgrade() -> None:
    with op.batch_alter_table('webhookevent', schema=None) as batch_op:
        batch_op.add_column(sa.Column('chat_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
    op.execute("UPDATE webhookevent SET chat_key = COALESCE(group_id, user_id, webhook_event_id)")
    with op.batch_alter_table('webhookevent', schema=None) as batch_op:
        batch_op.create_index('ix_webhookevent_open_chat', ['chat_key', 'id'], unique=False,
                              postgresql_where=OPEN, sqlite_where=OPEN)


def downgrade() -> None:
    with op.batch_alter_table('webhookevent', schema=None) as batch_op:
        batch_op.drop_index('ix_webhookevent_open_chat')
        batch_op.drop_column('chat_key')
