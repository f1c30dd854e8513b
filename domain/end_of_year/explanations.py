"""Begrunnelse rules: who may ask for an explanation of their grade and until when, when the examiner's answer is
due, who writes it, and how it moves the appeal deadline.

A student may ask for a begrunnelse within the plan's window after the release (one week by default, as the
universities act has it); the administration may register a request it received by e-mail or letter with the day it
came. One of the examiners who graded the group writes it, normally within two weeks (a plan setting). The appeal
deadline then runs from the begrunnelse: the plan's appeal window counted from the later of the release and the
begrunnelse; while a begrunnelse is asked for and not given, the appeal window has not begun to run.
"""

from __future__ import annotations

from datetime import date, datetime

from domain.end_of_year.appeals import appeal_deadline, oslo_date
from domain.models import Grade, Strict, Track
from domain.refusals import Refusal

TEXT_MAX = 8000  # characters: a page or two, as a begrunnelse is


class ExplanationFacts(Strict):
    """What is known of one person when they ask for a begrunnelse."""

    track: Track
    final_grade: Grade | None
    released_at: datetime | None  # when the group's results were published; None before
    asked_before: bool  # this person has already asked for a begrunnelse of this grade


def last_moment(start: datetime, seconds: float) -> datetime:
    """The end (23:59:59, Oslo) of the day `seconds` after `start`: a window or a due date as a letter states it."""
    return appeal_deadline(start, seconds)


def request_refusal(
    facts: ExplanationFacts, now: datetime, window_seconds: float, received: date | None = None
) -> Refusal | None:
    """Why this person may not ask for a begrunnelse now, or None. `received`: the day the administration received
    the request (in time if that day is within the window, however late registered); None for the person's own."""
    if facts.asked_before:
        return Refusal("explanation.already_asked")
    if facts.track == Track.COURSE:
        return Refusal("explanation.course_participant")
    if facts.final_grade is None:
        return Refusal("explanation.no_grade")
    if facts.released_at is None:
        return Refusal("explanation.not_released")
    deadline = last_moment(facts.released_at, window_seconds)
    if received is None:
        return Refusal("explanation.deadline_passed", deadline=deadline.isoformat()) if now > deadline else None
    if received > oslo_date(now):
        return Refusal("explanation.received_in_future", received=received.isoformat())
    if received < oslo_date(facts.released_at):
        released = facts.released_at.isoformat()
        return Refusal("explanation.received_before_release", received=received.isoformat(), released=released)
    if received > deadline.date():
        return Refusal("explanation.received_late", received=received.isoformat(), deadline=deadline.isoformat())
    return None


def due(requested_at: datetime, due_seconds: float) -> datetime:
    """When the examiner's begrunnelse is due: the end of the day the plan's due time after the request."""
    return last_moment(requested_at, due_seconds)


def give_refusal(examiners: list[str], actor: str, given: bool) -> Refusal | None:
    """Why `actor` may not give this begrunnelse now, or None: once, by an examiner of the group."""
    if given:
        return Refusal("explanation.already_given")
    if actor not in examiners:
        return Refusal("explanation.not_examiner", actor=actor, examiners=", ".join(examiners) or "ingen")
    return None


def text_refusal(text: str) -> Refusal | None:
    """A begrunnelse has words, and no more than a page or two of them."""
    if not text.strip():
        return Refusal("explanation.text_missing")
    if len(text) > TEXT_MAX:
        return Refusal("explanation.text_too_long", most=TEXT_MAX, length=len(text))
    return None


def appeal_window_start(released_at: datetime, asked: bool, given_at: datetime | None, now: datetime) -> datetime:
    """Where the appeal window starts: the later of the release and the begrunnelse once given; while one is asked
    for and not given, it has not begun, so it starts no earlier than now; without a request, at the release."""
    if given_at is not None:
        return max(released_at, given_at)
    if asked:
        return max(released_at, now)
    return released_at


def appeal_deadline_after(released_at: datetime, given_at: datetime, appeal_seconds: float) -> datetime:
    """The appeal deadline a begrunnelse's letter states: the window counted from the later of release and it."""
    return appeal_deadline(max(released_at, given_at), appeal_seconds)
