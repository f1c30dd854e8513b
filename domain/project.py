"""The innovation project on record: what each group works on (the study plan's project work, seed 000 on
collaboration-driven innovation), with whom, and the drivers and barriers it reports at the work requirements.

Plain facts about an organisation's project, no personal data; every text bounded (domain/text.py) because the
workflow carries it.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, Field, field_validator
from pydantic_core import PydanticCustomError

from domain.models import Strict
from domain.plan import WORK_REQUIREMENTS
from domain.text import FEEDBACK_MAX, NAME_MAX, line, lines

PARTNERS_MAX = 12
Title = Annotated[str, AfterValidator(line(NAME_MAX))]
Story = Annotated[str, AfterValidator(lines(FEEDBACK_MAX))]


class PartnerKind(StrEnum):
    BUSINESS = "business"
    NGO = "ngo"
    RESEARCH = "research"
    CITIZENS = "citizens"
    PUBLIC_BODY = "public_body"
    OTHER = "other"


class Partner(Strict):
    kind: PartnerKind
    name: Title


class InnovationProject(Strict):
    title: Title
    problem: Story
    partners: list[Partner] = Field(default=[], max_length=PARTNERS_MAX)

    @field_validator("partners")
    @classmethod
    def _each_partner_once(cls, partners: list[Partner]) -> list[Partner]:
        names = [p.name.casefold() for p in partners]
        twice = sorted({p.name for p in partners if names.count(p.name.casefold()) > 1})
        if twice:
            raise PydanticCustomError("validation.named_twice", "named twice: {names}", {"names": ", ".join(twice)})
        return partners


class InnovationReport(Strict):
    """What the group reports with a work requirement: what drove the work and what stood in its way."""

    number: int = Field(ge=1, le=WORK_REQUIREMENTS)
    drivers: Story
    barriers: Story


def with_report(reports: list[InnovationReport], report: InnovationReport) -> list[InnovationReport]:
    """The reports with this one in its requirement's place (a later report of the same requirement replaces it)."""
    return sorted([r for r in reports if r.number != report.number] + [report], key=lambda r: r.number)
