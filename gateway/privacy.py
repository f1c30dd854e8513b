"""A person's rights over their data (GDPR art. 15 access, art. 17 erasure), for the command line and the web app.

What the system holds about one person, by person ID:
- the register (store/people.py): name, e-mail, role, sector, years; and the enrolments, which workflows act for
  them (`enrolments`, written by the gateway when a workflow accepts them);
- the letters to them (the outbox rows by `person_id`: the notice's facts, rendered again when shown);
- the audit entries about them: those of their own participant workflow and those naming it or their person ID;
- the read model's participant rows of their participant workflows (no name there: sector, track, grades);
- the privacy log (who exported or erased their data);
- a municipality contact's registrations on the web (the token's hash left out) and the application drafts of the
  account they made, opened (a draft holds the participants the contact was entering: it goes with the contact).

**Export** returns all of it (letters as stored). **Erase** refuses while a workflow that acts for the person is
still running (their participant workflow; the group's for a contact or for a participant not started yet); else,
in one transaction, it shreds their data key and deletes their register row and enrolments and their letters, and
logs who erased whom and when. It keeps the participant rows of the read model: the grade record a school must
keep, by an ID that names no one once the enrolment linking it to the person is gone. It keeps the audit trail,
which names no one either (actors are staff). Every export and erase, refused ones too, goes to the privacy log.
"""

from __future__ import annotations

import base64
import re
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import ColumnElement, Table, Text, cast, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client, WorkflowExecutionStatus
from temporalio.service import RPCError, RPCStatusCode

from activities.documents import Documents
from domain.refusals import Refusal
from domain.text import cut
from gateway.admin import Refused
from runtime.codec import load_keys
from runtime.settings import Settings
from store.db import under_workflow
from store.explanations import ExplanationRecord
from store.people import People, PersonData, register_key
from store.registrations import ApplicationDraftRecord, Drafts, RegistrationRecord, draft_key
from store.tables import AuditRecord, EnrolmentRecord, OutboxRecord, ParticipantRecord, PersonRecord, PrivacyLogRecord

PERSON_ID = re.compile(r"^p[0-9a-f]{20}$")


class RegisterEntry(BaseModel):
    cohort: str
    kind: str
    confirmed: bool
    created_at: datetime
    data: PersonData


class PersonExport(BaseModel):
    """Everything held about one person (art. 15), as the export writes it."""

    person_id: str
    exported_at: datetime
    person: RegisterEntry | None  # the register's row, decrypted
    enrolments: list[dict[str, Any]]
    letters: list[dict[str, Any]]
    audit: list[dict[str, Any]]
    read_model: list[dict[str, Any]]
    privacy_log: list[dict[str, Any]]
    registrations: list[dict[str, Any]] = []  # a contact's registrations on the web, without the token's hash
    drafts: list[dict[str, Any]] = []  # the application drafts of the accounts those registrations made, opened
    explanations: list[dict[str, Any]] = []  # a begrunnelse asked for, and the examiner's words once given


class Erased(BaseModel):
    person_id: str
    in_register: bool  # the person was in the register (and now is not)
    letters: int  # outbox rows deleted
    grade_records_kept: list[str]  # participant rows kept by their opaque ID
    at: datetime


def check_person_id(person_id: str) -> str:
    if not PERSON_ID.match(person_id):
        raise Refusal("privacy.not_person_id", value=cut(person_id))
    return person_id


