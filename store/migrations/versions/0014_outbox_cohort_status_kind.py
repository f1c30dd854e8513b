"""The letters page's summary from indexes alone: how many of a cohort's letters are in each status, and which kinds
it has, each read from an index of (cohort, status) or (cohort, kind) instead of every letter's row (a national year
has ~34,000 letters: 18 ms of every view of the page, 2-3 ms with these).

Revision ID: 0014_outbox_cohort_status_kind
Revises: 0013_offers
Create Date: 2026-12-06
"""

from __future__ import annotations

from alembic import op

revision = "0014_outbox_cohort_status_kind"
down_revision = "0013_offers"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_outbox_cohort_status", "outbox", ["cohort", "status"])
    op.create_index("ix_outbox_cohort_kind", "outbox", ["cohort", "kind"])


def downgrade() -> None:
    op.drop_index("ix_outbox_cohort_kind", table_name="outbox")
    op.drop_index("ix_outbox_cohort_status", table_name="outbox")
