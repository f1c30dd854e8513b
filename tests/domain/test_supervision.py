"""The supervision rules without Temporal (domain/supervision.py)."""

from __future__ import annotations

from datetime import date

import pytest

from domain.refusals import Refusal
from domain.supervision import MEETINGS_MAX, NOTE_MAX, SupervisionMeeting, check_meeting, with_meeting

MEMBERS = {"kull-2022.gruppe-4204.deltaker-1", "kull-2022.gruppe-4204.deltaker-2"}
ONE = "kull-2022.gruppe-4204.deltaker-1"


def test_a_meeting_held_after_the_admission_by_members_passes_and_replaces_its_date() -> None:
    first = SupervisionMeeting(day=date(2022, 10, 3), present=[ONE, ONE], note="  Første møte  ")
    assert (first.present, first.note) == ([ONE], "Første møte")
    check_meeting(first, today=date(2022, 10, 3), admitted_on=date(2022, 9, 1), members=MEMBERS)
    later = SupervisionMeeting(day=date(2022, 11, 7), present=[ONE])
    corrected = first.model_copy(update={"note": "Rettet"})
    assert with_meeting(with_meeting([later], first), corrected) == [corrected, later]


@pytest.mark.parametrize(
    ("day", "present", "code"),
    [
        (date(2022, 10, 4), [ONE], "group.supervision_in_future"),
        (date(2022, 8, 31), [ONE], "group.supervision_before_admission"),
        (date(2022, 10, 3), [], "group.supervision_nobody"),
        (date(2022, 10, 3), ["kull-2022.gruppe-4204.deltaker-7"], "group.supervision_not_members"),
    ],
)
def test_a_meeting_that_cannot_be_is_refused_by_code(day: date, present: list[str], code: str) -> None:
    with pytest.raises(Refusal) as refused:
        check_meeting(SupervisionMeeting(day=day, present=present), date(2022, 10, 3), date(2022, 9, 1), MEMBERS)
    assert refused.value.code == code


def test_a_long_note_is_refused() -> None:
    with pytest.raises(ValueError, match="høyst 1000 tegn"):
        SupervisionMeeting(day=date(2022, 10, 3), present=[ONE], note="x" * (NOTE_MAX + 1))


def test_one_meeting_more_than_the_most_is_refused_but_a_correction_is_not() -> None:
    held = [date.fromordinal(date(2022, 9, 1).toordinal() + i) for i in range(MEETINGS_MAX)]
    new, again = (
        SupervisionMeeting(day=date(2022, 12, 1), present=[ONE]),
        SupervisionMeeting(day=held[0], present=[ONE]),
    )
    with pytest.raises(Refusal) as refused:
        check_meeting(new, date(2022, 12, 1), date(2022, 9, 1), MEMBERS, held)
    assert str(refused.value) == "Gruppen har allerede 40 veiledningsmøter registrert; det er det meste"
    check_meeting(again, date(2022, 12, 1), date(2022, 9, 1), MEMBERS, held)
