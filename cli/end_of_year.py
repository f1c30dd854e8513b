"""starter.py's end-of-year commands: appeals, documents, verification and the export to FS.

    appeal register PARTICIPANT_ID [--received YYYY-MM-DD]                appeal withdraw APPEAL_ID
    appeal examiners APPEAL_ID NAME [NAME ...]
    appeal written APPEAL_ID GRADE          appeal oral APPEAL_ID ADJUSTMENT         appeal show APPEAL_ID
    appeal oral-schedule APPEAL_ID --at ISO-TIME --place PLACE   (the new oral's time and place; a letter ahead)
    documents --cohort COHORT               verify CODE
    export --cohort COHORT [--xlsx] [--out FOLDER]
    statistics --cohort COHORT [--out FOLDER]   (the report file; needs only the database)

The appeal and re-sit commands are gateway.commands' (their roles, their audit names) and act as the configured
account (`--as NAME`, else NIS_ACCOUNT), as the other admin commands. Exit codes as theirs (cli/admin.py): 0 done,
1 refused, 2 bad input, 3 unreachable.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from cli.actions import _deadline as _moment
from cli.actions import _oral_slot_options
from cli.admin import acting, dispatch, guarded
from cli.admin_parser import common_options
from cli.output import CliError, emit
from domain.catalogue import day, label, when
from domain.ids import AppealId, ResitId
from domain.models import Grade
from domain.orals import OralSlot
from domain.refusals import Refusal
from domain.text import printable
from gateway import commands
from gateway.accounts import Role
from gateway.admin import Admin, Refused
from gateway.end_of_year.appeal import assign_examiners, register_appeal, withdraw_appeal
from gateway.end_of_year.resit import register_resit
from gateway.export import write_export
from gateway.messages import (
    AppealActionResult,
    AppealDetail,
    AssignExaminersInput,
    CommissionDecisionInput,
    CommissionGradeInput,
    NewOralAdjustmentInput,
    NewWrittenGradeInput,
    ResitDetail,
    ScheduleNewOralInput,
)
from gateway.queries import APPEAL_DETAIL, RESIT_DETAIL
from gateway.results import cohort_results, issue_documents
from gateway.statistics import write_report
from gateway.storage import Documents, create_schema, documents_key, make_engine, make_session_factory
from runtime.codec import load_keys
from runtime.settings import get_settings
from runtime.wiring import people_register

R = TypeVar("R")


def documents_service(admin: Admin) -> Documents:
    if admin.sessions is None:
        raise Refused(Refusal("documents.no_database"))
    settings = get_settings()
    return Documents(admin.sessions, documents_key(load_keys(settings).identity), settings.data_dir)


def _appeal_id(text: str) -> AppealId:
    try:
        return AppealId.parse(text)
    except Refusal as refusal:
        raise CliError(str(refusal)) from None


def _resit_id(text: str) -> ResitId:
    try:
        return ResitId.parse(text)
    except Refusal as refusal:
        raise CliError(str(refusal)) from None


@guarded
async def appeal_register(admin: Admin, args: argparse.Namespace) -> int:
    account = await acting(admin, args)
    detail = await register_appeal(admin, args.participant, account, received=args.received, attempt=args.attempt)
    return _appeal(args, detail)


@guarded
async def appeal_withdraw(admin: Admin, args: argparse.Namespace) -> int:
    return _stage(args, await withdraw_appeal(admin, _appeal_id(args.appeal), await acting(admin, args)))


def _received_day(text: str) -> date:
    """`--received`: the day the appeal came in (2023-07-01)."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' er ikke en dato (åååå-mm-dd)") from None


