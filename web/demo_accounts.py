"""The demo's accounts: one per role with a generated password, written to `.data/demo-accounts.json` (0600).

For `make demo` (wired by the demo): an admin, a teacher, an examiner assigned to the demo's groups, the
municipality contact of an admitted group, and a participant of it. Running it again gives new passwords.
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path

from runtime.files import private_dir, write_private
from store.accounts import Account, Accounts, Role


async def create_demo_accounts(
    accounts: Accounts, path: Path, municipality: str, participant: str, examiner_groups: list[str]
) -> dict[str, dict[str, str]]:
    made = {
        "admin": Account(username="admin", role=Role.ADMIN),
        "teacher": Account(username="faglaerer", role=Role.TEACHER),
        "examiner": Account(username="sensor", role=Role.EXAMINER),
        "municipality": Account(username=f"kommune-{municipality}", role=Role.MUNICIPALITY, municipality=municipality),
        "participant": Account(username="deltaker", role=Role.PARTICIPANT, participant=participant),
    }
    written: dict[str, dict[str, str]] = {}
    for role, account in made.items():
        password = secrets.token_urlsafe(12)
        await accounts.add(account, password, replace=True)
        written[role] = {"username": account.username, "password": password}
    for group in examiner_groups:
        await accounts.assign("sensor", group)
    private_dir(path.parent)  # the data folder
    write_private(path, json.dumps(written, indent=2) + "\n")  # 0600 from the start: the passwords
    return written
