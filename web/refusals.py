"""A refusal as a person reads it beside a form: in Norwegian, like the rest of the page.

What is left of the English (23 patterns of 144): the rules, the cohort plan, input validation, the accounts, the
workflow IDs and the web app's own errors refuse by code and are said from domain/catalogue. The stored reasons a
participation ended or a group has no exam, the gateway's "no workflow" and privacy messages, the uploads' limits and
a few pydantic validators still give English that the pages say in Norwegian through this table, one pattern per
message, until they refuse by code too (tests/web/test_refusals.py finds every such message in the source and fails
on one this table does not know).
A message this table does not know is shown as it is rather than hidden.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from domain.exam import reason_nb
from web.labels import label

Words = Callable[[re.Match[str]], str]


def _low(code: str) -> str:
    return label(code).lower()


def _say(template: str, *labelled: int) -> Words:
    """`template` with {1}, {2}, ... for the message's values; the numbered ones in `labelled` as Norwegian words."""

    def words(match: re.Match[str]) -> str:
        values = [match[0], *(_low(v) if i in labelled else v for i, v in enumerate(match.groups(), 1))]
        return template.format(*values)

    return words


_V = "((?:(?!; ).)+?)"  # a value inside a message; "; " parts a message into several (each is matched alone)
_TABLE: list[tuple[str, Words]] = [
    # attendance, written and oral (domain/exam.py, domain/grading.py, workflows/group_actions.py)
    (rf"the group has no exam: {_V}", lambda m: "gruppen har ikke eksamen: " + reason_nb(m[1])),
    # the cohort (workflows/cohort.py)
    (
        rf"cohort {_V} has already run; its workflow {_V} is closed",
        _say("kull {1} er allerede gjennomført; {2} er lukket"),
    ),
    # participants (workflows/participant.py)
    ("results published", _say("resultatene er publisert")),
    # why a participation ended (workflows/group.py, activities/grades.py), shown on the participant's page
    ("the group gave up its place", _say("gruppen ga fra seg plassen")),
    ("replaced before the first gathering", _say("erstattet før første samling")),
    ("no exam", _say("ingen eksamen")),
    (rf"grade {_V}", _say("karakter {1}")),
    (
        "valid absence from the oral: a postponed exam follows",
        _say("gyldig fravær fra den muntlige eksamenen: utsatt eksamen følger"),
    ),
    ("an absent student has no oral adjustment", _say("en student med gyldig fravær har ingen muntlig justering")),
    (rf"the participation has ended \({_V}\)", lambda m: f"deltakelsen er avsluttet ({norwegian(m[1])})"),
    # fields (workflows/messages.py, web/forms.py)
    (rf"'{_V}' is not a whole number", _say("'{1}' er ikke et helt tall")),
    (rf"unknown action {_V}", _say("ukjent handling {1}")),
    # the gateway and the web app (gateway/*.py, web/*.py)
    (rf"no workflow {_V}", _say("fant ingen sak {1}")),
    (rf"{_V} has ended; it takes no more actions", _say("{1} er avsluttet og tar ikke imot flere handlinger")),
    (
        rf"'{_V}' is not a participant workflow id \(kull-C\.gruppe-ID\.deltaker-N\)",
        _say("'{1}' er ikke en deltaker-ID (kull-K.gruppe-ID.deltaker-N)"),
    ),
    (
        rf"'{_V}' is not a person ID \(p and 20 hexadecimal digits\)",
        _say("'{1}' er ikke en person-ID (p og 20 heksadesimale sifre)"),
    ),
    (
        rf"{_V} is not in the register \(never registered, or erased\)",
        _say("{1} er ikke i registeret (aldri registrert, eller slettet)"),
    ),
    (
        rf"{_V} is still in a running programme: workflow {_V} is running; erase once it has ended "
        r"\(or after withdrawal, when it has closed\)",
        _say(
            "{1} er fortsatt med i et studium som pågår ({2}); slett når det er avsluttet (eller lukket etter trekking)"
        ),
    ),
    # the innovation project (domain/project.py)
    (rf"named twice: {_V}", _say("oppgitt to ganger: {1}")),
    # a document handed in (store/uploads.py)
    (rf"at most {_V} MB", _say("høyst {1} MB")),
    ("the file is empty", _say("filen er tom")),
    # the most general forms last, so that a more particular one above is found first
    (rf"{_V} {_V} named twice", _say("{1} {2} er oppgitt to ganger")),
    (rf"{_V} is not {_V}", _say("{1} er ikke {2}")),
]
_PATTERNS = [(re.compile(f"^{pattern}$", re.DOTALL), words) for pattern, words in _TABLE]
_FIELD = re.compile(r"^([\w.+-]+): (.+)$", re.DOTALL)  # "feedback: ..." or "kull-2022.gruppe-1804.deltaker-2: ..."
_FIELDS = {
    "partners": "partnere",
    "title": "tittel",
    "problem": "problemstilling",
    "drivers": "drivere",
    "barriers": "barrierer",
    "document": "dokument",
    "feedback": "tilbakemelding",
    "reason": "begrunnelse",
    "track": "spor",
    "deadline": "frist",
}


