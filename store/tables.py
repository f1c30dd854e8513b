"""The read model and the delivery/audit records, as SQLAlchemy 2 typed mappings.

The read-model tables (cohorts, groups, participants) and the outbox hold no names or e-mail addresses: people
are referred to by their opaque person ID.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, LargeBinary, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, on every backend.

    SQLite has no time-zone type and hands back naive values; storing UTC and re-attaching it on the way out
    keeps comparisons between rows read from SQLite and PostgreSQL honest.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass an aware one (UTC)")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    # every datetime column is stored as UTC and read back aware
    type_annotation_map = {datetime: UtcDateTime}


class CohortRecord(Base):
    __tablename__ = "cohorts"

    cohort: Mapped[str] = mapped_column(primary_key=True)
    stage: Mapped[str]
    seed: Mapped[str | None]  # the published lottery seed, once drawn
    places: Mapped[int]
    applications: Mapped[int]
    admitted: Mapped[int]
    waitlisted: Mapped[int]
    refused: Mapped[int]
    # what waits for the administration on the whole cohort (code/params), as its workflow decides it
    pending: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, default=None)
    updated_at: Mapped[datetime]


class GroupRecord(Base):
    """One applying municipality (or joint application) and, once admitted, its project group."""

    __tablename__ = "groups"

    group_id: Mapped[str] = mapped_column(primary_key=True)
    cohort: Mapped[str] = mapped_column(index=True)
    application_id: Mapped[str]  # kommunenumre joined by '+'
    municipalities: Mapped[str]
    region: Mapped[str]
    size: Mapped[str]
    outcome: Mapped[str]  # applied/admitted/waitlist/moved_up/gave_up/not_selected/refused
    stage: Mapped[str]
    requirements_approved: Mapped[int]
    written_grade: Mapped[str | None]
    written_submitted: Mapped[bool] = mapped_column(default=False)
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    requirements: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, default=None)  # number/status/deadline
    pending: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, default=None)  # code/params
    updated_at: Mapped[datetime]


class GroupDetailRecord(Base):
    """The group as its page shows it (workflows.messages.GroupDetail as JSON), written by the group with its other
    rows: the page reads this instead of asking the workflow, which waits behind the worker in a burst. Kept apart
    from `groups` so the lists that read many groups do not load it."""

    __tablename__ = "group_details"

    group_id: Mapped[str] = mapped_column(primary_key=True)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)
    as_of: Mapped[datetime]  # the start of the group's workflow task that made it (workflow.now())
    updated_at: Mapped[datetime]


class OfferRecord(Base):
    """An application's offer of a place (answer deadline, answer), written by the cohort's workflow for its group's
    page (activities.models.OfferRow)."""

    __tablename__ = "offers"

    group_id: Mapped[str] = mapped_column(primary_key=True)
    cohort: Mapped[str] = mapped_column(index=True)
    outcome: Mapped[str]
    answer_by: Mapped[datetime | None] = mapped_column(default=None)
    answered: Mapped[str | None] = mapped_column(default=None)  # domain.offers.Answer
    as_of: Mapped[datetime]  # the start of the cohort's workflow task that made it (workflow.now())
    updated_at: Mapped[datetime]


class InnovationRecord(Base):
    """A group's innovation project as the statistics count it: its title and its partners' kinds (no names)."""

    __tablename__ = "innovation_projects"

    group_id: Mapped[str] = mapped_column(primary_key=True)
    cohort: Mapped[str] = mapped_column(index=True)
    title: Mapped[str]
    partner_kinds: Mapped[str]  # the kinds of its partners, comma-separated, one per partner
    reports: Mapped[int]  # work requirements it reported drivers and barriers for
    updated_at: Mapped[datetime]


class ParticipantPersonRecord(Base):
    """Which person of the register a participant is (both opaque IDs): the statistics count roles through it."""

    __tablename__ = "participant_people"

    participant_id: Mapped[str] = mapped_column(primary_key=True)
    person_id: Mapped[str]
    cohort: Mapped[str] = mapped_column(index=True)
    updated_at: Mapped[datetime]


class ParticipantRecord(Base):
    """A participant by opaque id only: no name, no e-mail."""

    __tablename__ = "participants"

    participant_id: Mapped[str] = mapped_column(primary_key=True)
    group_id: Mapped[str] = mapped_column(index=True)
    cohort: Mapped[str] = mapped_column(index=True)
    sector: Mapped[str]
    track: Mapped[str]
    stage: Mapped[str]
    attendance_days: Mapped[int]
    requirements_approved: Mapped[int]
    withdrawn: Mapped[bool]
    non_participating: Mapped[bool]
    exam_eligible: Mapped[bool]
    written_grade: Mapped[str | None]
    oral_adjustment: Mapped[int | None]
    final_grade: Mapped[str | None]
    credits: Mapped[int]
    certificate: Mapped[str | None]
    replaced: Mapped[bool] = mapped_column(default=False)
    end_reason: Mapped[str | None] = mapped_column(default=None)  # a code of domain/catalogue/reasons.py
    updated_at: Mapped[datetime]


class OutboxRecord(Base):
    """One letter to one reader, by person ID and the notice's facts: no name, address or text is stored.

    The letter is rendered from the notice and the register of people when it is delivered and when it is shown,
    so erasing a person from the register leaves nothing here that names them. The key makes a retried activity
    queue a letter only once; the status is queued, sent or undelivered (with the reason)."""

    __tablename__ = "outbox"
    # the letters page reads a cohort's letters newest first, a page at a time, and its summary (per status, the kinds)
    # from the indexes alone
    __table_args__ = (
        Index("ix_outbox_cohort_created", "cohort", "created_at"),
        Index("ix_outbox_cohort_status", "cohort", "status"),
        Index("ix_outbox_cohort_kind", "cohort", "kind"),
    )

    idempotency_key: Mapped[str] = mapped_column(primary_key=True)  # f"{notice key}:{person ID or 'staff'}"
    cohort: Mapped[str] = mapped_column(index=True)
    kind: Mapped[str]  # the notice kind: admitted, gathering_ahead, ...
    notice: Mapped[str] = mapped_column(Text)  # the typed notice as JSON
    person_id: Mapped[str] = mapped_column(index=True)  # a person in the register, or "staff"
    status: Mapped[str] = mapped_column(index=True)  # queued / sent / undelivered
    reason: Mapped[str | None]  # why undelivered (or why the last attempt failed): an error type or SMTP code
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime]  # the relay leaves a queued letter alone until then
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]


class AuditRecord(Base):
    """Who asked a workflow to do what, and whether it was accepted or refused (and why). The action is a code
    (domain/catalogue/labels.py names it), `params` what it was about and `problems` why it was refused, as codes
    and parameters the catalogue says in Norwegian; `reason` is the text of rows from before (or a refusal that
    came without codes)."""

    __tablename__ = "audit"
    # the cohort page's statistics ask for the accepted requirement actions' count and newest (statistics_rows.py)
    __table_args__ = (Index("ix_audit_action_id", "action", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    idempotency_key: Mapped[str] = mapped_column(unique=True)  # a retried activity inserts its entry once
    workflow_id: Mapped[str] = mapped_column(index=True)
    actor: Mapped[str]
    action: Mapped[str]
    outcome: Mapped[str]  # 'accepted' | 'refused'
    reason: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime]
    params: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)  # store.db adds it to an older table
    problems: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, default=None)  # likewise


class PersonRecord(Base):
    """One person of the register (store/people.py): opaque ID and non-personal facts in the clear, every personal
    value sealed with the person's own data key (AES-GCM, the column's name and the ID as associated data)."""

    __tablename__ = "people"

    person_id: Mapped[str] = mapped_column(primary_key=True)
    cohort: Mapped[str] = mapped_column(index=True)
    kind: Mapped[str]  # 'contact' | 'participant'
    confirmed: Mapped[bool] = mapped_column(index=True)  # False until a workflow accepted the application
    created_at: Mapped[datetime]
    touched_at: Mapped[datetime]  # last registration; the sweep of unconfirmed leftovers goes by it
    name: Mapped[bytes] = mapped_column(LargeBinary)
    email: Mapped[bytes] = mapped_column(LargeBinary)
    role: Mapped[bytes] = mapped_column(LargeBinary)
    sector: Mapped[bytes] = mapped_column(LargeBinary)
    education_years: Mapped[bytes] = mapped_column(LargeBinary)
    experience_years: Mapped[bytes] = mapped_column(LargeBinary)


class PersonKeyRecord(Base):
    """A person's data key, wrapped by the register key. Kept apart from `people` so that erasing the key
    (crypto-shredding) also makes every copy of a `people` row unreadable: backups, replicas, dumps."""

    __tablename__ = "person_keys"

    person_id: Mapped[str] = mapped_column(ForeignKey("people.person_id", ondelete="CASCADE"), primary_key=True)
    wrapped_key: Mapped[bytes] = mapped_column(LargeBinary)


class EnrolmentRecord(Base):
    """Which workflows act for a person: written by the gateway when a workflow accepts them. A contact is
    enrolled in the group's workflow, a participant in the group's and their own (participant_workflow_id)."""

    __tablename__ = "enrolments"

    person_id: Mapped[str] = mapped_column(primary_key=True)
    group_workflow_id: Mapped[str] = mapped_column(primary_key=True)
    participant_workflow_id: Mapped[str | None] = mapped_column(index=True)
    cohort: Mapped[str] = mapped_column(index=True)
    kind: Mapped[str]  # 'contact' | 'participant'


class PrivacyLogRecord(Base):
    """Who exported or erased whose data, when, and whether it was done or refused (and why). By person ID only."""

    __tablename__ = "privacy_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    person_id: Mapped[str] = mapped_column(index=True)
    actor: Mapped[str]
    action: Mapped[str]  # 'export' | 'erase'
    outcome: Mapped[str]  # 'done' | 'refused'
    reason: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime]
