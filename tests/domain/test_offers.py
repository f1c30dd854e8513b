"""The rules of answering an offer of a place (domain/offers.py), without Temporal."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.catalogue import say
from domain.lifecycle import Outcome
from domain.offers import Answer, answer_deadline, answer_problem, give_up_problem, move_up
from tests.workflows.plans import plan_from

T0 = datetime(2026, 9, 1, 12, tzinfo=UTC)
DAY = 86400.0


def plan(answer_days: float = 14, first_gathering_day: float = 30):  # type: ignore[no-untyped-def]
    first = first_gathering_day * DAY
    return plan_from(
        T0,
        {
            "application_deadline": 1,
            "selection_date": 2,
            "written_deadline": first + 200 * DAY,
            "oral_start": first + 201 * DAY,
            "oral_end": first + 202 * DAY,
        },
        gathering_starts=[first + i * 10 * DAY for i in range(6)],
        requirement_deadlines=[first + 60 * DAY + i * DAY for i in range(4)],
        offer_answer_seconds=answer_days * DAY,
    )


def test_the_answer_deadline_is_the_plans_days_after_the_offer() -> None:
    assert answer_deadline(T0 + timedelta(days=2), plan()) == T0 + timedelta(days=16)


def test_the_answer_deadline_is_never_after_the_first_gathering() -> None:
    late_offer = T0 + timedelta(days=25)
    assert answer_deadline(late_offer, plan()) == T0 + timedelta(days=30)


def test_an_offer_at_or_after_the_first_gathering_asks_no_answer() -> None:
    assert answer_deadline(T0 + timedelta(days=30), plan()) is None
    assert answer_deadline(T0 + timedelta(days=31), plan()) is None


def test_an_open_offer_takes_an_answer_until_its_deadline() -> None:
    deadline = T0 + timedelta(days=14)
    assert answer_problem(Outcome.ADMITTED, deadline, None, deadline - timedelta(seconds=1)) is None
    assert answer_problem(Outcome.MOVED_UP, deadline, None, T0) is None
    passed = answer_problem(Outcome.ADMITTED, deadline, None, deadline)
    assert passed is not None and passed.code == "offer.deadline_passed"
    assert say(passed.code, passed.params) == "Svarfristen 15.09.2026 kl. 14:00 er passert"


def test_a_plan_may_ask_no_answer() -> None:
    assert answer_deadline(T0, plan().model_copy(update={"offer_answer_seconds": None})) is None


def test_no_answer_where_there_is_no_open_offer() -> None:
    waiting = answer_problem(Outcome.WAITLIST, None, None, T0)
    assert waiting is not None and say(waiting.code, waiting.params) == (
        "Det er ikke noe tilbud om plass å svare på (utfall: venteliste)"
    )
    no_deadline = answer_problem(Outcome.ADMITTED, None, None, T0)  # admitted at the first gathering: it stands
    assert no_deadline is not None and no_deadline.code == "offer.no_open_offer"
    twice = answer_problem(Outcome.ADMITTED, T0 + timedelta(days=1), Answer.ACCEPT, T0)
    assert twice is not None and say(twice.code, twice.params) == "Tilbudet er allerede besvart (takk ja)"


def test_a_municipality_gives_up_its_place_only_before_the_first_gathering() -> None:
    first = T0 + timedelta(days=30)
    assert give_up_problem(Outcome.ADMITTED, first - timedelta(seconds=1), plan()) is None
    begun = give_up_problem(Outcome.MOVED_UP, first, plan())
    assert begun is not None and begun.code == "offer.first_gathering_begun"
    assert "nå kan bare studieadministrasjonen trekke gruppen" in say(begun.code, begun.params)
    none = give_up_problem(Outcome.GAVE_UP, T0, plan())
    assert none is not None and say(none.code, none.params) == (
        "Det er ingen plass å gi fra seg (utfall: ga fra seg plassen)"
    )


def test_a_place_given_up_goes_to_the_first_on_the_open_waiting_list() -> None:
    step = move_up(Outcome.ADMITTED, ["4204", "1804"], waitlist_closed=False)
    assert (step.moved_up, step.waitlist) == ("4204", ["1804"])


def test_nobody_moves_up_once_the_list_is_closed_or_empty_or_for_a_waiting_application() -> None:
    assert move_up(Outcome.ADMITTED, ["4204"], waitlist_closed=True).moved_up is None
    assert move_up(Outcome.MOVED_UP, [], waitlist_closed=False).moved_up is None
    waiting = move_up(Outcome.WAITLIST, ["4204"], waitlist_closed=False)
    assert (waiting.moved_up, waiting.waitlist) == (None, ["4204"])
