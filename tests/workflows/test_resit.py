"""Re-sits on the dev server: registered through the gateway after a failed exam, the new written grade and oral,
the best grade counting, the linked attempts, the letters; and every refusal, by name."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from sqlalchemy import select
from temporalio.client import WorkflowHandle

from activities.letters import NOTICE, Contact, render_letter
from domain.ids import AppealId, ResitId
from domain.models import CohortPlan, Grade
from gateway import commands
from gateway.end_of_year import common
from gateway.end_of_year import resit as resit_gateway
from gateway.end_of_year.appeal import register_appeal
from gateway.end_of_year.resit import register_resit
from gateway.export import COLUMNS, write_export
from gateway.results import Result, group_results
from store.end_of_year import ResitRecord
from store.tables import AuditRecord
from tests.conftest import Harness
from tests.workflows.commission import commission_decides
from tests.workflows.helpers import eventually, only_letter, outbox
from tests.workflows.plans import running_plan
from tests.workflows.test_appeal import acting, admin, publish, refused
from tests.workflows.test_group import ACTOR, approve_all, members, start_group
from workflows.cohort import CohortWorkflow
from workflows.end_of_year.messages import NewOralAdjustmentInput, NewWrittenGradeInput
from workflows.end_of_year.resit import ResitWorkflow
from workflows.group import GroupWorkflow
from workflows.ids import cohort_workflow_id, resit_workflow_id
from workflows.messages import (
    CohortInput,
    MarkNonParticipatingInput,
    OralAdjustment,
    OralInput,
    SubmitWrittenInput,
    WrittenGradeInput,
)

OFFICE = "ola.studieadm"
EXAMINER = "sensor.ny"


def resit_plan(**settings: object) -> CohortPlan:
    """Exams an hour from now; the re-sit period a day after them."""
    base = running_plan()
    return running_plan(
        resit_start=base.oral_end + timedelta(days=1), resit_end=base.oral_end + timedelta(days=2), **settings
    )


async def written_graded(
    harness: Harness, grade: Grade, plan: CohortPlan | None = None
) -> tuple[WorkflowHandle[Any, Any], list[str]]:
    """The four requirements approved, member 3 not taking part, member 4 a course participant, and the written
    assignment handed in and graded: the orals of members 1 and 2 are due."""
    handle = await start_group(harness, plan=plan or resit_plan())
    ids = await members(handle)
    await approve_all(handle)
    await handle.execute_update(
        GroupWorkflow.mark_non_participating, MarkNonParticipatingInput(actor=ACTOR, participant_workflow_id=ids[2])
    )
    await handle.execute_update(GroupWorkflow.submit_written, SubmitWrittenInput(actor=ACTOR))
    await handle.execute_update(GroupWorkflow.register_written_grade, WrittenGradeInput(actor=ACTOR, grade=grade))
    return handle, ids


async def oral(handle: WorkflowHandle[Any, Any], adjustments: list[OralAdjustment]) -> None:
    """Register the orals and wait for the group's grades."""
    await handle.execute_update(GroupWorkflow.register_oral, OralInput(actor=ACTOR, adjustments=adjustments))

    async def graded() -> None:
        assert (await handle.query(GroupWorkflow.detail)).stage == "graded"

    await eventually(graded)


async def failed_group(harness: Harness, plan: CohortPlan | None = None) -> tuple[WorkflowHandle[Any, Any], list[str]]:
    """Written E; member 1 +1 (D), member 2 -1 (F), member 3 not taking part, member 4 a course participant."""
    handle, ids = await written_graded(harness, Grade.E, plan)
    await oral(
        handle,
        [
            OralAdjustment(participant_workflow_id=ids[0], adjustment=1),
            OralAdjustment(participant_workflow_id=ids[1], adjustment=-1),
        ],
    )
    return handle, ids


async def letter(harness: Harness, kind: str) -> str:
    return await only_letter(harness.sessions, kind)


