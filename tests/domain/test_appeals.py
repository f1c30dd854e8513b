"""The appeal rules: the window, who may appeal, new examiners, and the combined grade after a new assessment."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from domain.end_of_year.appeals import (
    OSLO,
    AppealFacts,
    ResitAppealFacts,
    appeal_deadline,
    appeal_refusal,
    counted_before,
    counting,
    latest_decided_attempt,
    needs_new_oral,
    new_oral_refusal,
    outcome_with_oral,
    outcome_without_oral,
    resit_appeal_refusal,
    withdrawal_refusal,
)
from domain.models import Grade, Track
from domain.refusals import Refusal

RELEASED = datetime(2023, 6, 9, 10, 0, tzinfo=UTC)
THREE_WEEKS = 21 * 86400.0


def facts(**changes: object) -> AppealFacts:
    values: dict[str, object] = {
        "track": Track.STUDENT,
        "final_grade": Grade.C,
        "released_at": RELEASED,
        "appealed_before": False,
    }
    return AppealFacts.model_validate(values | changes)


def oslo(year: int, month: int, day: int, hour: int, minute: int, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=OSLO)


def test_the_deadline_is_the_end_of_the_last_day_in_oslo() -> None:
    """Released at 14:00: three weeks later, the whole of that day, as the letter states it."""
    released = oslo(2023, 6, 9, 14, 0)
    assert appeal_deadline(released, THREE_WEEKS) == oslo(2023, 6, 30, 23, 59, 59)
    assert appeal_deadline(RELEASED, THREE_WEEKS) == oslo(2023, 6, 30, 23, 59, 59)  # 10:00 UTC is 12:00 in Oslo


def test_the_deadline_keeps_its_day_across_a_change_to_summer_time() -> None:
    """Released at 23:30 on 10 March 2025; summer time begins on 30 March: still the end of 31 March, not of 1 April
    (21 x 24 hours from 23:30 CET would be 00:30 CEST the day after)."""
    released = oslo(2025, 3, 10, 23, 30)
    deadline = appeal_deadline(released, THREE_WEEKS)
    assert deadline == oslo(2025, 3, 31, 23, 59, 59)
    assert deadline.utcoffset() == timedelta(hours=2)  # summer time by then
    autumn = appeal_deadline(oslo(2025, 10, 10, 0, 30), THREE_WEEKS)  # winter time begins on 26 October
    assert autumn == oslo(2025, 10, 31, 23, 59, 59) and autumn.utcoffset() == timedelta(hours=1)


def test_an_appeal_at_15_on_the_last_day_is_in_time_after_midnight_it_is_not() -> None:
    released = oslo(2023, 6, 9, 14, 0)
    assert appeal_refusal(facts(released_at=released), oslo(2023, 6, 30, 15, 0), THREE_WEEKS) is None
    assert appeal_refusal(facts(released_at=released), oslo(2023, 6, 30, 23, 59, 59), THREE_WEEKS) is None
    late = appeal_refusal(facts(released_at=released), oslo(2023, 7, 1, 0, 0), THREE_WEEKS)
    assert late is not None and late.dump() == [
        {"code": "appeal.deadline_passed", "params": {"deadline": "2023-06-30T23:59:59+02:00"}}
    ]
    assert str(late) == "Klagefristen 30.06.2023 kl. 23:59 er passert"


def test_an_appeal_received_in_time_is_accepted_however_late_it_is_registered() -> None:
    registered = oslo(2023, 7, 20, 9, 0)  # weeks after the deadline
    assert appeal_refusal(facts(), registered, THREE_WEEKS, received=date(2023, 6, 30)) is None
    assert appeal_refusal(facts(), registered, THREE_WEEKS, received=date(2023, 6, 9)) is None  # the release's day


@pytest.mark.parametrize(
    ("received", "reason"),
    [
        (date(2023, 7, 1), "Klagen ble mottatt 01.07.2023, etter klagefristen 30.06.2023 kl. 23:59"),
        (
            date(2023, 7, 21),
            "Mottatt-datoen 21.07.2023 er fram i tid; oppgi dagen klagen kom inn",
        ),
        (
            date(2023, 6, 8),
            "Mottatt-datoen 08.06.2023 er før resultatet ble publisert 09.06.2023; oppgi dagen klagen kom inn",
        ),
    ],
)
def test_a_received_day_late_in_the_future_or_before_the_release_is_refused(received: date, reason: str) -> None:
    refusal = appeal_refusal(facts(), oslo(2023, 7, 20, 9, 0), THREE_WEEKS, received=received)
    assert refusal is not None and str(refusal) == reason


def test_an_appeal_may_be_withdrawn_until_it_is_decided_and_once() -> None:
    assert withdrawal_refusal(decided=False, withdrawn=False) is None
    decided = withdrawal_refusal(decided=True, withdrawn=False)
    assert decided is not None and str(decided) == "Klagen er avgjort og kan ikke lenger trekkes tilbake"
    again = withdrawal_refusal(decided=False, withdrawn=True)
    assert again is not None and str(again) == "Klagen er trukket tilbake; karakteren står som før"


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"track": Track.COURSE, "final_grade": None}, "En kursdeltaker får ikke karakter og har ingenting å klage på"),
        ({"final_grade": None}, "Det er ingen karakter å klage på"),
        ({"appealed_before": True}, "Personen har allerede klaget, og resultatet av en klage er endelig"),
        ({"released_at": None}, "Resultatene er ikke publisert ennå"),
    ],
)
def test_who_may_not_appeal_is_refused_by_name(changes: dict[str, object], reason: str) -> None:
    assert str(appeal_refusal(facts(**changes), RELEASED, THREE_WEEKS)) == reason


def test_a_failed_student_may_appeal() -> None:
    assert appeal_refusal(facts(final_grade=Grade.F), RELEASED, THREE_WEEKS) is None


def test_the_same_written_grade_keeps_the_combined_grade() -> None:
    outcome = outcome_without_oral(Grade.C, Grade.B, Grade.C)
    assert (outcome.written_grade, outcome.final_grade, outcome.credits) == (Grade.C, Grade.B, 30)
    assert not needs_new_oral(Grade.C, Grade.C)


def test_a_changed_written_grade_needs_a_new_oral_within_the_step_limit() -> None:
    assert needs_new_oral(Grade.C, Grade.B)
    with pytest.raises(Refusal, match="^Den skriftlige karakteren er endret fra C til B; en ny muntlig justering"):
        outcome_without_oral(Grade.C, Grade.B, Grade.B)
    beyond = new_oral_refusal(Grade.B, 2, 1)
    assert beyond is not None and beyond.code == "grading.beyond_step_limit"
    assert str(beyond) == "Den muntlige eksamenen kan flytte karakteren høyst 1 trinn, ikke +2"
    outcome = outcome_with_oral(Grade.B, 1, 1)
    assert (outcome.written_grade, outcome.final_grade, outcome.credits) == (Grade.B, Grade.A, 30)


def test_a_new_written_f_is_final_without_oral_and_gives_no_credits() -> None:
    assert not needs_new_oral(Grade.E, Grade.F)
    outcome = outcome_without_oral(Grade.E, Grade.D, Grade.F)
    assert (outcome.final_grade, outcome.credits) == (Grade.F, 0)


def test_a_written_f_raised_by_the_appeal_gets_an_oral() -> None:
    assert needs_new_oral(Grade.F, Grade.E)
    assert outcome_with_oral(Grade.E, 0, 1).final_grade == Grade.E


# ---- an appeal of a re-sit's grade --------------------------------------------------------------
RESIT_DECIDED = datetime(2023, 9, 1, 12, 0, tzinfo=UTC)  # 14:00 in Oslo


def resit_facts(**changes: object) -> ResitAppealFacts:
    values: dict[str, object] = {
        "track": Track.STUDENT,
        "attempt": 2,
        "decided_at": RESIT_DECIDED,
        "appealed_before": False,
    }
    return ResitAppealFacts.model_validate(values | changes)


def test_a_decided_resit_may_be_appealed_until_the_end_of_its_windows_last_day_in_oslo() -> None:
    last = oslo(2023, 9, 22, 23, 59, 59)
    assert resit_appeal_refusal(resit_facts(), last, THREE_WEEKS) is None
    late = resit_appeal_refusal(resit_facts(), last + timedelta(seconds=1), THREE_WEEKS)
    assert late is not None and late.code == "appeal.deadline_passed"
    assert late.problems[0].params["deadline"] == last.isoformat()


def test_the_resit_window_runs_from_its_decision_not_the_release() -> None:
    """Months after the ordinary release, the re-sit's own window is open."""
    assert resit_appeal_refusal(resit_facts(), RESIT_DECIDED + timedelta(days=20), THREE_WEEKS) is None


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"decided_at": None}, "appeal.no_decided_attempt"),
        ({"appealed_before": True}, "appeal.attempt_appealed"),
        ({"track": Track.COURSE}, "appeal.course_participant"),
        ({"later_attempt": True}, "appeal.later_attempt"),
    ],
)
def test_a_resit_appeal_is_refused(changes: dict[str, object], code: str) -> None:
    refusal = resit_appeal_refusal(resit_facts(**changes), RESIT_DECIDED, THREE_WEEKS)
    assert refusal is not None and refusal.code == code


