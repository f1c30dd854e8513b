"""Exam eligibility of one participant."""

from __future__ import annotations

from domain.models import Strict, Track
from domain.reasons import Reason, reason

REQUIREMENTS = 4


class MemberFacts(Strict):
    track: Track
    requirements_approved: int
    non_participating: bool = False
    withdrawn: bool = False
    attendance_days: int = 0
    oral_absent: bool = False  # a valid absence from the oral exam


def ineligibility(facts: MemberFacts, total_days: int, threshold: float | None) -> Reason | None:
    """Why this member may not sit the exam, or None when they may."""
    if facts.withdrawn:
        return reason("reason.withdrawn")
    if facts.track == Track.ASSESSMENT:
        return reason("reason.assessment_undecided")
    if facts.track == Track.COURSE:
        return reason("reason.course_no_exam")
    if facts.non_participating:
        return reason("reason.non_participating")
    if facts.requirements_approved < REQUIREMENTS:
        return reason("reason.requirements_approved", approved=facts.requirements_approved, required=REQUIREMENTS)
    if threshold is not None and total_days and facts.attendance_days / total_days < threshold:
        return reason("reason.attendance", days=facts.attendance_days, total=total_days)
    return None


def completed_course(facts: MemberFacts) -> bool:
    """A course participant completes with all four requirements approved and having taken part."""
    return (
        facts.track == Track.COURSE
        and not facts.withdrawn
        and not facts.non_participating
        and facts.requirements_approved >= REQUIREMENTS
    )
