"""One catalogue of the Norwegian a person reads for a refusal: a template per code, its parameters by name.

Each part of the rules keeps its own section (a module here with a `REFUSALS` table); this package joins them and
says a code with its parameters. A parameter written `{status:label}` is itself a code (a status, an outcome, a
stage) and is said in words (domain.labels), in lower case; `{deadline:time}` is an ISO time, said as Oslo's clock
shows it. tests/domain/test_catalogue.py finds every code the
source raises and fails on one that has no entry here, or whose entry names other parameters than the code is
raised with.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from string import Formatter
from typing import Any
from zoneinfo import ZoneInfo

from domain.catalogue import (
    accounts,
    admission,
    cohort,
    end_of_year,
    gateway,
    group,
    ids,
    plan,
    requirements,
    validation,
    web,
)
from domain.labels import label

SECTIONS = (requirements, group, cohort, end_of_year, admission, plan, validation, accounts, ids, web, gateway)


def _joined() -> dict[str, str]:
    table: dict[str, str] = {}
    for section in SECTIONS:
        for code, template in section.REFUSALS.items():
            if code in table:
                raise ValueError(f"refusal code {code} is in the catalogue twice")
            table[code] = template
    return table


REFUSALS: dict[str, str] = _joined()


OSLO = ZoneInfo("Europe/Oslo")


class _Words(Formatter):
    """`{x:label}`: a code in words; `{x:time}`: an ISO time as Oslo's clock shows it (04.12.2026 kl. 13:29)."""

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec == "label":
            return label(value).lower()
        if format_spec == "time":
            moment = datetime.fromisoformat(str(value))
            try:
                moment = moment.astimezone(OSLO)
            except OverflowError:  # the last moment of year 9999 has no later hour in Oslo
                pass
            return moment.strftime("%d.%m.%Y kl. %H:%M")
        return str(super().format_field(value, format_spec))


_WORDS = _Words()


def say(code: str, params: Mapping[str, Any]) -> str:
    """The sentence for a code and its parameters; an unknown code is shown as itself (the test forbids one)."""
    template = REFUSALS.get(code)
    if template is None:
        return code
    return _WORDS.format(template, **params)


def fields(template: str) -> set[str]:
    """The parameters a template names."""
    return {name for _, name, _, _ in _WORDS.parse(template) if name}
