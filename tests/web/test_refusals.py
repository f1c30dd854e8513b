"""Every refusal the code can give reads in Norwegian on a page: the source is searched for its messages, so a new
message the table in web/refusals.py does not know fails here rather than showing English beside a form."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from web.refusals import detail, known, norwegian

ROOT = Path(__file__).parents[2]
SOURCES = [
    *sorted((ROOT / "workflows").glob("*.py")),
    *(
        ROOT / "domain" / f"{name}.py"
        for name in ("requirements", "grading", "appeals", "resits", "exam", "text", "plan")
    ),
    *sorted((ROOT / "gateway").glob("*.py")),
    ROOT / "store" / "accounts.py",
    ROOT / "store" / "uploads.py",
    *sorted((ROOT / "web").glob("*.py")),
    *(path for path in sorted((ROOT / "web" / "routes").glob("*.py")) if path.stem not in ("api", "codec")),
]  # the API and the codec server answer programs, in English
RAISED = {"ApplicationError", "Refused", "ValueError", "HTTPException"}  # AccountError refuses by code
# messages the web app writes in Norwegian already
NORWEGIAN = {
    "Fant ikke kullet",
    "Fant ikke saken",
    "Fant ikke dokumentet",
    "Fant ikke deltakeren",
    "Ukjent handling",
    "velg en JSON-fil",
    "filen er ikke gyldig JSON: 1",
    "ny frist: '1' er ikke et tidspunkt (dd.mm.åååå tt:mm)",
    "muntlig justering: '1' er ikke et helt tall (f.eks. -1, 0 eller +1)",
    "Registeret over personer er ikke tilgjengelig",
    "For mange ukjente koder. Vent ett minutt og prøv igjen.",
    "Ingen dokumenter har denne verifikasjonskoden. Sjekk at den er skrevet av riktig.",
}
# a prefix around another message, which is said where it is made (the command line's `user add` only)
PASSED_ON = {"--municipality: 1"}
ENGLISH = {"the", "is", "not", "has", "have", "cannot", "already", "must", "no", "of", "and", "or", "an", "was"}


def template(node: ast.expr) -> str | None:
    """A message as written in the source, each value as '1'."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "1" for v in node.values)  # type: ignore[misc]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = template(node.left), template(node.right)
        return None if left is None and right is None else (left or "1") + (right or "1")
    return None


def messages() -> dict[str, str]:
    """Each message the sources raise or return as a reason, with where it is."""
    found: dict[str, str] = {}
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            texts: list[ast.expr] = []
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in RAISED and node.args:
                is_http = getattr(node.func, "id", None) == "HTTPException"
                texts = node.args[1:2] if is_http else node.args[:1]
            elif isinstance(node, ast.Call) and ast.unparse(node.func) == "errors.append":  # a list of them
                texts = node.args[:1]
            elif isinstance(node, ast.FunctionDef) and node.name.endswith(("_error", "_errors", "_reason")):
                returns = [n.value for n in ast.walk(node) if isinstance(n, ast.Return) and n.value is not None]
                texts = [b for r in returns for b in ([r.body, r.orelse] if isinstance(r, ast.IfExp) else [r])]
            elif isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == ["error"]:
                value = node.value  # `error = None if ... else "does not sit the oral exam"`
                texts = [value.body, value.orelse] if isinstance(value, ast.IfExp) else [value]
            for text in texts:
                message = template(text)
                if message and re.search(r"[a-z]{2}", message) and not message.startswith(("_", "^")):
                    found[message] = f"{path.relative_to(ROOT)}:{text.lineno}"
    return found


def test_the_source_search_finds_the_messages_it_should() -> None:
    found = messages()
    assert len(found) > 25
    assert "Fant ikke kullet" in found and "document: the file is empty" in found


def test_every_refusal_in_the_source_has_its_norwegian_words() -> None:
    unknown = {
        message: where
        for message, where in messages().items()
        if message not in NORWEGIAN | PASSED_ON and not known(message) and not _a_plain_value(message)
    }
    assert not unknown, unknown
    for message in messages():
        if message in NORWEGIAN | PASSED_ON or _a_plain_value(message):
            continue
        said = norwegian(message)
        assert not ENGLISH & set(re.findall(r"[^\W\d_]+", said.lower())), (message, said)


def test_a_refusal_reads_as_the_person_expects() -> None:
    assert norwegian("kull-2022.gruppe-1804.deltaker-2: results published") == (
        "Kull-2022.gruppe-1804.deltaker-2: resultatene er publisert"
    )
    assert norwegian("partners: named twice: ngo") == "Partnere: oppgitt to ganger: ngo"
    assert norwegian("the group has no exam: work requirement 3 failed") == (
        "Gruppen har ikke eksamen: arbeidskrav 3 er ikke bestått"
    )
    assert norwegian("the group gave up its place; results published") == (
        "Gruppen ga fra seg plassen; resultatene er publisert"
    )  # each part on its own, a value never runs into the next part
    for ended in ("the group gave up its place", "replaced before the first gathering", "no exam", "grade F"):
        assert known(ended)  # why a participation ended, on the participant's page
    assert norwegian("something nobody wrote a table entry for") == "Something nobody wrote a table entry for"


def _a_plain_value(message: str) -> bool:
    """'1: 1' and the like (only values and punctuation), or a code such as 'no_exam_for_group': not a sentence."""
    return not re.search(r"[A-Za-z]{3}", message.replace("1", "")) or re.fullmatch(r"[a-z_]+", message) is not None


def test_an_accepted_actions_detail_is_translated_and_its_free_text_kept() -> None:
    assert detail("requirement 3: with a document") == "arbeidskrav 3: med dokument"
    assert detail("requirement 2: Mangler brukerstemmer; ta med intervjuene") == (
        "arbeidskrav 2: Mangler brukerstemmer; ta med intervjuene"
    )
    assert detail("gathering 1 day 2: 3 present") == "samling 1 dag 2: 3 til stede"
    assert detail("3324+3326+3328: accepted") == "3324+3326+3328: godtatt"
    assert detail("kull-2022.gruppe-1804.deltaker-2 -> kull-2022.gruppe-1804.deltaker-4") == (
        "kull-2022.gruppe-1804.deltaker-2 -> kull-2022.gruppe-1804.deltaker-4"
    )
