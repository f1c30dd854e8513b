"""When the holder first downloaded each document: `documents.downloaded_at`, set the first time the participant
fetches that version from their own page (empty until then, and for the documents a database already holds).

Revision ID: 0010_document_downloads
Revises: 0009_appeal_new_oral
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_document_downloads"
down_revision = "0009_appeal_new_oral"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ADD COLUMN (SQLite has it): no batch copy, which reads the table first and can deadlock a second process
    op.add_column("documents", sa.Column("downloaded_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("documents") as batch:  # SQLite drops a column by copying the table
        batch.drop_column("downloaded_at")
