"""Registrations on the web: confirmation links (by their token's SHA-256), the municipalities of a joint
application's contact, and sealed application drafts (store/registrations.py).

Revision ID: 0005_registrations
Revises: 0004_supervisors
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_registrations"
down_revision = "0004_supervisors"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "registrations",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("cohort", sa.String(), nullable=False),
        sa.Column("municipality", sa.String(), nullable=False),
        sa.Column("person_id", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("username", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("token_hash"),
    )
    op.create_index("ix_registrations_cohort", "registrations", ["cohort"])
    op.create_index("ix_registrations_person_id", "registrations", ["person_id"])
    op.create_table(
        "contact_municipalities",
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("municipality", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("username", "municipality"),
    )
    op.create_table(
        "application_drafts",
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("cohort", sa.String(), nullable=False),
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("username", "cohort"),
    )


def downgrade() -> None:
    op.drop_table("application_drafts")
    op.drop_table("contact_municipalities")
    op.drop_index("ix_registrations_person_id", table_name="registrations")
    op.drop_index("ix_registrations_cohort", table_name="registrations")
    op.drop_table("registrations")
