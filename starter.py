"""Command line: the rules (no Temporal server needed), the embedded demo, and the study administration's
actions against a running Temporal."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from typing import Any

from cli import admin_parser as cli_admin
from cli import database as cli_database
from cli import end_of_year as cli_end_of_year
from cli import explanation as cli_explanation
from cli import keys as cli_keys
from cli import letters as cli_letters
from cli import privacy as cli_privacy
from cli import users as cli_users
from cli.output import CliError, emit, read_json
from domain.admission import parse_application, track
from domain.models import SelectionEntry, SelectionResult
from domain.plan import parse_plan
from domain.selection import select
from runtime.files import private_dir, restrict_process_umask
from runtime.settings import get_settings


def check_application(args: argparse.Namespace) -> int:
    application, errors = parse_application(read_json(args.file))
    verdict: dict[str, Any] = {
        "valid": not errors,
        "errors": errors,
        "municipalities": list(application.municipalities) if application else [],
        "participants": [{"email": p.email, "track": track(p).value} for p in application.participants]
        if application
        else [],
    }
    if args.json:
        emit(verdict)
    else:
        print(
            f"Application {'+'.join(verdict['municipalities']) or '(unreadable)'}: "
            f"{'valid' if not errors else 'REFUSED'}"
        )
        for error in errors:
            print(f"  - {error}")
        for p in verdict["participants"]:
            print(f"  {p['email']:<40} {p['track']}")
    return 0 if not errors else 1


def draw_selection(args: argparse.Namespace) -> int:
    raw = read_json(args.file)
    if not isinstance(raw, list):
        raise CliError(f"{args.file} must hold a JSON list of applications, in the order received")
    if args.places < 1:
        raise CliError(f"--places must be at least 1, got {args.places}")
    result = select(raw, args.places, args.seed)
    if args.json:
        emit(_selection_json(result))
    else:
        _print_selection(result)
    return 0


def _entry_json(entry: SelectionEntry) -> dict[str, Any]:
    return entry.model_dump(mode="json")


def _selection_json(result: SelectionResult) -> dict[str, Any]:
    return {
        "seed": result.seed,
        "places": result.places,
        "admitted": [_entry_json(e) for e in result.admitted],
        "waitlist": [_entry_json(e) for e in result.waitlist],
        "invalid": [i.model_dump(mode="json") for i in result.invalid],
    }


def _print_selection(result: SelectionResult) -> None:
    print(f"Selection with seed {result.seed!r}, {result.places} place(s)")
    for title, entries in (("Admitted", result.admitted), ("Waiting list", result.waitlist)):
        print(f"\n{title}:")
        for rank, e in enumerate(entries, 1):
            print(f"  {rank:>3}. {e.id:<20} {e.region.value:<11} {e.size.value:<7} {e.basis}")
    if result.invalid:
        print("\nRefused:")
        for invalid in result.invalid:
            print(f"  {invalid.id}: {'; '.join(invalid.errors)}")


def check_plan(args: argparse.Namespace) -> int:
    plan, problems = parse_plan(read_json(args.file))
    errors = [problem.text() for problem in problems]
    if args.json:
        emit({"valid": not errors, "errors": errors, "problems": [problem.dump() for problem in problems]})
    elif errors:
        print(f"Plan {args.file}: REFUSED")
        for error in errors:
            print(f"  - {error}")
    else:
        assert plan is not None
        print(f"Plan {args.file}: valid (cohort {plan.cohort}, {plan.places} places)")
        for index, g in enumerate(plan.gatherings, 1):
            print(f"  Samling {index}: {g.start:%Y-%m-%d} {g.days} dager  {g.theme}")
    return 0 if not errors else 1


def demo(args: argparse.Namespace) -> int:
    from demo.embedded import run_demo

    return run_demo(args)


def web(args: argparse.Namespace) -> int:
    from web.server import web as serve_web  # the command line's own commands do not load the web app

    return serve_web(args)


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="starter.py", description=__doc__)
    commands = root.add_subparsers(dest="command", required=True)

    def command(name: str, handler: Callable[[argparse.Namespace], int], help: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help)
        sub.set_defaults(handler=handler)
        return sub

    sub = command("check-application", check_application, "validate one application file")
    sub.add_argument("file")
    sub.add_argument("--json", action="store_true")
    sub = command("draw-selection", draw_selection, "draw the selection from a JSON list of applications")
    sub.add_argument("file")
    sub.add_argument("--places", type=int, required=True)
    sub.add_argument("--seed", required=True)
    sub.add_argument("--json", action="store_true")
    sub = command("check-plan", check_plan, "validate a cohort plan")
    sub.add_argument("file")
    sub.add_argument("--json", action="store_true")
    sub = command("demo", demo, "run a whole cohort on the embedded Temporal server (or the configured one)")
    sub.add_argument("--scenario", default="demo/scenarios/kull-2022.json", help="applications and the admin script")
    sub.add_argument("--plan", default="demo/plans/kull-2022.json", help="the cohort plan whose calendar is compressed")
    sub.add_argument(
        "--speed", type=float, default=1.0, help="2 runs the year twice as fast (default: about 2 minutes)"
    )
    sub.add_argument("--report", help="where to write the JSON report (default: .data/report.json)")
    sub.add_argument("--fresh", action="store_true", help="start the cohort over instead of continuing it")
    sub.add_argument("--serve", action="store_true", help="keep the web app (and the worker) up after the cohort ends")
    cli_admin.register(commands)
    cli_privacy.register(commands)
    cli_letters.register(commands)
    cli_end_of_year.register(commands)
    cli_explanation.register(commands)
    cli_users.register(commands)
    cli_database.register(commands)
    cli_keys.register(commands)
    command("web", web, "serve the web app at NIS_WEB_ADDRESS (default 127.0.0.1:8000)")
    return root


RULES = (check_application, draw_selection, check_plan)  # need no settings and write nothing


def main(argv: list[str] | None = None) -> int:
    restrict_process_umask()  # first: the read model, keys, documents and the embedded server's files are private
    args = parser().parse_args(argv)
    try:
        if args.handler not in RULES:
            _private_data_dir()
        code: int = args.handler(args)
        return code
    except CliError as error:
        print(f"feil: {error}", file=sys.stderr)
        return 2


def _private_data_dir() -> None:
    folder = get_settings().data_dir
    try:
        private_dir(folder)
    except OSError as error:
        raise CliError(f"the data folder {folder} cannot be made private (0700): {error.strerror or error}") from None


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # Exit without interpreter teardown: the Temporal client can abort there (sdk-python #300).
    os._exit(code)
