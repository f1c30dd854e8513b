"""Application rules and each participant's admission track."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from babel.lists import format_list
from pydantic import ValidationError

from domain.errors import describe
from domain.models import Application, ApplicationFacts, Enrolment, Participant, Sector, Track
from domain.municipalities import UnknownMunicipality, lookup, register

MIN_PARTICIPANTS = 3
MAX_PARTICIPANTS = 4
MIN_SECTORS = 2
STUDENT_EDUCATION_YEARS = 3.0
ASSESSMENT_MIN_EDUCATION_YEARS = 1.0
ASSESSMENT_MIN_EXPERIENCE_YEARS = 1.0


Language = Literal["en", "nb"]


@dataclass(frozen=True)
class Problem:
    """One broken rule, in English for the command line and the audit, and in Norwegian for letters."""

    field: str
    en: str
    nb: str

    def text(self, language: Language = "en") -> str:
        return self.nb if language == "nb" else f"{self.field}: {self.en}"


def application_errors(application: Application | ApplicationFacts, language: Language = "en") -> list[str]:
    """Every rule the application breaks, in plain words; empty when it is valid."""
    return [problem.text(language) for problem in application_problems(application)]


def application_problems(application: Application | ApplicationFacts) -> list[Problem]:
    return _municipality_problems(application.municipalities) + participant_problems(application.participants)


def participant_errors(participants: Sequence[Participant | Enrolment], language: Language = "en") -> list[str]:
    """The rules on a group's participants (count, sectors, no one twice): for an application and a replacement."""
    return [problem.text(language) for problem in participant_problems(participants)]


def participant_problems(participants: Sequence[Participant | Enrolment]) -> list[Problem]:
    people = [p.email if isinstance(p, Participant) else p.person_id for p in participants]
    by_email = any(isinstance(p, Participant) for p in participants)
    return _participant_problems([p.sector for p in participants], people, by_email=by_email)


def already_applied_errors(
    municipalities: list[str], applied: Mapping[str, str], language: Language = "en"
) -> list[str]:
    """The municipalities of an application that already applied to this cohort; `applied` maps a kommunenummer to
    the ID of the application it is in."""
    return [_already_applied(number, applied[number]).text(language) for number in municipalities if number in applied]


def _already_applied(number: str, application_id: str) -> Problem:
    names = format_list([_name(n) for n in application_id.split("+")], locale="nb")
    return Problem(
        "municipalities",
        f"{number} already applied in application {application_id}",
        f"{_name(number)} ({number}) har allerede søkt om plass på dette kullet, i søknaden fra {names}.",
    )


def preload() -> None:
    """Read the data files the rules use (municipality register, Norwegian locale) into memory now: workflows run
    these rules in a sandbox that refuses to open files."""
    register()
    format_list(["Oslo", "Bergen"], locale="nb")


def _name(number: str) -> str:
    try:
        return lookup(number).name.split(" - ")[0]
    except UnknownMunicipality:
        return number


def _municipality_problems(numbers: list[str]) -> list[Problem]:
    problems = []
    for number in sorted({n for n in numbers if numbers.count(n) > 1}):
        problems.append(
            Problem(
                "municipalities",
                f"{number} is named more than once",
                f"{_name(number)} ({number}) står mer enn én gang i søknaden.",
            )
        )
    for number in dict.fromkeys(numbers):
        try:
            lookup(number)
        except UnknownMunicipality as unknown:
            problems.append(
                Problem(
                    "municipalities",
                    str(unknown),
                    f"Kommunenummer {number} finnes ikke i kommuneregisteret (ukjent eller utgått).",
                )
            )
    return problems


def _participant_problems(sectors: list[Sector], people: list[str], *, by_email: bool) -> list[Problem]:
    problems = []
    count = len(people)
    if not MIN_PARTICIPANTS <= count <= MAX_PARTICIPANTS:
        problems.append(
            Problem(
                "participants",
                f"an application names {MIN_PARTICIPANTS} to {MAX_PARTICIPANTS} participants, this one {count}",
                f"Søknaden har {count} {'deltaker' if count == 1 else 'deltakere'}. En søknad skal ha "
                f"{MIN_PARTICIPANTS} til {MAX_PARTICIPANTS} deltakere.",
            )
        )
    distinct = len(set(sectors))
    if distinct < MIN_SECTORS:
        problems.append(
            Problem(
                "participants",
                f"they must come from at least {MIN_SECTORS} different sectors, here {distinct}",
                (
                    "Alle deltakerne kommer fra samme sektor."
                    if distinct == 1
                    else "Søknaden har ingen deltakere med sektor."
                )
                + f" De må komme fra minst {MIN_SECTORS} ulike sektorer.",
            )
        )
    seen: set[str] = set()
    for index, person in enumerate(people):
        if person in seen:
            field, what = (
                (f"participants.{index}.email", "the same person (by e-mail)")
                if by_email
                else (f"participants.{index}", "the same person")
            )
            problems.append(
                Problem(
                    field,
                    f"{what} is named more than once",
                    f"Deltaker {index + 1} står allerede i søknaden. Hver person kan bare være med én gang.",
                )
            )
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
