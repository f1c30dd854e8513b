"""The study administration's commands of starter.py against a running Temporal: how each runs, who acts, the IDs
and the parser. The commands that act are in cli/actions.py (one per command of gateway.commands), `show` in
cli/show.py.

Each command is an async function taking the `Admin` gateway and the parsed arguments and returning the exit code:
0 done, 1 refused (by a workflow, the gateway, or an argument that breaks a rule), 2 unreadable input, 3 Temporal or
the read model cannot be reached. Whatever goes wrong is one line on stderr, never a traceback.

Who acts is an account of the accounts table (`starter.py user add`): `--as NAME`, else NIS_ACCOUNT. Its role must be
one the command admits, as in the web app; the workflows and the audit trail record its user name.

A cohort is named by its cohort name (`2022`), a group by its application id (`1833+1832`) with `--cohort`, a
participant by its participant workflow id as `show group` lists it.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import getpass
import os
import sys
from collections.abc import Awaitable, Callable

from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import SQLAlchemyError
from temporalio.service import RPCError

from cli.output import CliError, emit, read_json
from domain.admission import parse_application
from domain.catalogue import label
from domain.errors import describe
from domain.ids import CohortId, GroupId, ParticipantId
from domain.models import Participant
from domain.plan import parse_plan
from domain.refusals import Refusal
from domain.text import printable
from gateway import commands
from gateway.accounts import Account
from gateway.admin import Admin, Refused
from gateway.messages import GroupDetail
from gateway.queries import GROUP_DETAIL
from gateway.storage import create_schema, make_engine, make_session_factory
from runtime.settings import get_settings
from runtime.wiring import connect, people_register

CONNECT_SECONDS = 5.0  # Client.connect retries an address that does not answer; a CLI gives up sooner
Command = Callable[[Admin, argparse.Namespace], Awaitable[int]]


# ---- running a command ----------------------------------------------------------------------------
def dispatch(args: argparse.Namespace) -> int:
    """starter.py's handler for every admin command: connect, build the gateway, run the command."""
    return asyncio.run(_connected(args.run, args))


async def _connected(command: Command, args: argparse.Namespace) -> int:
    settings = get_settings()
    try:
        client = await asyncio.wait_for(connect(settings), CONNECT_SECONDS)
    except ValueError as error:  # the codec key
        return _fail(2, f"feil: {error}")
    except (RuntimeError, TimeoutError, OSError) as error:
        reason = str(error) or f"ikke svar innen {CONNECT_SECONDS:g} s"
        return _fail(3, f"får ikke kontakt med Temporal på {settings.temporal_address}: {reason}")
    engine = make_engine(settings.resolved_database_url)
    try:
        await create_schema(engine)
        sessions = make_session_factory(engine)
        people = people_register(settings, sessions)
        return await command(Admin(client, sessions, settings.task_queue, people), args)
    except SQLAlchemyError as error:  # the audit of refusals goes to the read model's database
        return _fail(3, f"kan ikke bruke lesemodellen: {error}")
    finally:
        await engine.dispose()


def guarded(command: Command) -> Command:
    """Turn a refusal or bad input into its exit code and one line on stderr."""

    @functools.wraps(command)
    async def run(admin: Admin, args: argparse.Namespace) -> int:
        try:
            return await command(admin, args)
        except (Refused, Refusal) as refused:  # a workflow's or the gateway's, or a rule of the arguments
            return _fail(1, f"avvist: {refused}")
        except ValidationError as error:
            return _fail(1, "avvist: " + "; ".join(describe(error)))
        except CliError as error:
            return _fail(2, f"feil: {error}")
        except RPCError as error:
            return _fail(3, f"Temporal: {error}")

    return run


def _fail(code: int, text: str) -> int:
    """One line on stderr; characters that would steer a terminal (ESC, CR, bidi overrides) shown as escapes."""
    print(printable("; ".join(line.strip() for line in text.splitlines() if line.strip())), file=sys.stderr)
    return code


def done(args: argparse.Namespace, result: BaseModel, text: str) -> int:
    if args.json:
        emit(result.model_dump(mode="json"))
    else:
        print(text)
    return 0


# ---- ids and who acts -----------------------------------------------------------------------------
def cohort_id(cohort: str) -> CohortId:
    try:
        return CohortId.parse(cohort)
    except Refusal as refusal:
        raise CliError(str(refusal)) from None


def group_id(args: argparse.Namespace) -> GroupId:
    try:
        return GroupId.of(args.cohort, args.application_id)
    except Refusal as refusal:
        raise CliError(str(refusal)) from None


def participant_id(text: str) -> ParticipantId:
    try:
        return ParticipantId.parse(text)
    except Refusal as refusal:
        raise CliError(str(refusal)) from None


async def acting(admin: Admin, args: argparse.Namespace) -> Account:
    """The configured account (--as, NIS_ACCOUNT) from the accounts table; Refused when there is none by that name."""
    return await admin.account(args.account)


def default_actor() -> str:
    """The privacy commands' default --actor (they keep it until they take an account too)."""
    try:
        return os.environ.get("NIS_ACTOR") or getpass.getuser()
    except (OSError, KeyError):
        return ""  # refused by the action's model: actor is required


# ---- what is no single workflow update: opening a cohort, an application, a replacement -------------------------
@guarded
async def start_cohort(admin: Admin, args: argparse.Namespace) -> int:
    plan, problems = parse_plan(read_json(args.plan))
    if problems or plan is None:
        return _fail(1, f"avvist: {args.plan}: " + "; ".join(problem.text() for problem in problems))
    cohort_id(plan.cohort)
    handle = await admin.open_cohort(plan, args.seed)
    if args.json:
        emit({"cohort": plan.cohort, "workflow_id": handle.id, "run_id": handle.result_run_id})
    else:
        print(f"kull {plan.cohort} er åpnet: arbeidsflyt {handle.id}")
    return 0


@guarded
async def apply(admin: Admin, args: argparse.Namespace) -> int:
    application, errors = parse_application(read_json(args.application))
    if application is None:  # the schema does not hold: nothing is sent
        return _fail(1, f"avvist: {args.application}: " + "; ".join(errors))
    cohort_id(application.cohort)
    account = await acting(admin, args)
    commands.APPLY.check(account)
    result = await admin.apply(application, account.username)
    if args.json:
        emit(result.model_dump(mode="json"))
    if not result.accepted:  # the cohort recorded it as a refused application and told the contact
        problems = "; ".join(problem.text for problem in result.problems)
        return _fail(1, f"avvist: søknad {result.application_id}: {problems}")
    if not args.json:
        print(f"søknad {result.application_id} er mottatt: gruppe {result.group_workflow_id}")
    return 0


@guarded
async def replace_participant(admin: Admin, args: argparse.Namespace) -> int:
    group = participant_id(args.participant).group
    account = await acting(admin, args)
    commands.REPLACE_PARTICIPANT.check(account)
    replacement = Participant.model_validate(read_json(args.replacement))
    result = await admin.replace_participant(args.participant, replacement, account.username)
    if args.json:
        return done(args, result, "")
    detail: GroupDetail = await admin.query(group.workflow_id, GROUP_DETAIL)
    replacement_id = detail.members[-1].participant_workflow_id
    print(f"{args.participant} er erstattet av {replacement_id}; gruppens fase: {label(result.stage).lower()}")
    return 0
