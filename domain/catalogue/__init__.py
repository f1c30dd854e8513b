"""One catalogue of the Norwegian a person reads: the web pages, the command line and the API's messages all say
codes through it (the letters keep their own templates).

Its sections:
- refusals, a template per code with its parameters by name: each part of the rules keeps its own module here with
  a `REFUSALS` table, joined below;
- reasons (reasons.py): why a member may not sit the exam, why a group has no exam, why a participation ended, with
  the mapping of the English texts older state holds (for old state only);
- labels (labels.py): the words for the workflows' codes (stages, outcomes, tracks, certificates, actions, roles,
  fields), and the one place that says a moment as Oslo's clock shows it;
- actions (actions.py): the words for an audited action's parameters;
- pending (pending.py): what waits for the administration, from the workflows' views.

In a template, `{status:label}` is itself a code (a status, an outcome, a stage) and is said in words, in lower case;
`{deadline:time}` is an ISO time, said as Oslo's clock shows it; `{received:date}` an ISO day (or a time's day in
Oslo). tests/domain/test_catalogue.py finds every code the source raises and fails on one that has no entry here, or
whose entry names other parameters than the code is raised with.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from string import Formatter
from typing import Any

from domain.catalogue import (
    accounts,
    actions,
    admission,
    cohort,
    end_of_year,
    gateway,
    group,
    ids,
    offers,
    plan,
    privacy,
    requirements,
    validation,
    web,
)
from domain.catalogue.labels import OSLO, day, label, when
from domain.catalogue.pending import PENDING
from domain.catalogue.reasons import REASONS

__all__ = ["OSLO", "PENDING", "REFUSALS", "SECTIONS", "day", "detail", "fields", "label", "say", "when"]

SECTIONS = (
    requirements,
    group,
    cohort,
    end_of_year,
    admission,
    offers,
    plan,
    validation,
    accounts,
    ids,
    privacy,
    web,
    gateway,
)


def _joined() -> dict[str, str]:
    table: dict[str, str] = {}
    for section in SECTIONS:
        for code, template in section.REFUSALS.items():
            if code in table:
                raise ValueError(f"refusal code {code} is in the catalogue twice")
            table[code] = template
    return table


REFUSALS: dict[str, str] = _joined()
_TEMPLATES: dict[str, str] = {**REFUSALS, **REASONS, **PENDING}  # what `say` knows: refusals, reasons, pending


class _Words(Formatter):
    """`{x:label}`: a code in words; `{x:time}`: an ISO time as Oslo's clock shows it (04.12.2026 kl. 13:29)."""

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec == "label":
            return label(value).lower()
        if format_spec == "time":
            return when(datetime.fromisoformat(str(value)))
        if format_spec == "date":
            return _day(str(value))
        return str(super().format_field(value, format_spec))


def _day(iso: str) -> str:
    """An ISO day (2023-07-01) as written (01.07.2023); an ISO time by its day in Oslo."""
    moment = datetime.fromisoformat(iso)
    return day(moment) if moment.tzinfo is not None else moment.strftime("%d.%m.%Y")


_WORDS = _Words()


def say(code: str, params: Mapping[str, Any]) -> str:
    """The sentence for a code (a refusal's, a reason's or what is pending) and its parameters; an unknown code is
    shown as itself (the test forbids one)."""
    template = _TEMPLATES.get(code)
    if template is None:
        return code
    return _WORDS.format(template, **params)


def fields(template: str) -> set[str]:
    """The parameters a template names."""
    return {name for _, name, _, _ in _WORDS.parse(template) if name}


def detail(params: Mapping[str, Any]) -> str:
    """What an action was about, from its parameters (domain/catalogue/actions.py): "arbeidskrav 3, med dokument"."""
    parts = [
        _WORDS.format(actions.PARAMS.get(name, "{value}"), value=value)
        for name, value in params.items()
        if value is not None
    ]
    return ", ".join(parts)
