"""The staff's exam tasks carry the due dates the plan gives (sensurfrist for the written grade, the end of the oral
period for the orals) and the inbox marks a task past its date."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.due import grading_due, orals_due, overdue
from domain.plan import load_plan
from gateway.accounts import Account, Role
from gateway.storage import GroupRecord
from web.inbox import Task, group_tasks
from web.pages import make_templates

PLAN = load_plan("demo/plans/kull-2022.json")
EXAMINER = Account(username="sigurd", role=Role.EXAMINER)


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
