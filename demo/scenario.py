"""The demo's scenario file: applications in the order received and the study administration's script."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from domain.models import Grade, Track
from domain.project import InnovationProject, InnovationReport


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Actors(_Model):
    admin: str
    teacher: str
    examiner: str


class ReturnedRequirement(_Model):
    requirement: int = Field(ge=1, le=4)
    feedback: str


class Extension(_Model):
    requirement: int = Field(ge=1, le=4)
    days: float = Field(gt=0)


class GiveUp(_Model):
    application: str
    reason: str


class Mistakes(_Model):
    """Out-of-order actions the script tries on purpose (by application id): each must be refused, by name."""

    approve_before_submit: str | None = None
    second_approval: str | None = None
    grade_before_submission: str | None = None
    oral_beyond_limit: str | None = None


class Script(_Model):
    """Participants are named `APPLICATION#N` (N-th participant of the application), never by name."""

    actors: Actors
    year_seconds: float = Field(default=120, gt=10)
    give_up: GiveUp | None = None
    # an application whose contact applies on the web and answers its offer of a place "Takk nei" there (every other
    # offer is accepted: on the web by a contact who applied there, by the administration otherwise)
    declines_offer: str | None = None
    assessments: dict[str, Track] = {}
    withdraw_participants: dict[str, str] = {}
    absences: list[str] = []  # "APPLICATION#N@GATHERING:DAY"
    returned: dict[str, ReturnedRequirement] = {}
    extensions: dict[str, Extension] = {}
    non_participating: list[str] = []
    written_grades: dict[str, Grade] = {}
    default_written_grade: Grade = Grade.C
    oral_pattern: list[int] = [1, -1, 0]
    mistakes: Mistakes = Mistakes()
    projects: dict[str, ScriptedProject] = {}  # application -> its innovation project, recorded with requirement 1
    release_first: str | None = None  # an application whose results are checked and released before the rest


class ScriptedProject(_Model):
    project: InnovationProject
    reports: list[InnovationReport] = []  # each given when its work requirement is handed in


class Scenario(_Model):
    cohort: str
    places: int = Field(ge=1)
    seed: str
    applications: list[dict[str, Any]]
    script: Script
    end_of_year: EndOfYear | None = None  # optional: the steps after publish


class Appeal(_Model):
    participant: str  # APPLICATION#N
    written: Grade | None = None  # the new written grade that stands; none for one withdrawn before the decision
    # each commission member's own grade, in the order of end_of_year.appeal_examiners, and the commission's grade;
    # by default all say `written`. A commission's grade two or more from the first is assessed further, which
    # fixes `written` (it may differ from the commission's)
    members: list[Grade] | None = None
    commission: Grade | None = None
    oral: int | None = None  # the new oral adjustment, when the written grade changed
    withdraw: bool = False  # withdrawn on the person's word before it is decided: the grade stays

    @model_validator(mode="after")
    def _decided_or_withdrawn(self) -> Appeal:
        if (self.written is None) != self.withdraw:
            raise ValueError(f"{self.participant}: an appeal has a new written grade or is withdrawn, not both")
        return self


class Resit(_Model):
    participant: str  # APPLICATION#N of a student who failed
    written: Grade  # the re-sit's written grade
    oral: int | None = None  # its oral adjustment, unless the written grade is an F


class Explanation(_Model):
    """A begrunnelse: the person asks for it on their page, the group's examiner writes it (demo/explanations.py)."""

    participant: str  # APPLICATION#N of a student with a grade
    text: str = Field(min_length=1)  # the examiner's words


class EndOfYearMistakes(_Model):
    """Appeals the script may try on purpose: each must be refused, by name. kull-2022.json leaves them out: its
    report's count of refused actions (4) and the demo's test of it stay as they were."""

    course_participant: str | None = None  # APPLICATION#N of a course participant
    second_appeal: str | None = None  # APPLICATION#N of someone whose appeal is already registered
    first_examiner_again: str | None = None  # APPLICATION#N whose appeal first gets the group's own examiner


class EndOfYear(_Model):
    """After the results are published (demo/end_of_year.py): appeals, re-sits, documents, the export to FS."""

    appeal_examiners: list[str] = Field(min_length=2)  # the commission of every appeal
    external_examiners: list[str] = []  # those of them whose accounts are marked external (at least one)
    appeals: list[Appeal] = []
    explanations: list[Explanation] = []
    resits: list[Resit] = []
    mistakes: EndOfYearMistakes = EndOfYearMistakes()
    xlsx: bool = True

    @model_validator(mode="after")
    def _a_grade_per_member(self) -> EndOfYear:
        for appeal in self.appeals:
            if appeal.members is not None and len(appeal.members) != len(self.appeal_examiners):
                raise ValueError(f"{appeal.participant}: a grade for each of {len(self.appeal_examiners)} members")
        return self


Scenario.model_rebuild()  # its end_of_year section is defined after it
