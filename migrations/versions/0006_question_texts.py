"""question texts: a per-question score keeps the question's wording and the assessor's advice

Results reports list each assessment question (i1..i15, e1..e15, o1..o33)
with its score, often its wording and the assessor's advice; an officer acts
on those lines, so they are stored beside the score.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 23:30:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('scorevalue', schema=None) as batch_op:
        batch_op.add_column(sa.Column('text', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('advice', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('scorevalue', schema=None) as batch_op:
        batch_op.drop_column('advice')
        batch_op.drop_column('text')
