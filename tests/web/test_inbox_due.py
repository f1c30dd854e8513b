"""The staff's exam tasks carry the due dates the plan gives (sensurfrist for the written grade, the end of the oral
period for the orals) and the inbox marks a task past its date."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.catalogue import when
from domain.due import appeal_due, approval_due, assessment_due, grading_due, orals_due, overdue, release_due
from domain.plan import load_plan
from gateway.accounts import Account, Role
from gateway.inbox import commission_tasks
from gateway.storage import AppealRecord, GroupRecord, ResitRecord
from tests.web.conftest import OURS, THEIRS, World, appeal_row, sign_in
from tests.web.test_pages import text
from web.inbox import Task, group_tasks
from web.pages import make_templates
from workflows.ids import group_workflow_id

PLAN = load_plan("demo/plans/kull-2022.json")
EXAMINER = Account(username="sigurd", role=Role.EXAMINER)
ADMIN = Account(username="kari", role=Role.ADMIN)


def row(**changes: object) -> GroupRecord:
    values: dict[str, object] = {
        "group_id": "kull-2022.gruppe-5001",
        "cohort": "2022",
        "application_id": "5001",
        "municipalities": "5001",
        "region": "Midt-Norge",
        "size": "large",
        "outcome": "admitted",
        "stage": "written",
        "requirements_approved": 4,
        "written_grade": None,
        "written_submitted": True,
        "requirements": [],
        "pending": [],
        "updated_at": datetime.now(UTC),
    }
    return GroupRecord(**(values | changes))


def test_the_sensurfrist_is_the_plans_grading_time_after_the_written_deadline() -> None:
    assert grading_due(PLAN) == PLAN.written_deadline + timedelta(days=21)
    two_weeks = PLAN.model_copy(update={"grading_seconds": 14 * 86400.0})
    assert grading_due(two_weeks) == PLAN.written_deadline + timedelta(days=14)
    assert orals_due(PLAN) == PLAN.oral_end


def test_the_examiners_tasks_are_due_by_the_plan() -> None:
    [written] = group_tasks(EXAMINER, row(), PLAN)
    assert (written.title, written.due) == ("Sett karakter på den skriftlige oppgaven", grading_due(PLAN))
    [orals] = group_tasks(EXAMINER, row(stage="grading", written_grade="C"), PLAN)
    assert (orals.title, orals.due) == ("Registrer de muntlige justeringene", PLAN.oral_end)
    assert group_tasks(EXAMINER, row(stage="published", written_grade="C"), PLAN) == []


def test_a_graded_group_waits_on_the_administration_to_release_it_by_the_sensurfrist() -> None:
    [release] = group_tasks(ADMIN, row(stage="graded", written_grade="C"), PLAN)
    assert (release.title, release.due) == ("Kontroller og frigi resultatene", release_due(PLAN))
    assert release_due(PLAN) == max(grading_due(PLAN), PLAN.oral_end)
    assert group_tasks(ADMIN, row(stage="no_exam", written_submitted=False), PLAN)[0].link.endswith("#publisering")
    assert group_tasks(EXAMINER, row(stage="graded", written_grade="C"), PLAN) == []
    assert group_tasks(ADMIN, row(stage="published", written_grade="C"), PLAN) == []


def test_a_task_past_its_date_is_marked_on_the_page() -> None:
    due = grading_due(PLAN)
    assert overdue(due, due + timedelta(seconds=1)) and not overdue(due, due) and not overdue(None, due)
    tasks = [
        Task(title="Sett karakter på den skriftlige oppgaven", where="Kull 2022", link="/x", due=due, overdue=True),
        Task(title="Registrer de muntlige justeringene", where="Kull 2022", link="/y", due=PLAN.oral_end),
    ]
    page = make_templates().env.get_template("inbox.html").render(account=None, flash=None, tasks=tasks)
    late, on_time = page.split("Registrer de muntlige justeringene")
    assert "(fristen er passert)" in late and "(fristen er passert)" not in on_time
    assert 'class="overdue"' in late


async def test_a_resit_waiting_for_its_grade_is_on_the_inbox_of_the_admin_and_the_groups_examiner(
    world: World,
) -> None:
    """The re-sits' rows (as their workflows project them) put them on the inbox, due by the end of their period:
    the admin sees both, the examiner only the one of the group they are assigned to (5001, not 0301)."""
    end = datetime.now(UTC) + timedelta(days=30)
    rows = [resit_row(world.cohort, application_id, end) for application_id in (OURS, THEIRS)]
    async with world.harness.sessions() as session, session.begin():
        session.add_all(rows)
    ours = f"Sett karakter på ny eksamen Kull {world.cohort}, Trondheim (5001), deltaker 9, ny eksamen {when(end)}"
    theirs = f"Kull {world.cohort}, Oslo (0301), deltaker 9, ny eksamen"
    try:
        async with world.client() as client:
            await sign_in(client, world, "admin")
            waiting = text((await client.get("/oppgaver")).text)
            assert ours in waiting and theirs in waiting
        async with world.client() as client:
            await sign_in(client, world, "examiner")
            waiting = text((await client.get("/oppgaver")).text)
            assert ours in waiting and theirs not in waiting
    finally:
        async with world.harness.sessions() as session, session.begin():
            for row in rows:
                await session.delete(await session.get(ResitRecord, row.resit_id))


def resit_row(cohort: str, application_id: str, end: datetime) -> ResitRecord:
    """A re-sit waiting for its written grade, of a participant no test of the shared world reads (deltaker 9)."""
    group = group_workflow_id(cohort, application_id)
    participant, now = f"{group}.deltaker-9", datetime.now(UTC)
    return ResitRecord(
        resit_id=f"{participant}.ny-eksamen-2",
        participant_id=participant,
        group_id=group,
        cohort=cohort,
        person_id=f"p-inbox-{application_id}",
        attempt=2,
        stage="awaiting_written",
        period_label="ny eksamen",
        period_end=end,
        grade_before="F",
        written=None,
        oral_adjustment=None,
        attempt_grade=None,
        grade_after=None,
        credits_after=None,
        registered_at=now,
        decided_at=None,
        updated_at=now,
    )


def test_an_individual_assessment_is_due_before_the_written_assignment_and_an_appeal_by_the_sensurfrist() -> None:
    assessment = {"code": "pending.assessment", "params": {"participant": "kull-2022.gruppe-5001.deltaker-2"}}
    [decide] = group_tasks(ADMIN, row(stage="programme", written_submitted=False, pending=[assessment]), PLAN)
    assert (decide.title, decide.due) == ("Avgjør individuell vurdering", assessment_due(PLAN))
    assert assessment_due(PLAN) == PLAN.written_deadline
    registered = datetime(2023, 6, 20, 10, tzinfo=UTC)
    assert appeal_due(PLAN, registered) == registered + timedelta(days=21)


async def test_an_appeal_waits_on_the_administration_and_then_on_its_commission_by_a_due_date(world: World) -> None:
    """The administration names the commission (and assesses further), the members grade: each by the sensurfrist
    counted from the appeal's registration, as the inbox and the staff reminders show it."""
    participant, now = world.members[0], datetime.now(UTC)
    appeal = appeal_row(world, participant, person_id="p" + "3" * 20, registered_at=now, updated_at=now)
    async with world.harness.sessions() as session, session.begin():
        session.add(appeal)
    web = world.app.state.web
    plan = await web.plan(appeal.group_id)
    try:
        [name] = await commission_tasks(web, ADMIN)
        assert (name.title, name.due) == ("Oppnevn klagekommisjon", appeal_due(plan, now))
        assert name.link == f"/deltaker/{participant}#klage-og-ny-eksamen"
        async with world.harness.sessions() as session, session.begin():
            row_ = await session.get(AppealRecord, appeal.appeal_id)
            assert row_ is not None
            row_.stage, row_.examiners = "awaiting_commission", ",lars.klage,mona.klage,"
        assert await commission_tasks(web, ADMIN) == []  # the commission's turn
        [grade] = await commission_tasks(web, Account(username="mona.klage", role=Role.EXAMINER))
        assert (grade.title, grade.due, grade.where) == (
            "Klage til ny sensur",
            appeal_due(plan, now),
            f"Kull {world.cohort}",
        )
        assert await commission_tasks(web, EXAMINER) == []  # not on this commission
    finally:
        async with world.harness.sessions() as session, session.begin():
            await session.delete(await session.get(AppealRecord, appeal.appeal_id))


def test_a_handed_in_requirement_is_due_for_assessment_the_plans_approval_time_after_its_hand_in() -> None:
    handed_in = PLAN.work_requirements[0].deadline - timedelta(days=2)
    cell = {"number": 1, "status": "submitted", "deadline": PLAN.work_requirements[0].deadline}
    teacher = Account(username="tove", role=Role.TEACHER)
    [assess] = group_tasks(teacher, row(stage="programme", requirements=[cell | {"submitted_at": handed_in}]), PLAN)
    assert (assess.title, assess.due) == ("Vurder arbeidskrav 1", approval_due(PLAN, handed_in))
    assert approval_due(PLAN, handed_in) == handed_in + timedelta(days=7)  # not overdue the moment it comes in
    [older] = group_tasks(teacher, row(stage="programme", requirements=[cell]), PLAN)  # a row from before it was kept
    assert older.due == PLAN.work_requirements[0].deadline
