"""`starter.py letters --cohort COHORT [--json]`: every letter of a cohort as its reader got it.

The outbox holds facts and person IDs only, so each letter is rendered now from its notice and the register of
people (a person erased from the register is greeted without a name). Exit codes: 0 done, 2 bad input or key,
3 the database cannot be used. Needs no Temporal server.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from cli.output import emit
from domain.catalogue import label
from gateway.storage import LetterView, PeopleLookup, cohort_letters, create_schema, make_engine, make_session_factory
from runtime.settings import Settings, get_settings
from runtime.wiring import contact, people_register

OpenRegister = Callable[[Settings, async_sessionmaker[AsyncSession]], PeopleLookup]


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sub = commands.add_parser("letters", help="every letter of a cohort, rendered, with its delivery status")
    sub.add_argument("--cohort", required=True, help="the cohort's name, e.g. 2022")
    sub.add_argument(
        "--json", action="store_true", help='a JSON list of {"kind", "person", "subject", "body", "status", "reason"}'
    )
    sub.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    return asyncio.run(show_letters(args, get_settings(), people_register))


async def show_letters(args: argparse.Namespace, settings: Settings, open_people: OpenRegister) -> int:
    cohort = args.cohort.strip()
    if not cohort:
        return _fail(2, "feil: --cohort må nevne et kull, f.eks. 2022")
    engine = make_engine(settings.resolved_database_url)
    try:
        await create_schema(engine)
        sessions = make_session_factory(engine)
        letters = await cohort_letters(sessions, open_people(settings, sessions), contact(settings), cohort)
    except (RuntimeError, ValueError) as error:  # no register, or an unreadable application key
        return _fail(2, f"feil: {error}")
    except SQLAlchemyError as error:
        return _fail(3, f"kan ikke bruke lesemodellen: {type(error).__name__}")
    finally:
        await engine.dispose()
    if args.json:
        emit([letter.as_json() for letter in letters])
    else:
        print(text(cohort, letters))
    return 0


STATUS = {"sent": "sendt", "queued": "i kø", "undelivered": "ikke levert"}  # a letter's delivery status, said


def text(cohort: str, letters: list[LetterView]) -> str:
    counts = {status: sum(1 for letter in letters if letter.status == status) for status in STATUS}
    summary = ", ".join(f"{counts[status]} {said}" for status, said in STATUS.items())
    lines = [f"Brev i kull {cohort}: {len(letters)} ({summary})"]
    for letter in letters:
        status = STATUS.get(letter.status, letter.status)
        status = f"{status} ({letter.reason})" if letter.status == "undelivered" else status
        lines += ["", f"{label(letter.kind)} til {letter.person}: {status}", f"  Emne: {letter.subject}"]
        lines += [f"  {line}".rstrip() for line in letter.body.splitlines()]
    return "\n".join(lines)


def _fail(code: int, message: str) -> int:
    print(message, file=sys.stderr)
    return code
