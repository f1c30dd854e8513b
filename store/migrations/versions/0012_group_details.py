"""The group page's snapshot: `group_details` (the group as its page shows it, JSON), written by the group's workflow
with its other rows, so the page reads a row instead of asking the workflow. Empty for the groups a database already
holds until their workflow writes again; the page asks the workflow for those.

Revision ID: 0012_group_details
Revises: 0011_cohort_pending
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_group_details"
down_revision = "0011_cohort_pending"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "group_details",
        sa.Column("group_id", sa.String(), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("as_of", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("group_id"),
    )


def downgrade() -> None:
    op.drop_table("group_details")
