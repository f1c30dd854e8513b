"""`starter.py privacy export|erase PERSON_ID`: a person's access to and erasure of their data (gateway/privacy.py).

Exit codes as the admin commands: 0 done, 1 refused (still in a running programme, nothing held), 2 bad input
(not a person ID, an unwritable file), 3 Temporal or the database cannot be reached.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from cli.admin import default_actor, dispatch, guarded
from cli.output import CliError, emit
from gateway.admin import Admin
from gateway.privacy import Privacy, check_person_id, open_drafts
from gateway.storage import Documents, documents_key
from runtime.codec import load_keys
from runtime.files import write_private
from runtime.settings import get_settings


def checked(args: argparse.Namespace) -> int:
    """Refuse bad input before connecting to anything, then run the command as the admin commands run."""
    _check(args)
    return dispatch(args)


def _check(args: argparse.Namespace) -> None:
    try:
        check_person_id(args.person_id)
    except ValueError as error:
        raise CliError(str(error)) from None
    if not args.actor.strip():
        raise CliError("--actor: say who acts (or set NIS_ACTOR); the privacy log records it")


def _privacy(admin: Admin, args: argparse.Namespace) -> Privacy:
    _check(args)
    if admin.sessions is None or admin.people is None:
        raise CliError("the privacy commands need the database and the register of people")
    settings = get_settings()
    documents = Documents(admin.sessions, documents_key(load_keys(settings).identity), settings.data_dir)
    return Privacy(admin.client, admin.sessions, admin.people, documents, open_drafts(settings, admin.sessions))


@guarded
async def export(admin: Admin, args: argparse.Namespace) -> int:
    exported = await _privacy(admin, args).export(args.person_id, args.actor)
    payload = exported.model_dump(mode="json")
    if args.output is None:
        emit(payload)
        return 0
    _write(Path(args.output), payload)
    print(f"{args.person_id}: skrevet til {args.output}")
    return 0


def _write(path: Path, payload: Any) -> None:
    try:  # 0600: everything held about one person
        write_private(path, json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    except OSError as error:
        raise CliError(f"kan ikke skrive {path}: {error.strerror or error}") from None


@guarded
async def erase(admin: Admin, args: argparse.Namespace) -> int:
    erased = await _privacy(admin, args).erase(args.person_id, args.actor)
    if args.json:
        emit(erased.model_dump(mode="json"))
        return 0
    kept = ", ".join(erased.grade_records_kept) or "ingen"
    register = "raden makulert og slettet" if erased.in_register else "hadde ingenting"
    print(
        f"{erased.person_id} er slettet: registeret {register}, {erased.letters} brev slettet; "
        f"karakterprotokoller beholdt under anonym ID: {kept}"
    )
    return 0


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `privacy export` and `privacy erase` to starter.py's parser."""
    verbs = commands.add_parser("privacy", help="a person's data: export it (art. 15) or erase it (art. 17)")
    sub = verbs.add_subparsers(dest="verb", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("person_id", metavar="PERSON_ID", help="p and 20 hex digits, as the register knows them")
    common.add_argument("--actor", default=default_actor(), help="who acts, for the privacy log (default: $NIS_ACTOR)")
    common.add_argument("--json", action="store_true", help="print the result as JSON")
    out = sub.add_parser("export", help="write everything held about one person as JSON", parents=[common])
    out.add_argument("--output", metavar="FILE", help="write to FILE instead of standard output")
    out.set_defaults(handler=checked, run=export)
    gone = sub.add_parser(
        "erase", help="erase one person's personal data (refused while their programme runs)", parents=[common]
    )
    gone.set_defaults(handler=checked, run=erase)
