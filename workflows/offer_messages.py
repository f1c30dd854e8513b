"""The messages of answering an offer of a place (workflows/cohort_offers.py): the municipality's answer, its giving
up the place, and what either did."""

from __future__ import annotations

from domain.lifecycle import Outcome
from domain.models import Strict
from domain.offers import Answer
from domain.text import ApplicationId
from workflows.messages import AdminAction


class AnswerOfferInput(AdminAction):
    """The municipality's "Takk ja" or "Takk nei" to its offer of a place (domain/offers.py)."""

    application_id: ApplicationId
    answer: Answer


class GiveUpPlaceInput(AdminAction):
    """The municipality gives up its own place, before the first gathering."""

    application_id: ApplicationId


class OfferResult(Strict):
    application_id: str
    outcome: Outcome
    answered: Answer | None = None
    moved_up: str | None = None
