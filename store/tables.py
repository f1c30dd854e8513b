"""The read model and the delivery/audit records, as SQLAlchemy 2 typed mappings.

The read-model tables (cohorts, groups, participants) hold no names or e-mail addresses: those stay in the
(encrypted) workflow state. Only the outbox holds an address, because it is the record of a delivery.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, Integer, Text
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
    updated_at: Mapped[datetime]


class OutboxRecord(Base):
    """One notice to one recipient; its key makes a retried activity insert and send it only once."""

    __tablename__ = "outbox"

    idempotency_key: Mapped[str] = mapped_column(primary_key=True)
    recipient: Mapped[str]  # e-mail address
    template: Mapped[str]
    subject: Mapped[str]
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)


class AuditRecord(Base):
    """Who asked a workflow to do what, and whether it was accepted or refused (and why)."""

    __tablename__ = "audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    workflow_id: Mapped[str] = mapped_column(index=True)
    actor: Mapped[str]
    action: Mapped[str]
    outcome: Mapped[str]  # 'accepted' | 'refused'
    reason: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime]