def test_no_decided_attempt_names_the_attempt_in_norwegian() -> None:
    refusal = resit_appeal_refusal(resit_facts(attempt=3, decided_at=None), RESIT_DECIDED, THREE_WEEKS)
    assert refusal is not None and "forsøk 3" in str(refusal)


def test_a_resit_appeal_received_by_the_administration_is_checked_against_the_resit_decision() -> None:
    later = RESIT_DECIDED + timedelta(days=40)
    assert resit_appeal_refusal(resit_facts(), later, THREE_WEEKS, received=date(2023, 9, 22)) is None
    late = resit_appeal_refusal(resit_facts(), later, THREE_WEEKS, received=date(2023, 9, 23))
    assert late is not None and late.code == "appeal.received_late"
    early = resit_appeal_refusal(resit_facts(), later, THREE_WEEKS, received=date(2023, 8, 31))
    assert early is not None and early.code == "appeal.received_before_release"


def test_the_latest_decided_attempt_is_appealed_unless_one_is_named() -> None:
    assert latest_decided_attempt([]) == 1
    assert latest_decided_attempt([2, 3]) == 3


@pytest.mark.parametrize(
    ("before", "attempt_after", "counts"),
    [
        (Grade.F, Grade.C, Grade.C),  # the re-sit's F appealed to a C: C counts
        (Grade.D, Grade.E, Grade.D),  # the appeal lowers the attempt below the grade before it: the best counts
        (Grade.F, Grade.F, Grade.F),
        (None, Grade.B, Grade.B),  # a postponed exam after a valid absence: no grade before it
    ],
)
def test_after_a_resit_appeal_the_best_grade_counts(before: Grade | None, attempt_after: Grade, counts: Grade) -> None:
    attempt = outcome_without_oral(Grade.F, Grade.F, Grade.F) if attempt_after == Grade.F else None
    attempt = attempt or outcome_with_oral(attempt_after, 0, 1)
    result = counting(attempt, before)
    assert (result.attempt_grade, result.final_grade) == (attempt_after, counts)
    assert result.credits == (0 if counts == Grade.F else 30)


def test_while_a_resit_appeal_waits_the_resits_best_grade_counts() -> None:
    assert counted_before(Grade.E, Grade.F) == Grade.E
    assert counted_before(Grade.F, Grade.D) == Grade.D
    assert counted_before(Grade.C, None) == Grade.C
