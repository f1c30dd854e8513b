"""The typed IDs of the workflows, and the one parser of what a person types or a page's path carries: a cohort by its
name, a group by cohort and application ID, a participant by their workflow ID (`kull-2022.gruppe-1804.deltaker-2`).
A text that is none of these is refused by code (ids.*, domain/catalogue/ids.py). The workflows make their IDs from
these (workflows/ids.py); they carry cohort names and kommunenumre, never a person's name."""

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
        if not _COHORT.match(text):
            raise Refusal("ids.bad_cohort", cohort=text)
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
