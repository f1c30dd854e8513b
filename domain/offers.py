"""Answering an offer of a place (issue 20, item 2): an admitted or moved-up municipality accepts or declines by the
plan's answer deadline; a decline, no answer by the deadline, or giving the place up moves the waiting list.

Pure functions of the plan and the facts the cohort keeps; the cohort workflow (workflows/cohort_offers.py) acts on
them when a municipality answers or when the deadline's timer fires."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from enum import StrEnum

from domain.lifecycle import IN_PROGRAMME, Outcome
from domain.models import CohortPlan, Strict
from domain.refusals import Problem


class Answer(StrEnum):
    ACCEPT = "accept"  # "Takk ja"
    DECLINE = "decline"  # "Takk nei"


class PlaceEnd(StrEnum):
    """Why a place was given up: the letter the group gets says which."""

    GAVE_UP = "gave_up"  # given up after it was accepted (or by the administration)
    DECLINED = "declined"  # the offer answered "Takk nei"
    NO_ANSWER = "no_answer"  # no answer by the answer deadline


def answer_deadline(offered_at: datetime, plan: CohortPlan) -> datetime | None:
    """The plan's answer time after the offer, never after the first gathering; None when the offer comes at or
    after the first gathering's start (there is no time to answer and nobody left to move up) or when the plan asks no
    answer: the place stands."""
    if plan.offer_answer_seconds is None:
        return None
    first = plan.gatherings[0].start
    deadline = min(offered_at + timedelta(seconds=plan.offer_answer_seconds), first)
    return deadline if deadline > offered_at else None


def answer_problem(
    outcome: Outcome, answer_by: datetime | None, answered: Answer | None, now: datetime
) -> Problem | None:
    """Why an answer cannot be given now, or None: only an open offer (admitted or moved up, not yet answered, its
    deadline not passed) takes an answer."""
    if outcome not in IN_PROGRAMME or answer_by is None:
        return Problem("offer.no_open_offer", {"outcome": outcome.value})
    if answered is not None:
        return Problem("offer.already_answered", {"answer": answered.value})
    if now >= answer_by:
        return Problem("offer.deadline_passed", {"deadline": answer_by.isoformat()})
    return None


def give_up_problem(outcome: Outcome, now: datetime, plan: CohortPlan) -> Problem | None:
    """A municipality gives up its own place only before the first gathering (later the administration does, as a
    withdrawal of the group); an offer still open is answered with "Takk nei" instead."""
    if outcome not in IN_PROGRAMME:
        return Problem("offer.no_place", {"outcome": outcome.value})
    if now >= plan.gatherings[0].start:
        return Problem("offer.first_gathering_begun", {"start": plan.gatherings[0].start.isoformat()})
    return None


class MoveUp(Strict):
    """What giving up a place does to the waiting list."""

    moved_up: str | None  # the application that gets the place
    waitlist: list[str]  # the waiting list after


def move_up(outcome: Outcome, waitlist: Sequence[str], waitlist_closed: bool) -> MoveUp:
    """A place given up (declined, unanswered, given up) goes to the first on the open waiting list; a waiting
    application that gives up only leaves the list."""
    if outcome == Outcome.WAITLIST or waitlist_closed or not waitlist:
        return MoveUp(moved_up=None, waitlist=list(waitlist))
    return MoveUp(moved_up=waitlist[0], waitlist=list(waitlist[1:]))