def _attempt(text: str) -> int:
    """`--attempt`: the sitting appealed, 1 or more."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' er ikke et forsøk (1, 2, ...)")
    return int(text)


@guarded
async def appeal_examiners(admin: Admin, args: argparse.Namespace) -> int:
    appeal, account = _appeal_id(args.appeal), await acting(admin, args)
    named = AssignExaminersInput(actor=account.username, examiners=args.examiners)
    return _stage(args, await assign_examiners(admin, appeal, named, account))


@guarded
async def appeal_grade(admin: Admin, args: argparse.Namespace) -> int:
    appeal, account = _appeal_id(args.appeal), await acting(admin, args)
    own = CommissionGradeInput(actor=account.username, grade=Grade(args.grade.upper()))
    return _stage(args, await admin.perform(commands.APPEAL_GRADE, appeal, own, account))


@guarded
async def appeal_written(admin: Admin, args: argparse.Namespace) -> int:
    """The commission's grade (`written`) or the further assessment's (`further`)."""
    appeal, account = _appeal_id(args.appeal), await acting(admin, args)
    grade = Grade(args.grade.upper())
    decided = CommissionDecisionInput(actor=account.username, grade=grade, by_admin=account.role == Role.ADMIN)
    command = commands.APPEAL_FURTHER if args.verb == "further" else commands.APPEAL_WRITTEN
    return _stage(args, await admin.perform(command, appeal, decided, account))


@guarded
async def appeal_oral(admin: Admin, args: argparse.Namespace) -> int:
    appeal, account = _appeal_id(args.appeal), await acting(admin, args)
    oral = NewOralAdjustmentInput(actor=account.username, adjustment=args.adjustment)
    return _stage(args, await admin.perform(commands.APPEAL_ORAL, appeal, oral, account))


@guarded
async def appeal_oral_schedule(admin: Admin, args: argparse.Namespace) -> int:
    """The new oral's time and place, after a changed written grade; the person gets a letter the plan's notice
    ahead (a new one when it is moved)."""
    appeal, account = _appeal_id(args.appeal), await acting(admin, args)
    slot = OralSlot(start=_moment(args.at, "--at"), place=args.place)
    scheduled = ScheduleNewOralInput(actor=account.username, slot=slot)
    result = await admin.perform(commands.APPEAL_ORAL_SCHEDULE, appeal, scheduled, account)
    if args.json:
        emit(result.model_dump(mode="json"))
    else:
        print(f"ny muntlig eksamen {when(slot.start)}, {slot.place}; klagen er nå: {label(result.stage).lower()}")
    return 0


@guarded
async def appeal_show(admin: Admin, args: argparse.Namespace) -> int:
    detail: AppealDetail = await admin.query(args.appeal, APPEAL_DETAIL)
    return _appeal(args, detail)


@guarded
async def resit_register(admin: Admin, args: argparse.Namespace) -> int:
    return _resit(args, await register_resit(admin, args.participant, await acting(admin, args), args.in_cohort))


@guarded
async def resit_written(admin: Admin, args: argparse.Namespace) -> int:
    resit, account = _resit_id(args.resit), await acting(admin, args)
    written = NewWrittenGradeInput(actor=account.username, grade=Grade(args.grade.upper()))
    await admin.perform(commands.RESIT_WRITTEN, resit, written, account)
    return _resit(args, await admin.query(args.resit, RESIT_DETAIL))


@guarded
async def resit_oral(admin: Admin, args: argparse.Namespace) -> int:
    resit, account = _resit_id(args.resit), await acting(admin, args)
    oral = NewOralAdjustmentInput(actor=account.username, adjustment=args.adjustment)
    await admin.perform(commands.RESIT_ORAL, resit, oral, account)
    return _resit(args, await admin.query(args.resit, RESIT_DETAIL))


@guarded
async def resit_show(admin: Admin, args: argparse.Namespace) -> int:
    return _resit(args, await admin.query(args.resit, RESIT_DETAIL))


def _resit(args: argparse.Namespace, d: ResitDetail) -> int:
    if args.json:
        emit(d.model_dump(mode="json"))
    else:
        kind = "utsatt eksamen" if d.postponed else "ny eksamen"
        before, after = (g.value if g else "-" for g in (d.grade_before, d.grade_after))
        print(
            f"{d.resit_workflow_id}: {kind}, {label(d.stage).lower()}; {d.period.label}; karakter {before} -> {after}; "
            f"neste: {d.pending_action or 'ingenting (avgjort)'}"
        )
    return 0


@guarded
async def documents(admin: Admin, args: argparse.Namespace) -> int:
    if admin.people is None:
        raise Refused(Refusal("documents.no_register"))
    issued = await issue_documents(admin, documents_service(admin), admin.people, args.cohort)
    if args.json:
        emit(
            [
                {
                    "participant": d.participant_id,
                    "kind": d.kind,
                    "version": d.version,
                    "file": str(d.file),
                    "verification_code": d.code,
                }
                for d in issued
            ]
        )
    else:
        for d in issued:
            print(f"{d.participant_id:<44} {d.kind:<18} v{d.version} {d.code}  {d.file}")
    return 0


def verify(args: argparse.Namespace) -> int:
    """Needs only the database, as the web app's public verification page does."""
    return asyncio.run(_verify(args))


