"""What waits for the administration on a whole cohort: `cohorts.pending` (code/params as JSON), written by the cohort's
workflow with its row, so the cohort page and the task inbox read it instead of asking the workflow. Empty for the
cohorts a database already holds until their workflow writes its row again.

Revision ID: 0011_cohort_pending
Revises: 0010_document_downloads
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_cohort_pending"
down_revision = "0010_document_downloads"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ADD COLUMN (SQLite has it): no batch copy, which reads the table first and can deadlock a second process
    op.add_column("cohorts", sa.Column("pending", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cohorts") as batch:  # SQLite drops a column by copying the table
        batch.drop_column("pending")
