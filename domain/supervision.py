"""Supervision (veiledning) between the gatherings, as the study plan promises it: a meeting of the group with its
supervisor on a date, who of the members came, and a short note the group and the staff read.

A meeting is recorded once it has taken place: not in the future by the group's clock, not before the group was
admitted (the selection date), and with at least one active member present. Recording the same date again
corrects that meeting rather than adding a second one.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from pydantic import Field, field_validator

from domain.models import Strict
from domain.refusals import Refusal
from domain.text import MEMBERS_MAX, Feedback, WorkflowId

NOTE_MAX = 1000  # a short note: a few sentences, not a report
MEETINGS_MAX = 40  # a year's meetings, more than weekly: bounds the group's state (domain/text.py on why)


class SupervisionMeeting(Strict):
    day: date
    present: list[WorkflowId] = Field(max_length=MEMBERS_MAX)  # participant workflow IDs of the members who came
    note: Feedback | None = None

    @field_validator("note")
    @classmethod
    def _short(cls, note: str | None) -> str | None:
        if note is not None and len(note) > NOTE_MAX:
            raise ValueError(f"notatet kan ha høyst {NOTE_MAX} tegn")
        return note

    @field_validator("present")
    @classmethod
    def _each_once(cls, present: list[str]) -> list[str]:
        return list(dict.fromkeys(present))


def check_meeting(
    meeting: SupervisionMeeting, today: date, admitted_on: date, members: set[str], held: Sequence[date] = ()
) -> None:
    """Refuse (group.supervision_*) a meeting that has not taken place, predates the admission, names someone who
    is not an active member of the group, has nobody present, or would be one more than MEETINGS_MAX (`held`: the
    dates already recorded)."""
    if meeting.day not in held and len(held) >= MEETINGS_MAX:
        raise Refusal("group.supervision_too_many", most=MEETINGS_MAX)
    if meeting.day > today:
        raise Refusal("group.supervision_in_future", day=meeting.day.strftime("%d.%m.%Y"))
    if meeting.day < admitted_on:
        raise Refusal("group.supervision_before_admission", day=meeting.day.strftime("%d.%m.%Y"))
    if not meeting.present:
        raise Refusal("group.supervision_nobody")
    unknown = sorted(set(meeting.present) - members)
    if unknown:
        raise Refusal("group.supervision_not_members", participants=", ".join(unknown))


def with_meeting(meetings: list[SupervisionMeeting], meeting: SupervisionMeeting) -> list[SupervisionMeeting]:
    """The group's meetings by date, the given one in place of any recorded for the same date."""
    return sorted([m for m in meetings if m.day != meeting.day] + [meeting], key=lambda m: m.day)
