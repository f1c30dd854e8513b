"""The cohort page's list of applications, a page at a time, narrowed by region, outcome and the group's stage: at
national size the whole list (357 rows, each group named) was most of a view. The query string carries codes."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol
from urllib.parse import urlencode

from fastapi import HTTPException, status

from domain.lifecycle import GroupStage, Outcome
from domain.models import Region


class Listed(Protocol):
    """What the list filters an application by (the cohort overview's records have it)."""

    @property
    def region(self) -> StrEnum | None: ...
    @property
    def outcome(self) -> StrEnum: ...
    @property
    def group_stage(self) -> StrEnum | None: ...


APPLICATIONS_PER_PAGE = 50
FILTERS = {
    "region": {r.value for r in Region},
    "utfall": {o.value for o in Outcome},
    "fase": {s.value for s in GroupStage},
}
FILTER_WORDS = {"region": "region", "utfall": "utfall", "fase": "gruppens fase"}


@dataclass(frozen=True)
class ApplicationList:
    shown: list[Any]  # the overview's records of the applications shown
    matched: int
    side: int
    last: int
    first_shown: int
    chosen: dict[str, str]  # the filters as the query string gave them
    options: dict[str, list[str]]  # each filter's values that occur in the cohort
    previous: str | None  # the query string of the page before, and after
    next: str | None


def application_list(applications: list[Any], chosen: dict[str, str], side: int) -> ApplicationList:
    """The applications one page shows; an unknown filter value is a 404 naming it (nothing else is read)."""
    for name, value in chosen.items():
        if value and value not in FILTERS[name]:
            raise HTTPException(status.HTTP_404_NOT_FOUND, f"Ukjent {FILTER_WORDS[name]}: {value}")
    matched = [a for a in applications if all(not v or _value(a, k) == v for k, v in chosen.items())]
    last = max(1, -(-len(matched) // APPLICATIONS_PER_PAGE))
    side = min(max(side, 1), last)
    start = (side - 1) * APPLICATIONS_PER_PAGE
    filters = {k: v for k, v in chosen.items() if v}
    options = {name: sorted({v for a in applications if (v := _value(a, name))}) for name in FILTERS}
    return ApplicationList(
        shown=matched[start : start + APPLICATIONS_PER_PAGE],
        matched=len(matched),
        side=side,
        last=last,
        first_shown=start + 1 if matched else 0,
        chosen=chosen,
        options=options,
        previous=urlencode(filters | {"side": side - 1}) if side > 1 else None,
        next=urlencode(filters | {"side": side + 1}) if side < last else None,
    )


ATTRIBUTES = {"region": "region", "utfall": "outcome", "fase": "group_stage"}


def _value(application: Listed, name: str) -> str:
    found = getattr(application, ATTRIBUTES[name])
    return str(found.value) if found is not None else ""
