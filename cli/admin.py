"""The study administration's commands of starter.py: every admin action and `show`, against a running Temporal.

Each command is an async function taking the `Admin` gateway and the parsed arguments and returning the exit code:
0 done, 1 refused (by a workflow, or an argument that breaks a rule), 2 unreadable input, 3 Temporal or the read
model cannot be reached. Whatever goes wrong is one line on stderr, never a traceback.

A cohort is named by its cohort name (`2022`), a group by its application id (`1833+1832`) with `--cohort`, a
participant by its participant workflow id as `show group` lists it.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import getpass
import os
import re
import sys
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import SQLAlchemyError
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.service import RPCError

from cli.output import CliError, emit, read_json
from domain.admission import parse_application
from domain.errors import describe
from domain.models import Participant
from domain.plan import parse_plan
from domain.text import printable, shown
from gateway.admin import Admin, Refused
from gateway.people import cohort_of
from runtime.codec import load_or_create_key
from runtime.settings import get_settings
from runtime.wiring import connect
from store.db import create_schema, make_engine, make_session_factory
from store.people import People, register_key
from workflows.cohort import CohortWorkflow
from workflows.group import GroupWorkflow
from workflows.ids import cohort_workflow_id, group_workflow_id
from workflows.messages import (
    AttendanceInput,
    CohortOverview,
    ConfirmSelectionInput,
    DecideAssessmentInput,
    ExtensionInput,
    GroupDetail,
    MarkNonParticipatingInput,
    OralAdjustment,
    OralInput,
    ParticipantDetail,
    PublishGroupInput,
    PublishResultsInput,
    RequirementInput,
    ReturnRequirementInput,
    SubmitWrittenInput,
    WithdrawGroupInput,
    WithdrawParticipantInput,
    WrittenGradeInput,
)
from workflows.participant import ParticipantWorkflow

CONNECT_SECONDS = 5.0  # Client.connect retries an address that does not answer; a CLI gives up sooner
Command = Callable[[Admin, argparse.Namespace], Awaitable[int]]
_PARTICIPANT = re.compile(r"^(?P<group>.+)\.deltaker-\d+$")


# ---- running a command ----------------------------------------------------------------------------
def dispatch(args: argparse.Namespace) -> int:
    """starter.py's handler for every admin command: connect, build the gateway, run the command."""
    return asyncio.run(_connected(args.run, args))


async def _connected(command: Command, args: argparse.Namespace) -> int:
    settings = get_settings()
    try:
        client = await asyncio.wait_for(connect(settings), CONNECT_SECONDS)
    except ValueError as error:  # the codec key
        return _fail(2, f"error: {error}")
    except (RuntimeError, TimeoutError, OSError) as error:
        reason = str(error) or f"no answer within {CONNECT_SECONDS:g} s"
        return _fail(3, f"cannot connect to Temporal at {settings.temporal_address}: {reason}")
    engine = make_engine(settings.resolved_database_url)
    try:
        await create_schema(engine)
        sessions = make_session_factory(engine)
        people = People(sessions, register_key(load_or_create_key(settings)))
        return await command(Admin(client, sessions, settings.task_queue, people), args)
    except SQLAlchemyError as error:  # the audit of refusals goes to the read model's database
        return _fail(3, f"cannot use the read model: {error}")
    finally:
        await engine.dispose()


def guarded(command: Command) -> Command:
    """Turn a refusal or bad input into its exit code and one line on stderr."""

    @functools.wraps(command)
    async def run(admin: Admin, args: argparse.Namespace) -> int:
        try:
            return await command(admin, args)
        except Refused as refused:
            return _fail(1, f"refused: {refused}")
        except ValidationError as error:
            return _fail(1, "refused: " + "; ".join(describe(error)))
        except CliError as error:
            return _fail(2, f"error: {error}")
        except RPCError as error:
            return _fail(3, f"Temporal: {error}")

    return run


def _fail(code: int, text: str) -> int:
    """One line on stderr; characters that would steer a terminal (ESC, CR, bidi overrides) shown as escapes."""
    print(printable("; ".join(line.strip() for line in text.splitlines() if line.strip())), file=sys.stderr)
    return code


def _done(args: argparse.Namespace, result: BaseModel, text: str) -> int:
    if args.json:
        emit(result.model_dump(mode="json"))
    else:
        print(text)
    return 0


# ---- ids --------------------------------------------------------------------------------------------
def _cohort_id(cohort: str) -> str:
    try:
        return cohort_workflow_id(cohort)
    except ValueError as error:
        raise CliError(str(error)) from None


