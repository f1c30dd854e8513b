"""The offers of a place (`offers`: the outcome, answer deadline and answer of each application with a group), written
by the cohort's workflow, so the group's page reads a row instead of asking the cohort. Empty for the cohorts a
database already holds until their workflow writes again; the page asks the cohort for those.

Revision ID: 0013_offers
Revises: 0012_group_details
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_offers"
down_revision = "0012_group_details"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "offers",
        sa.Column("group_id", sa.String(), nullable=False),
        sa.Column("cohort", sa.String(), nullable=False),
        sa.Column("outcome", sa.String(), nullable=False),
        sa.Column("answer_by", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered", sa.String(), nullable=True),
        sa.Column("as_of", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("group_id"),
    )
    op.create_index("ix_offers_cohort", "offers", ["cohort"])


def downgrade() -> None:
    op.drop_index("ix_offers_cohort", table_name="offers")
    op.drop_table("offers")
