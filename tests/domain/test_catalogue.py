"""The catalogue knows every refusal the source raises by code, with the parameters it is raised with."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from domain.catalogue import PENDING, REFUSALS, fields, say
from domain.refusals import Problem, Refusal
from tests.domain.source import parse

ROOT = Path(__file__).parents[2]
SOURCES = ["domain", "workflows", "activities", "store", "runtime", "cli", "gateway", "demo", "web", "starter.py"]
RAISERS = {"Refusal", "refuse", "AccountError", "LocalAccountExists"}  # Refusal(code, **params), refuse(code, ...),
# and store.accounts' refusals, which are Refusals
PROBLEM = "Problem"  # domain.refusals.Problem(code, {"param": value, ...})
CUSTOM = "PydanticCustomError"  # a validator's (code, english, {"param": value, ...}); domain.errors adds the field
WEB = "refusal"  # web.errors.refusal(status, code, **params): the web app's own HTTP errors


def raised() -> list[tuple[str, str, set[str]]]:
    """Every (where, code, parameter names) raised with a literal code in the source."""
    found = []
    for source in SOURCES:
        paths = [ROOT / source] if source.endswith(".py") else sorted((ROOT / source).rglob("*.py"))
        for path in paths:
            tree = parse(path)
            ours = any(  # another module's class may be called Problem too (domain.admission's)
                isinstance(node, ast.ImportFrom)
                and node.module == "domain.refusals"
                and "Problem" in {a.name for a in node.names}
                for node in ast.walk(tree)
            )
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call) or not node.args:
                    continue
                name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
                if name == WEB and len(node.args) > 1:
                    code = node.args[1]
                    if isinstance(code, ast.Constant) and isinstance(code.value, str):
                        where = f"{path.relative_to(ROOT)}:{node.lineno}"
                        found.append((where, code.value, {k.arg for k in node.keywords if k.arg} - {"headers"}))
                    continue
                first = node.args[0]
                if not isinstance(first, ast.Constant) or not isinstance(first.value, str):
                    continue
                where = f"{path.relative_to(ROOT)}:{node.lineno}"
                if name in RAISERS:
                    found.append((where, first.value, {k.arg for k in node.keywords if k.arg}))
                elif name == PROBLEM and ours:
                    found.append((where, first.value, _keys(node.args[1] if len(node.args) > 1 else None)))
                elif name == CUSTOM:
                    found.append((where, first.value, _keys(node.args[2] if len(node.args) > 2 else None) | {"field"}))
    return found


def _keys(given: ast.expr | None) -> set[str]:
    keys = given.keys if isinstance(given, ast.Dict) else []
    return {str(k.value) for k in keys if isinstance(k, ast.Constant)}


def test_the_source_raises_refusals_by_code() -> None:
    assert len(raised()) >= 8


def test_every_code_raised_has_its_words_with_the_same_parameters() -> None:
    problems = [
        f"{where}: {code} {'has no entry' if code not in REFUSALS else f'names {sorted(fields(REFUSALS[code]))}'}"
        for where, code, params in raised()
        if code not in REFUSALS or fields(REFUSALS[code]) != params
    ]
    assert problems == []


def test_every_entry_is_raised_somewhere() -> None:
    assert sorted(set(REFUSALS) - {code for _, code, _ in raised()}) == []


def test_a_refusal_of_several_problems_says_each_and_travels_as_data() -> None:
    refusal = Refusal.of(
        [
            Problem("requirement.feedback_missing"),
            Problem("requirement.no_extension", {"number": 3, "status": "approved"}),
        ]
    )
    assert refusal.code == "requirement.feedback_missing"
    assert str(refusal) == (
        "Et arbeidskrav som ikke godkjennes, må ha en tilbakemelding; Arbeidskrav 3 er godkjent; ny frist er ikke mulig"
    )
    assert [Problem.load(d) for d in refusal.dump()] == list(refusal.problems)
    with pytest.raises(ValueError):
        Refusal.of([])


def test_an_unknown_code_is_shown_as_itself_rather_than_as_nothing() -> None:
    assert say("no.such.code", {}) == "no.such.code"


def pending_codes() -> list[tuple[str, str, set[str]]]:
    """Every (where, code, parameter names) of what waits for the administration: `Pending.of("pending.x", ...)`, and
    the end-of-year steps' PENDING tables (codes without parameters)."""
    found: list[tuple[str, str, set[str]]] = []
    for source in ("workflows",):
        for path in sorted((ROOT / source).rglob("*.py")):
            for node in ast.walk(parse(path)):
                where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}"
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "of":
                    owner, first = node.func.value, node.args[0] if node.args else None
                    if isinstance(owner, ast.Name) and owner.id == "Pending" and isinstance(first, ast.Constant):
                        found.append((where, str(first.value), {k.arg for k in node.keywords if k.arg}))
                elif isinstance(node, ast.Dict):
                    found += [
                        (where, str(value.value), set())
                        for value in node.values
                        if isinstance(value, ast.Constant) and str(value.value).startswith("pending.")
                    ]
    return found


def test_every_pending_code_has_its_words_and_every_entry_is_used() -> None:
    used = pending_codes()
    assert len(used) >= 11
    assert [f"{where}: {code}" for where, code, params in used if fields(PENDING.get(code, "-")) != params] == []
    assert sorted(set(PENDING) - {code for _, code, _ in used} - {"pending.stored_text"}) == []  # old sentences'
    assert say("pending.requirement", {"number": 3}) == "Godkjenn eller returner arbeidskrav 3"


def test_an_old_english_pending_sentence_is_read_as_its_code() -> None:
    from workflows.messages import Pending

    assert Pending.model_validate("approve or return work requirement 2") == Pending.of("pending.requirement", number=2)
    assert Pending.model_validate("publish the results").text == "Publiser resultatene"
    assert Pending.model_validate("something else").text == "something else"
    assert str(Pending.model_validate("pending.appeal_oral")) == "Registrer ny muntlig justering"  # a step's code
