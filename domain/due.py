"""When staff work falls due, from the plan: what the task inbox dates and marks overdue."""

from __future__ import annotations

from datetime import datetime, timedelta

from domain.models import CohortPlan


def grading_due(plan: CohortPlan) -> datetime:
    """The sensurfrist of the written assignment: the plan's grading time (three weeks by default) after its deadline,
    the same for every group (a group that handed in early is not graded later than one that handed in on time)."""
    return plan.written_deadline + timedelta(seconds=plan.grading_seconds)


def orals_due(plan: CohortPlan) -> datetime:
    """The oral adjustments are registered by the end of the oral period."""
    return plan.oral_end


def release_due(plan: CohortPlan) -> datetime:
    """A graded group's results are released by the sensurfrist, and not before its orals could be over."""
    return max(grading_due(plan), plan.oral_end)


def approval_due(plan: CohortPlan, submitted_at: datetime) -> datetime:
    """A handed-in work requirement is assessed within the plan's approval time (a week by default) of its hand-in,
    when the shared mailbox is reminded of it too (domain/calendar.py)."""
    return submitted_at + timedelta(seconds=plan.approval_reminder_seconds)


def assessment_due(plan: CohortPlan) -> datetime:
    """An individual assessment (may the member still sit the exam?) is decided before the written assignment is due:
    the member must know whether they hand in with the group."""
    return plan.written_deadline


def appeal_due(plan: CohortPlan, registered_at: datetime) -> datetime:
    """An appeal's new assessment is due as the first one was: the plan's grading time (the sensurfrist, three weeks
    by default) after the appeal was registered."""
    return registered_at + timedelta(seconds=plan.grading_seconds)


def overdue(due: datetime | None, now: datetime) -> bool:
    return due is not None and due < now
