"""The year's results of a cohort after release and appeals, for documents and the export to FS.

Read from the groups' details (the release time, each member's grade), the decided appeals (store/end_of_year.py),
which replace the grade of the person who appealed, and the decided re-sits (store/end_of_year.py), whose best grade
counts. Person IDs only; names come from the register where a document needs one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from activities.documents import DocumentFacts, Documents, Issued
from activities.letters import PeopleLookup
from domain.catalogue.labels import OSLO
from domain.models import Grade
from gateway.admin import Admin
from store import end_of_year as end_of_year_store
from store.end_of_year import AppealRecord, ResitRecord
from workflows.cohort import CohortWorkflow
from workflows.group import GroupWorkflow
from workflows.ids import cohort_workflow_id, group_workflow_id
from workflows.messages import CohortOverview, GroupDetail

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

    @property
    def result_date(self) -> date:
        moment = self.appeal.decided_at if self.appeal and self.appeal.decided_at else self.released
        if self.resits and self.resits[-1].decided_at:
            moment = self.resits[-1].decided_at
        return moment.astimezone(OSLO).date()


async def cohort_results(admin: Admin, cohort: str) -> list[Result]:
    """Every member of a released group with a grade or a course certificate, in group and member order."""
    overview: CohortOverview = await admin.query(cohort_workflow_id(cohort), CohortWorkflow.overview)
    groups = [group_workflow_id(cohort, r.id) for r in overview.applications if r.outcome.value in IN_PROGRAMME]
    return await group_results(admin, cohort, groups)


async def group_results(admin: Admin, cohort: str, group_ids: list[str]) -> list[Result]:
    decided = await _decided_appeals(admin, cohort)
    resits = await _decided_resits(admin, cohort)
    results: list[Result] = []
    for group_id in group_ids:
        group: GroupDetail = await admin.query(group_id, GroupWorkflow.detail)
        if group.published_at is None:
            continue
        for m in group.members:
            attempts = resits.get(m.participant_workflow_id, [])
            if m.replaced or (m.final_grade is None and m.certificate is None and not attempts):
                continue  # no result; one who missed the oral with a valid absence has one once the re-sit is decided
            appeal = decided.get(m.participant_workflow_id)
            grade = Grade(appeal.final_after) if appeal and appeal.final_after else m.final_grade
            credits = appeal.credits_after if appeal and appeal.credits_after is not None else m.credits
            first_grade = grade
            if attempts and attempts[-1].grade_after:  # each re-sit carries the best grade so far
                grade, credits = Grade(attempts[-1].grade_after), attempts[-1].credits_after or 0
            certificate = (
                m.certificate
                if m.certificate == "course_certificate"
                else ("transcript" if grade not in (None, Grade.F) else None)
            )
            results.append(
                Result(
                    participant_id=m.participant_workflow_id,
                    person_id=m.person_id,
                    cohort=cohort,
                    certificate=certificate,
                    grade=grade,
                    credits=credits,
                    released=group.published_at,
                    appeal=appeal,
                    first_grade=first_grade,
                    resits=tuple(attempts),
                )
            )
    return results


async def _decided_appeals(admin: Admin, cohort: str) -> dict[str, AppealRecord]:
    if admin.sessions is None:
        return {}
    async with admin.sessions() as session:
        rows = await end_of_year_store.appeals_of_cohort(session, cohort)
    return {r.participant_id: r for r in rows if r.decided_at is not None}


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
        if result.certificate is None or person is None:
            continue
        facts = DocumentFacts(
            kind="transcript" if result.certificate == "transcript" else "course_certificate",
            participant_id=result.participant_id,
            cohort=cohort,
            credits=result.credits,
            grade=result.grade.value if result.certificate == "transcript" and result.grade else None,
            result_date=result.result_date,
        )
        issued.append(await documents.issue(result.person_id, facts, person.name))
    return issued


def relative(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)
