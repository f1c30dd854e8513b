"""Models shared by the rules, the workflows and the command line."""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError

from domain.text import (
    EMAIL_MAX,
    MEMBERS_MAX,
    MUNICIPALITIES_MAX,
    CohortName,
    Name,
    Role,
    cut,
    refused,
    refused_character,
    too_long,
)


class Sector(StrEnum):
    HELSE_OMSORG = "helse_omsorg"
    OPPVEKST_UTDANNING = "oppvekst_utdanning"
    TEKNISK_MILJO = "teknisk_miljo"
    KULTUR_FRITID = "kultur_fritid"
    ADMINISTRASJON_STAB = "administrasjon_stab"
    NAERING_SAMFUNN = "naering_samfunn"
    POLITISK = "politisk"


class Track(StrEnum):
    STUDENT = "student"
    COURSE = "course"
    ASSESSMENT = "assessment"  # waiting for the admin's individual assessment


class Region(StrEnum):
    OSTLANDET = "Østlandet"
    SORLANDET = "Sørlandet"
    VESTLANDET = "Vestlandet"
    TRONDELAG = "Trøndelag"
    NORD_NORGE = "Nord-Norge"


class SizeClass(StrEnum):
    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"


class Grade(StrEnum):
    A = "A"
    B = "B"
    C = "C"
    D = "D"
    E = "E"
    F = "F"


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_KOMMUNENUMMER = re.compile(r"^\d{4}$")


def _email(value: str) -> str:
    value = value.strip()
    if len(value) > EMAIL_MAX:
        raise too_long(EMAIL_MAX, len(value))
    for position, char in enumerate(value, 1):
        if refused_character(char):
            raise refused(char, position)
    if not _EMAIL.match(value):
        raise PydanticCustomError("validation.not_email", "'{value}' is not an e-mail address", {"value": cut(value)})
    return value.lower()


def _kommunenummer(value: str) -> str:
    if not _KOMMUNENUMMER.match(value):
        raise PydanticCustomError(
            "validation.not_kommunenummer", "'{value}' is not a kommunenummer", {"value": cut(value)}
        )
    return value


Email = Annotated[str, AfterValidator(_email)]
Kommunenummer = Annotated[str, AfterValidator(_kommunenummer)]
NonEmpty = Annotated[str, Field(min_length=1)]
Years = Annotated[float, Field(ge=0, le=60)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class Municipality(Strict):
    number: Kommunenummer
    name: str
    county_number: str
    county: str
    population: int
    region: Region
    size: SizeClass


class Contact(Strict):
    name: Name
    email: Email


class Participant(Strict):
    name: Name
    email: Email
    sector: Sector
    role: Role
    education_years: Years
    experience_years: Years


class Application(Strict):
    """One municipality's application, or a joint one of cooperating municipalities."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True, frozen=True)

    cohort: CohortName
    municipalities: list[Kommunenummer] = Field(min_length=1, max_length=MUNICIPALITIES_MAX)
    contact: Contact
    participants: list[Participant] = Field(max_length=MEMBERS_MAX)  # the rules want 3-4; this bounds the file

    @property
    def id(self) -> str:
        return application_id(self.municipalities)


PersonId = Annotated[str, Field(pattern=r"^p[0-9a-f]{20}$")]  # opaque key of the register of people


class Enrolment(Strict):
    """A participant as the workflows know them: an opaque person ID and the non-personal facts decided on.

    The track is decided from the register when the application is registered; only its result travels."""

    person_id: PersonId
    sector: Sector
    track: Track


class ApplicationFacts(Strict):
    """An application as it enters a workflow: who applies and with whom, by person ID, no personal data."""

    cohort: CohortName
    municipalities: list[Kommunenummer] = Field(min_length=1, max_length=MUNICIPALITIES_MAX)
    contact: PersonId
    participants: list[Enrolment] = Field(max_length=MEMBERS_MAX)

    @property
    def id(self) -> str:
        return application_id(self.municipalities)


def application_id(municipalities: list[str]) -> str:
    """The application's identity: its kommunenumre joined with '+' in the order given."""
    return "+".join(municipalities)


class SelectionEntry(Strict):
    id: str
    municipalities: list[str]
    region: Region
    size: SizeClass
    basis: str  # why it got its place or rank: region, small, large, lottery


class InvalidApplication(Strict):
    id: str
    errors: list[str]


class SelectionResult(Strict):
    seed: str
    places: int
    admitted: list[SelectionEntry]
    waitlist: list[SelectionEntry]
    invalid: list[InvalidApplication]


class Gathering(Strict):
    theme: Name
    start: datetime
    end: datetime
    days: int = Field(ge=1)


class WorkRequirement(Strict):
    title: Name
    deadline: datetime


class CohortPlan(Strict):
    """One cohort's calendar and settings; `plan.check_plan` holds the rules it must meet."""

    cohort: CohortName
    places: int
    application_deadline: datetime
    selection_date: datetime
    gatherings: list[Gathering]
    work_requirements: list[WorkRequirement]
    written_deadline: datetime
    oral_start: datetime
    oral_end: datetime
    # [default] settings, see docs/domain.md
    oral_step_limit: int = 1
    exam_attempts: int = 3  # the most sittings of the exam a person has: the ordinary one and two re-sits
    resubmission_seconds: float = Field(default=14 * 86400, gt=0)
    reminder_seconds_before: list[float] = Field(default_factory=lambda: [7 * 86400.0, 86400.0])
    attendance_threshold: float | None = Field(default=None, ge=0, le=1)
    approval_reminder_seconds: float = Field(default=7 * 86400, gt=0)
    appeal_seconds: float = Field(default=21 * 86400, gt=0)
    grading_seconds: float = Field(default=21 * 86400, gt=0)  # sensurfrist: from the written deadline to its grade
    # begrunnelse: asked for within this time of the release, written by the group's examiner within the due time
    explanation_seconds: float = Field(default=7 * 86400, gt=0)
    explanation_due_seconds: float = Field(default=14 * 86400, gt=0)
    oral_notice_seconds: float = Field(default=7 * 86400, ge=0)  # the letter with the oral's time and place, ahead
    # how long an admitted or moved-up municipality has to answer its offer, never past the first gathering; None: the
    # plan asks no answer (a place stands until it is given up)
    offer_answer_seconds: float | None = Field(default=14 * 86400, gt=0)
    # the re-sit period for those who fail; without it a re-sit joins the next cohort's exam period
    resit_start: datetime | None = None
    resit_end: datetime | None = None
