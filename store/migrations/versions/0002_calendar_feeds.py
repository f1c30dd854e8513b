"""Calendar feeds: one secret feed address per account, kept as its token's SHA-256 (store/calendar_feeds.py).

Revision ID: 0002_calendar_feeds
Revises: 0001_baseline
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_calendar_feeds"
down_revision = "0001_baseline"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "calendar_feeds",
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("username"),
    )
    op.create_index("ix_calendar_feeds_token_hash", "calendar_feeds", ["token_hash"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_calendar_feeds_token_hash", table_name="calendar_feeds")
    op.drop_table("calendar_feeds")
