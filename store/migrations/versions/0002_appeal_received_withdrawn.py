"""An appeal's received day and its withdrawal: `appeals.received` (the day the administration received it, which
may be before it was registered) and `appeals.withdrawn_at` (withdrawn before it was decided). Both empty for the
appeals a database already holds.

Revision ID: 0002_appeal_received_withdrawn
Revises: 0001_baseline
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_appeal_received_withdrawn"
down_revision = "0001_baseline"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("appeals") as batch:  # SQLite alters a table by copying it
        batch.add_column(sa.Column("received", sa.Date(), nullable=True))
        batch.add_column(sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("appeals") as batch:
        batch.drop_column("withdrawn_at")
        batch.drop_column("received")
