"""Bounded text: the types of every field a person types, so no input can grow a workflow past Temporal's payload
limits or carry control characters into the audit trail, a letter or someone's terminal.

Limits, in characters after Unicode NFC normalisation and stripping surrounding whitespace:

    names (person, gathering theme, work requirement)  200   a long Norwegian full name is about 60
    role, actor                                         100
    reason (a group or a participant leaving)           500   one line
    feedback (a returned work requirement)             4000   several paragraphs; newline and tab allowed
    e-mail address                                      254   RFC 5321's limit on a path
    workflow ID                                         200   letters, digits and . _ + - only
    members named in one action                           8   a group has 3-4 members, replacements add a few
    municipalities in one application                    20

Why these sizes: the server refuses a payload over 2 MB and a group carries its state through continue-as-new.
With every value at its limit in 4-byte characters, a group's state without an audit list is about 80 KB, most of
it four requirements' feedback (tests/test_limits.py measures it).

Refused in every field: control characters (C0, DEL, C1: ESC, CR, LF, NUL, ...), lone surrogates, the line and
paragraph separators, and invisible format characters (category Cf): the bidi embeddings, overrides and isolates
U+202A-U+202E and U+2066-U+2069 that make text display in another order than it is stored, the marks
U+200E/U+200F, zero-width space U+200B, word joiner U+2060, BOM U+FEFF, soft hyphen U+00AD and the tag characters.
Kept: zero-width non-joiner and joiner (U+200C, U+200D), which some scripts and emoji sequences need.
Multi-line text also allows newline and tab; a CR LF pair (a web form's line break) becomes a newline first.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Annotated

from pydantic import AfterValidator

NAME_MAX = 200
ROLE_MAX = 100
ACTOR_MAX = 100
REASON_MAX = 500
FEEDBACK_MAX = 4000
EMAIL_MAX = 254
ID_MAX = 200
MEMBERS_MAX = 8
MUNICIPALITIES_MAX = 20

_KEPT_FORMAT = {"\u200c", "\u200d"}  # ZWNJ, ZWJ
_REFUSED_CATEGORIES = {"Cc", "Cs", "Zl", "Zp", "Cf"}
_SHORT_NAMES = {"\x00": "NUL", "\t": "TAB", "\n": "LF", "\r": "CR", "\x1b": "ESC", "\x7f": "DEL", "\x85": "NEL"}
_KINDS = {
    "Cc": "a control character",
    "Cs": "a lone surrogate",
    "Zl": "a line separator",
    "Zp": "a paragraph separator",
    "Cf": "an invisible formatting character",
}
_WORKFLOW_ID = re.compile(rf"^[A-Za-z0-9][A-Za-z0-9._+-]{{0,{ID_MAX - 1}}}$")
_APPLICATION_ID = re.compile(rf"^\d{{4}}(\+\d{{4}}){{0,{MUNICIPALITIES_MAX - 1}}}$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_COHORT = re.compile(r"^[A-Za-z0-9_-]{1,32}$")  # as workflows.ids makes cohort workflow IDs from it


def refused_character(char: str, multiline: bool = False) -> bool:
    if multiline and char in "\n\t":
        return False
    return unicodedata.category(char) in _REFUSED_CATEGORIES and char not in _KEPT_FORMAT


def describe_character(char: str) -> str:
    """`a control character U+001B (ESC)`: what a refusal names, never the character itself."""
    name = _SHORT_NAMES.get(char) or unicodedata.name(char, "")
    label = f"U+{ord(char):04X}" + (f" ({name})" if name else "")
    return f"{_KINDS.get(unicodedata.category(char), 'a character')} {label}"


def printable(text: str) -> str:
    """The text with every refused character written as an escape: safe to print to a terminal or a log."""
    return "".join(f"\\u{ord(c):04x}" if refused_character(c) else c for c in text)


def shown(value: str, limit: int = 60) -> str:
    """A value quoted for a message: escaped and cut short, so a refusal never echoes a megabyte."""
    cut = value if len(value) <= limit else value[:limit] + "..."
    return f"'{printable(cut)}'"


def _checked(value: str, max_length: int, multiline: bool) -> str:
    if multiline:
        value = value.replace("\r\n", "\n")
    value = unicodedata.normalize("NFC", value.strip())
    if not value:
        raise ValueError("must not be empty")
    if len(value) > max_length:
        raise ValueError(f"at most {max_length} characters, got {len(value)}")
    for position, char in enumerate(value, 1):
        if refused_character(char, multiline):
            allowed = "printable text, newline and tab" if multiline else "printable text on one line"
            raise ValueError(f"contains {describe_character(char)} at character {position}; only {allowed} is allowed")
    return value


def line(max_length: int) -> Callable[[str], str]:
    """The validator of one line of printable text, 1 to `max_length` characters."""
    return lambda value: _checked(value, max_length, multiline=False)


def lines(max_length: int) -> Callable[[str], str]:
    """The validator of printable text with newlines and tabs, 1 to `max_length` characters."""
    return lambda value: _checked(value, max_length, multiline=True)


def _pattern(pattern: re.Pattern[str], max_length: int, what: str) -> Callable[[str], str]:
    def check(value: str) -> str:
        if len(value) > max_length:
            raise ValueError(f"at most {max_length} characters, got {len(value)}")
        if not pattern.match(value):
            raise ValueError(f"{shown(value)} is not {what}")
        return value

    return check


Name = Annotated[str, AfterValidator(line(NAME_MAX))]
Role = Annotated[str, AfterValidator(line(ROLE_MAX))]
Actor = Annotated[str, AfterValidator(line(ACTOR_MAX))]
Reason = Annotated[str, AfterValidator(line(REASON_MAX))]
Feedback = Annotated[str, AfterValidator(lines(FEEDBACK_MAX))]
WorkflowId = Annotated[
    str,
    AfterValidator(
        _pattern(
            _WORKFLOW_ID,
            ID_MAX,
            "a workflow ID (letters, digits and . _ + - only), e.g. kull-2022.gruppe-1833.deltaker-1",
        )
    ),
]
ApplicationId = Annotated[
    str,
    AfterValidator(
        _pattern(
            _APPLICATION_ID, 5 * MUNICIPALITIES_MAX, "an application ID (kommunenumre joined by '+', e.g. 1833+1832)"
        )
    ),
]
CohortName = Annotated[str, AfterValidator(_pattern(_COHORT, 32, "a cohort name (1-32 letters, digits, '-' or '_')"))]
# a handed-in document as the workflow knows it: its SHA-256 (the file itself is kept outside Temporal)
DocumentHash = Annotated[str, AfterValidator(_pattern(_SHA256, 64, "a SHA-256 (64 lower-case hexadecimal digits)"))]
