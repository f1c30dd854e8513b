"""An appeal's new oral on the timetable: `appeals.new_oral_at` and `appeals.new_oral_place`, the time and place the
administration set for the new oral after a changed written grade (empty until set, and for the appeals a database
already holds).

Revision ID: 0009_appeal_new_oral
Revises: 0008_staff_reminders
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_appeal_new_oral"
down_revision = "0008_staff_reminders"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ADD COLUMN (SQLite has it): no batch copy, which reads the table first and can deadlock a second process
    op.add_column("appeals", sa.Column("new_oral_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("appeals", sa.Column("new_oral_place", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("appeals") as batch:  # SQLite drops a column by copying the table
        batch.drop_column("new_oral_place")
        batch.drop_column("new_oral_at")
