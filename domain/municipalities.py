"""The municipality register: the shipped SSB snapshot, regions and size classes, and municipalities by name as
pages, lists and letters say them (`Oslo`, `Kvinesdal, Lyngdal og Farsund`, `Oslo (0301)`)."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from functools import cache
from importlib import resources

from babel.lists import format_list

from domain.models import Municipality, Region, SizeClass

# [default] regions by county number (2024 numbering)
REGION_BY_COUNTY: dict[str, Region] = {
    **dict.fromkeys(["03", "31", "32", "33", "34", "39", "40"], Region.OSTLANDET),
    "42": Region.SORLANDET,
    **dict.fromkeys(["11", "15", "46"], Region.VESTLANDET),
    "50": Region.TRONDELAG,
    **dict.fromkeys(["18", "55", "56"], Region.NORD_NORGE),
}
SMALL_BELOW = 5_000
LARGE_FROM = 20_000


class UnknownMunicipality(LookupError):
    def __init__(self, number: str) -> None:
        super().__init__(f"municipality {number} is not in the register (unknown or retired kommunenummer)")
        self.number = number


def size_class(population: int) -> SizeClass:
    if population < SMALL_BELOW:
        return SizeClass.SMALL
    return SizeClass.LARGE if population >= LARGE_FROM else SizeClass.MEDIUM


@cache
def register() -> dict[str, Municipality]:
    text = resources.files("domain").joinpath("kommuner.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(text.splitlines())
    return {row["kommunenummer"]: _municipality(row) for row in rows}


def _municipality(row: dict[str, str]) -> Municipality:
    population = int(row["innbyggere"])
    return Municipality(
        number=row["kommunenummer"],
        name=row["kommune"],
        county_number=row["fylkesnummer"],
        county=row["fylke"],
        population=population,
        region=REGION_BY_COUNTY[row["fylkesnummer"]],
        size=size_class(population),
    )


def lookup(number: str) -> Municipality:
    try:
        return register()[number]
    except KeyError:
        raise UnknownMunicipality(number) from None


def common_name(number: str) -> str:
    """The name people write: the register's official name, a bilingual one by its first form ("Fauske - Fuossko" is
    "Fauske"). A number the register does not hold (retired, or from older state) shows as itself, never a blank."""
    found = register().get(number)
    return found.name.split(" - ")[0] if found else number


def numbers_of(numbers: str | Iterable[str]) -> list[str]:
    """The kommunenumre of an application ID (`4227+4225`) or of a list of them."""
    return numbers.split("+") if isinstance(numbers, str) else list(numbers)


def names(numbers: str | Iterable[str], *, numbered: bool = False) -> str:
    """`Oslo`; `Kvinesdal, Lyngdal og Farsund`, from kommunenumre or an application ID. `numbered` adds the numbers as
    staff type them (an application ID): `Oslo (0301)`, `Kvinesdal, Lyngdal og Farsund (4227+4225+4206)`."""
    found = numbers_of(numbers)
    said = format_list([common_name(n) for n in found], locale="nb") if found else ""
    return f"{said} ({'+'.join(found)})" if numbered and found else said
