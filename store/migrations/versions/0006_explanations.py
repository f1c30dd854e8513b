"""Begrunnelser: one row per request for an explanation of a grade (store/explanations.py ExplanationRecord), with
the examiner's words, which never enter a workflow history.

Revision ID: 0006_explanations
Revises: 0004_supervisors
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_explanations"
down_revision = "0005_registrations"
branch_labels = None
depends_on = None

TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "explanations",
        sa.Column("explanation_id", sa.String(), nullable=False),
        sa.Column("participant_id", sa.String(), nullable=False),
        sa.Column("group_id", sa.String(), nullable=False),
        sa.Column("cohort", sa.String(), nullable=False),
        sa.Column("person_id", sa.String(), nullable=False),
        sa.Column("examiners", sa.JSON(), nullable=False),
        sa.Column("received", sa.Date(), nullable=False),
        sa.Column("requested_at", TIME, nullable=False),
        sa.Column("due", TIME, nullable=False),
        sa.Column("given_at", TIME, nullable=True),
        sa.Column("given_by", sa.String(), nullable=True),
        sa.Column("appeal_deadline", TIME, nullable=True),
        sa.Column("updated_at", TIME, nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("explanation_id"),
    )
    op.create_index("ix_explanations_cohort", "explanations", ["cohort"])
    op.create_index("ix_explanations_participant_id", "explanations", ["participant_id"])
    op.create_index("ix_explanations_person_id", "explanations", ["person_id"])


def downgrade() -> None:
    op.drop_index("ix_explanations_person_id", table_name="explanations")
    op.drop_index("ix_explanations_participant_id", table_name="explanations")
    op.drop_index("ix_explanations_cohort", table_name="explanations")
    op.drop_table("explanations")
