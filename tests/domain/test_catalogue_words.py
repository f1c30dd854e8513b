"""The catalogue's other sections: every action the workflows record has its label and every parameter its words;
the words for a moment are Oslo's; an audited action's parameters read as a person expects."""

from __future__ import annotations

import ast
from datetime import UTC, datetime
from pathlib import Path

from domain.catalogue import detail, label, when
from domain.catalogue.actions import PARAMS
from domain.catalogue.labels import LABELS, day
from tests.domain.source import parse

ROOT = Path(__file__).parents[2]
RECORDERS = {"_record", "_audit", "accepted", "_requirement_action"}  # the workflows' ways to record an action


def recorded() -> list[tuple[str, str | None, set[str]]]:
    """Each (where, action code, parameter names) the workflows record with a literal action code."""
    found = []
    for path in sorted((ROOT / "workflows").glob("*.py")):
        for node in ast.walk(parse(path)):
            if not isinstance(node, ast.Call) or getattr(node.func, "attr", None) not in RECORDERS:
                continue
            codes = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            names = {k.arg for k in node.keywords if k.arg and k.arg not in ("params", "detail")}
            found.append((f"{path.relative_to(ROOT)}:{node.lineno}", codes[0] if codes else None, names))
    return found


def test_every_recorded_action_has_a_label_and_each_parameter_its_words() -> None:
    found = recorded()
    assert len(found) > 15
    assert [(where, code) for where, code, _ in found if code is not None and code not in LABELS] == []
    assert [(where, names - set(PARAMS)) for where, _, names in found if names - set(PARAMS)] == []


def test_an_actions_parameters_read_in_norwegian() -> None:
    assert detail({"requirement": 3, "document": "ab" * 32}) == "arbeidskrav 3, med dokument"
    assert detail({"requirement": 2, "feedback": "Mangler brukerstemmer"}) == "arbeidskrav 2, Mangler brukerstemmer"
    assert detail({"gathering": 1, "day": 2, "present": 3}) == "samling 1, dag 2, 3 til stede"
    assert detail({"application": "3324+3326", "outcome": "refused"}) == "3324+3326, avvist"
    assert detail({"application": "1804", "reason": "omorganisering", "moved_up": None}) == "1804, omorganisering"
    assert detail({"requirement": 1, "deadline": "2026-12-04T13:29:00+00:00"}) == (
        "arbeidskrav 1, ny frist 04.12.2026 kl. 14:29"
    )


def test_labels_and_moments_are_said_in_one_place() -> None:
    assert label("transcript") == "Karakterutskrift" and label("register_appeal") == "Registrering av klage"
    assert label("something_new") == "something_new"  # shown as itself rather than hidden
    moment = datetime(2026, 6, 30, 22, 30, tzinfo=UTC)
    assert (when(moment), day(moment), when(None)) == ("01.07.2026 kl. 00:30", "01.07.2026", "–")