def _group_id(args: argparse.Namespace) -> str:
    _cohort_id(args.cohort)
    return group_workflow_id(args.cohort, args.application_id)


def _group_of(participant_id: str) -> str:
    match = _PARTICIPANT.match(participant_id)
    if match is None:
        raise CliError(
            f"{shown(participant_id)} is not a participant id (kull-C.gruppe-ID.deltaker-N, as `show group` lists them)"
        )
    return match["group"]


def default_actor() -> str:
    try:
        return os.environ.get("NIS_ACTOR") or getpass.getuser()
    except (OSError, KeyError):
        return ""  # refused by the action's model: actor is required


# ---- cohort -----------------------------------------------------------------------------------------
@guarded
async def start_cohort(admin: Admin, args: argparse.Namespace) -> int:
    plan, problems = parse_plan(read_json(args.plan))
    if problems or plan is None:
        return _fail(1, f"refused: {args.plan}: " + "; ".join(problem.text() for problem in problems))
    workflow_id = _cohort_id(plan.cohort)
    try:
        handle = await admin.open_cohort(plan, args.seed)
    except WorkflowAlreadyStartedError:
        raise Refused(f"cohort {plan.cohort} has already run; its workflow {workflow_id} is closed") from None
    if args.json:
        emit({"cohort": plan.cohort, "workflow_id": handle.id, "run_id": handle.result_run_id})
    else:
        print(f"cohort {plan.cohort} open: workflow {handle.id}")
    return 0


@guarded
async def apply(admin: Admin, args: argparse.Namespace) -> int:
    application, errors = parse_application(read_json(args.application))
    if application is None:  # the schema does not hold: nothing is sent
        return _fail(1, f"refused: {args.application}: " + "; ".join(errors))
    _cohort_id(application.cohort)
    result = await admin.apply(application, args.actor)
    if args.json:
        emit(result.model_dump(mode="json"))
    if not result.accepted:  # the cohort recorded it as a refused application and told the contact
        problems = "; ".join(problem.text for problem in result.problems)
        return _fail(1, f"refused: application {result.application_id}: {problems}")
    if not args.json:
        print(f"application {result.application_id} accepted: group {result.group_workflow_id}")
    return 0


@guarded
async def confirm_selection(admin: Admin, args: argparse.Namespace) -> int:
    action = ConfirmSelectionInput(actor=args.actor)
    result = await admin.perform(_cohort_id(args.cohort), CohortWorkflow.confirm_selection, action)
    return _done(
        args,
        result,
        f"selection confirmed (seed {result.seed}): admitted {', '.join(result.admitted) or 'none'}; "
        f"waiting list {', '.join(result.waitlist) or 'empty'}",
    )


@guarded
async def withdraw_group(admin: Admin, args: argparse.Namespace) -> int:
    action = WithdrawGroupInput(actor=args.actor, application_id=args.application_id, reason=args.reason)
    result = await admin.perform(_cohort_id(args.cohort), CohortWorkflow.withdraw_group, action)
    moved = f"; {result.moved_up} moved up from the waiting list" if result.moved_up else ""
    return _done(args, result, f"application {args.application_id} gave up its place{moved}")


@guarded
async def publish_results(admin: Admin, args: argparse.Namespace) -> int:
    action = PublishResultsInput(actor=args.actor)
    result = await admin.perform(_cohort_id(args.cohort), CohortWorkflow.publish_results, action)
    return _done(args, result, f"results published for {result.groups} group(s)")


@guarded
async def publish_group(admin: Admin, args: argparse.Namespace) -> int:
    action = PublishGroupInput(actor=args.actor, application_id=args.application_id)
    result = await admin.perform(_cohort_id(args.cohort), CohortWorkflow.publish_group, action)
    return _done(args, result, f"results of group {args.application_id} released")


# ---- group ------------------------------------------------------------------------------------------
async def _requirement(admin: Admin, args: argparse.Namespace, update: Any, action: RequirementInput) -> int:
    result = await admin.perform(_group_id(args), update, action)
    return _done(args, result, f"work requirement {result.number}: {result.status}, deadline {_when(result.deadline)}")


@guarded
async def requirement_submit(admin: Admin, args: argparse.Namespace) -> int:
    action = RequirementInput(actor=args.actor, number=args.number)
    return await _requirement(admin, args, GroupWorkflow.submit_requirement, action)


@guarded
async def requirement_approve(admin: Admin, args: argparse.Namespace) -> int:
    action = RequirementInput(actor=args.actor, number=args.number)
    return await _requirement(admin, args, GroupWorkflow.approve_requirement, action)


