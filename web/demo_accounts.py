"""The demo's accounts: one per role with a generated password, written to `.data/demo-accounts.json` (0600).

For `make demo` (wired by the demo): an admin, a teacher, an examiner assigned to the demo's groups, the
municipality contact of an admitted group, and a participant of it. Running it again gives its own accounts new
passwords; an account it did not make (the demo pointed at a real database) is left as it is.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from pathlib import Path

from gateway.accounts import Account, Accounts, Role
from runtime.files import private_dir, write_private


@dataclass(frozen=True)
class DemoAccounts:
    written: dict[str, dict[str, str]]  # role -> user name and password, as in the file
    untouched: list[str]  # user names that exist and are not the demo's: not reset, not in the file


async def create_demo_accounts(
    accounts: Accounts,
    path: Path,
    municipality: str,
    participant: str,
    examiner_groups: list[str],
    appeal_examiner: str | None = None,
) -> DemoAccounts:
    """`appeal_examiner`: an external examiner on the demo's appeal commissions, who signs in to their blind page."""
    made = {
        "admin": Account(username="admin", role=Role.ADMIN),
        "teacher": Account(username="faglaerer", role=Role.TEACHER),
        "examiner": Account(username="sensor", role=Role.EXAMINER),
        "municipality": Account(username=f"kommune-{municipality}", role=Role.MUNICIPALITY, municipality=municipality),
        "participant": Account(username="deltaker", role=Role.PARTICIPANT, participant=participant),
    }
    if appeal_examiner is not None:
        made["appeal_examiner"] = Account(username=appeal_examiner, role=Role.EXAMINER, external=True)
    known = _passwords(path)
    written: dict[str, dict[str, str]] = {}
    untouched: list[str] = []
    for role, account in made.items():
        exists = await accounts.get(account.username) is not None
        if exists and not await _the_demos(accounts, account.username, known):
            untouched.append(account.username)
            continue
        password = secrets.token_urlsafe(12)
        await accounts.add(account, password, replace=exists)
        written[role] = {"username": account.username, "password": password}
    if "examiner" in written:  # another examiner's groups are not the demo's to change
        for group in examiner_groups:
            await accounts.assign("sensor", group)
    private_dir(path.parent)  # the data folder
    write_private(path, json.dumps(written, indent=2) + "\n")  # 0600 from the start: the passwords
    return DemoAccounts(written, untouched)


async def create_actor_accounts(
    accounts: Accounts, actors: dict[str, Role], external: frozenset[str] = frozenset()
) -> list[str]:
    """The accounts the demo's script acts as (its administration, teacher and examiners), so that whoever the
    workflows and the audit trail record is an account. Their passwords are random and kept nowhere: they sign in
    to nothing. An existing account is left as it is; the names made are returned."""
    made: list[str] = []
    for username, role in actors.items():
        if await accounts.get(username) is None:
            account = Account(username=username, role=role, external=username in external)
            await accounts.add(account, secrets.token_urlsafe(24))
            made.append(username)
    return made


async def _the_demos(accounts: Accounts, username: str, known: dict[str, str]) -> bool:
    # An existing account is the demo's only when its own file names it and the password there still signs in: the
    # demo made it and nobody has changed it since. That the database is the default SQLite file in the data folder
    # would prove nothing: the embedded set-up without NIS_DATABASE_URL keeps real accounts there too (`starter.py
    # user add admin`), and resetting those would hand their role to whoever reads the demo's file.
    password = known.get(username)
    return password is not None and await accounts.authenticate(username, password) is not None


def _passwords(path: Path) -> dict[str, str]:
    """User name -> password from the demo's file of an earlier run; nothing when there is none or it is unreadable."""
    try:
        entries = json.loads(path.read_text(encoding="utf-8")).values()
        return {str(entry["username"]): str(entry["password"]) for entry in entries}
    except (OSError, ValueError, AttributeError, TypeError, KeyError):
        return {}