async def _on_database(work: Callable[[async_sessionmaker[AsyncSession]], Awaitable[R]]) -> R:
    """Run `work` with the read model's sessions (the commands that need no Temporal server)."""
    engine = make_engine(get_settings().resolved_database_url)
    try:
        await create_schema(engine)
        return await work(make_session_factory(engine))
    finally:
        await engine.dispose()


async def _verify(args: argparse.Namespace) -> int:
    settings = get_settings()
    key = documents_key(load_keys(settings).identity)
    checked = await _on_database(lambda sessions: Documents(sessions, key, settings.data_dir).verify(args.code))
    if checked is None:
        unknown = Refusal("documents.unknown_code", verification=printable(args.code))
        print(f"avvist: {unknown.text()}", file=sys.stderr)
        return 1
    found: dict[str, Any] = {
        "kind": checked.kind,
        "course": checked.course,
        "issued": checked.issued.isoformat(),
        "status": checked.status,
    }
    if args.json:
        emit(found)
    else:
        print(
            f"{found['kind']}, {found['course']}, utstedt {found['issued']}: "
            f"{'gyldig' if checked.status == 'valid' else 'erstattet av en nyere versjon'}"
        )
    return 0


@guarded
async def export(admin: Admin, args: argparse.Namespace) -> int:
    folder = args.out or get_settings().data_dir
    files = write_export(await cohort_results(admin, args.cohort), folder, args.cohort, xlsx=args.xlsx)
    if args.json:
        emit({"files": [str(f) for f in files]})
    else:
        print("\n".join(str(f) for f in files))
    return 0


def statistics_report(args: argparse.Namespace) -> int:
    """Write the cohort's statistics report (HTML) from the read model; no Temporal server needed."""
    return asyncio.run(_statistics_report(args))


async def _statistics_report(args: argparse.Namespace) -> int:
    folder = args.out or get_settings().data_dir
    try:
        path = await _on_database(
            lambda sessions: write_report(sessions, args.cohort, folder, people_register(get_settings(), sessions))
        )
    except ValueError as error:
        print(f"kull: {error}", file=sys.stderr)
        return 2
    if path is None:
        print(f"avvist: {Refusal('statistics.no_cohort', cohort=printable(args.cohort)).text()}", file=sys.stderr)
        return 1
    if args.json:
        emit({"file": str(path)})
    else:
        print(path)
    return 0


def _appeal(args: argparse.Namespace, d: AppealDetail) -> int:
    if args.json:
        emit(d.model_dump(mode="json"))
    else:
        written, final = (g.value if g else "-" for g in (d.written_after, d.final_after))
        after = f"{written} -> {final}"
        received = f"mottatt {d.received:%d.%m.%Y}, " if d.received else ""
        withdrawn = f" (trukket tilbake {day(d.withdrawn_at)}; karakteren står)" if d.withdrawn_at else ""
        oral = f"ny muntlig eksamen {when(d.new_oral.start)}, {d.new_oral.place}; " if d.new_oral else ""
        print(
            f"{d.appeal_workflow_id}: {label(d.stage).lower()}{withdrawn}; {received}klagefrist {when(d.deadline)}; "
            f"før {d.written_before.value} -> {d.final_before.value}, etter {after}; {oral}"
            f"neste: {d.pending_action or 'ingenting (endelig)'}"
        )
    return 0


