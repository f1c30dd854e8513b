"""Application rules and each participant's admission track."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from domain.errors import describe
from domain.models import Application, Participant, Track
from domain.municipalities import UnknownMunicipality, lookup

MIN_PARTICIPANTS = 3
MAX_PARTICIPANTS = 4
MIN_SECTORS = 2
STUDENT_EDUCATION_YEARS = 3.0
ASSESSMENT_MIN_EDUCATION_YEARS = 1.0
ASSESSMENT_MIN_EXPERIENCE_YEARS = 1.0


def application_errors(application: Application) -> list[str]:
    """Every rule the application breaks, in plain words; empty when it is valid."""
    return _municipality_errors(application.municipalities) + _participant_errors(application.participants)


def _municipality_errors(numbers: list[str]) -> list[str]:
    errors = []
    for number in sorted({n for n in numbers if numbers.count(n) > 1}):
        errors.append(f"municipalities: {number} is named more than once")
    for number in dict.fromkeys(numbers):
        try:
            lookup(number)
        except UnknownMunicipality as unknown:
            errors.append(f"municipalities: {unknown}")
    return errors


def _participant_errors(participants: list[Participant]) -> list[str]:
    errors = []
    count = len(participants)
    if not MIN_PARTICIPANTS <= count <= MAX_PARTICIPANTS:
        errors.append(
            f"participants: an application names {MIN_PARTICIPANTS} to {MAX_PARTICIPANTS} participants, this one {count}"
        )
    sectors = {p.sector for p in participants}
    if len(sectors) < MIN_SECTORS:
        errors.append(f"participants: they must come from at least {MIN_SECTORS} different sectors, here {len(sectors)}")
    seen: set[str] = set()
    for index, participant in enumerate(participants):
        if participant.email in seen:
            errors.append(f"participants.{index}.email: the same person (by e-mail) is named more than once")
        seen.add(participant.email)
    return errors


def parse_application(data: Any) -> tuple[Application | None, list[str]]:
    """Parse and check an application; returns it (if the schema holds) and every error found."""
    try:
        application = Application.model_validate(data)
    except ValidationError as error:
        return None, describe(error)
    return application, application_errors(application)


def track(participant: Participant) -> Track:
    """3+ years of higher education: student; 1-<3 years and 1+ years of experience: assessed; else course."""
    if participant.education_years >= STUDENT_EDUCATION_YEARS:
        return Track.STUDENT
    if (
        participant.education_years >= ASSESSMENT_MIN_EDUCATION_YEARS
        and participant.experience_years >= ASSESSMENT_MIN_EXPERIENCE_YEARS
    ):
        return Track.ASSESSMENT
    return Track.COURSE
