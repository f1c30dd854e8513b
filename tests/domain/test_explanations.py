"""The begrunnelse rules: the window to ask, the due date, who writes it, and the appeal deadline after it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from domain.end_of_year.appeals import OSLO, AppealFacts, appeal_refusal
from domain.end_of_year.explanations import (
    TEXT_MAX,
    ExplanationFacts,
    appeal_deadline_after,
    appeal_window_start,
    due,
    give_refusal,
    request_refusal,
    text_refusal,
)
from domain.models import Grade, Track

RELEASED = datetime(2023, 6, 9, 12, 0, tzinfo=UTC)  # a Friday, 14:00 in Oslo
ONE_WEEK = 7 * 86400.0
TWO_WEEKS = 14 * 86400.0
THREE_WEEKS = 21 * 86400.0


def facts(**changes: object) -> ExplanationFacts:
    values: dict[str, object] = {
        "track": Track.STUDENT,
        "final_grade": Grade.C,
        "released_at": RELEASED,
        "asked_before": False,
    }
    return ExplanationFacts.model_validate(values | changes)


def code(refusal: object) -> str | None:
    return getattr(refusal, "code", None)


def test_the_window_ends_with_the_last_day_one_week_after_the_release() -> None:
    late_on_last_day = datetime(2023, 6, 16, 23, 0, tzinfo=OSLO)
    assert request_refusal(facts(), late_on_last_day, ONE_WEEK) is None
    refusal = request_refusal(facts(), late_on_last_day + timedelta(hours=1), ONE_WEEK)
    assert code(refusal) == "explanation.deadline_passed"
    assert refusal is not None and str(refusal) == "Fristen for å be om begrunnelse, 16.06.2023 kl. 23:59, er passert"


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"asked_before": True}, "explanation.already_asked"),
        ({"track": Track.COURSE, "final_grade": None}, "explanation.course_participant"),
        ({"final_grade": None}, "explanation.no_grade"),
        ({"released_at": None}, "explanation.not_released"),
    ],
)
def test_who_may_not_ask(changes: dict[str, object], expected: str) -> None:
    assert code(request_refusal(facts(**changes), RELEASED, ONE_WEEK)) == expected


def test_a_request_received_in_the_window_counts_however_late_it_is_registered() -> None:
    a_month_later = RELEASED + timedelta(days=30)
    assert request_refusal(facts(), a_month_later, ONE_WEEK, received=date(2023, 6, 16)) is None
    late = request_refusal(facts(), a_month_later, ONE_WEEK, received=date(2023, 6, 17))
    assert code(late) == "explanation.received_late"
    early = request_refusal(facts(), a_month_later, ONE_WEEK, received=date(2023, 6, 8))
    assert code(early) == "explanation.received_before_release"
    future = request_refusal(facts(), RELEASED, ONE_WEEK, received=date(2023, 6, 10))
    assert code(future) == "explanation.received_in_future"


def test_the_begrunnelse_is_due_at_the_end_of_the_day_two_weeks_after_the_request() -> None:
    assert due(RELEASED, TWO_WEEKS) == datetime(2023, 6, 23, 23, 59, 59, tzinfo=OSLO)


def test_only_an_examiner_of_the_group_writes_it_once_and_with_words() -> None:
    examiners = ["sensor1", "sensor2"]
    assert give_refusal(examiners, "sensor2", False) is None
    assert code(give_refusal(examiners, "laerer", False)) == "explanation.not_examiner"
    assert code(give_refusal(examiners, "sensor1", True)) == "explanation.already_given"
    assert text_refusal("Oppgaven drøfter ...") is None
    assert code(text_refusal("  \n")) == "explanation.text_missing"
    assert code(text_refusal("x" * (TEXT_MAX + 1))) == "explanation.text_too_long"


def test_the_appeal_window_runs_from_the_later_of_release_and_begrunnelse() -> None:
    given = RELEASED + timedelta(days=10)
    assert appeal_window_start(RELEASED, True, given, given + timedelta(days=1)) == given
    assert appeal_window_start(RELEASED, False, None, given) == RELEASED
    assert appeal_deadline_after(RELEASED, given, THREE_WEEKS) == datetime(2023, 7, 10, 23, 59, 59, tzinfo=OSLO)
    # asked and not yet given: the window has not begun, so an appeal today is in time
    assert appeal_window_start(RELEASED, True, None, given) == given


def test_an_appeal_after_three_weeks_from_release_is_in_time_when_a_begrunnelse_came_later() -> None:
    appeal_facts = AppealFacts(track=Track.STUDENT, final_grade=Grade.C, released_at=RELEASED, appealed_before=False)
    given = RELEASED + timedelta(days=10)
    four_weeks_after_release = RELEASED + timedelta(days=28)
    refused = appeal_refusal(appeal_facts, four_weeks_after_release, THREE_WEEKS)
    assert code(refused) == "appeal.deadline_passed"
    later = appeal_facts.model_copy(update={"window_from": appeal_window_start(RELEASED, True, given, RELEASED)})
    assert appeal_refusal(later, four_weeks_after_release, THREE_WEEKS) is None
    assert code(appeal_refusal(later, given + timedelta(days=22), THREE_WEEKS)) == "appeal.deadline_passed"
    received = appeal_refusal(later, given + timedelta(days=40), THREE_WEEKS, received=date(2023, 7, 10))
    assert received is None
    assert appeal_deadline_after(RELEASED, given, THREE_WEEKS).astimezone(UTC).date() == date(2023, 7, 10)
