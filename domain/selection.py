"""Selection of municipalities: one place per region, a small and a large one, then a seeded lottery."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from domain.admission import already_applied, parse_application
from domain.models import (
    Application,
    InvalidApplication,
    Region,
    SelectionEntry,
    SelectionResult,
    SizeClass,
    application_id,
)
from domain.municipalities import lookup, size_class


def lottery_key(seed: str, name: str) -> str:
    """A draw that anyone can repeat: SHA-256 of seed and name, independent of input order and machine."""
    return hashlib.sha256(f"{seed}\x1f{name}".encode()).hexdigest()


def entry(application: Application, basis: str = "") -> SelectionEntry:
    return entry_for(application.municipalities, basis)


def entry_for(municipalities: Sequence[str], basis: str = "") -> SelectionEntry:
    """The lead (first-named) municipality gives the region; the group's total population gives the size."""
    members = [lookup(n) for n in municipalities]
    return SelectionEntry(
        id=application_id(list(municipalities)),
        municipalities=list(municipalities),
        region=members[0].region,
        size=size_class(sum(m.population for m in members)),
        basis=basis,
    )


def screen(raw_applications: Sequence[Any]) -> tuple[list[Application], list[InvalidApplication]]:
    """Split applications, in the order received, into valid ones and refused ones with their reasons."""
    valid: list[Application] = []
    invalid: list[InvalidApplication] = []
    named: dict[str, str] = {}
    for index, raw in enumerate(raw_applications):
        application, errors = parse_application(raw)
        app_id = application.id if application else _raw_id(raw, index)
        if application:
            errors += [problem.text() for problem in already_applied(application.municipalities, named)]
        if errors:
            invalid.append(InvalidApplication(id=app_id, errors=errors))
            continue
        assert application is not None
        named.update(dict.fromkeys(application.municipalities, application.id))
        valid.append(application)
    return valid, invalid


def _raw_id(raw: Any, index: int) -> str:
    numbers = raw.get("municipalities") if isinstance(raw, dict) else None
    if isinstance(numbers, list) and numbers and all(isinstance(n, str) for n in numbers):
        return "+".join(numbers)
    return f"#{index + 1}"


def draw(
    entries: Sequence[SelectionEntry], places: int, seed: str
) -> tuple[list[SelectionEntry], list[SelectionEntry]]:
    """Admitted and waiting list (in lottery order) among valid applications."""
    if places < 1:
        raise ValueError(f"places: must be at least 1, got {places}")
    pool = sorted(entries, key=lambda e: lottery_key(seed, e.id))
    admitted: list[SelectionEntry] = []

    def admit(candidate: SelectionEntry, basis: str) -> None:
        if len(admitted) < places:
            pool.remove(candidate)
            admitted.append(candidate.model_copy(update={"basis": basis}))

    regions = sorted({e.region for e in pool}, key=lambda r: lottery_key(seed, f"region:{r.value}"))
    for region in regions:
        admit(next(e for e in pool if e.region == region), "region")
    for size in (SizeClass.SMALL, SizeClass.LARGE):
        if not any(e.size == size for e in admitted):
            candidate = next((e for e in pool if e.size == size), None)
            if candidate:
                admit(candidate, size.value)
    for candidate in list(pool):
        admit(candidate, "lottery")
    waitlist = [e.model_copy(update={"basis": "waitlist"}) for e in pool]
    return admitted, waitlist


def select(raw_applications: Sequence[Any], places: int, seed: str) -> SelectionResult:
    valid, invalid = screen(raw_applications)
    admitted, waitlist = draw([entry(a) for a in valid], places, seed)
    return SelectionResult(seed=seed, places=places, admitted=admitted, waitlist=waitlist, invalid=invalid)


__all__ = ["Region", "draw", "entry", "entry_for", "lottery_key", "screen", "select"]
