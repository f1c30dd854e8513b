"""An appeal's received day and its withdrawal: `appeals.received` (the day the administration received it, which
may be before it was registered) and `appeals.withdrawn_at` (withdrawn before it was decided). Both empty for the
appeals a database already holds.

Revision ID: 0003_appeal_received_withdrawn
Revises: 0002_calendar_feeds
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_appeal_received_withdrawn"
down_revision = "0002_calendar_feeds"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ADD COLUMN (SQLite has it): no batch copy, which reads the table first and can deadlock a second process
    op.add_column("appeals", sa.Column("received", sa.Date(), nullable=True))
    op.add_column("appeals", sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("appeals") as batch:  # SQLite drops a column by copying the table
        batch.drop_column("withdrawn_at")
        batch.drop_column("received")