class Privacy:
    def __init__(
        self,
        client: Client,
        sessions: async_sessionmaker[AsyncSession],
        people: People,
        documents: Documents | None = None,
        drafts: Drafts | None = None,
    ) -> None:
        self.client = client
        self.sessions = sessions
        self.people = people
        self.documents = documents  # transcripts and certificates print the name: they go with the person
        self.drafts = drafts  # to open the drafts for an export; without it an export lists them sealed

    async def export(self, person_id: str, actor: str) -> PersonExport:
        """Everything held about the person; Refused when nothing is (never registered, or erased)."""
        check_person_id(person_id)
        found = await self.people.record(person_id)
        export = await self._gather(person_id, found)
        if export is not None:
            export.drafts = [await self._opened(draft) for draft in export.drafts]
        if export is None:
            await self._log(person_id, actor, "export", "refused", "not in the register")
            raise Refused(Refusal("privacy.not_in_register", person=person_id))
        await self._log(person_id, actor, "export", "done")
        return export

    async def _gather(self, person_id: str, found: tuple[PersonRecord, PersonData] | None) -> PersonExport | None:
        async with self.sessions() as session:
            enrolments = await _rows(session, EnrolmentRecord.__table__, EnrolmentRecord.person_id == person_id)
            participant_ids = [e["participant_workflow_id"] for e in enrolments if e["participant_workflow_id"]]
            letters = await _rows(session, OutboxRecord.__table__, _letters_of(person_id))
            registrations = await _rows(session, RegistrationRecord.__table__, _registrations_of(person_id))
            for row in registrations:
                row.pop("token_hash", None)  # the key to a link: not the person's data
            drafts = await _rows(session, ApplicationDraftRecord.__table__, _drafts_of(person_id))
            if found is None and not enrolments and not letters and not registrations:
                return None
            return PersonExport(
                person_id=person_id,
                exported_at=datetime.now(UTC),
                enrolments=enrolments,
                letters=letters,
                person=RegisterEntry(
                    cohort=found[0].cohort,
                    kind=found[0].kind,
                    confirmed=found[0].confirmed,
                    created_at=found[0].created_at,
                    data=found[1],
                )
                if found
                else None,
                audit=await _rows(session, AuditRecord.__table__, _audit_about(person_id, participant_ids)),
                read_model=await _rows(
                    session, ParticipantRecord.__table__, _grade_records_of(person_id, participant_ids)
                ),
                privacy_log=await _rows(session, PrivacyLogRecord.__table__, PrivacyLogRecord.person_id == person_id),
                registrations=registrations,
                drafts=drafts,  # opened below, out of this session (SQLite's pool has one connection)
                explanations=await _rows(
                    session, ExplanationRecord.__table__, ExplanationRecord.person_id == person_id
                ),
            )

    async def _opened(self, draft: dict[str, Any]) -> dict[str, Any]:
        """A draft's row with its content opened, when the drafts' key is at hand."""
        if self.drafts is None:
            return draft
        content = await self.drafts.load(draft["username"], draft["cohort"])
        return {key: value for key, value in draft.items() if key != "sealed"} | {"content": content}

    async def erase(self, person_id: str, actor: str) -> Erased:
        """Erase the person's personal data (art. 17); Refused, with the reason, while they are in a running
        programme or when nothing is held about them."""
        check_person_id(person_id)
        enrolments = await self.people.enrolments(person_id)
        found = await self.people.record(person_id)
        try:
            await self._require_ended(person_id, enrolments)
        except Refused as refused:
            await self._log(person_id, actor, "erase", "refused", str(refused))
            raise
        letters_of = _letters_of(person_id)
        registered = await self._registered(person_id)
        if found is None and not enrolments and not registered and not await self._any(letters_of):
            await self._log(person_id, actor, "erase", "refused", "not in the register")
            raise Refused(Refusal("privacy.not_in_register", person=person_id))
        kept = sorted({e.participant_workflow_id for e in enrolments if e.participant_workflow_id})
        now = datetime.now(UTC)
        async with self.sessions() as session, session.begin():
            in_register = await self.people.erase_rows(session, person_id)  # also makes the deletes below zero pages
            count = int(getattr(await session.execute(delete(OutboxRecord).where(letters_of)), "rowcount", 0) or 0)
            await session.execute(delete(ApplicationDraftRecord).where(_drafts_of(person_id)))
            await session.execute(delete(RegistrationRecord).where(_registrations_of(person_id)))
            # a begrunnelse's words are about the person's work: they go with the person (the request's row stays,
            # by opaque IDs, as the grade it concerns does)
            await session.execute(
                update(ExplanationRecord).where(ExplanationRecord.person_id == person_id).values(text=None)
            )
            session.add(
                PrivacyLogRecord(
                    person_id=person_id,
                    actor=actor,
                    action="erase",
                    outcome="done",
                    reason=f"register {'erased' if in_register else 'empty'}, {count} letter(s)",
                    at=now,
                )
            )
        if self.documents is not None:
            await self.documents.erase(person_id)
        await self.people.checkpoint()
        return Erased(person_id=person_id, in_register=in_register, letters=count, grade_records_kept=kept, at=now)

    async def _require_ended(self, person_id: str, enrolments: list[EnrolmentRecord]) -> None:
        for enrolment in enrolments:
            running = await self._acting(enrolment)
            if running:
                raise Refused(Refusal("privacy.still_running", person=person_id, workflow=running))

    async def _acting(self, enrolment: EnrolmentRecord) -> str | None:
        """The running workflow that acts for the person: their own participant workflow; the group's for a contact,
        or for a participant not started yet (a group on the waiting list can still start them). A participant
        whose own workflow has ended (replaced, withdrawn, finished) is free to go while the group runs on."""
        own = enrolment.participant_workflow_id
        if own is not None:
            status = await self._status(own)
            if status is not None:
                return own if status == WorkflowExecutionStatus.RUNNING else None
        group = enrolment.group_workflow_id
        return group if await self._status(group) == WorkflowExecutionStatus.RUNNING else None

    async def _status(self, workflow_id: str) -> WorkflowExecutionStatus | None:
        """None when there is no such workflow (never started: a group refused, participants never admitted)."""
        try:
            description = await self.client.get_workflow_handle(workflow_id).describe()
        except RPCError as error:
            if error.status == RPCStatusCode.NOT_FOUND:
                return None
            raise
        return description.status

    async def _any(self, where: ColumnElement[bool]) -> bool:
        async with self.sessions() as session:
            return (await session.execute(select(OutboxRecord.__table__).where(where).limit(1))).first() is not None

    async def _registered(self, person_id: str) -> bool:
        async with self.sessions() as session:
            query = select(RegistrationRecord.token_hash).where(_registrations_of(person_id)).limit(1)
            return (await session.execute(query)).first() is not None

    async def _log(self, person_id: str, actor: str, action: str, outcome: str, reason: str | None = None) -> None:
        async with self.sessions() as session, session.begin():
            session.add(
                PrivacyLogRecord(
                    person_id=person_id,
                    actor=actor,
                    action=action,
                    outcome=outcome,
                    reason=reason,
                    at=datetime.now(UTC),
                )
            )


