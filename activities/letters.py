"""Letters: a typed notice rendered for one reader, in Norwegian bokmål, from the Jinja2 file of its kind.

Rendering happens when a letter is delivered or shown, never when it is queued: the outbox keeps the notice's
facts and the reader's person ID, and the name comes from the register of people at that moment. Each kind has
one template file in `templates/letters/<kind>.j2` with a `subject` block and a `body` block; `_letter.j2` holds
the greeting, the way to reach the study administration and the signature. Undefined values raise
(`StrictUndefined`): a letter is never sent with a hole in it.

Dates and times are shown in Europe/Oslo the Norwegian way ("mandag 12. september 2022 kl. 10.00"), a cohort as
the school names it ("kull 2022"), municipalities by name from the municipality register ("Bodø, Fauske og
Saltdal", `domain.municipalities.names`, as the web pages say them).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Protocol

from babel.dates import format_datetime
from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template
from pydantic import Field, TypeAdapter
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from activities.staff_notices import StaffReminder
from activities.web_notices import RegistrationLink
from domain.catalogue.labels import OSLO
from domain.municipalities import names
from store import outbox
from store.tables import OutboxRecord
from workflows.notices import Notice

TEMPLATES = Path(__file__).parent / "templates" / "letters"
LOCALE = "nb"
SCHOOL = "Nasjonal innovasjonsskole for kommunesektoren"
DAY = 86_400
WEEK = 7 * DAY
_WORDS = {
    1: "én",
    2: "to",
    3: "tre",
    4: "fire",
    5: "fem",
    6: "seks",
    7: "sju",
    8: "åtte",
    9: "ni",
    10: "ti",
    11: "elleve",
    12: "tolv",
}


# the workflows' notices, the web app's own letters (activities/web_notices.py) and the staff reminders
# (activities/staff_notices.py), as the outbox holds them
Letterable = Annotated[Notice | RegistrationLink | StaffReminder, Field(discriminator="kind")]
NOTICE: TypeAdapter[Letterable] = TypeAdapter(Letterable)


class Person(Protocol):
    """What a letter needs of a person in the register (`store.people.PersonData` fits)."""

    @property
    def name(self) -> str: ...
    @property
    def email(self) -> str: ...


class PeopleLookup(Protocol):
    """The register of people as letters use it (`store.people.People` fits): people by person ID, without
    those it does not hold (unknown or erased)."""

    async def get_many(self, person_ids: Iterable[str]) -> Mapping[str, Person]: ...


@dataclass(frozen=True)
class Letter:
    subject: str
    body: str


@dataclass(frozen=True)
class Contact:
    """How a reader reaches the study administration; from the settings."""

    email: str
    phone: str | None = None
    web: str | None = None  # the web app's address: where a participant signs in to their page and documents


# ---- filters: the Norwegian way of writing dates, places and amounts ---------------------------------------
def date(value: datetime) -> str:
    """`mandag 12. september 2022`"""
    return format_datetime(value, "EEEE d. MMMM y", tzinfo=OSLO, locale=LOCALE)


def date_time(value: datetime) -> str:
    """`mandag 12. september 2022 kl. 10.00`"""
    return format_datetime(value, "EEEE d. MMMM y 'kl.' HH.mm", tzinfo=OSLO, locale=LOCALE)


def period(start: datetime, end: datetime) -> str:
    """One day: `mandag 12. juni 2023 kl. 09.00–16.00`; several: `fra ... kl. 09.00 til ... kl. 16.00`."""
    if start.astimezone(OSLO).date() == end.astimezone(OSLO).date():
        return f"{date_time(start)}–{format_datetime(end, 'HH.mm', tzinfo=OSLO, locale=LOCALE)}"
    return f"fra {date_time(start)} til {date_time(end)}"


# `Oslo`; `Bodø, Fauske og Saltdal`: the one function the pages say municipalities with too
municipalities = names


def cohort(name: str) -> str:
    """The cohort as the school names it: `kull 2022` (the workflow IDs say `kull-2022`)."""
    return f"kull {name}"


def count(amount: int, one: str, many: str) -> str:
    """`én dag`, `to dager`, `14 dager`: numbers up to twelve in words, as Norwegian prose writes them."""
    return f"{_WORDS.get(amount, str(amount))} {one if amount == 1 else many}"


def ahead(seconds: float) -> str:
    """How far ahead a reminder is: `om én uke`, `om tre dager`, `i morgen`, `om seks timer`."""
    whole = round(seconds)
    if whole % WEEK == 0:
        return f"om {count(whole // WEEK, 'uke', 'uker')}"
    if whole == DAY:
        return "i morgen"
    if whole % DAY == 0:
        return f"om {count(whole // DAY, 'dag', 'dager')}"
    return f"om {count(max(1, round(seconds / 3600)), 'time', 'timer')}"


def requirement(title: str, number: int) -> str:
    """`arbeidskrav 2 «Innsikt og brukerinvolvering»`, also from a plan whose title repeats the number
    ("Arbeidskrav 2: Innsikt og brukerinvolvering")."""
    name = re.sub(rf"^arbeidskrav\s+{number}\s*[:.-]\s*", "", title, flags=re.IGNORECASE)
    return f"arbeidskrav {number} «{name}»"


def capital(text: str) -> str:
    """The first letter upper case, the rest untouched (Jinja's `capitalize` lowers the rest: "Bodø, fauske")."""
    return text[:1].upper() + text[1:]


FILTERS: dict[str, Any] = {
    "date": date,
    "date_time": date_time,
    "period": period,
    "municipalities": municipalities,
    "cohort": cohort,
    "count": count,
    "ahead": ahead,
    "requirement": requirement,
    "capital": capital,
}


# ---- rendering ----------------------------------------------------------------------------------------
@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        undefined=StrictUndefined,
        autoescape=False,  # text mail, not HTML
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(FILTERS)
    env.globals["school"] = SCHOOL
    return env


def template_for(kind: str) -> Template:
    return environment().get_template(f"{kind}.j2")


def render_letter(notice: Letterable, name: str | None, contact: Contact) -> Letter:
    """The letter of one notice to one reader. `name` is None for the study administration and for a person
    the register no longer holds (erased): the greeting then names no one."""
    template = template_for(notice.kind)
    values = {"notice": notice, "name": name, "contact": contact}
    subject = "".join(template.blocks["subject"](template.new_context(values)))
    return Letter(subject=" ".join(subject.split()), body=_tidy(template.render(values)))


def _tidy(text: str) -> str:
    # one blank line between paragraphs whatever the template's block tags left behind
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"


# ---- what the administration reads: every letter of a cohort, rendered now ----------------------------
@dataclass(frozen=True)
class LetterView:
    kind: str
    person: str  # the person ID, or "staff"
    subject: str
    body: str
    status: str  # queued / sent / undelivered
    reason: str | None  # why undelivered, or why the last attempt failed

    def as_json(self) -> dict[str, str | None]:
        return {
            "kind": self.kind,
            "person": self.person,
            "subject": self.subject,
            "body": self.body,
            "status": self.status,
            "reason": self.reason,
        }


async def cohort_letters(
    sessions: async_sessionmaker[AsyncSession], people: PeopleLookup, contact: Contact, cohort: str
) -> list[LetterView]:
    """Every letter of a cohort as its reader gets it, in the order queued; for the command line and the web."""
    async with sessions() as session:
        rows = await outbox.of_cohort(session, cohort)
    readers = await people.get_many({row.person_id for row in rows if row.person_id != outbox.STAFF})
    return [_view(row, readers, contact) for row in rows]


@dataclass(frozen=True)
class LetterPage:
    """One page of a cohort's letters (newest first), how many matched the filters, and the cohort's per status."""

    letters: list[LetterView]
    matched: int
    per_status: dict[str, int]
    kinds: list[str]
    readers: dict[str, str]  # the page's readers' names by person ID (decrypted once, for the letters and the page)


async def cohort_letters_page(
    sessions: async_sessionmaker[AsyncSession],
    people: PeopleLookup,
    contact: Contact,
    cohort: str,
    *,
    kind: str | None = None,
    status: str | None = None,
    offset: int = 0,
    limit: int = 50,
) -> LetterPage:
    """A page of a cohort's letters as their readers get them: only the page is rendered, and only its readers are
    looked up (a national year has ~32,000 letters)."""
    async with sessions() as session:
        rows, matched, per_status = await outbox.page_of_cohort(session, cohort, kind, status, offset, limit)
        kinds = await outbox.kinds_of_cohort(session, cohort)
    readers = await people.get_many({row.person_id for row in rows if row.person_id != outbox.STAFF})
    letters = [_view(row, readers, contact) for row in rows]
    return LetterPage(letters, matched, per_status, kinds, {person: found.name for person, found in readers.items()})


async def person_letters(
    sessions: async_sessionmaker[AsyncSession], people: PeopleLookup, contact: Contact, person_id: str
) -> list[LetterView]:
    """Every letter to one person as they got it (GDPR art. 15 export), in the order queued."""
    async with sessions() as session:
        rows = await outbox.of_person(session, person_id)
    return [_view(row, await people.get_many([person_id]), contact) for row in rows]


def _view(row: OutboxRecord, readers: Mapping[str, Person], contact: Contact) -> LetterView:
    reader = readers.get(row.person_id)
    letter = render_letter(NOTICE.validate_json(row.notice), reader.name if reader else None, contact)
    return LetterView(
        kind=row.kind,
        person=row.person_id,
        subject=letter.subject,
        body=letter.body,
        status=row.status,
        reason=row.reason,
    )
