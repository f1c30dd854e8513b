"""Bounded text: what each typed field refuses, and the words of the refusal."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import ValidationError

from domain.admission import parse_application
from domain.errors import describe, problems
from domain.models import Participant
from domain.refusals import Problem
from domain.text import FEEDBACK_MAX, printable, shown
from tests.factories import application, participant
from workflows.messages import (
    DayAttendance,
    ExtensionInput,
    OralAdjustment,
    OralInput,
    ReturnRequirementInput,
    WithdrawGroupInput,
    WithdrawParticipantInput,
)

GROUP = "kull-2022.gruppe-1833"


def refusal(model: Any, **fields: Any) -> str:
    with pytest.raises(ValidationError) as caught:
        model(**fields)
    return "; ".join(describe(caught.value))


@pytest.mark.parametrize(
    ("char", "named"),
    [
        ("\x1b", "et kontrolltegn, U+001B (ESC)"),
        ("\r", "et kontrolltegn, U+000D (CR)"),
        ("\n", "et kontrolltegn, U+000A (LF)"),
        ("\x7f", "et kontrolltegn, U+007F (DEL)"),
        ("\x00", "et kontrolltegn, U+0000 (NUL)"),
        ("\u0085", "et kontrolltegn, U+0085 (NEL)"),
        ("\u202e", "et usynlig formateringstegn, U+202E (RIGHT-TO-LEFT OVERRIDE)"),
        ("\u2066", "et usynlig formateringstegn, U+2066 (LEFT-TO-RIGHT ISOLATE)"),
        ("\u200b", "et usynlig formateringstegn, U+200B (ZERO WIDTH SPACE)"),
        ("\ufeff", "et usynlig formateringstegn, U+FEFF (ZERO WIDTH NO-BREAK SPACE)"),
        ("\u2028", "et linje- eller avsnittsskille, U+2028 (LINE SEPARATOR)"),
    ],
)
def test_an_actor_with_a_control_or_bidi_character_is_refused_by_name(char: str, named: str) -> None:
    message = refusal(WithdrawParticipantInput, actor=f"kari{char}admin", reason="Ny jobb")
    assert message == f"utført av: tegn 5 er {named}, som ikke er tillatt"


def test_lengths_are_counted_after_stripping_and_the_limit_is_named() -> None:
    assert WithdrawParticipantInput(actor=f"  {'k' * 100}  ", reason="r").actor == "k" * 100
    assert refusal(WithdrawParticipantInput, actor="k" * 101, reason="r") == "utført av: høyst 100 tegn, her 101"
    assert refusal(WithdrawParticipantInput, actor="   ", reason="r") == "utført av: kan ikke være tomt"
    assert refusal(WithdrawParticipantInput, actor="kari", reason="r" * 501) == "begrunnelse: høyst 500 tegn, her 501"


def test_feedback_has_lines_and_tabs_up_to_its_limit() -> None:
    text = "Mangler problemstilling.\r\n\tSe kap. 2." + "x" * (FEEDBACK_MAX - 36)  # 4001 typed, CR LF counts as one
    accepted = ReturnRequirementInput(actor="kari", number=1, feedback=text)
    assert accepted.feedback.startswith("Mangler problemstilling.\n\tSe") and len(accepted.feedback) == FEEDBACK_MAX
    assert (
        refusal(ReturnRequirementInput, actor="kari", number=1, feedback="x" * 1048576)
        == "tilbakemelding: høyst 4000 tegn, her 1048576"
    )
    assert "tilbakemelding: tegn 4 er et kontrolltegn, U+000D (CR)" in refusal(
        ReturnRequirementInput, actor="kari", number=1, feedback="abc\rdef"
    )


def test_letters_of_any_script_emoji_and_joiners_are_kept() -> None:
    name = "Åse Ødegård-Nguyễn 👩\u200d💻 فاطمة"
    assert Participant.model_validate(participant(name=name)).name == name
    decomposed = "A\u030ase"  # Å as A + combining ring: stored composed, so the same name compares equal
    assert Participant.model_validate(participant(name=decomposed)).name == "Åse"


def test_names_roles_and_addresses_in_an_application_are_bounded() -> None:
    data = application()
    data["participants"][0] |= {"name": "N" * 201, "role": "rådgiver\x1b[2J"}
    data["contact"]["email"] = "x" * 250 + "@k.no"
    assert parse_application(data) == (
        None,
        [
            "contact.email: høyst 254 tegn, her 255",
            "participants.0.name: høyst 200 tegn, her 201",
            "participants.0.role: tegn 9 er et kontrolltegn, U+001B (ESC), som ikke er tillatt",
        ],
    )


def test_an_application_names_a_bounded_number_of_municipalities_and_people() -> None:
    data = application() | {"municipalities": ["0301"] * 21, "cohort": "2022; DROP"}
    data["participants"] = [participant(i) for i in range(9)]
    _, errors = parse_application(data)
    assert errors[:3] == [
        "cohort: '2022; DROP' er ikke et kullnavn (1–32 bokstaver, sifre, '-' eller '_')",
        "municipalities: høyst 20 i listen, her 21",
        "participants: høyst 8 i listen, her 9",
    ]


def test_the_same_member_twice_in_attendance_or_oral_is_refused() -> None:
    one, two = f"{GROUP}.deltaker-1", f"{GROUP}.deltaker-2"
    assert refusal(DayAttendance, day=1, present=[one, two, one]) == f"til stede: {one} er oppgitt to ganger"
    adjustments = [OralAdjustment(participant_workflow_id=i, adjustment=1) for i in (one, two, two, one)]
    assert (
        refusal(OralInput, actor="kari", adjustments=adjustments)
        == f"muntlige justeringer: {one}, {two} er oppgitt to ganger"
    )
    many = [f"{GROUP}.deltaker-{n}" for n in range(1, 10)]
    assert "til stede: høyst 8 i listen, her 9" in refusal(DayAttendance, day=1, present=many)


def test_ids_are_bounded_and_refusals_never_echo_what_would_steer_a_terminal() -> None:
    message = refusal(DayAttendance, day=1, present=[f"{GROUP}.deltaker-1\x1b[31m"])
    assert message == (
        "present.0: 'kull-2022.gruppe-1833.deltaker-1\\u001b[31m' er ikke en saks-ID (bokstaver, sifre og . _ + -), "
        "f.eks. kull-2022.gruppe-1833.deltaker-1"
    )
    assert refusal(DayAttendance, day=1, present=["x" * 201]) == "present.0: høyst 200 tegn, her 201"
    assert "er ikke en søknads-ID" in refusal(WithdrawGroupInput, actor="k", application_id="0301+", reason="r")
    assert refusal(OralAdjustment, participant_workflow_id=f"{GROUP}.deltaker-1", adjustment=10**30) == (
        "adjustment: kan være høyst 5"
    )
    assert shown("y" * 100) == "'" + "y" * 60 + "...'" and printable("a\u202eb") == "a\\u202eb"


def test_an_extension_deadline_needs_its_time_zone() -> None:
    assert "frist: tidspunktet må ha tidssone, f.eks. +02:00" == refusal(
        ExtensionInput, actor="kari", number=1, deadline=datetime(2022, 10, 1)
    )
    assert ExtensionInput(actor="kari", number=1, deadline=datetime(2022, 10, 1, tzinfo=UTC)).deadline.year == 2022


def test_each_broken_rule_is_a_problem_by_code_with_its_field_and_limits() -> None:
    with pytest.raises(ValidationError) as caught:
        WithdrawParticipantInput.model_validate({"actor": "k" * 101, "reason": "r\x1b", "extra": 1})
    assert problems(caught.value) == [
        Problem("validation.text_too_long", {"field": "actor", "max_length": 100, "length": 101}),
        Problem("validation.control_character", {"field": "reason", "character": "U+001B (ESC)", "position": 2}),
        Problem("validation.extra_forbidden", {"field": "extra"}),
    ]
