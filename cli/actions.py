"""starter.py's commands that act on a workflow: one entry per command of the gateway's list (gateway.commands),
with the arguments the command line reads, how they make the command's input, and the line it prints when done.

The subcommand is the command's name, a family's verb under its family (`requirement-approve` is `requirement
approve`, `written-grade` is `written grade`); a few keep the spelling they had before the list (`withdraw` is
`withdraw-participant`, `publish` is `publish-results`, `non-participating` is `mark-non-participating`).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cli.admin import acting, cohort_id, done, group_id, participant_id
from cli.output import CliError
from domain.catalogue import label, when
from domain.ids import CohortId, GroupId, WorkflowRef
from domain.orals import OralSlot
from domain.plan import load_plan
from domain.text import printable, shown
from gateway import commands
from gateway.admin import Admin
from gateway.commands import AnyCommand
from gateway.messages import (
    AmendPlanInput,
    AnswerOfferInput,
    AttendanceInput,
    ConfirmSelectionInput,
    DecideAssessmentInput,
    ExtensionInput,
    MarkNonParticipatingInput,
    OralAdjustment,
    OralInput,
    PublishGroupInput,
    PublishResultsInput,
    RequirementInput,
    ReturnRequirementInput,
    ScheduleOralInput,
    SubmitRequirementInput,
    SubmitWrittenInput,
    WithdrawGroupInput,
    WithdrawParticipantInput,
    WrittenGradeInput,
)

Args = argparse.Namespace
FAMILIES = ("requirement", "written")  # a name `family-verb` is the subcommand `family verb`
SPELT = {  # the subcommands that kept their spelling from before the list
    "withdraw": "withdraw-participant",
    "publish": "publish-results",
    "non-participating": "mark-non-participating",
}


@dataclass(frozen=True)
class Spoken:
    """How the command line gives one command: its help, its own options, its input and its answer."""

    command: AnyCommand
    help: str
    build: Callable[[Args, str], Any]  # (arguments, the actor's user name) -> the command's input
    said: Callable[[Args, Any], str]  # (arguments, result) -> the line printed
    options: Callable[[argparse.ArgumentParser], None] = lambda parser: None
    target: Callable[[Args], WorkflowRef] | None = None  # default: by the command's kind
    takes: str | None = None  # the arguments naming the target (cohort, group, requirement, participant)

    def naming(self) -> str:
        if self.takes is not None:
            return self.takes
        if self.command.name.startswith("requirement-"):
            return "requirement"
        return {CohortId: "cohort", GroupId: "group"}.get(self.command.target, "participant")

    def words(self) -> list[str]:
        name = SPELT.get(self.command.name, self.command.name)
        family, _, verb = name.partition("-")
        return [family, verb] if family in FAMILIES and verb else [name]

    def target_of(self, args: Args) -> WorkflowRef:
        if self.target is not None:
            return self.target(args)
        if self.command.target is CohortId:
            return cohort_id(args.cohort)
        if self.command.target is GroupId:
            return group_id(args)
        return participant_id(args.participant)


async def give(spoken: Spoken, admin: Admin, args: Args) -> int:
    """Build the input (a bad value is the model's refusal, before any ID is read), then give the command as the
    configured account."""
    account = await acting(admin, args)
    action = spoken.build(args, account.username)
    result = await admin.perform(spoken.command, spoken.target_of(args), action, account)
    return done(args, result, spoken.said(args, result))


def _deadline(text: str, option: str = "--deadline") -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise CliError(f"{option}: {shown(text)} er ikke et ISO-tidspunkt som 2022-10-01T12:00+02:00") from None
    if value.tzinfo is None:
        raise CliError(f"{option}: {shown(text)} mangler tidssone, f.eks. {printable(text)}+02:00")
    return value


def _adjustment(text: str) -> OralAdjustment:
    """PARTICIPANT_ID=STEPS, or PARTICIPANT_ID=absent for a valid absence; an ID or a step out of bounds is the
    model's refusal, naming the field."""
    participant, _, step = text.rpartition("=")
    if participant and step == "absent":
        return OralAdjustment(participant_workflow_id=participant, absent=True)
    try:
        steps = int(step)
    except ValueError:
        steps = None
    if not participant or steps is None:
        raise CliError(f"--adjust: {shown(text)} er ikke DELTAKER_ID=TRINN, f.eks. kull-2022.gruppe-1833.deltaker-1=+1")
    return OralAdjustment(participant_workflow_id=participant, adjustment=steps)


def _requirement(result: Any) -> str:
    deadline = when(result.deadline)
    return f"arbeidskrav {result.number}: {_said(result.status)}, frist {deadline}"


def _option(name: str, **kwargs: Any) -> Callable[[argparse.ArgumentParser], None]:
    def add(parser: argparse.ArgumentParser) -> None:
        parser.add_argument(name, **kwargs)

    return add


def _oral_slot_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--at", required=True, help="ISO date-time with zone, e.g. 2023-06-12T10:00+02:00")
    parser.add_argument("--place", required=True, help="room and building, or an address")


def _attendance_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--gathering", type=int, required=True)
    parser.add_argument("--day", type=int, action="append", required=True, help="once for each day registered")
    parser.add_argument(
        "--present", nargs="*", action="append", required=True, metavar="PARTICIPANT_ID", help="after each --day"
    )


def _attendance(args: Args, actor: str) -> AttendanceInput:
    """Each --day with the --present that follows it: the gathering's days in one registration."""
    if len(args.day) != len(args.present):
        raise CliError(f"--day {len(args.day)} ganger, men --present {len(args.present)}: én --present for hver dag")
    days = [{"day": day, "present": present} for day, present in zip(args.day, args.present, strict=True)]
    return AttendanceInput.model_validate({"actor": actor, "gathering": args.gathering, "days": days})


def _attended(args: Args, result: Any) -> str:
    pairs = zip(args.day, args.present, strict=True)
    days = ", ".join(f"dag {day}: {len(present)} til stede" for day, present in pairs)
    return f"samling {args.gathering}, {days}, de andre fraværende; gruppens fase: {_said(result.stage)}"


def _selection(args: Args, result: Any) -> str:
    admitted, waitlist = ", ".join(result.admitted) or "ingen", ", ".join(result.waitlist) or "tom"
    return f"utvalget er bekreftet (frø {result.seed}): tatt opp {admitted}; venteliste {waitlist}"


def _said(code: object) -> str:
    """A code (a status, a stage, a track) in words, in lower case as inside a sentence."""
    return label(code).lower()


SPOKEN: list[Spoken] = [
    Spoken(
        commands.CONFIRM_SELECTION,
        "confirm the drawn selection and tell the groups",
        lambda a, actor: ConfirmSelectionInput(actor=actor),
        _selection,
    ),
    Spoken(
        commands.WITHDRAW_GROUP,
        "a group gives up its place",
        lambda a, actor: WithdrawGroupInput(actor=actor, application_id=a.application_id, reason=a.reason),
        lambda a, r: (
            f"søknad {a.application_id} ga fra seg plassen"
            + (f"; {r.moved_up} rykket opp fra ventelisten" if r.moved_up else "")
        ),
        _option("--reason", required=True),
        lambda a: group_id(a).cohort,
        "group",
    ),
    Spoken(
        commands.AMEND_PLAN,
        "amend the running cohort's plan: move dates still ahead (the plan file as a whole, as amended)",
        lambda a, actor: AmendPlanInput(actor=actor, plan=load_plan(a.plan)),
        lambda a, r: (
            "kullplanen er endret: "
            + "; ".join(f"{c.what} fra {when(c.before)} til {when(c.after)}" for c in r.changes)
        ),
        _option("--plan", required=True, help="the amended plan file (JSON)"),
    ),
    Spoken(
        commands.ANSWER_OFFER,
        "answer a group's offer of a place for its municipality (accept or decline)",
        lambda a, actor: AnswerOfferInput(actor=actor, application_id=a.application_id, answer=a.answer),
        lambda a, r: (
            f"søknad {a.application_id} svarte {_said(a.answer)}"
            + (f"; {r.moved_up} rykket opp fra ventelisten" if r.moved_up else "")
        ),
        _option("--answer", required=True, choices=["accept", "decline"]),
        lambda a: group_id(a).cohort,
        "group",
    ),
    Spoken(
        commands.PUBLISH,
        "publish the graded results of the cohort",
        lambda a, actor: PublishResultsInput(actor=actor),
        lambda a, r: f"resultatene er publisert for {r.groups} gruppe(r)",
    ),
    Spoken(
        commands.PUBLISH_GROUP,
        "release one group's checked results on their own",
        lambda a, actor: PublishGroupInput(actor=actor, application_id=a.application_id),
        lambda a, r: f"resultatene for gruppe {a.application_id} er frigitt",
        target=lambda a: group_id(a).cohort,
        takes="group",
    ),
    Spoken(
        commands.REQUIREMENT_SUBMIT,
        "register a submission",
        lambda a, actor: SubmitRequirementInput(actor=actor, number=a.number),
        lambda a, r: _requirement(r),
    ),
    Spoken(
        commands.REQUIREMENT_APPROVE,
        "approve a submission",
        lambda a, actor: RequirementInput(actor=actor, number=a.number),
        lambda a, r: _requirement(r),
    ),
    Spoken(
        commands.REQUIREMENT_RETURN,
        "return a submission with feedback",
        lambda a, actor: ReturnRequirementInput(actor=actor, number=a.number, feedback=a.feedback),
        lambda a, r: _requirement(r),
        _option("--feedback", required=True),
    ),
    Spoken(
        commands.REQUIREMENT_EXTEND,
        "grant a new deadline",
        lambda a, actor: ExtensionInput(actor=actor, number=a.number, deadline=_deadline(a.deadline)),
        lambda a, r: _requirement(r),
        _option("--deadline", required=True, help="ISO date-time with zone"),
    ),
    Spoken(
        commands.NON_PARTICIPATING,
        "a member did not take part in the group's work",
        lambda a, actor: MarkNonParticipatingInput(actor=actor, participant_workflow_id=a.participant),
        lambda a, r: f"{a.participant} er registrert som ikke deltakende; gruppens fase: {_said(r.stage)}",
        target=lambda a: participant_id(a.participant).group,
        takes="participant",
    ),
    Spoken(
        commands.ATTENDANCE,
        "register a gathering's attendance, one or more days at once; members not listed are absent that day",
        _attendance,
        _attended,
        _attendance_options,
    ),
    Spoken(
        commands.WRITTEN_SUBMIT,
        "register the submission",
        lambda a, actor: SubmitWrittenInput(actor=actor),
        lambda a, r: f"skriftlig oppgave levert; gruppens fase: {_said(r.stage)}",
    ),
    Spoken(
        commands.WRITTEN_GRADE,
        "register the grade A-F",
        lambda a, actor: WrittenGradeInput(actor=actor, grade=a.grade.upper()),
        lambda a, r: f"skriftlig oppgave har fått karakter {a.grade.upper()}; gruppens fase: {_said(r.stage)}",
        _option("grade", metavar="GRADE"),
    ),
    Spoken(
        commands.ORAL,
        "register the oral adjustments",
        lambda a, actor: OralInput(actor=actor, adjustments=[_adjustment(text) for text in a.adjust]),
        lambda a, r: (
            f"muntlige justeringer registrert for {len(a.adjust)} student(er); gruppens fase: {_said(r.stage)}"
        ),
        _option(
            "--adjust",
            nargs="*",
            default=[],
            metavar="PARTICIPANT_ID=STEPS",
            help="e.g. ...deltaker-1=+1, or ...deltaker-2=absent for a valid absence; one per examined student",
        ),
    ),
    Spoken(
        commands.ORAL_SCHEDULE,
        "set the group's oral: its time (within the oral period) and place; its members get a letter ahead",
        lambda a, actor: ScheduleOralInput(actor=actor, slot=OralSlot(start=_deadline(a.at, "--at"), place=a.place)),
        lambda a, r: f"muntlig eksamen {when(_deadline(a.at, '--at'))}, {a.place}; gruppens fase: {_said(r.stage)}",
        _oral_slot_options,
    ),
    Spoken(
        commands.ASSESSMENT,
        "decide an individual assessment",
        lambda a, actor: DecideAssessmentInput(actor=actor, track=a.track),
        lambda a, r: f"{a.participant}: spor {_said(r.track)}",
        _option("track", metavar="student|course"),
    ),
    Spoken(
        commands.WITHDRAW,
        "a participant withdraws",
        lambda a, actor: WithdrawParticipantInput(actor=actor, reason=a.reason),
        lambda a, r: f"{a.participant} er trukket",
        _option("--reason", required=True),
    ),
]
