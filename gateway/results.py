"""The year's results of a cohort after release and appeals, for documents and the export to FS.

Read from the read model's rows (the group's release time, each member's grade and person; a group whose row does not
show the release yet is asked directly), the decided appeals (store/end_of_year.py),
which replace the grade of the person who appealed, and the decided re-sits (store/end_of_year.py), whose best grade
counts. Person IDs only; names come from the register where a document needs one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select

from activities.document_issuing import Settled, document_facts, result_day, settle
from activities.documents import Documents, Issued
from activities.letters import PeopleLookup
from domain.models import Grade
from gateway.admin import Admin
from store import end_of_year as end_of_year_store
from store.end_of_year import AppealRecord, ResitRecord
from store.tables import GroupRecord, ParticipantPersonRecord, ParticipantRecord
from workflows.cohort import CohortWorkflow
from workflows.group import GroupWorkflow
from workflows.ids import cohort_workflow_id, group_workflow_id
from workflows.messages import CohortOverview, GroupDetail, MemberView

IN_PROGRAMME = ("admitted", "moved_up")


@dataclass(frozen=True)
class Result:
    participant_id: str
    person_id: str
    cohort: str
    certificate: str | None  # "transcript" | "course_certificate" | None, after appeals and re-sits
    grade: Grade | None  # the grade that counts: after appeals and re-sits
    credits: int
    released: datetime
    appeal: AppealRecord | None  # the decided appeal of the ordinary exam, if any
    first_grade: Grade | None = None  # the ordinary exam's grade after its appeal
    resits: tuple[ResitRecord, ...] = ()  # the decided re-sits, first attempt first
    resit_appeals: tuple[AppealRecord, ...] = ()  # the decided appeals of re-sits

    @property
    def result_date(self) -> date:
        return result_day(self.released, self.appeal, self.resits, {a.attempt: a for a in self.resit_appeals})


async def cohort_results(admin: Admin, cohort: str) -> list[Result]:
    """Every member of a released group with a grade or a course certificate, in group and member order."""
    overview: CohortOverview = await admin.query(cohort_workflow_id(cohort), CohortWorkflow.overview)
    groups = [group_workflow_id(cohort, r.id) for r in overview.applications if r.outcome.value in IN_PROGRAMME]
    return await group_results(admin, cohort, groups)


@dataclass(frozen=True)
class _Member:
    """What the year's result needs of a member: from the read model's rows, or from the group's detail."""

    participant_workflow_id: str
    person_id: str
    replaced: bool
    final_grade: Grade | None
    credits: int
    certificate: str | None


async def group_results(admin: Admin, cohort: str, group_ids: list[str]) -> list[Result]:
    """The released groups' members from the read model (the groups', participants' and participant_people rows):
    one query for all, not a query per group that replays its whole history (~360 at national size). A group whose
    row does not say it is released yet (its projection not written) is asked directly, as before."""
    decided, resit_appeals = await _decided_appeals(admin, cohort)
    resits = await _decided_resits(admin, cohort)
    from_rows = await _released_from_rows(admin, group_ids)
    results: list[Result] = []
    for group_id in group_ids:
        if group_id in from_rows:
            released, members = from_rows[group_id]
        else:
            group: GroupDetail = await admin.query(group_id, GroupWorkflow.detail)
            if group.published_at is None:
                continue
            released, members = group.published_at, [_of_view(m) for m in group.members]
        for m in members:
            attempts = resits.get(m.participant_workflow_id, [])
            if m.replaced or (m.final_grade is None and m.certificate is None and not attempts):
                continue  # no result; one who missed the oral with a valid absence has one once the re-sit is decided
            appeal = decided.get(m.participant_workflow_id)
            appealed = resit_appeals.get(m.participant_workflow_id, {})
            settled = settle(m.final_grade, m.credits, m.certificate, appeal, attempts, appealed)  # as the relay's
            results.append(
                Result(
                    participant_id=m.participant_workflow_id,
                    person_id=m.person_id,
                    cohort=cohort,
                    certificate=settled.certificate,
                    grade=settled.grade,
                    credits=settled.credits,
                    released=released,
                    appeal=appeal,
                    first_grade=settled.first_grade,
                    resits=tuple(attempts),
                    resit_appeals=tuple(appealed.values()),
                )
            )
    return results