async def test_a_failed_student_sits_again_and_the_better_grade_counts(harness: Harness) -> None:
    handle, ids = await failed_group(harness)
    await publish(handle)
    gateway = admin(harness)
    resit = await register_resit(gateway, ids[1], acting(OFFICE))
    resit_id = resit_workflow_id(ids[1], 2)
    assert (resit.resit_workflow_id, resit.attempt, resit.stage, resit.grade_before) == (
        resit_id,
        2,
        "awaiting_written",
        Grade.F,
    )
    assert resit.resit_workflow_id == f"{ids[1]}.ny-eksamen-2"
    registered = await letter(harness, "resit_registered")
    assert "Du er meldt opp til ny eksamen på kull" in registered
    assert "Dette blir ditt forsøk nummer 2 på eksamen." in registered

    await refused(
        gateway.perform(
            commands.RESIT_ORAL,
            ResitId.parse(resit_id),
            NewOralAdjustmentInput(actor=EXAMINER, adjustment=0),
            acting(EXAMINER),
        ),
        "Registrer den skriftlige karakteren på ny eksamen først",
    )
    written = await gateway.perform(
        commands.RESIT_WRITTEN,
        ResitId.parse(resit_id),
        NewWrittenGradeInput(actor=EXAMINER, grade=Grade.C),
        acting(EXAMINER),
    )
    assert written.stage == "awaiting_oral"
    await refused(
        gateway.perform(
            commands.RESIT_ORAL,
            ResitId.parse(resit_id),
            NewOralAdjustmentInput(actor=EXAMINER, adjustment=2),
            acting(EXAMINER),
        ),
        "Den muntlige eksamenen kan flytte karakteren høyst 1 trinn, ikke +2",
    )
    decided = await gateway.perform(
        commands.RESIT_ORAL,
        ResitId.parse(resit_id),
        NewOralAdjustmentInput(actor=EXAMINER, adjustment=1),
        acting(EXAMINER),
    )
    assert decided.stage == "decided"
    d = (await harness.client.get_workflow_handle_for(ResitWorkflow.run, resit_id).result()).detail

    async def audited() -> list[tuple[str, str, dict[str, object] | None, str | None]]:
        async with harness.sessions() as session:
            rows = await session.scalars(
                select(AuditRecord).where(AuditRecord.workflow_id == resit_id).order_by(AuditRecord.at)
            )
            found = [(r.actor, r.action, r.params, r.reason) for r in rows if r.outcome == "accepted"]
        assert len(found) == 3
        return found

    assert await eventually(audited) == [  # parameters the catalogue says, no English text
        (OFFICE, "register_resit", {"attempt": 2, "period": resit.period.label}, None),
        (EXAMINER, "register_resit_written_grade", {"grade": "C"}, None),
        (EXAMINER, "register_resit_oral_adjustment", {"adjustment": "+1"}, None),
    ]
    assert (d.written, d.oral_adjustment, d.attempt_grade, d.grade_after, d.credits_after) == (
        Grade.C,
        1,
        Grade.B,
        Grade.B,
        30,
    )
    assert d.examiners == [EXAMINER, EXAMINER]
    body = await letter(harness, "resit_decided")
    assert "Karakteren som gjelder, endres fra F til B" in body
    assert "Du har bestått og får 30 studiepoeng." in body

    async def recorded() -> ResitRecord:
        async with harness.sessions() as session:
            row = (await session.scalars(select(ResitRecord).where(ResitRecord.resit_id == resit_id))).one()
        assert row.stage == "decided"
        return row

    row = await eventually(recorded)
    assert (row.grade_before, row.grade_after, row.attempt, row.person_id) == ("F", "B", 2, resit.person_id)
    await refused(
        register_resit(gateway, ids[1], acting(OFFICE)), "Eksamen er bestått (B); ny eksamen er for den som ikke"
    )


async def test_attempts_are_linked_limited_to_three_and_the_best_grade_stays(harness: Harness) -> None:
    handle, ids = await failed_group(harness)
    await publish(handle)
    gateway = admin(harness)
    second = await register_resit(gateway, ids[1], acting(OFFICE))
    await refused(register_resit(gateway, ids[1], acting(OFFICE)), "Ny eksamen er allerede registrert og ikke avgjort")
    decided = await gateway.perform(
        commands.RESIT_WRITTEN,
        ResitId.parse(second.resit_workflow_id),
        NewWrittenGradeInput(actor=EXAMINER, grade=Grade.F),
        acting(EXAMINER),
    )
    assert decided.stage == "decided"  # a written F has no oral
    third = await register_resit(gateway, ids[1], acting(OFFICE))
    assert (third.attempt, third.previous, third.grade_before) == (3, [second.resit_workflow_id], Grade.F)
    await gateway.perform(
        commands.RESIT_WRITTEN,
        ResitId.parse(third.resit_workflow_id),
        NewWrittenGradeInput(actor=EXAMINER, grade=Grade.F),
        acting(EXAMINER),
    )
    await refused(
        register_resit(gateway, ids[1], acting(OFFICE)), "Eksamen er forsøkt 3 ganger; høyst 3 forsøk er tillatt"
    )
    d = (await harness.client.get_workflow_handle_for(ResitWorkflow.run, third.resit_workflow_id).result()).detail
    assert (d.grade_after, d.credits_after) == (Grade.F, 0)


