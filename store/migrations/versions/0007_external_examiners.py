"""External examiners and appeal commissions: `accounts.external`, true for an examiner account from outside the
institution (an appeal's commission needs at least one; false for the accounts a database already holds), and
`appeals.examiners`, the commission's user names as ",a,b," (empty for the appeals a database already holds).

Revision ID: 0007_external_examiners
Revises: 0004_supervisors
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_external_examiners"
down_revision = "0006_explanations"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ADD COLUMN (SQLite has it): no batch copy, which reads the table first and can deadlock a second process
    op.add_column("accounts", sa.Column("external", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("appeals", sa.Column("examiners", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("appeals") as batch:
        batch.drop_column("examiners")
    with op.batch_alter_table("accounts") as batch:  # SQLite drops a column by copying the table
        batch.drop_column("external")