def norwegian(reason: str) -> str:
    """The reason in Norwegian: the whole message if the table knows it, else each '; ' part, else a 'field: '
    prefix kept (or named in Norwegian) and the rest in Norwegian. Starts with a capital, as a sentence does."""
    text, _ = _translated(reason)
    return text[:1].upper() + text[1:]


def known(reason: str) -> bool:
    """Whether the table knows every part of the reason (the test that keeps it complete asks this)."""
    return _translated(reason)[1]


def _translated(reason: str) -> tuple[str, bool]:
    for pattern, words in _PATTERNS:
        match = pattern.match(reason)
        if match:
            return words(match), True
    exam_reason = reason_nb(reason)  # why a group or a member has no exam (domain/exam.py says each in Norwegian)
    if exam_reason != reason:
        return exam_reason, True
    parts = reason.split("; ")
    if len(parts) > 1:
        said = [_translated(part) for part in parts]
        return "; ".join(text for text, _ in said), all(complete for _, complete in said)
    field = _FIELD.match(reason)
    if field:
        rest, complete = _translated(field[2])
        return f"{_FIELDS.get(field[1], field[1])}: {rest}", complete
    return reason, False


# What an accepted action's audit entry says (workflows' `_record` details), for the log on the pages. Only the
# words the workflow writes are translated; free text it carries (feedback, a reason) is shown as it was written.
_DETAILS: list[tuple[re.Pattern[str], Words]] = [
    (re.compile(r"^requirement (\d+)$"), _say("arbeidskrav {1}")),
    (re.compile(r"^requirement (\d+): with a document$"), _say("arbeidskrav {1}: med dokument")),
    (re.compile(r"^requirement (\d+): (.*)$", re.DOTALL), _say("arbeidskrav {1}: {2}")),
    (re.compile(r"^with a document$"), _say("med dokument")),
    (re.compile(r"^gathering (\d+) day (\d+): (\d+) present$"), _say("samling {1} dag {2}: {3} til stede")),
    (re.compile(r"^([\d+]+): accepted$"), _say("{1}: godtatt")),
    (re.compile(r"^([\d+]+): refused$"), _say("{1}: avvist")),
    (re.compile(r"^seed (.+)$"), _say("trekningsfrø {1}")),
    (re.compile(r"^(\d+) groups$"), _say("{1} grupper")),
    (re.compile(r"^(\d+) partners$"), _say("{1} partnere")),
]


def detail(text: str) -> str:
    """An accepted action's audit detail in Norwegian where the workflow wrote the words; else as it is."""
    for pattern, words in _DETAILS:
        match = pattern.match(text)
        if match:
            return words(match)
    return text