async def test_the_plan_sets_how_many_attempts_there_are_and_the_letter_says_so(harness: Harness) -> None:
    """A plan of two sittings in all: the failed re-sit is the last, its letter says so, a third is refused."""
    handle, ids = await failed_group(harness, resit_plan(exam_attempts=2))
    await publish(handle)
    gateway = admin(harness)
    second = await register_resit(gateway, ids[1], acting(OFFICE))
    await gateway.perform(
        commands.RESIT_WRITTEN,
        ResitId.parse(second.resit_workflow_id),
        NewWrittenGradeInput(actor=EXAMINER, grade=Grade.F),
        acting(EXAMINER),
    )
    body = await letter(harness, "resit_decided")
    assert "Dette var forsøk 2 av 2, og du har brukt alle forsøkene dine." in body
    await refused(
        register_resit(gateway, ids[1], acting(OFFICE)), "Eksamen er forsøkt 2 ganger; høyst 2 forsøk er tillatt"
    )


async def test_who_may_not_sit_again_is_refused_by_name_and_audited(harness: Harness) -> None:
    handle, ids = await failed_group(harness)
    gateway = admin(harness)
    await refused(register_resit(gateway, ids[1], acting(OFFICE)), "Resultatene er ikke publisert ennå")
    await publish(handle)
    await refused(
        register_resit(gateway, ids[3], acting(OFFICE)), "En kursdeltaker får ikke karakter og tar ikke eksamen"
    )
    await refused(register_resit(gateway, ids[0], acting(OFFICE)), "Eksamen er bestått (D)")
    await refused(
        register_resit(gateway, ids[2], acting(OFFICE)), "Det finnes ikke noe eksamensresultat"
    )  # took no part
    plan = resit_plan()
    assert plan.resit_end is not None
    await refused(
        resit_gateway.register_resit(gateway, ids[1], acting(OFFICE), now=plan.resit_end + timedelta(days=2)),
        "Perioden ny og utsatt eksamen for kull",
    )
    await refused(
        register_resit(gateway, ids[1], acting(OFFICE), in_cohort="finnes-ikke"), "Det finnes ikke noe kull finnes-ikke"
    )
    nameless = await refused(
        register_resit(gateway, ids[1], acting(OFFICE), in_cohort="to ord"), "Det finnes ikke noe kull"
    )
    assert str(nameless) == "Det finnes ikke noe kull 'to ord'" and nameless.code == "resit.no_such_cohort"
    # an appeal of the F is under way: its result comes first
    appeal = await register_appeal(gateway, ids[1], acting(OFFICE))
    await refused(register_resit(gateway, ids[1], acting(OFFICE)), "En klage på denne karakteren er ikke avgjort ennå")
    # a changed written grade: a new oral is due, so the appeal is still open
    await commission_decides(gateway, AppealId.parse(appeal.appeal_workflow_id), Grade.D)
    await refused(register_resit(gateway, ids[1], acting(OFFICE)), "En klage på denne karakteren er ikke avgjort ennå")
    for pid in ids:
        assert await common.detail_or_none(harness.client, resit_workflow_id(pid, 2), ResitWorkflow.detail) is None
    async with harness.sessions() as session:
        reasons = list(
            await session.scalars(
                select(AuditRecord.reason).where(
                    AuditRecord.outcome == "refused", AuditRecord.action == "register_resit"
                )
            )
        )
    assert len(reasons) == 9 and any("En kursdeltaker" in r for r in reasons if r)


