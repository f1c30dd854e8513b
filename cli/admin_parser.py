"""The admin commands in starter.py's parser: the commands that act come from the gateway's list (cli/actions.py),
each with the arguments naming its target and its own options; each leaf runs through `cli.admin.dispatch`."""

from __future__ import annotations

import argparse
import functools
from typing import Any

from cli import show
from cli.actions import SPOKEN, Spoken, give
from cli.admin import Command, apply, dispatch, guarded, replace_participant, start_cohort
from runtime.settings import get_settings


def _targets() -> dict[str, argparse.ArgumentParser]:
    """The arguments that name a command's target, by what it takes."""
    cohort = argparse.ArgumentParser(add_help=False)
    cohort.add_argument("--cohort", required=True, help="the cohort's name, e.g. 2022")
    group = argparse.ArgumentParser(add_help=False, parents=[cohort])
    group.add_argument("application_id", metavar="APP_ID", help="the group's application id, e.g. 1833+1832")
    participant = argparse.ArgumentParser(add_help=False)
    participant.add_argument("participant", metavar="PARTICIPANT_ID", help="as `show group` lists it")
    requirement = argparse.ArgumentParser(add_help=False, parents=[group])
    requirement.add_argument("number", metavar="N", type=int, help="work requirement 1-4")
    return {"cohort": cohort, "group": group, "participant": participant, "requirement": requirement}


def common_options() -> argparse.ArgumentParser:
    """--json and --as (the acting account), for every command that acts."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", help="print the result as JSON")
    common.add_argument(
        "--as",
        "--actor",
        dest="account",
        metavar="NAME",
        default=get_settings().account,
        help="the account that acts (`starter.py user add`), recorded in the audit trail (default: $NIS_ACCOUNT)",
    )
    return common


def _given(spoken: Spoken) -> Command:
    return guarded(functools.partial(give, spoken))


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the admin commands to starter.py's parser."""
    common, targets = common_options(), _targets()
    families: dict[str, Any] = {}

    def add(where: Any, name: str, run: Command, help: str, *parents: argparse.ArgumentParser) -> Any:
        sub = where.add_parser(name, help=help, parents=[*parents, common])
        sub.set_defaults(handler=dispatch, run=run)
        return sub

    def family(name: str, help: str) -> Any:
        if name not in families:
            families[name] = commands.add_parser(name, help=help).add_subparsers(dest="verb", required=True)
        return families[name]

    sub = add(commands, "start-cohort", start_cohort, "open a cohort from its plan")
    sub.add_argument("plan", metavar="PLAN.json")
    sub.add_argument("--seed", help="the lottery seed (default: drawn by the workflow)")
    add(commands, "apply", apply, "hand in an application to its cohort").add_argument(
        "application", metavar="APPLICATION.json"
    )
    add(
        commands,
        "replace-participant",
        replace_participant,
        "replace a member before the first gathering",
        targets["participant"],
    ).add_argument("replacement", metavar="REPLACEMENT.json")
    helps = {"requirement": "work requirements of a group", "written": "the group's written assignment"}
    for spoken in SPOKEN:
        words = spoken.words()
        where = family(words[0], helps[words[0]]) if len(words) == 2 else commands
        spoken.options(add(where, words[-1], _given(spoken), spoken.help, targets[spoken.naming()]))
    views = commands.add_parser("show", help="show a cohort, a group or a participant")
    verbs = views.add_subparsers(dest="verb", required=True)
    add(verbs, "cohort", show.show_cohort, "a cohort's overview").add_argument("cohort", metavar="COHORT")
    add(verbs, "group", show.show_group, "a group's detail", targets["group"])
    add(verbs, "participant", show.show_participant, "a participant's detail", targets["participant"])
