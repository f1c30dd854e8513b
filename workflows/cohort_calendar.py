"""The cohort's timers: the close of the waiting list at the first gathering, the open offers' answer deadlines and
every gathering's reminders, one timer each for all the groups (a group held its own before: about 11 history events
per reminder per group).
A mixin of CohortWorkflow, which holds the state, the effects and the main loop."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.gathering_reminders import GatheringRemindersInput, ReminderActivities
    from domain.calendar import CohortCalendarFacts, DueItem, DueKind, cohort_due_items, worth_sending
    from domain.lifecycle import IN_PROGRAMME, CohortStage, GroupStage, Outcome
    from domain.models import CohortPlan
    from workflows import notices as n
    from workflows.cohort_offers import open_offers
    from workflows.due_timer import DueTimer
    from workflows.state import ApplicationRecord, CohortState

WRITE_TIMEOUT = timedelta(minutes=2)  # a national cohort's letters (some 1,800) in one transaction
WAITING_FOR_SELECTION = frozenset({CohortStage.INTAKE, CohortStage.SELECTION_DRAWN})  # the waiting list is not yet told
NOT_REMINDED = frozenset({GroupStage.NO_EXAM, GroupStage.PUBLISHED})  # a group whose programme has ended


class CohortCalendar:
    plan: CohortPlan
    state: CohortState
    reminders: list[GatheringRemindersInput]  # written by the main loop's flush
    due_timer: DueTimer

    # provided by CohortWorkflow
    _work_pending: Callable[[], bool]
    _close_waitlist: Callable[[], None]
    _expire_offer: Callable[[DueItem], None]

    def _calendar(self) -> CohortCalendarFacts:
        open_places = [r for r in self.state.applications if r.outcome in (*IN_PROGRAMME, Outcome.WAITLIST)]
        return CohortCalendarFacts(
            waitlist_open=not self.state.waitlist_closed and self.state.stage not in WAITING_FOR_SELECTION,
            reminding=self.state.stage == CohortStage.RUNNING and any(not _done(r) for r in open_places),
            reminders_from=self.state.reminders_from,
            answer_deadlines=open_offers(self.state) if self.state.stage == CohortStage.RUNNING else {},
        )

    async def _wait_for_work_or_due_item(self, done: Callable[[], bool]) -> None:
        """Wait for work, for `done`, or for the next item's timer; when the timer fires, act on the items due by its
        moment, decided by the item whose timer fired, not by the clock."""
        items = cohort_due_items(self.plan, self._calendar(), set(self.state.reminded))
        batch = await self.due_timer.wait(items, lambda: done() or self._work_pending())
        # an offer expiring as the waiting list closes (its deadline at the first gathering) moves no one up
        for item in sorted(batch, key=lambda i: i.kind == DueKind.OFFER_EXPIRES):
            if item.kind == DueKind.WAITLIST_CLOSES:
                self._close_waitlist()
            elif item.kind == DueKind.OFFER_EXPIRES:
                self._expire_offer(item)
            else:
                self.state.reminded.append(item.key)
                if worth_sending(item, batch):
                    self._remind(item)

    def _remind(self, item: DueItem) -> None:
        groups = [
            r.group_workflow_id
            for r in self.state.applications
            if r.group_workflow_id and r.outcome in IN_PROGRAMME and not _done(r) and r.group_stage not in NOT_REMINDED
        ]
        if not groups:
            return
        gathering = self.plan.gatherings[item.number - 1]
        notice = n.GatheringAhead.of(self.plan.cohort, item.number, gathering, item.seconds_before)
        self.reminders.append(GatheringRemindersInput(event=item.key, notice=notice, groups=groups))

    async def _write_reminders(self) -> None:
        queued, self.reminders = self.reminders, []
        for reminder in queued:
            await workflow.execute_activity_method(
                ReminderActivities.write_gathering_reminders, reminder, start_to_close_timeout=WRITE_TIMEOUT
            )


def _done(record: ApplicationRecord) -> bool:
    return record.finished or record.released