async def test_without_a_period_in_the_plan_the_resit_joins_a_later_cohorts_exams(harness: Harness) -> None:
    plan = running_plan()
    handle, ids = await failed_group(harness, plan)
    await publish(handle)
    gateway = admin(harness)
    await refused(
        register_resit(gateway, ids[1], acting(OFFICE)), "har ingen periode for ny eksamen; oppgi det senere kullet"
    )
    later = running_plan(cohort=f"{plan.cohort}b")
    shifted = {
        field: getattr(later, field) + timedelta(days=365) for field in ("written_deadline", "oral_start", "oral_end")
    }
    later = later.model_copy(update=shifted)
    cohort = await harness.client.start_workflow(
        CohortWorkflow.run, CohortInput(plan=later), id=cohort_workflow_id(later.cohort), task_queue=harness.task_queue
    )
    try:
        await refused(
            register_resit(gateway, ids[1], acting(OFFICE), in_cohort=plan.cohort + "x"), "Det finnes ikke noe kull"
        )
        resit = await register_resit(gateway, ids[1], acting(OFFICE), in_cohort=later.cohort)
        assert resit.period.label == f"eksamensperioden for kull {later.cohort}"
        assert (resit.period.start, resit.period.end) == (later.written_deadline, later.oral_end)
    finally:
        await cohort.terminate("test done")


async def test_a_valid_absence_from_the_oral_leads_to_a_postponed_oral_on_the_groups_written_grade(
    harness: Harness, tmp_path: Path
) -> None:
    handle, ids = await written_graded(harness, Grade.C)
    with pytest.raises(ValidationError, match="an absent student has no oral adjustment"):
        OralAdjustment(participant_workflow_id=ids[1], adjustment=1, absent=True)
    await oral(
        handle,
        [
            OralAdjustment(participant_workflow_id=ids[0], adjustment=1),
            OralAdjustment(participant_workflow_id=ids[1], absent=True),
        ],
    )
    await publish(handle)
    absent = next(m for m in (await handle.query(GroupWorkflow.detail)).members if m.participant_workflow_id == ids[1])
    assert (absent.oral_absent, absent.final_grade, absent.credits) == (True, None, 0)

    async def told_of_the_postponed_exam() -> None:
        rows = await outbox(harness.sessions, "no_result")  # the absent one's, and the one who took no part's
        bodies = [render_letter(NOTICE.validate_json(r.notice), "Kari", Contact("stab@example.no")).body for r in rows]
        wanted = "fordi du hadde gyldig fravær fra den muntlige eksamenen. Du kan ta utsatt eksamen"
        assert len(bodies) == 2 and sum(wanted in b for b in bodies) == 1, bodies

    await eventually(told_of_the_postponed_exam)

    gateway = admin(harness)
    resit = await register_resit(gateway, ids[1], acting(OFFICE))
    assert (resit.postponed, resit.stage, resit.written, resit.grade_before) == (True, "awaiting_oral", Grade.C, None)
    assert "Du er meldt opp til utsatt eksamen på kull" in await letter(harness, "resit_registered")
    await refused(
        gateway.perform(
            commands.RESIT_WRITTEN,
            ResitId.parse(resit.resit_workflow_id),
            NewWrittenGradeInput(actor=EXAMINER, grade=Grade.B),
            acting(EXAMINER),
        ),
        "Utsatt eksamen beholder den skriftlige karakteren C; registrer den muntlige justeringen",
    )
    await gateway.perform(
        commands.RESIT_ORAL,
        ResitId.parse(resit.resit_workflow_id),
        NewOralAdjustmentInput(actor=EXAMINER, adjustment=-1),
        acting(EXAMINER),
    )
    d = (await harness.client.get_workflow_handle_for(ResitWorkflow.run, resit.resit_workflow_id).result()).detail
    assert (d.attempt_grade, d.grade_after, d.credits_after) == (Grade.D, Grade.D, 30)
    decided = await letter(harness, "resit_decided")
    assert "Den utsatte muntlige eksamenen din" in decided and "Karakteren som gjelder, er D." in decided

    async def recorded() -> list[Result]:
        results = await group_results(gateway, handle.id.split(".")[0].removeprefix("kull-"), [handle.id])
        assert any(r.participant_id == ids[1] for r in results)
        return results

    results = await eventually(recorded)
    [person] = [r for r in results if r.participant_id == ids[1]]
    assert (person.grade, person.credits, person.certificate) == (Grade.D, 30, "transcript")
    [csv_file] = write_export(results, tmp_path, "absence")
    rows = [line.split(";") for line in csv_file.read_text(encoding="utf-8").splitlines()[1:]]
    mine = [(r[COLUMNS.index("attempt")], r[COLUMNS.index("grade")], r[COLUMNS.index("counts")]) for r in rows]
    assert ("1", "D", "ja") in mine and len(rows) == 2  # the missed oral is no attempt: one row for the person
