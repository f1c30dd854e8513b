"""Supervisors: the teacher assigned to each group as its supervisor (store/accounts.py SupervisorRecord).

Revision ID: 0004_supervisors
Revises: 0003_appeal_received_withdrawn
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_supervisors"
down_revision = "0003_appeal_received_withdrawn"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "supervisor_groups",
        sa.Column("group_workflow_id", sa.String(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("group_workflow_id"),
    )
    op.create_index("ix_supervisor_groups_username", "supervisor_groups", ["username"])


def downgrade() -> None:
    op.drop_index("ix_supervisor_groups_username", table_name="supervisor_groups")
    op.drop_table("supervisor_groups")
