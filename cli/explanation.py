"""starter.py's begrunnelse commands: the administration registers a request it received (by e-mail or letter)
with the day it came; the group's examiner gives the begrunnelse from a text file; anyone with a role sees where it
stands.

    explanation request PARTICIPANT_ID [--received YYYY-MM-DD]
    explanation give PARTICIPANT_ID FILE          (the words, UTF-8; - reads them from standard input)
    explanation show PARTICIPANT_ID

They act as the configured account (`--as NAME`, else NIS_ACCOUNT), as the other admin commands. Exit codes as
theirs (cli/admin.py): 0 done, 1 refused, 2 bad input, 3 unreachable.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from cli.admin import acting, dispatch, guarded
from cli.admin_parser import common_options
from cli.output import CliError, emit
from domain.catalogue import day
from gateway.admin import Admin
from gateway.end_of_year.explanation import explanation_of, give_explanation, request_explanation
from gateway.messages import ExplanationDetail


@guarded
async def explanation_request(admin: Admin, args: argparse.Namespace) -> int:
    detail = await request_explanation(admin, args.participant, await acting(admin, args), received=args.received)
    return _shown(args, detail, None)


@guarded
async def explanation_give(admin: Admin, args: argparse.Namespace) -> int:
    words = _words(args.file)
    await give_explanation(admin, args.participant, words, await acting(admin, args))
    found = await explanation_of(admin, args.participant)
    assert found is not None  # just given
    return _shown(args, found.detail, None)


@guarded
async def explanation_show(admin: Admin, args: argparse.Namespace) -> int:
    found = await explanation_of(admin, args.participant)
    if found is None:
        raise CliError(f"{args.participant}: ingen har bedt om begrunnelse")
    return _shown(args, found.detail, found.text)


def _words(name: str) -> str:
    try:
        return sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CliError(f"{name}: kan ikke leses ({error})") from None


def _received_day(text: str) -> date:
    """`--received`: the day the request came in (2023-07-01)."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' er ikke en dato (åååå-mm-dd)") from None


def _shown(args: argparse.Namespace, d: ExplanationDetail, text: str | None) -> int:
    if args.json:
        emit(d.model_dump(mode="json") | ({"text": text} if text is not None else {}))
        return 0
    if d.given_at is None:
        print(f"{d.explanation_workflow_id}: venter på sensor; mottatt {d.received:%d.%m.%Y}, frist {day(d.due)}")
    else:
        deadline = day(d.appeal_deadline) if d.appeal_deadline else "-"
        print(f"{d.explanation_workflow_id}: gitt {day(d.given_at)} av {d.given_by}; klagefrist {deadline}")
    if text is not None:
        print(text)
    return 0


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    common = common_options()  # --json and --as, as every admin command has them
    verbs = commands.add_parser("explanation", help="begrunnelse: an explanation of a grade").add_subparsers(
        dest="verb", required=True
    )

    def add(name: str, run: object, help: str) -> argparse.ArgumentParser:
        sub: argparse.ArgumentParser = verbs.add_parser(name, help=help, parents=[common])
        sub.set_defaults(handler=dispatch, run=run)
        sub.add_argument("participant", metavar="PARTICIPANT_ID")
        return sub

    add("request", explanation_request, "register a request for a begrunnelse").add_argument(
        "--received", type=_received_day, help="the day the request was received, YYYY-MM-DD (default: today)"
    )
    add("give", explanation_give, "give the begrunnelse (an examiner of the group)").add_argument(
        "file", metavar="FILE", help="the begrunnelse's words, UTF-8 text; - for standard input"
    )
    add("show", explanation_show, "where a person's begrunnelse stands")
