"""The municipality register: the shipped SSB snapshot, regions and size classes."""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources

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