@guarded
async def requirement_return(admin: Admin, args: argparse.Namespace) -> int:
    action = ReturnRequirementInput(actor=args.actor, number=args.number, feedback=args.feedback)
    return await _requirement(admin, args, GroupWorkflow.return_requirement, action)


@guarded
async def requirement_extend(admin: Admin, args: argparse.Namespace) -> int:
    action = ExtensionInput(actor=args.actor, number=args.number, deadline=_deadline(args.deadline))
    return await _requirement(admin, args, GroupWorkflow.grant_extension, action)


def _deadline(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise CliError(f"--deadline: {shown(text)} is not an ISO date-time such as 2022-10-01T12:00+02:00") from None
    if value.tzinfo is None:
        raise CliError(f"--deadline: {shown(text)} needs its time zone, e.g. {printable(text)}+02:00")
    return value


@guarded
async def mark_non_participating(admin: Admin, args: argparse.Namespace) -> int:
    action = MarkNonParticipatingInput(actor=args.actor, participant_workflow_id=args.participant)
    result = await admin.perform(_group_of(args.participant), GroupWorkflow.mark_non_participating, action)
    return _done(args, result, f"{args.participant} marked as not having taken part; group stage {result.stage}")


@guarded
async def replace_participant(admin: Admin, args: argparse.Namespace) -> int:
    group_id = _group_of(args.participant)
    try:
        cohort_of(args.participant)
    except ValueError as error:
        raise CliError(str(error)) from None
    replacement = Participant.model_validate(read_json(args.replacement))
    result = await admin.replace_participant(args.participant, replacement, args.actor)
    if args.json:
        return _done(args, result, "")
    detail: GroupDetail = await admin.query(group_id, GroupWorkflow.detail)
    print(f"{args.participant} replaced by {detail.members[-1].participant_workflow_id}; group stage {result.stage}")
    return 0


@guarded
async def attendance(admin: Admin, args: argparse.Namespace) -> int:
    action = AttendanceInput(actor=args.actor, gathering=args.gathering, day=args.day, present=args.present)
    result = await admin.perform(_group_id(args), GroupWorkflow.register_attendance, action)
    return _done(
        args,
        result,
        f"gathering {args.gathering} day {args.day}: {len(args.present)} present, "
        f"other members absent; group stage {result.stage}",
    )


@guarded
async def written_submit(admin: Admin, args: argparse.Namespace) -> int:
    action = SubmitWrittenInput(actor=args.actor)
    result = await admin.perform(_group_id(args), GroupWorkflow.submit_written, action)
    return _done(args, result, f"written assignment submitted; group stage {result.stage}")


@guarded
async def written_grade(admin: Admin, args: argparse.Namespace) -> int:
    action = WrittenGradeInput(actor=args.actor, grade=args.grade.upper())
    result = await admin.perform(_group_id(args), GroupWorkflow.register_written_grade, action)
    return _done(args, result, f"written assignment graded {action.grade.value}; group stage {result.stage}")


@guarded
async def oral(admin: Admin, args: argparse.Namespace) -> int:
    action = OralInput(actor=args.actor, adjustments=[_adjustment(text) for text in args.adjust])
    result = await admin.perform(_group_id(args), GroupWorkflow.register_oral, action)
    return _done(
        args,
        result,
        f"oral adjustments registered for {len(action.adjustments)} student(s); group stage {result.stage}",
    )


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
        raise CliError(f"--adjust: {shown(text)} is not PARTICIPANT_ID=STEPS, e.g. kull-2022.gruppe-1833.deltaker-1=+1")
    return OralAdjustment(participant_workflow_id=participant, adjustment=steps)


# ---- participant ------------------------------------------------------------------------------------
@guarded
async def assessment(admin: Admin, args: argparse.Namespace) -> int:
    _group_of(args.participant)
    action = DecideAssessmentInput(actor=args.actor, track=args.track)
    result = await admin.perform(args.participant, ParticipantWorkflow.decide_assessment, action)
    return _done(args, result, f"{args.participant}: track {result.track.value}")


@guarded
async def withdraw_participant(admin: Admin, args: argparse.Namespace) -> int:
    _group_of(args.participant)
    action = WithdrawParticipantInput(actor=args.actor, reason=args.reason)
    result = await admin.perform(args.participant, ParticipantWorkflow.withdraw, action)
    return _done(args, result, f"{args.participant} withdrawn")


# ---- show -------------------------------------------------------------------------------------------
@guarded
async def show_cohort(admin: Admin, args: argparse.Namespace) -> int:
    overview: CohortOverview = await admin.query(_cohort_id(args.cohort), CohortWorkflow.overview)
    return _shown(args, overview, _print_cohort)


@guarded
async def show_group(admin: Admin, args: argparse.Namespace) -> int:
    detail: GroupDetail = await admin.query(_group_id(args), GroupWorkflow.detail)
    return _shown(args, detail, _print_group)


@guarded
async def show_participant(admin: Admin, args: argparse.Namespace) -> int:
    _group_of(args.participant)
    detail: ParticipantDetail = await admin.query(args.participant, ParticipantWorkflow.detail)
    return _shown(args, detail, _print_participant)


def _shown(args: argparse.Namespace, view: Any, printer: Callable[[Any], None]) -> int:
    if args.json:
        emit(view.model_dump(mode="json"))
    else:
        printer(view)
    return 0


def _print_cohort(o: CohortOverview) -> None:
    print(f"Cohort {o.cohort}: {o.stage.value}, {o.places} places" + (f", seed {o.seed}" if o.seed else ""))
    print("Outcomes: " + (", ".join(f"{k} {v}" for k, v in o.outcomes.items()) or "no applications yet"))
    _table(
        ["application", "region", "size", "outcome", "group stage"],
        [
            [
                a.id,
                a.region.value if a.region else "-",
                a.size.value if a.size else "-",
                a.outcome.value,
                a.group_stage or "-",
            ]
            for a in o.applications
        ],
    )
    _pending(o.pending_actions, o.admin_actions)


def _print_group(d: GroupDetail) -> None:
    print(f"Group {d.application_id} ({d.group_workflow_id}): stage {d.stage.value}, outcome {d.outcome.value}")
    print("Work requirements:")
    _table(
        ["no", "status", "deadline", "submissions", "feedback"],
        [
            [str(r.number), r.status.value, _when(r.deadline), str(r.submissions), r.feedback or ""]
            for r in d.requirements
        ],
    )
    written = "missed" if d.written_missed else "submitted" if d.written_submitted else "not submitted"
    print(f"Written assignment: {written}" + (f", grade {d.written_grade.value}" if d.written_grade else ""))
    print("Members:")
    _table(
        ["participant", "sector", "track", "days", "exam", "oral", "grade", "credits", "status"],
        [
            [
                m.participant_workflow_id,
                m.sector,
                m.track.value,
                str(m.attendance_days),
                "yes" if m.exam_eligible else f"no ({m.ineligible_reason})",
                f"{m.oral_adjustment:+d}" if m.oral_adjustment is not None else "-",
                m.final_grade.value if m.final_grade else "-",
                str(m.credits),
                _member_status(m),
            ]
            for m in d.members
        ],
    )
    _pending(d.pending_actions, d.admin_actions)


def _member_status(m: Any) -> str:
    flags = [
        "replaced" if m.replaced else "",
        "withdrawn" if m.withdrawn else "",
        "not taking part" if m.non_participating else "",
        m.certificate or "",
    ]
    return ", ".join(f for f in flags if f) or "active"


def _print_participant(d: ParticipantDetail) -> None:
    rows = [
        ("group", d.group_workflow_id),
        ("sector", d.sector),
        ("track", d.track.value),
        ("attendance", f"{d.attendance_days} day(s) {' '.join(d.attendance)}".rstrip()),
        ("requirements approved", str(d.requirements_approved)),
        ("exam", "eligible" if d.exam_eligible else f"not eligible ({d.ineligible_reason})"),
        ("written grade", d.written_grade.value if d.written_grade else "-"),
        ("oral adjustment", f"{d.oral_adjustment:+d}" if d.oral_adjustment is not None else "-"),
        ("final grade", d.final_grade.value if d.final_grade else "-"),
        ("credits", str(d.credits)),
        ("certificate", d.certificate or "-"),
        ("withdrawn", "yes" if d.withdrawn else "no"),
        ("taking part", "no" if d.non_participating else "yes"),
        ("ended", f"yes ({d.end_reason})" if d.ended and d.end_reason else "yes" if d.ended else "no"),
    ]
    print(f"Participant {d.participant_workflow_id}")
    for label, value in rows:
        print(f"  {label + ':':<23}{value}")


def _table(headers: list[str], rows: list[list[str]]) -> None:
    if not rows:
        print("  (none)")
        return
    widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(len(headers))]
    for row in [headers, *rows]:
        print("  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


def _pending(actions: list[str], recorded: int) -> None:
    print("Pending: " + ("; ".join(actions) or "nothing"))
    print(f"Admin actions recorded: {recorded}")


def _when(moment: datetime) -> str:
    return moment.isoformat(timespec="minutes")


# ---- the parser -------------------------------------------------------------------------------------
def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the admin commands to starter.py's parser; each leaf runs through `dispatch`."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", help="print the result as JSON")
    common.add_argument(
        "--actor",
        default=default_actor(),
        help="who acts, for the audit trail (default: $NIS_ACTOR, else your user name)",
    )
    cohort = argparse.ArgumentParser(add_help=False)
    cohort.add_argument("--cohort", required=True, help="the cohort's name, e.g. 2022")
    group = argparse.ArgumentParser(add_help=False, parents=[cohort])
    group.add_argument("application_id", metavar="APP_ID", help="the group's application id, e.g. 1833+1832")
    participant = argparse.ArgumentParser(add_help=False)
    participant.add_argument("participant", metavar="PARTICIPANT_ID", help="as `show group` lists it")
    requirement = argparse.ArgumentParser(add_help=False, parents=[group])
    requirement.add_argument("number", metavar="N", type=int, help="work requirement 1-4")

    def add(
        where: Any, name: str, run: Command, help: str, *parents: argparse.ArgumentParser
    ) -> argparse.ArgumentParser:
        sub: argparse.ArgumentParser = where.add_parser(name, help=help, parents=[*parents, common])
        sub.set_defaults(handler=dispatch, run=run)
        return sub

    def verbs(name: str, help: str) -> Any:
        return commands.add_parser(name, help=help).add_subparsers(dest="verb", required=True)

    sub = add(commands, "start-cohort", start_cohort, "open a cohort from its plan")
    sub.add_argument("plan", metavar="PLAN.json")
    sub.add_argument("--seed", help="the lottery seed (default: drawn by the workflow)")
    add(commands, "apply", apply, "hand in an application to its cohort").add_argument(
        "application", metavar="APPLICATION.json"
    )
    add(commands, "confirm-selection", confirm_selection, "confirm the drawn selection and tell the groups", cohort)
    add(commands, "withdraw-group", withdraw_group, "a group gives up its place", group).add_argument(
        "--reason", required=True
    )
    add(commands, "publish-results", publish_results, "publish the graded results of the cohort", cohort)
    add(commands, "publish-group", publish_group, "release one group's checked results on their own", group)
    req = verbs("requirement", "work requirements of a group")
    add(req, "submit", requirement_submit, "register a submission", requirement)
    add(req, "approve", requirement_approve, "approve a submission", requirement)
    add(req, "return", requirement_return, "return a submission with feedback", requirement).add_argument(
        "--feedback", required=True
    )
    add(req, "extend", requirement_extend, "grant a new deadline", requirement).add_argument(
        "--deadline", required=True, help="ISO date-time with zone"
    )
    add(
        commands,
        "mark-non-participating",
        mark_non_participating,
        "a member did not take part in the group's work",
        participant,
    )
    add(
        commands, "replace-participant", replace_participant, "replace a member before the first gathering", participant
    ).add_argument("replacement", metavar="REPLACEMENT.json")
    sub = add(commands, "attendance", attendance, "register one day's attendance; members not listed are absent", group)
    sub.add_argument("--gathering", type=int, required=True)
    sub.add_argument("--day", type=int, required=True)
    sub.add_argument("--present", nargs="*", required=True, metavar="PARTICIPANT_ID")
    written = verbs("written", "the group's written assignment")
    add(written, "submit", written_submit, "register the submission", group)
    add(written, "grade", written_grade, "register the grade A-F", group).add_argument("grade", metavar="GRADE")
    add(commands, "oral", oral, "register the oral adjustments", group).add_argument(
        "--adjust",
        nargs="*",
        default=[],
        metavar="PARTICIPANT_ID=STEPS",
        help="e.g. ...deltaker-1=+1, or ...deltaker-2=absent for a valid absence; one per examined student",
    )
    add(commands, "assessment", assessment, "decide an individual assessment", participant).add_argument(
        "track", metavar="student|course"
    )
    add(commands, "withdraw-participant", withdraw_participant, "a participant withdraws", participant).add_argument(
        "--reason", required=True
    )
    show = verbs("show", "show a cohort, a group or a participant")
    add(show, "cohort", show_cohort, "a cohort's overview").add_argument("cohort", metavar="COHORT")
    add(show, "group", show_group, "a group's detail", group)
    add(show, "participant", show_participant, "a participant's detail", participant)
