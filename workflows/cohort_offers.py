"""The cohort's offers of a place: the answer deadline an offer gets, the municipality's "Takk ja" / "Takk nei" and
its giving up the place itself, and the deadline passing unanswered; a place given up goes to the first on the
waiting list (domain/offers.py). A mixin of CohortWorkflow, which holds the state, the effects and the main loop."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from domain.calendar import DueItem
    from domain.lifecycle import IN_PROGRAMME, CohortStage, Outcome
    from domain.models import CohortPlan
    from domain.offers import Answer, PlaceEnd, answer_deadline, answer_problem, give_up_problem, move_up
    from domain.refusals import Problem
    from workflows import notices as n
    from workflows.effects import Effects
    from workflows.offer_messages import AnswerOfferInput, GiveUpPlaceInput, OfferResult
    from workflows.refusing import refuse
    from workflows.state import ApplicationRecord, CohortState


def open_offers(state: CohortState) -> dict[int, datetime]:
    """The answer deadlines of the offers not yet answered, by the application's number (its place in the list)."""
    return {
        number: record.answer_by
        for number, record in enumerate(state.applications, 1)
        if record.answer_by is not None and record.answered is None and record.outcome in IN_PROGRAMME
    }


class CohortOffers:
    plan: CohortPlan
    state: CohortState
    effects: Effects

    # provided by CohortWorkflow
    _record_of: Callable[[str], ApplicationRecord]
    _set_outcome: Callable[..., None]
    _audit: Callable[..., None]

    def _offer(self, record: ApplicationRecord, at: datetime) -> None:
        """An offer made at `at` (the selection's confirmation, a move-up): its answer deadline, before its letter."""
        record.answer_by, record.answered = answer_deadline(at, self.plan), None

    def _give_up(self, record: ApplicationRecord, ended_by: PlaceEnd, at: datetime) -> str | None:
        """The place (or the place on the waiting list) given up; returns the application that moves up, if one."""
        was = record.outcome
        self.state.waitlist = [i for i in self.state.waitlist if i != record.id]
        self._set_outcome(record, Outcome.GAVE_UP, ended_by)
        step = move_up(was, self.state.waitlist, self.state.waitlist_closed)
        self.state.waitlist = step.waitlist
        if step.moved_up is not None:
            moved = self._record_of(step.moved_up)
            self._offer(moved, at)
            self._set_outcome(moved, Outcome.MOVED_UP)
        return step.moved_up

    def _expire_offer(self, item: DueItem) -> None:
        """An answer deadline's timer fired: the offer it was for, still open, is lost; decided by the timer's item,
        not by the clock."""
        record = self.state.applications[item.number - 1]
        if record.outcome in IN_PROGRAMME and record.answered is None and record.answer_by == item.at:
            self._give_up(record, PlaceEnd.NO_ANSWER, item.at)

    # ---- the municipality's answer ---------------------------------------------------------------
    @workflow.update
    def answer_offer(self, input: AnswerOfferInput) -> OfferResult:
        record = self._record_of(input.application_id)
        record.answered = input.answer
        moved_up = None
        if input.answer == Answer.ACCEPT:
            if record.contact is not None:
                first = self.plan.gatherings[0].start
                notice = n.OfferAccepted(
                    cohort=self.plan.cohort, municipalities=record.municipalities, first_gathering=first
                )
                self.effects.notice(f"offer:{record.id}:accepted", notice, [record.contact])
            self.effects.changed()
        else:
            moved_up = self._give_up(record, PlaceEnd.DECLINED, workflow.now())
        self._audit(input.actor, "answer_offer", application=record.id, answer=input.answer.value, moved_up=moved_up)
        return _result(record, moved_up)

    @answer_offer.validator
    def _validate_answer_offer(self, input: AnswerOfferInput) -> None:
        record = self._record_of(input.application_id)
        _refuse(answer_problem(record.outcome, record.answer_by, record.answered, workflow.now()))

    @workflow.update
    def give_up_place(self, input: GiveUpPlaceInput) -> OfferResult:
        record = self._record_of(input.application_id)
        open_offer = record.answered is None and record.answer_by is not None
        moved_up = self._give_up(record, PlaceEnd.DECLINED if open_offer else PlaceEnd.GAVE_UP, workflow.now())
        self._audit(input.actor, "give_up_place", application=record.id, moved_up=moved_up)
        return _result(record, moved_up)

    @give_up_place.validator
    def _validate_give_up_place(self, input: GiveUpPlaceInput) -> None:
        if self.state.stage != CohortStage.RUNNING:
            refuse("cohort.withdraw_not_running", stage=self.state.stage.value)
        record = self._record_of(input.application_id)
        _refuse(give_up_problem(record.outcome, workflow.now(), self.plan))


def _refuse(problem: Problem | None) -> None:
    if problem is not None:
        refuse(problem.code, **problem.params)


def _result(record: ApplicationRecord, moved_up: str | None) -> OfferResult:
    return OfferResult(application_id=record.id, outcome=record.outcome, answered=record.answered, moved_up=moved_up)
