"""Which inbox tasks a staff account is reminded of: due within the notice period or overdue, each once per state."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.reminders import DueState, Task, due_state, to_remind

NOW = datetime(2023, 7, 10, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)


GRADING = "Sett karakter på den skriftlige oppgaven"


def task(title: str = GRADING, due: datetime | None = None, link: str = "/a") -> Task:
    return Task(title=title, where="Kull 2022, gruppe Bodø (1804)", link=link, due=due, cohort="2022")


def test_a_task_is_due_soon_within_a_day_overdue_after_its_date_and_otherwise_not_reminded() -> None:
    assert due_state(task(due=NOW + timedelta(hours=3)), NOW, DAY) == DueState.DUE_SOON
    assert due_state(task(due=NOW + DAY), NOW, DAY) == DueState.DUE_SOON
    assert due_state(task(due=NOW + DAY + timedelta(seconds=1)), NOW, DAY) is None
    assert due_state(task(due=NOW - timedelta(seconds=1)), NOW, DAY) == DueState.OVERDUE
    assert due_state(task(due=None), NOW, DAY) is None


def test_the_reminders_are_the_due_and_overdue_tasks_soonest_first_marked_overdue() -> None:
    later, late, undated = task("B", NOW + timedelta(hours=5), "/b"), task("A", NOW - DAY, "/a"), task("C", None, "/c")
    far = task("D", NOW + 3 * DAY, "/d")
    chosen = to_remind([later, far, undated, late], set(), NOW, DAY)
    assert [(r.task.title, r.state, r.task.overdue) for r in chosen] == [
        ("A", DueState.OVERDUE, True),
        ("B", DueState.DUE_SOON, False),
    ]


def test_a_task_is_reminded_once_when_due_soon_and_once_more_when_overdue() -> None:
    grading = task(due=NOW + timedelta(hours=2))
    [soon] = to_remind([grading], set(), NOW, DAY)
    said = {(soon.task.key, soon.state.value)}
    assert to_remind([grading], said, NOW + timedelta(hours=1), DAY) == []
    [late] = to_remind([grading], said, NOW + timedelta(hours=3), DAY)
    assert late.state == DueState.OVERDUE
    said.add((late.task.key, late.state.value))
    assert to_remind([grading], said, NOW + 5 * DAY, DAY) == []


def test_the_same_task_twice_in_the_inbox_is_one_reminder_and_tasks_of_one_page_are_told_apart() -> None:
    grading = task(due=NOW - DAY)
    orals = task("Registrer de muntlige justeringene", NOW - DAY)  # the same group page, another task
    assert len(to_remind([grading, grading, orals], set(), NOW, DAY)) == 2
