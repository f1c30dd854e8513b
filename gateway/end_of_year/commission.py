"""What an appeal's commission reads: blind until the further assessment.

A member of the commission reads the work (the group's project and its handed-in written assignment), the plan
(the cohort and the course) and the criteria (the grade scale's descriptions), their own grade and, once all have
graded, each member's grade and the commission's. Never the first grade, the oral, a begrunnelse or the appeal's
reasons: those come only in the further-assessment step (a commission grade two or more from the first), when all
documents are open to it. The page (/klage/{participant}) and the API (GET /api/participants/{id} and .../appeal)
give this view to a member, whatever else they ask for.
"""

from __future__ import annotations

from domain.models import Grade, Strict
from domain.orals import OralSlot
from domain.project import InnovationProject
from workflows.end_of_year.messages import AppealDetail, AppealStage
from workflows.messages import GroupDetail

# the national grade scale's qualitative descriptions (UHR), the criteria every examiner grades by
CRITERIA: dict[Grade, str] = {
    Grade.A: "Fremragende: en fremragende prestasjon som klart utmerker seg",
    Grade.B: "Meget god: en meget god prestasjon",
    Grade.C: "God: en jevnt god prestasjon som er tilfredsstillende på de fleste områder",
    Grade.D: "Nokså god: en akseptabel prestasjon med noen vesentlige mangler",
    Grade.E: "Tilstrekkelig: en prestasjon som tilfredsstiller minimumskravene, men heller ikke mer",
    Grade.F: "Ikke bestått: en prestasjon som ikke tilfredsstiller minimumskravene",
}


class FirstAssessment(Strict):
    """What the further assessment opens: the first grades."""

    written_grade: Grade
    oral_adjustment: int | None
    final_grade: Grade


class CommissionView(Strict):
    participant_workflow_id: str
    cohort: str
    stage: AppealStage
    examiners: list[str]
    external: list[str]
    own_grade: Grade | None  # the reader's own, if they sit on the commission
    graded: list[str]  # who has given their grade (not what, until all have)
    grades: dict[str, Grade]  # each member's grade, once all have graded
    commission_grade: Grade | None
    written_after: Grade | None
    project: InnovationProject | None
    written_document: str | None  # the handed-in assignment's SHA-256, for the page's download link
    criteria: dict[Grade, str]
    first: FirstAssessment | None  # only in the further assessment, and after it
    new_oral: OralSlot | None = None  # the new oral's time and place after a changed grade, once set


def sits_on(detail: AppealDetail, username: str) -> bool:
    return username in detail.examiners


def commission_view(detail: AppealDetail, group: GroupDetail, cohort: str, username: str) -> CommissionView:
    all_graded = bool(detail.examiners) and set(detail.examiners) <= set(detail.commission_grades)
    opened = detail.further_assessment
    first = FirstAssessment(
        written_grade=detail.written_before, oral_adjustment=detail.oral_before, final_grade=detail.final_before
    )
    return CommissionView(
        participant_workflow_id=detail.participant_workflow_id,
        cohort=cohort,
        stage=detail.stage,
        examiners=detail.examiners,
        external=detail.external,
        own_grade=detail.commission_grades.get(username),
        graded=sorted(detail.commission_grades),
        grades=dict(detail.commission_grades) if all_graded else {},
        commission_grade=detail.commission_grade,
        written_after=detail.written_after if opened or detail.stage == "decided" else None,
        project=group.project,
        written_document=group.written_document,
        criteria=CRITERIA,
        first=first if opened else None,
        new_oral=detail.new_oral,
    )
