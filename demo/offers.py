"""The offers of a place answered, until none is open: the contact of an application handed in on the web answers on
the web, with the bearer token it applied with (demo/web_apply.py), the administration answers the rest as the
municipalities tell it. The scenario's `declines_offer` says "Takk nei", which moves the waiting list; every other
offer is accepted. A rerun of the demo has no tokens left (they are not saved): the administration answers then."""

from __future__ import annotations

from demo.player import IN_PROGRAMME, Player
from demo.web_apply import WebApplicant
from domain.offers import Answer
from workflows.cohort import CohortWorkflow
from workflows.ids import cohort_workflow_id
from workflows.messages import ApplicationRecord
from workflows.offer_messages import AnswerOfferInput


class OfferAnswers(Player):
    web_applicant: WebApplicant | None = None  # some applications through the web app's API (demo/web_apply.py)

    async def answer_offers(self) -> None:
        """Each open offer answered once; a decline's move-up opens another, answered in the next round (the one
        the scenario gives up is withdrawn by the administration instead)."""
        giving_up = self.script.give_up.application if self.script.give_up else None
        tried: set[str] = set()
        while waiting := [r for r in await self._open_offers() if r.id not in tried and r.id != giving_up]:
            for record in waiting:
                tried.add(record.id)
                given = Answer.DECLINE if record.id == self.script.declines_offer else Answer.ACCEPT
                if not await self._answer_on_the_web(record.id, given):
                    await self._answer_at_the_office(record.id, given)

    async def _open_offers(self) -> list[ApplicationRecord]:
        return [
            record
            for record in (await self.overview()).applications
            if record.answer_by is not None and record.answered is None and record.outcome in IN_PROGRAMME
        ]

    async def _answer_on_the_web(self, application_id: str, given: Answer) -> bool:
        """As the contact who applied, through the web app's API; False (and why) leaves it to the administration,
        unless the cohort took the answer before the connection failed."""
        web = self.web_applicant
        if web is None or application_id not in web.tokens:
            return False
        try:
            moved_up = await web.answer(application_id, given)
        except (RuntimeError, OSError) as error:
            if application_id not in {r.id for r in await self._open_offers()}:
                self.say(f"  {application_id} answered its offer on the web ({given.value}); the page said: {error}")
                return True
            self.say(f"  not answered on the web ({error}); the administration answers for {application_id}")
            return False
        self.say(f"  {application_id} {_said(given)} its offer on the web as its contact{_moved(moved_up)}")
        return True

    async def _answer_at_the_office(self, application_id: str, given: Answer) -> None:
        action = AnswerOfferInput(actor=self.script.actors.admin, application_id=application_id, answer=given)
        result = await self.act(cohort_workflow_id(self.cohort), CohortWorkflow.answer_offer, action)
        if result is not None and given == Answer.DECLINE:
            self.say(f"  {application_id} declined its offer through the administration{_moved(result.moved_up)}")


def _said(given: Answer) -> str:
    return "accepted" if given == Answer.ACCEPT else "declined"


def _moved(moved_up: str | None) -> str:
    return f"; moved up: {moved_up}" if moved_up is not None else ""
