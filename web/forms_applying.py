"""The application form <-> the application file's JSON: the form's fields named as the file's paths
(`participants.0.email`), so each broken rule, which names its path, is shown beside its own field."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from domain.admission import MAX_PARTICIPANTS
from domain.refusals import Problem

PERSON = ("name", "email", "sector", "role", "education_years", "experience_years")
YEARS = ("education_years", "experience_years")
_ROW = re.compile(r"^participants\.(\d+)(\..*)?$")


def form_to_application(cohort: str, values: Mapping[str, str]) -> tuple[dict[str, Any], list[int]]:
    """The file's JSON from the form, and for each participant in it the form's row (empty rows are left out)."""
    rows = [i for i in range(MAX_PARTICIPANTS) if any(values.get(f"participants.{i}.{k}") for k in PERSON)]
    participants = [{k: _value(k, values.get(f"participants.{i}.{k}", "")) for k in PERSON} for i in rows]
    data = {
        "cohort": cohort,
        "municipalities": re.findall(r"[^\s,+;]+", values.get("municipalities", "")),
        "contact": {"name": values.get("contact.name", ""), "email": values.get("contact.email", "")},
        "participants": participants,
    }
    return data, rows


def _value(key: str, text: str) -> str:
    return text.replace(",", ".") if key in YEARS else text  # Norwegian decimals: "2,5"


def said(problems: Mapping[str, list[Problem]], rows: list[int]) -> dict[str, list[str]]:
    """The problems by the form's field, in Norwegian: a participant's path moved to the row it came from."""
    errors: dict[str, list[str]] = {}
    for key, found in problems.items():
        errors.setdefault(_form_key(key, rows), []).extend(beside(problem) for problem in found)
    return errors


def beside(problem: Problem) -> str:
    """Beside its field a rule need not name the field again: `'nei' er ikke en e-postadresse`."""
    if problem.code == "validation.not_choice":  # the choices' codes are no words for a person: the list has them
        return "Velg et av valgene i listen"
    text = problem.text()
    if problem.code.startswith("validation.") and ": " in text:
        text = text.split(": ", 1)[1]
    return text[:1].upper() + text[1:]


def _form_key(key: str, rows: list[int]) -> str:
    if key.startswith("municipalities."):
        return "municipalities"
    matched = _ROW.match(key)
    if matched is None:
        return key
    index = int(matched[1])
    return f"participants.{rows[index] if index < len(rows) else index}{matched[2] or ''}"