def _stage(args: argparse.Namespace, result: AppealActionResult) -> int:
    if args.json:
        emit(result.model_dump(mode="json"))
    else:
        print(f"utført; klagen er nå: {label(result.stage).lower()}")
    return 0


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    common = common_options()  # --json and --as, as every admin command has them
    appeal_id = argparse.ArgumentParser(add_help=False)
    appeal_id.add_argument("appeal", metavar="APPEAL_ID", help="the appeal's workflow ID (<participant>.klage)")
    cohort = argparse.ArgumentParser(add_help=False)
    cohort.add_argument("--cohort", required=True, help="the cohort's name, e.g. 2022")

    def add(where: Any, name: str, run: Any, help: str, *parents: argparse.ArgumentParser) -> argparse.ArgumentParser:
        sub: argparse.ArgumentParser = where.add_parser(name, help=help, parents=[*parents, common])
        sub.set_defaults(handler=dispatch, run=run)
        return sub

    appeals = commands.add_parser("appeal", help="appeals (klage) of a written grade").add_subparsers(
        dest="verb", required=True
    )
    sub = add(appeals, "register", appeal_register, "register one person's appeal")
    sub.add_argument("participant", metavar="PARTICIPANT_ID")
    sub.add_argument(
        "--received", type=_received_day, help="the day the appeal was received, YYYY-MM-DD (default: today)"
    )
    sub.add_argument(
        "--attempt",
        type=_attempt,
        help="the sitting appealed: 1 the ordinary exam, 2 and on a re-sit (default: the latest decided one)",
    )
    add(appeals, "withdraw", appeal_withdraw, "withdraw an appeal before it is decided", appeal_id)
    add(appeals, "examiners", appeal_examiners, "appoint the commission (2-3, one external)", appeal_id).add_argument(
        "examiners", nargs="+", metavar="EXAMINER", help="the examiner accounts' user names"
    )
    grades = [g.value for g in Grade] + [g.value.lower() for g in Grade]
    add(appeals, "grade", appeal_grade, "a commission member's own grade", appeal_id).add_argument(
        "grade", choices=grades
    )
    add(appeals, "written", appeal_written, "the commission's grade", appeal_id).add_argument("grade", choices=grades)
    add(appeals, "further", appeal_written, "the grade after the further assessment", appeal_id).add_argument(
        "grade", choices=grades
    )
    sub = add(appeals, "oral-schedule", appeal_oral_schedule, "the new oral's time and place", appeal_id)
    _oral_slot_options(sub)
    add(appeals, "oral", appeal_oral, "the new oral adjustment", appeal_id).add_argument("adjustment", type=int)
    add(appeals, "show", appeal_show, "an appeal's detail", appeal_id)
    resit_id = argparse.ArgumentParser(add_help=False)
    resit_id.add_argument("resit", metavar="RESIT_ID", help="the re-sit's workflow ID (<participant>.ny-eksamen-N)")
    resits = commands.add_parser("resit", help="re-sits: ny eksamen after an F, utsatt eksamen after a valid absence")
    resit_verbs = resits.add_subparsers(dest="verb", required=True)
    sub = add(resit_verbs, "register", resit_register, "register one person's re-sit")
    sub.add_argument("participant", metavar="PARTICIPANT_ID")
    sub.add_argument("--in-cohort", help="the later cohort whose exam period it joins, when the plan sets none")
    add(resit_verbs, "written", resit_written, "the re-sit's written grade", resit_id).add_argument(
        "grade", choices=[g.value for g in Grade] + [g.value.lower() for g in Grade]
    )
    add(resit_verbs, "oral", resit_oral, "the re-sit's oral adjustment", resit_id).add_argument("adjustment", type=int)
    add(resit_verbs, "show", resit_show, "a re-sit's detail", resit_id)
    add(commands, "documents", documents, "issue the cohort's transcripts and course certificates", cohort)
    sub = commands.add_parser("verify", help="check a document's verification code (needs only the database)")
    sub.add_argument("code")
    sub.add_argument("--json", action="store_true")
    sub.set_defaults(handler=verify)
    sub = add(commands, "export", export, "write the cohort's results for FS (CSV, and XLSX with --xlsx)", cohort)
    sub.add_argument("--xlsx", action="store_true")
    sub.add_argument("--out", type=Path, help="the folder (default: the data folder)")
    sub = commands.add_parser("statistics", help="write the cohort's statistics report (HTML; needs only the database)")
    sub.add_argument("--cohort", required=True, help="the cohort's name, e.g. 2022")
    sub.add_argument("--out", type=Path, help="the folder (default: the data folder)")
    sub.add_argument("--json", action="store_true")
    sub.set_defaults(handler=statistics_report)
