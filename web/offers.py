"""What a group's page says about its offer of a place (domain/offers.py): whether the municipality may still answer
"Takk ja" / "Takk nei", by when, and whether it may give up its place, from the cohort's record of the application
(the row the cohort writes, `Web.offer`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from domain.lifecycle import IN_PROGRAMME
from domain.models import CohortPlan
from domain.offers import Answer, answer_problem, give_up_problem
from gateway.accounts import Account
from gateway.commands import ANSWER_OFFER, GIVE_UP_PLACE
from gateway.messages import GroupDetail
from web.state import Web


@dataclass(frozen=True)
class OfferView:
    answer_by: datetime | None
    answered: Answer | None
    can_answer: bool  # the offer is open and this account may answer it
    can_give_up: bool  # the place is held before the first gathering and this account may give it up


async def offer_view(web: Web, account: Account, detail: GroupDetail, plan: CohortPlan) -> OfferView | None:
    """The offer as the page shows it; None once it has nothing to say (no place, or the first gathering begun):
    then the cohort workflow is not asked."""
    now = datetime.now(UTC)
    if detail.outcome not in IN_PROGRAMME or now >= plan.gatherings[0].start:
        return None
    offer = await web.offer(detail)
    if offer is None:
        return None
    open_offer = answer_problem(offer.outcome, offer.answer_by, offer.answered, now) is None
    held = give_up_problem(offer.outcome, now, plan) is None
    return OfferView(
        answer_by=offer.answer_by,
        answered=offer.answered,
        can_answer=open_offer and ANSWER_OFFER.allows(account),
        can_give_up=held and not open_offer and GIVE_UP_PLACE.allows(account),
    )
