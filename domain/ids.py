"""The typed IDs of the workflows, and the one parser of what a person types or a page's path carries: a cohort by its
name, a group by cohort and application ID, a participant by their workflow ID (`kull-2022.gruppe-1804.deltaker-2`).
A text that is none of these is refused by code (ids.*, domain/catalogue/ids.py). The workflows make their IDs from
these (workflows/ids.py); they carry cohort names and kommunenumre, never a person's name."""

from __future__ import annotations

import re
from dataclasses import dataclass

from domain.refusals import Refusal
from domain.text import APPLICATION_ID_PATTERN

_COHORT = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
_APPLICATION = re.compile(rf"^{APPLICATION_ID_PATTERN}$")  # kommunenumre joined by '+', as many as the rules take
_GROUP = re.compile(rf"^kull-(?P<cohort>[A-Za-z0-9_-]{{1,32}})\.gruppe-(?P<application>{APPLICATION_ID_PATTERN})$")
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


@dataclass(frozen=True)
class AppealId:
    """One person's appeal (`<participant>.klage`; `.klage-N` for a re-sit's attempt N)."""

    participant: ParticipantId
    attempt: int = 1

    @classmethod
    def of(cls, participant: str) -> AppealId:
        """The appeal of the participant's ordinary exam, from the participant's workflow ID (ids.bad_participant)."""
        return cls(ParticipantId.parse(participant))

    @classmethod
    def parse(cls, text: str) -> AppealId:
        """From the appeal's workflow ID (`<participant>.klage`, `.klage-N`), or Refusal ids.bad_appeal."""
        participant, _, tail = text.rpartition(".klage")
        attempt = tail.removeprefix("-") if tail else "1"
        if not participant or not attempt.isdigit() or (tail and not tail.startswith("-")):
            raise Refusal("ids.bad_appeal", appeal=text)
        try:
            return cls(ParticipantId.parse(participant), int(attempt))
        except Refusal:
            raise Refusal("ids.bad_appeal", appeal=text) from None

    @property
    def workflow_id(self) -> str:
        return f"{self.participant.workflow_id}.klage" + ("" if self.attempt == 1 else f"-{self.attempt}")


@dataclass(frozen=True)
class ResitId:
    """One person's re-sit (`<participant>.ny-eksamen-N`); attempt 2 is the first re-sit."""

    participant: ParticipantId
    attempt: int

    @classmethod
    def of(cls, participant: str, attempt: int) -> ResitId:
        """From the participant's workflow ID and the attempt, or Refusal ids.bad_participant or ids.resit_attempt."""
        if attempt < 2:
            raise Refusal("ids.resit_attempt", attempt=attempt)
        return cls(ParticipantId.parse(participant), attempt)

    @classmethod
    def parse(cls, text: str) -> ResitId:
        """From the re-sit's workflow ID (`<participant>.ny-eksamen-N`), or Refusal ids.bad_resit."""
        participant, _, attempt = text.rpartition(".ny-eksamen-")
        if not participant or not attempt.isdigit():
            raise Refusal("ids.bad_resit", resit=text)
        try:
            return cls.of(participant, int(attempt))
        except Refusal:
            raise Refusal("ids.bad_resit", resit=text) from None

    @property
    def workflow_id(self) -> str:
        return f"{self.participant.workflow_id}.ny-eksamen-{self.attempt}"


@dataclass(frozen=True)
class ExplanationId:
    """One person's begrunnelse of their grade (`<participant>.begrunnelse`)."""

    participant: ParticipantId

    @classmethod
    def parse(cls, text: str) -> ExplanationId:
        """From the begrunnelse's workflow ID (`<participant>.begrunnelse`), or Refusal ids.bad_participant."""
        return cls(ParticipantId.parse(text.removesuffix(".begrunnelse")))

    @property
    def workflow_id(self) -> str:
        return f"{self.participant.workflow_id}.begrunnelse"


WorkflowRef = CohortId | GroupId | ParticipantId | AppealId | ResitId | ExplanationId
