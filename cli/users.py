"""starter.py's commands for the web app's accounts: `user add` (a local account) and `user password` (a new
password, which signs the account out everywhere); `web` (serve the app) is web/server.py's.

`user add NAME --role ROLE [--municipality KOMMUNENUMMER] [--participant PARTICIPANT_ID] [--external]` (an
examiner from outside the institution) reads the password without echo (asked twice), or the first line of
`--password-file`; `--email ADDRESS` is where reminders of a staff account's tasks go, and `user email NAME ADDRESS`
(or `--none`) sets it later. The address is never printed back or logged. Exit codes as the admin commands: 0 done,
1 refused (a rule of accounts), 2 unreadable input, 3 the database cannot be reached.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy.exc import SQLAlchemyError

from cli.output import CliError
from domain.catalogue import label
from gateway.accounts import Account, AccountError, Accounts, Role, prepare
from gateway.storage import make_session_factory
from runtime.settings import get_settings

T = TypeVar("T")


def add_user(args: argparse.Namespace) -> int:
    password = _password(args.password_file)
    account = Account(
        username=args.name,
        role=Role(args.role),
        municipality=args.municipality,
        participant=args.participant,
        external=args.external,
    )
    code, _ = _account_job(_add(account, password, args.email))
    if code:
        return code
    external = ", ekstern" if account.external else ""
    reminders = ", påminnelser på e-post" if args.email else ""
    print(f"bruker {account.username} er lagt til (rolle: {label(account.role).lower()}{external}{reminders})")
    return 0


def set_email(args: argparse.Namespace) -> int:
    if (args.address is None) == (not args.none):
        raise CliError("oppgi enten en e-postadresse eller --none")
    code, _ = _account_job(_set_email(args.name, args.address))
    if code:
        return code
    said = "har fått ny e-postadresse for påminnelser" if args.address else "får ikke lenger påminnelser på e-post"
    print(f"bruker {args.name} {said}")
    return 0


def change_password(args: argparse.Namespace) -> int:
    code, ended = _account_job(_change(args.name, _password(args.password_file)))
    if code:
        return code
    print(f"passordet til {args.name} er endret; {ended} økt(er) og API-nøkkel(er) er avsluttet")
    return 0


def _account_job(job: Coroutine[Any, Any, T]) -> tuple[int, T | None]:
    """Run a job on the accounts: (0, its result), or the exit code once it has said why it failed."""
    try:
        return 0, asyncio.run(job)
    except AccountError as error:
        print(f"avvist: {error}", file=sys.stderr)
        return 1, None
    except SQLAlchemyError as error:
        print(f"kan ikke bruke databasen: {error}", file=sys.stderr)
        return 3, None


async def _change(username: str, password: str) -> int:
    engine = await prepare(get_settings().resolved_database_url)
    try:
        return await Accounts(make_session_factory(engine)).set_password(username, password)
    finally:
        await engine.dispose()


async def _add(account: Account, password: str, email: str | None) -> None:
    engine = await prepare(get_settings().resolved_database_url)
    try:
        await Accounts(make_session_factory(engine)).add(account, password, email=email)
    finally:
        await engine.dispose()


async def _set_email(username: str, email: str | None) -> None:
    engine = await prepare(get_settings().resolved_database_url)
    try:
        await Accounts(make_session_factory(engine)).set_email(username, email)
    finally:
        await engine.dispose()


def _password(path: str | None) -> str:
    if path is not None:
        try:
            lines = Path(path).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as error:
            raise CliError(f"kan ikke lese --password-file {path}: {error}") from None
        return lines[0] if lines else ""
    if not sys.stdin.isatty():
        raise CliError("ingen terminal å spørre etter passordet i: bruk --password-file")
    first = getpass.getpass("Passord: ")
    if getpass.getpass("Gjenta passordet: ") != first:
        raise CliError("de to passordene er ulike")
    return first


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    users = commands.add_parser("user", help="local accounts of the web app").add_subparsers(dest="verb", required=True)
    sub = users.add_parser("add", help="add a local account (password asked without echo, or --password-file)")
    sub.add_argument("name", metavar="NAME", help="a user name (a handle, not an e-mail address)")
    sub.add_argument("--role", required=True, choices=[r.value for r in Role])
    sub.add_argument("--municipality", metavar="KOMMUNENUMMER", help="role municipality: the contact's kommunenummer")
    sub.add_argument("--participant", metavar="PARTICIPANT_ID", help="role participant: as `show group` lists it")
    sub.add_argument("--external", action="store_true", help="role examiner: an external examiner (ekstern sensor)")
    sub.add_argument("--password-file", help="read the password from the first line of this file")
    sub.add_argument("--email", metavar="ADDRESS", help="where reminders of the account's tasks go (staff)")
    sub.set_defaults(handler=add_user)
    sub = users.add_parser("email", help="set (or with --none remove) the address an account's reminders go to")
    sub.add_argument("name", metavar="NAME")
    sub.add_argument("address", metavar="ADDRESS", nargs="?")
    sub.add_argument("--none", action="store_true", help="no reminders by e-mail")
    sub.set_defaults(handler=set_email)
    sub = users.add_parser("password", help="a new password for a local account; its sessions and tokens end")
    sub.add_argument("name", metavar="NAME")
    sub.add_argument("--password-file", help="read the password from the first line of this file")
    sub.set_defaults(handler=change_password)
