"""Baseline: every table as this release's code made it with create_all, before migrations.

An empty database gets the tables. A database made by create_all before migrations (no alembic_version) is adopted:
its tables are kept with their rows, and what earlier releases lacked is added: a column added since (the audit's
params/problems, groups' and participants' later columns) and a column that became nullable (resits.grade_before,
for a postponed exam). The tables are frozen here, not taken from store.tables: later changes are later migrations.

Revision ID: 0001_baseline
Revises:
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_baseline"
down_revision = None
branch_labels = None
depends_on = None

TIME = sa.DateTime(timezone=True)  # store.tables.UtcDateTime's column type
BASELINE = sa.MetaData()

sa.Table(
    "accounts",
    BASELINE,
    sa.Column("username", sa.String(length=64), nullable=False),
    sa.Column("role", sa.String(), nullable=False),
    sa.Column("municipality", sa.String(), nullable=True),
    sa.Column("participant", sa.String(), nullable=True),
    sa.Column("password_hash", sa.String(), nullable=False),
    sa.Column("created_at", TIME, nullable=False),
    sa.PrimaryKeyConstraint("username"),
)
sa.Table(
    "appeals",
    BASELINE,
    sa.Column("appeal_id", sa.String(), nullable=False),
    sa.Column("participant_id", sa.String(), nullable=False),
    sa.Column("group_id", sa.String(), nullable=False),
    sa.Column("cohort", sa.String(), nullable=False),
    sa.Column("person_id", sa.String(), nullable=False),
    sa.Column("attempt", sa.Integer(), nullable=False),
    sa.Column("stage", sa.String(), nullable=False),
    sa.Column("written_before", sa.String(), nullable=False),
    sa.Column("final_before", sa.String(), nullable=False),
    sa.Column("written_after", sa.String(), nullable=True),
    sa.Column("oral_adjustment_after", sa.Integer(), nullable=True),
    sa.Column("final_after", sa.String(), nullable=True),
    sa.Column("credits_after", sa.Integer(), nullable=True),
    sa.Column("registered_at", TIME, nullable=False),
    sa.Column("decided_at", TIME, nullable=True),
    sa.Column("updated_at", TIME, nullable=False),
    sa.PrimaryKeyConstraint("appeal_id"),
    sa.Index("ix_appeals_cohort", "cohort"),
    sa.Index("ix_appeals_participant_id", "participant_id"),
    sa.Index("ix_appeals_person_id", "person_id"),
)
sa.Table(
    "audit",
    BASELINE,
    sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
    sa.Column("idempotency_key", sa.String(), nullable=False),
    sa.Column("workflow_id", sa.String(), nullable=False),
    sa.Column("actor", sa.String(), nullable=False),
    sa.Column("action", sa.String(), nullable=False),
    sa.Column("outcome", sa.String(), nullable=False),
    sa.Column("reason", sa.Text(), nullable=True),
    sa.Column("at", TIME, nullable=False),
    sa.Column("params", sa.JSON(), nullable=True),
    sa.Column("problems", sa.JSON(), nullable=True),
    sa.PrimaryKeyConstraint("id"),
    sa.UniqueConstraint("idempotency_key"),
    sa.Index("ix_audit_action_id", "action", "id"),
    sa.Index("ix_audit_workflow_id", "workflow_id"),
)
sa.Table(
    "cohorts",
    BASELINE,
    sa.Column("cohort", sa.String(), nullable=False),
    sa.Column("stage", sa.String(), nullable=False),
    sa.Column("seed", sa.String(), nullable=True),
    sa.Column("places", sa.Integer(), nullable=False),
    sa.Column("applications", sa.Integer(), nullable=False),
    sa.Column("admitted", sa.Integer(), nullable=False),
    sa.Column("waitlisted", sa.Integer(), nullable=False),
    sa.Column("refused", sa.Integer(), nullable=False),
    sa.Column("updated_at", TIME, nullable=False),
    sa.PrimaryKeyConstraint("cohort"),
)
sa.Table(
    "documents",
    BASELINE,
    sa.Column("code", sa.String(), nullable=False),
    sa.Column("person_id", sa.String(), nullable=False),
    sa.Column("participant_id", sa.String(), nullable=False),
    sa.Column("cohort", sa.String(), nullable=False),
    sa.Column("kind", sa.String(), nullable=False),
    sa.Column("version", sa.Integer(), nullable=False),
    sa.Column("superseded_by", sa.String(), nullable=True),
    sa.Column("facts", sa.String(), nullable=False),
    sa.Column("file", sa.String(), nullable=False),
    sa.Column("issued_at", TIME, nullable=False),
    sa.PrimaryKeyConstraint("code"),
    sa.Index("ix_documents_cohort", "cohort"),
    sa.Index("ix_documents_participant_id", "participant_id"),
    sa.Index("ix_documents_person_id", "person_id"),
)
sa.Table(
    "enrolments",
    BASELINE,
    sa.Column("person_id", sa.String(), nullable=False),
    sa.Column("group_workflow_id", sa.String(), nullable=False),
    sa.Column("participant_workflow_id", sa.String(), nullable=True),
    sa.Column("cohort", sa.String(), nullable=False),
    sa.Column("kind", sa.String(), nullable=False),
    sa.PrimaryKeyConstraint("person_id", "group_workflow_id"),
    sa.Index("ix_enrolments_cohort", "cohort"),
    sa.Index("ix_enrolments_participant_workflow_id", "participant_workflow_id"),
)
sa.Table(
    "examiner_groups",
    BASELINE,
    sa.Column("username", sa.String(length=64), nullable=False),
    sa.Column("group_workflow_id", sa.String(), nullable=False),
    sa.PrimaryKeyConstraint("username", "group_workflow_id"),
)
sa.Table(
    "external_identities",
    BASELINE,
    sa.Column("issuer", sa.String(), nullable=False),
    sa.Column("subject", sa.String(length=255), nullable=False),
    sa.Column("username", sa.String(length=64), nullable=False),
    sa.Column("created_at", TIME, nullable=False),
    sa.PrimaryKeyConstraint("issuer", "subject"),
    sa.UniqueConstraint("username"),
)
sa.Table(
    "groups",
    BASELINE,
    sa.Column("group_id", sa.String(), nullable=False),
    sa.Column("cohort", sa.String(), nullable=False),
    sa.Column("application_id", sa.String(), nullable=False),
    sa.Column("municipalities", sa.String(), nullable=False),
    sa.Column("region", sa.String(), nullable=False),
    sa.Column("size", sa.String(), nullable=False),
    sa.Column("outcome", sa.String(), nullable=False),
    sa.Column("stage", sa.String(), nullable=False),
    sa.Column("requirements_approved", sa.Integer(), nullable=False),
    sa.Column("written_grade", sa.String(), nullable=True),
    sa.Column("written_submitted", sa.Boolean(), nullable=False),
    sa.Column("published_at", TIME, nullable=True),
    sa.Column("requirements", sa.JSON(), nullable=True),
    sa.Column("pending", sa.JSON(), nullable=True),
    sa.Column("updated_at", TIME, nullable=False),
    sa.PrimaryKeyConstraint("group_id"),
    sa.Index("ix_groups_cohort", "cohort"),
)
sa.Table(
    "innovation_projects",
    BASELINE,
    sa.Column("group_id", sa.String(), nullable=False),
    sa.Column("cohort", sa.String(), nullable=False),
    sa.Column("title", sa.String(), nullable=False),
    sa.Column("partner_kinds", sa.String(), nullable=False),
    sa.Column("reports", sa.Integer(), nullable=False),
    sa.Column("updated_at", TIME, nullable=False),
    sa.PrimaryKeyConstraint("group_id"),
    sa.Index("ix_innovation_projects_cohort", "cohort"),
)
sa.Table(
    "outbox",
    BASELINE,
    sa.Column("idempotency_key", sa.String(), nullable=False),
    sa.Column("cohort", sa.String(), nullable=False),
    sa.Column("kind", sa.String(), nullable=False),
    sa.Column("notice", sa.Text(), nullable=False),
    sa.Column("person_id", sa.String(), nullable=False),
    sa.Column("status", sa.String(), nullable=False),
    sa.Column("reason", sa.String(), nullable=True),
    sa.Column("attempts", sa.Integer(), nullable=False),
    sa.Column("next_attempt_at", TIME, nullable=False),
    sa.Column("created_at", TIME, nullable=False),
    sa.Column("sent_at", TIME, nullable=True),
    sa.PrimaryKeyConstraint("idempotency_key"),
    sa.Index("ix_outbox_cohort", "cohort"),
    sa.Index("ix_outbox_cohort_created", "cohort", "created_at"),
    sa.Index("ix_outbox_person_id", "person_id"),
    sa.Index("ix_outbox_status", "status"),
)
sa.Table(
    "participant_people",
    BASELINE,
    sa.Column("participant_id", sa.String(), nullable=False),
    sa.Column("person_id", sa.String(), nullable=False),
    sa.Column("cohort", sa.String(), nullable=False),
    sa.Column("updated_at", TIME, nullable=False),
    sa.PrimaryKeyConstraint("participant_id"),
    sa.Index("ix_participant_people_cohort", "cohort"),
)
sa.Table(
    "participants",
    BASELINE,
    sa.Column("participant_id", sa.String(), nullable=False),
    sa.Column("group_id", sa.String(), nullable=False),
    sa.Column("cohort", sa.String(), nullable=False),
    sa.Column("sector", sa.String(), nullable=False),
    sa.Column("track", sa.String(), nullable=False),
    sa.Column("stage", sa.String(), nullable=False),
    sa.Column("attendance_days", sa.Integer(), nullable=False),
    sa.Column("requirements_approved", sa.Integer(), nullable=False),
    sa.Column("withdrawn", sa.Boolean(), nullable=False),
    sa.Column("non_participating", sa.Boolean(), nullable=False),
    sa.Column("exam_eligible", sa.Boolean(), nullable=False),
    sa.Column("written_grade", sa.String(), nullable=True),
    sa.Column("oral_adjustment", sa.Integer(), nullable=True),
    sa.Column("final_grade", sa.String(), nullable=True),
    sa.Column("credits", sa.Integer(), nullable=False),
    sa.Column("certificate", sa.String(), nullable=True),
    sa.Column("replaced", sa.Boolean(), nullable=False),
    sa.Column("end_reason", sa.String(), nullable=True),
    sa.Column("updated_at", TIME, nullable=False),
    sa.PrimaryKeyConstraint("participant_id"),
    sa.Index("ix_participants_cohort", "cohort"),
    sa.Index("ix_participants_group_id", "group_id"),
)
sa.Table(
    "people",
    BASELINE,
    sa.Column("person_id", sa.String(), nullable=False),
    sa.Column("cohort", sa.String(), nullable=False),
    sa.Column("kind", sa.String(), nullable=False),
    sa.Column("confirmed", sa.Boolean(), nullable=False),
    sa.Column("created_at", TIME, nullable=False),
    sa.Column("touched_at", TIME, nullable=False),
    sa.Column("name", sa.LargeBinary(), nullable=False),
    sa.Column("email", sa.LargeBinary(), nullable=False),
    sa.Column("role", sa.LargeBinary(), nullable=False),
    sa.Column("sector", sa.LargeBinary(), nullable=False),
    sa.Column("education_years", sa.LargeBinary(), nullable=False),
    sa.Column("experience_years", sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint("person_id"),
    sa.Index("ix_people_cohort", "cohort"),
    sa.Index("ix_people_confirmed", "confirmed"),
)
sa.Table(
    "privacy_log",
    BASELINE,
    sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
    sa.Column("person_id", sa.String(), nullable=False),
    sa.Column("actor", sa.String(), nullable=False),
    sa.Column("action", sa.String(), nullable=False),
    sa.Column("outcome", sa.String(), nullable=False),
    sa.Column("reason", sa.Text(), nullable=True),
    sa.Column("at", TIME, nullable=False),
    sa.PrimaryKeyConstraint("id"),
    sa.Index("ix_privacy_log_person_id", "person_id"),
)
sa.Table(
    "resits",
    BASELINE,
    sa.Column("resit_id", sa.String(), nullable=False),
    sa.Column("participant_id", sa.String(), nullable=False),
    sa.Column("group_id", sa.String(), nullable=False),
    sa.Column("cohort", sa.String(), nullable=False),
    sa.Column("person_id", sa.String(), nullable=False),
    sa.Column("attempt", sa.Integer(), nullable=False),
    sa.Column("stage", sa.String(), nullable=False),
    sa.Column("period_label", sa.String(), nullable=False),
    sa.Column("period_end", TIME, nullable=False),
    sa.Column("grade_before", sa.String(), nullable=True),
    sa.Column("written", sa.String(), nullable=True),
    sa.Column("oral_adjustment", sa.Integer(), nullable=True),
    sa.Column("attempt_grade", sa.String(), nullable=True),
    sa.Column("grade_after", sa.String(), nullable=True),
    sa.Column("credits_after", sa.Integer(), nullable=True),
    sa.Column("registered_at", TIME, nullable=False),
    sa.Column("decided_at", TIME, nullable=True),
    sa.Column("updated_at", TIME, nullable=False),
    sa.PrimaryKeyConstraint("resit_id"),
    sa.Index("ix_resits_cohort", "cohort"),
    sa.Index("ix_resits_participant_id", "participant_id"),
    sa.Index("ix_resits_person_id", "person_id"),
)
sa.Table(
    "web_sessions",
    BASELINE,
    sa.Column("secret_hash", sa.String(length=64), nullable=False),
    sa.Column("username", sa.String(length=64), nullable=False),
    sa.Column("kind", sa.String(length=16), nullable=False),
    sa.Column("csrf", sa.String(length=64), nullable=False),
    sa.Column("created_at", TIME, nullable=False),
    sa.Column("last_seen_at", TIME, nullable=False),
    sa.Column("expires_at", TIME, nullable=False),
    sa.PrimaryKeyConstraint("secret_hash"),
    sa.Index("ix_web_sessions_expires_at", "expires_at"),
    sa.Index("ix_web_sessions_username", "username"),
)
sa.Table(
    "person_keys",
    BASELINE,
    sa.Column("person_id", sa.String(), nullable=False),
    sa.Column("wrapped_key", sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(["person_id"], ["people.person_id"], ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("person_id"),
)


def upgrade() -> None:
    bind = op.get_bind()
    present = set(sa.inspect(bind).get_table_names())
    for table in BASELINE.sorted_tables:  # people before person_keys, which refers to it
        if table.name in present:
            _adopt(bind, table)
        else:
            table.create(bind)


def _adopt(bind: sa.Connection, table: sa.Table) -> None:
    """A table create_all made in an earlier release: the columns and indexes it lacks, the nullability it gained."""
    inspector = sa.inspect(bind)
    existing = {column["name"]: column for column in inspector.get_columns(table.name)}
    with op.batch_alter_table(table.name) as batch:
        for column in table.columns:
            if column.name not in existing:
                batch.add_column(_addable(column))
            elif column.nullable and not existing[column.name]["nullable"]:
                batch.alter_column(column.name, existing_type=column.type, nullable=True)
    indexes = {index["name"] for index in inspector.get_indexes(table.name)}
    for index in table.indexes:
        if index.name not in indexes:
            op.create_index(str(index.name), table.name, [column.name for column in index.columns])


def _addable(column: sa.Column[object]) -> sa.Column[object]:
    """A column to add to a table that may have rows: a required flag starts false for them."""
    added = column._copy()
    if not added.nullable and added.server_default is None:
        if not isinstance(added.type, sa.Boolean):
            raise RuntimeError(f"cannot add the required column {column.table.name}.{column.name} to existing rows")
        added.server_default = sa.DefaultClause(sa.false())
    return added


def downgrade() -> None:
    for table in reversed(BASELINE.sorted_tables):
        op.drop_table(table.name)
