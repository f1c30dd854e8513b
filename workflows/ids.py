"""The one place where workflow IDs are made: from cohort and kommunenumre, never from names."""

from __future__ import annotations

import re
from dataclasses import dataclass

from domain.refusals import Refusal

_COHORT = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
_APPLICATION = re.compile(r"^\d{4}(\+\d{4})*$")  # kommunenumre joined by '+'
_GROUP = re.compile(r"^kull-(?P<cohort>[A-Za-z0-9_-]{1,32})\.gruppe-(?P<application>\d{4}(?:\+\d{4})*)$")
_PARTICIPANT = re.compile(r"^(?P<group>kull-[^.]+\.gruppe-[^.]+)\.deltaker-(?P<n>[1-9]\d{0,3})$")  # its group: _GROUP


# ---- typed IDs: the one parser of what a person types or a page's path carries ---------------------------------
@dataclass(frozen=True)
class CohortId:
    """A cohort by its name (`2022`); its workflow is `kull-2022`."""

    cohort: str

    @classmethod
    def parse(cls, text: str) -> CohortId:
        """A cohort's name, or Refusal ids.bad_cohort."""
        cohort_workflow_id(text)
        return cls(text)

    @property
    def workflow_id(self) -> str:
        return f"kull-{self.cohort}"


@dataclass(frozen=True)
class GroupId:
    """A group by its cohort and application ID (kommunenumre joined by '+')."""

    cohort: CohortId
    application_id: str

    @classmethod
    def of(cls, cohort: str, application_id: str) -> GroupId:
        """From a cohort's name and an application ID (the command line, a page's path), or a Refusal ids.*."""
        if not _APPLICATION.match(application_id):
            raise Refusal("ids.bad_application", application_id=application_id)
        return cls(CohortId.parse(cohort), application_id)

    @classmethod
    def parse(cls, workflow_id: str) -> GroupId:
        """From the group's workflow ID (`kull-2022.gruppe-1804`), or Refusal ids.bad_group."""
        match = _GROUP.match(workflow_id)
        if match is None:
            raise Refusal("ids.bad_group", workflow_id=workflow_id)
        return cls(CohortId(match["cohort"]), match["application"])

    @property
    def workflow_id(self) -> str:
        return f"{self.cohort.workflow_id}.gruppe-{self.application_id}"


@dataclass(frozen=True)
class ParticipantId:
    """A participant by their workflow ID (`kull-2022.gruppe-1804.deltaker-2`), as `show group` lists them."""

    group: GroupId
    number: int

    @classmethod
    def parse(cls, text: str) -> ParticipantId:
        """From the participant's workflow ID, or Refusal ids.bad_participant."""
        match = _PARTICIPANT.match(text)
        group = _GROUP.match(match["group"]) if match else None
        if match is None or group is None:
            raise Refusal("ids.bad_participant", participant=text)
        return cls(GroupId(CohortId(group["cohort"]), group["application"]), int(match["n"]))

    @property
    def workflow_id(self) -> str:
        return f"{self.group.workflow_id}.deltaker-{self.number}"


WorkflowRef = CohortId | GroupId | ParticipantId


def cohort_workflow_id(cohort: str) -> str:
    if not _COHORT.match(cohort):
        raise Refusal("ids.bad_cohort", cohort=cohort)
    return f"kull-{cohort}"


def group_workflow_id(cohort: str, application_id: str) -> str:
    """One group per application; the application's id is its kommunenumre joined by '+'."""
    return f"{cohort_workflow_id(cohort)}.gruppe-{application_id}"


def participant_workflow_id(group_workflow_id: str, number: int) -> str:
    """Participants are numbered within their group in the order named (replacements get the next number)."""
    return f"{group_workflow_id}.deltaker-{number}"


def appeal_workflow_id(participant_workflow_id: str, attempt: int = 1) -> str:
    """One appeal per person and attempt: `<participant>.klage`, `<participant>.klage-2` for a re-sit's."""
    return f"{participant_workflow_id}.klage" + ("" if attempt == 1 else f"-{attempt}")


def resit_workflow_id(participant_workflow_id: str, attempt: int) -> str:
    """One re-sit per person and attempt (2 is the first re-sit): `<participant>.ny-eksamen-2`."""
    if attempt < 2:
        raise Refusal("ids.resit_attempt", attempt=attempt)
    return f"{participant_workflow_id}.ny-eksamen-{attempt}"
