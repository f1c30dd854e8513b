"""Application rules and each participant's admission track."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from babel.lists import format_list
from pydantic import ValidationError

from domain.errors import describe
from domain.models import Application, ApplicationFacts, Enrolment, Participant, Sector, Track
from domain.municipalities import UnknownMunicipality, lookup, register
from domain.refusals import Problem

MIN_PARTICIPANTS = 3
MAX_PARTICIPANTS = 4
MIN_SECTORS = 2
STUDENT_EDUCATION_YEARS = 3.0
ASSESSMENT_MIN_EDUCATION_YEARS = 1.0
ASSESSMENT_MIN_EXPERIENCE_YEARS = 1.0


def application_errors(application: Application | ApplicationFacts) -> list[str]:
    """Every rule the application breaks, in the catalogue's Norwegian; empty when it is valid."""
    return [problem.text() for problem in application_problems(application)]


def application_problems(application: Application | ApplicationFacts) -> list[Problem]:
    """Every rule the application breaks, by code (domain/catalogue/admission.py)."""
    return _municipality_problems(application.municipalities) + participant_problems(application.participants)


def participant_problems(participants: Sequence[Participant | Enrolment]) -> list[Problem]:
    """The rules on a group's participants (count, sectors, no one twice), by e-mail or by person ID."""
    people = [p.email if isinstance(p, Participant) else p.person_id for p in participants]
    return _participant_problems([p.sector for p in participants], people)


def already_applied(municipalities: list[str], applied: Mapping[str, str]) -> list[Problem]:
    """The municipalities of an application that already applied to this cohort; `applied` maps a kommunenummer to
    the ID of the application it is in."""
    return [_already_applied(number, applied[number]) for number in municipalities if number in applied]


def _already_applied(number: str, application_id: str) -> Problem:
    names = format_list([_name(n) for n in application_id.split("+")], locale="nb")
    return Problem("application.already_applied", {"name": _name(number), "number": number, "names": names})


def preload() -> None:
    """Read the data files the rules use (municipality register, Norwegian locale) into memory now: workflows run
    these rules, and a workflow task does no I/O."""
    register()
    format_list(["Oslo", "Bergen"], locale="nb")


def _name(number: str) -> str:
    try:
        return lookup(number).name.split(" - ")[0]
    except UnknownMunicipality:
        return number


def _municipality_problems(numbers: list[str]) -> list[Problem]:
    problems = [
        Problem("application.municipality_twice", {"name": _name(number), "number": number})
        for number in sorted({n for n in numbers if numbers.count(n) > 1})
    ]
    for number in dict.fromkeys(numbers):
        try:
            lookup(number)
        except UnknownMunicipality:
            problems.append(Problem("application.unknown_municipality", {"number": number}))
    return problems


def _participant_problems(sectors: list[Sector], people: list[str]) -> list[Problem]:
    problems = []
    count = len(people)
    if count == 1:
        problems.append(Problem("application.one_participant", {"min": MIN_PARTICIPANTS, "max": MAX_PARTICIPANTS}))
    elif not MIN_PARTICIPANTS <= count <= MAX_PARTICIPANTS:
        problems.append(
            Problem("application.participant_count", {"count": count, "min": MIN_PARTICIPANTS, "max": MAX_PARTICIPANTS})
        )
    distinct = len(set(sectors))
    if distinct == 1:
        problems.append(Problem("application.one_sector", {"min": MIN_SECTORS}))
    elif distinct < MIN_SECTORS:
        problems.append(Problem("application.no_sector", {"min": MIN_SECTORS}))
    seen: set[str] = set()
    for index, person in enumerate(people):
        if person in seen:
            problems.append(Problem("application.participant_twice", {"position": index + 1}))
        seen.add(person)
    return problems


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
