"""Roll call: a whole gathering day's attendance across every group of a cohort in one form.

The list comes from the read model (the groups' and participants' rows, names from the register), one query each
rather than one workflow query per group, so it stays cheap for a national cohort. Saving is the groups' own
`register_attendance` update, one per group with that one day, sent concurrently: each group decides for itself, so
a refusal of one leaves the others saved, and the result says which were which.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain.ids import CohortId, GroupId, ParticipantId
from domain.lifecycle import IN_PROGRAMME, GroupStage
from domain.municipalities import names
from domain.refusals import Problem, Refusal
from gateway.admin import Admin, Refused
from gateway.commands import ATTENDANCE
from store.accounts import Account
from store.people import People
from store.tables import AuditRecord, GroupRecord, ParticipantPersonRecord, ParticipantRecord
from workflows.messages import AttendanceInput, DayAttendance

AT_ONCE = 8  # updates in flight at a time: a national cohort's hundred groups without a burst on the server
TAKES_ATTENDANCE = (GroupStage.PROGRAMME, GroupStage.WRITTEN, GroupStage.GRADING)  # not yet published or ended


@dataclass(frozen=True)
class Member:
    participant_id: str  # the participant's workflow ID: the checkbox's value, never shown
    name: str
    withdrawn: bool  # not on the form; named still, when a group refuses them as no longer its member


@dataclass(frozen=True)
class RollGroup:
    application_id: str
    members: list[Member]

    @property
    def name(self) -> str:
        return names(self.application_id)

    @property
    def active(self) -> list[Member]:
        return [m for m in self.members if not m.withdrawn]


@dataclass
class RollCallResult:
    saved: list[str] = field(default_factory=list)  # application IDs, in the list's order
    refused: dict[str, str] = field(default_factory=dict)  # application ID -> the reason in Norwegian


async def roll(sessions: async_sessionmaker[AsyncSession], people: People | None, cohort: str) -> list[RollGroup]:
    """Every group of the cohort that takes attendance, by municipality name, with its members by name (those who
    withdrew marked); a member the register no longer names is said by their place."""
    async with sessions() as session:
        groups = (
            await session.scalars(
                select(GroupRecord)
                .where(GroupRecord.cohort == cohort, GroupRecord.outcome.in_([o.value for o in IN_PROGRAMME]))
                .where(GroupRecord.stage.in_([s.value for s in TAKES_ATTENDANCE]))
            )
        ).all()
        rows = (
            await session.execute(
                select(
                    ParticipantRecord.group_id,
                    ParticipantRecord.participant_id,
                    ParticipantPersonRecord.person_id,
                    ParticipantRecord.withdrawn,
                )
                .outerjoin(
                    ParticipantPersonRecord, ParticipantPersonRecord.participant_id == ParticipantRecord.participant_id
                )
                .where(ParticipantRecord.cohort == cohort)
                .where(ParticipantRecord.replaced.is_(False))
                .order_by(ParticipantRecord.participant_id)
            )
        ).all()
    found = await people.get_many(p for _, _, p, _ in rows if p) if people is not None else {}
    members: dict[str, list[Member]] = {}
    for group_id, participant_id, person_id, withdrawn in rows:
        person = found.get(person_id) if person_id else None
        name = person.name if person else unnamed(participant_id)
        members.setdefault(group_id, []).append(Member(participant_id, name, withdrawn))
    listed = [RollGroup(g.application_id, members.get(g.group_id, [])) for g in groups]
    return sorted(listed, key=lambda g: (g.name, g.application_id))


async def registered(
    sessions: async_sessionmaker[AsyncSession], cohort: str, gathering: int, day: int
) -> dict[str, int]:
    """How many each group last registered as present that day (its accepted attendance entries in the audit
    trail), by application ID: the form cannot tick who they were without asking every group's workflow."""
    top = CohortId.parse(cohort).workflow_id + ".gruppe-"
    async with sessions() as session:
        entries = await session.execute(
            select(AuditRecord.workflow_id, AuditRecord.params)
            .where(AuditRecord.action == "register_attendance", AuditRecord.outcome == "accepted")
            .where(AuditRecord.workflow_id.startswith(top))
            .order_by(AuditRecord.id)
        )
        counts: dict[str, int] = {}
        key = f"present_day_{day}"
        for workflow_id, params in entries.all():
            said = params or {}
            application_id = workflow_id.removeprefix(top)
            if said.get("gathering") == gathering and key in said and "." not in application_id:  # the group's own
                counts[application_id] = int(said[key])
        return counts


def unnamed(participant_id: str) -> str:
    member = ParticipantId.parse(participant_id)
    return f"Deltaker {member.number} i gruppe {names(member.group.application_id)}"


def presence(cohort: str, groups: list[str], present: list[str]) -> dict[str, list[str]]:
    """The ticked members by group, each group of the form named (nobody ticked: all absent that day). ValueError
    names a member who is not in a group of the form."""
    by_group: dict[str, list[str]] = {g: [] for g in groups}
    for participant_id in dict.fromkeys(present):
        try:
            member = ParticipantId.parse(participant_id)
        except Refusal:
            member = None
        if member is None or member.group.cohort.cohort != cohort or member.group.application_id not in by_group:
            raise ValueError("oppropet nevner en deltaker som ikke er i noen av gruppene i skjemaet")
        by_group[member.group.application_id].append(participant_id)
    return by_group


async def register_roll_call(
    admin: Admin,
    account: Account,
    cohort: str,
    gathering: int,
    day: int,
    present: dict[str, list[str]],
    known: dict[str, str] | None = None,
) -> RollCallResult:
    """One attendance update per group for gathering `gathering`, day `day`, as `account`, at most AT_ONCE at a
    time. A group's refusal (Refused) is its answer, in Norwegian with members by the names in `known` (participant
    ID -> name, as the form showed them); anything else is raised once every group has answered."""
    limit = asyncio.Semaphore(AT_ONCE)

    async def one(application_id: str, members: list[str]) -> None:
        action = AttendanceInput(
            actor=account.username, gathering=gathering, days=[DayAttendance(day=day, present=members)]
        )
        async with limit:
            await admin.perform(ATTENDANCE, GroupId.of(cohort, application_id), action, account)

    answers = await asyncio.gather(*(one(g, m) for g, m in present.items()), return_exceptions=True)
    result = RollCallResult()
    for application_id, answer in zip(present, answers, strict=True):
        if answer is None:
            result.saved.append(application_id)
        elif isinstance(answer, Refused):
            result.refused[application_id] = said(answer, known or {})
        else:
            raise answer
    return result


def said(refused: Refused, known: dict[str, str]) -> str:
    """The refusal in the catalogue's words; members the group no longer has are named, never by their ID."""
    problems = [
        Problem(p.code, dict(p.params) | {"participants": _named(str(p.params["participants"]), known)})
        if p.code == "group.attendance_not_members"
        else p
        for p in refused.problems
    ]
    return Refusal.of(problems).text() if problems else str(refused)


def _named(participants: str, known: dict[str, str]) -> str:
    said_: list[str] = []
    for participant_id in participants.split(", "):
        try:
            said_.append(known.get(participant_id) or unnamed(participant_id))
        except Refusal:
            said_.append(participant_id)
    return ", ".join(said_)