def _of_view(m: MemberView) -> _Member:
    return _Member(m.participant_workflow_id, m.person_id, m.replaced, m.final_grade, m.credits, m.certificate)


async def _released_from_rows(admin: Admin, group_ids: list[str]) -> dict[str, tuple[datetime, list[_Member]]]:
    """Each released group's release and members (in the order they joined), for the groups whose rows say they are
    released and have every member's person; the others are left to the caller."""
    if admin.sessions is None or not group_ids:
        return {}
    async with admin.sessions() as session:
        groups = (
            await session.execute(
                select(GroupRecord.group_id, GroupRecord.published_at).where(
                    GroupRecord.group_id.in_(group_ids), GroupRecord.published_at.is_not(None)
                )
            )
        ).all()
        released = {group_id: at for group_id, at in groups if at is not None}
        rows = (
            await session.execute(
                select(ParticipantRecord, ParticipantPersonRecord.person_id)
                .join(
                    ParticipantPersonRecord,
                    ParticipantPersonRecord.participant_id == ParticipantRecord.participant_id,
                    isouter=True,
                )
                .where(ParticipantRecord.group_id.in_(list(released)))
            )
        ).all()
    members: dict[str, list[_Member]] = {group_id: [] for group_id in released}
    incomplete: set[str] = set()
    for row, person_id in rows:
        if person_id is None:
            incomplete.add(row.group_id)
            continue
        grade = Grade(row.final_grade) if row.final_grade else None
        members[row.group_id].append(
            _Member(row.participant_id, person_id, row.replaced, grade, row.credits, row.certificate)
        )
    return {
        group_id: (at, sorted(members[group_id], key=lambda m: _number(m.participant_workflow_id)))
        for group_id, at in released.items()
        if group_id not in incomplete and members[group_id]
    }


def _number(participant_workflow_id: str) -> int:
    """A member's number in their group (kull-2022.gruppe-1804.deltaker-12 -> 12): the order they joined in."""
    tail = participant_workflow_id.rsplit("-", 1)[-1]
    return int(tail) if tail.isdigit() else 0


async def _decided_appeals(
    admin: Admin, cohort: str
) -> tuple[dict[str, AppealRecord], dict[str, dict[int, AppealRecord]]]:
    """The decided appeals of the ordinary exam by person, and those of re-sits by person and attempt."""
    if admin.sessions is None:
        return {}, {}
    async with admin.sessions() as session:
        rows = await end_of_year_store.appeals_of_cohort(session, cohort)
    ordinary = {r.participant_id: r for r in rows if r.decided_at is not None and r.attempt == 1}
    resits: dict[str, dict[int, AppealRecord]] = {}
    for r in rows:
        if r.decided_at is not None and r.attempt > 1:
            resits.setdefault(r.participant_id, {})[r.attempt] = r
    return ordinary, resits


async def _decided_resits(admin: Admin, cohort: str) -> dict[str, list[ResitRecord]]:
    if admin.sessions is None:
        return {}
    async with admin.sessions() as session:
        rows = await end_of_year_store.resits_of_cohort(session, cohort)
    by_person: dict[str, list[ResitRecord]] = {}
    for row in sorted(rows, key=lambda r: r.attempt):
        if row.decided_at is not None:
            by_person.setdefault(row.participant_id, []).append(row)
    return by_person


async def issue_documents(
    admin: Admin, documents: Documents, people: PeopleLookup, cohort: str, results: list[Result] | None = None
) -> list[Issued]:
    """Each passed student's transcript and each completed course participant's certificate, current after
    appeals: issuing again changes nothing unless a grade changed (then a new version supersedes the old).
    A person the register no longer holds (erased) gets no document."""
    results = await cohort_results(admin, cohort) if results is None else results
    names = await people.get_many(r.person_id for r in results if r.certificate)
    issued = []
    for result in results:
        person = names.get(result.person_id)
        settled = Settled(result.certificate, result.grade, result.credits, result.first_grade)
        facts = document_facts(result.participant_id, cohort, settled, result.result_date)
        if facts is None or person is None:
            continue
        issued.append(await documents.issue(result.person_id, facts, person.name))
    return issued


def relative(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)
