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
from pydantic_core import PydanticCustomError

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
_WORKFLOW_ID = re.compile(rf"^[A-Za-z0-9][A-Za-z0-9._+-]{{0,{ID_MAX - 1}}}$")
# an application ID: its kommunenumre joined by '+', as many as an application may name (domain/models.py); the one
# pattern of it, also in the group's and participant's IDs (domain/ids.py)
APPLICATION_ID_PATTERN = rf"\d{{4}}(?:\+\d{{4}}){{0,{MUNICIPALITIES_MAX - 1}}}"
_APPLICATION_ID = re.compile(rf"^{APPLICATION_ID_PATTERN}$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_COHORT = re.compile(r"^[A-Za-z0-9_-]{1,32}$")  # as workflows.ids makes cohort workflow IDs from it


def refused_character(char: str, multiline: bool = False) -> bool:
    if multiline and char in "\n\t":
        return False
    return unicodedata.category(char) in _REFUSED_CATEGORIES and char not in _KEPT_FORMAT


def code_point(char: str) -> str:
    """`U+001B (ESC)`: a character named by its code point and short or Unicode name."""
    name = _SHORT_NAMES.get(char) or unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" ({name})" if name else "")


def refused(char: str, position: int) -> PydanticCustomError:
    """The refusal of a character a field does not take, by its kind, at its position (1 is the first)."""
    category, character = unicodedata.category(char), code_point(char)
    if category == "Cf":
        return PydanticCustomError(
            "validation.invisible_character",
            "character {position} is an invisible formatting character {character}",
            {"character": character, "position": position},
        )
    if category in ("Zl", "Zp"):
        return PydanticCustomError(
            "validation.separator_character",
            "character {position} is a line or paragraph separator {character}",
            {"character": character, "position": position},
        )
    if category == "Cs":
        return PydanticCustomError(
            "validation.surrogate_character",
            "character {position} is a lone surrogate {character}",
            {"character": character, "position": position},
        )
    return PydanticCustomError(
        "validation.control_character",
        "character {position} is a control character {character}",
        {"character": character, "position": position},
    )


def too_long(max_length: int, length: int) -> PydanticCustomError:
    return PydanticCustomError(
        "validation.text_too_long",
        "at most {max_length} characters, got {length}",
        {"max_length": max_length, "length": length},
    )


def printable(text: str) -> str:
    """The text with every refused character written as an escape: safe to print to a terminal or a log."""
    return "".join(f"\\u{ord(c):04x}" if refused_character(c) else c for c in text)


def shown(value: str, limit: int = 60) -> str:
    """A value quoted for a message: escaped and cut short, so a refusal never echoes a megabyte."""
    return f"'{cut(value, limit)}'"


def cut(value: str, limit: int = 60) -> str:
    """A value for a refusal's parameters: escaped and cut short (the catalogue's words quote it)."""
    return printable(value if len(value) <= limit else value[:limit] + "...")


def _checked(value: str, max_length: int, multiline: bool) -> str:
    if multiline:
        value = value.replace("\r\n", "\n")
    value = unicodedata.normalize("NFC", value.strip())
    if not value:
        raise PydanticCustomError("validation.empty", "must not be empty")
    if len(value) > max_length:
        raise too_long(max_length, len(value))
    for position, char in enumerate(value, 1):
        if refused_character(char, multiline):
            raise refused(char, position)
    return value


def line(max_length: int) -> Callable[[str], str]:
    """The validator of one line of printable text, 1 to `max_length` characters."""
    return lambda value: _checked(value, max_length, multiline=False)


def lines(max_length: int) -> Callable[[str], str]:
    """The validator of printable text with newlines and tabs, 1 to `max_length` characters."""
    return lambda value: _checked(value, max_length, multiline=True)


def _pattern(
    pattern: re.Pattern[str], max_length: int, refusal: Callable[[str], PydanticCustomError]
) -> Callable[[str], str]:
    def check(value: str) -> str:
        if len(value) > max_length:
            raise too_long(max_length, len(value))
        if not pattern.match(value):
            raise refusal(cut(value))
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
            lambda value: PydanticCustomError(
                "validation.not_workflow_id", "'{value}' is not a workflow ID", {"value": value}
            ),
        )
    ),
]
ApplicationId = Annotated[
    str,
    AfterValidator(
        _pattern(
            _APPLICATION_ID,
            5 * MUNICIPALITIES_MAX,
            lambda value: PydanticCustomError(
                "validation.not_application_id", "'{value}' is not an application ID", {"value": value}
            ),
        )
    ),
]
CohortName = Annotated[
    str,
    AfterValidator(
        _pattern(
            _COHORT,
            32,
            lambda value: PydanticCustomError(
                "validation.not_cohort_name", "'{value}' is not a cohort name", {"value": value}
            ),
        )
    ),
]
# a handed-in document as the workflow knows it: its SHA-256 (the file itself is kept outside Temporal)
DocumentHash = Annotated[
    str,
    AfterValidator(
        _pattern(
            _SHA256,
            64,
            lambda value: PydanticCustomError("validation.not_sha256", "'{value}' is not a SHA-256", {"value": value}),
        )
    ),
]