def _letters_of(person_id: str) -> ColumnElement[bool]:
    return OutboxRecord.person_id == person_id


def open_drafts(settings: Settings, sessions: async_sessionmaker[AsyncSession]) -> Drafts:
    """The application drafts with the key the web app seals them with (derived from the register's)."""
    return Drafts(sessions, draft_key(register_key(load_keys(settings).identity)))


def _registrations_of(person_id: str) -> ColumnElement[bool]:
    return RegistrationRecord.person_id == person_id


def _drafts_of(person_id: str) -> ColumnElement[bool]:
    """The drafts of the accounts the person's registrations made (one account may speak for several
    municipalities: its drafts go with the person who made it)."""
    accounts = select(RegistrationRecord.username).where(_registrations_of(person_id))
    return ApplicationDraftRecord.username.in_(accounts.where(RegistrationRecord.username.is_not(None)))


def _grade_records_of(person_id: str, participant_ids: list[str]) -> ColumnElement[bool]:
    # by the enrolments; and by person ID too, should the read model come to keep it
    columns = ParticipantRecord.__table__.c
    found: list[ColumnElement[bool]] = [columns["participant_id"].in_(participant_ids)]
    if "person_id" in columns:
        found.append(columns["person_id"] == person_id)
    return or_(*found)


def _audit_about(person_id: str, participant_ids: list[str]) -> ColumnElement[bool]:
    about = _naming(person_id)
    for workflow_id in participant_ids:
        about += [under_workflow(AuditRecord.workflow_id, workflow_id), *_naming(workflow_id)]
    return or_(*about)


def _naming(name: str) -> list[ColumnElement[bool]]:
    """Entries whose text, parameters or problems name it (the JSON columns read as their text)."""
    columns = [AuditRecord.reason, cast(AuditRecord.params, Text), cast(AuditRecord.problems, Text)]
    return [column.contains(name, autoescape=True) for column in columns]


async def _rows(session: AsyncSession, table: Table | Any, where: ColumnElement[bool]) -> list[dict[str, Any]]:
    """Rows as JSON-ready mappings of every column, whatever columns the table has on this tree."""
    result = await session.execute(select(table).where(where))
    return [{name: _plain(value) for name, value in row.items()} for row in result.mappings()]


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return {"base64": base64.b64encode(value).decode()}  # sealed at rest; shown as stored
    return value
