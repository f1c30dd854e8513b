"""Staff reminders: `accounts.email`, where reminders of a staff account's tasks go (none for the accounts a
database already holds), and `staff_reminders_sent`, what each account was reminded of (store/staff_reminders.py).

Revision ID: 0008_staff_reminders
Revises: 0007_external_examiners
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_staff_reminders"
down_revision = "0007_external_examiners"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("accounts", sa.Column("email", sa.String(), nullable=True))  # plain ADD COLUMN, as 0007
    op.create_table(
        "staff_reminders_sent",
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("task_key", sa.String(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("letter", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("username", "task_key", "state"),
    )


def downgrade() -> None:
    op.drop_table("staff_reminders_sent")
    with op.batch_alter_table("accounts") as batch:
        batch.drop_column("email")
