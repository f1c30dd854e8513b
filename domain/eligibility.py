"""Exam eligibility of one participant."""

from __future__ import annotations

from domain.models import Strict, Track

REQUIREMENTS = 4


class MemberFacts(Strict):
    track: Track
    requirements_approved: int
    non_participating: bool = False
    withdrawn: bool = False
    attendance_days: int = 0
    oral_absent: bool = False  # a valid absence from the oral exam


def ineligibility(facts: MemberFacts, total_days: int, threshold: float | None) -> str | None:
    """Why this member may not sit the exam, or None when they may."""
    if facts.withdrawn:
        return "withdrawn"
    if facts.track == Track.ASSESSMENT:
        return "individual assessment not decided"
    if facts.track == Track.COURSE:
        return "course participants do not sit the exam"
    if facts.non_participating:
        return "marked as not having taken part in the project work"
    if facts.requirements_approved < REQUIREMENTS:
        return f"{facts.requirements_approved} of {REQUIREMENTS} work requirements approved"
    if threshold is not None and total_days and facts.attendance_days / total_days < threshold:
        return f"attendance {facts.attendance_days}/{total_days} days is below the plan's threshold"
    return None


def completed_course(facts: MemberFacts) -> bool:
    """A course participant completes with all four requirements approved and having taken part."""
    return (
        facts.track == Track.COURSE
        and not facts.withdrawn
        and not facts.non_participating
        and facts.requirements_approved >= REQUIREMENTS
    )
