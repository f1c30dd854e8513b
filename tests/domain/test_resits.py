"""Re-sit rules without Temporal: who may sit again, the period, the attempt limit, and the best grade."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.models import Grade, Track
from domain.resits import ResitFacts, ResitPeriod, best, outcome, resit_kind, resit_refusal

RELEASED = datetime(2023, 6, 20, 10, tzinfo=UTC)
PERIOD = ResitPeriod(
    label="ny eksamen for kull 2022", start=RELEASED + timedelta(days=50), end=RELEASED + timedelta(days=80)
)


def facts(**changes: object) -> ResitFacts:
    base = ResitFacts(
        track=Track.STUDENT,
        grade=Grade.F,
        released_at=RELEASED,
        appeal_pending=False,
        attempts=1,
        resit_pending=False,
    )
    return base.model_copy(update=changes)


def test_a_failed_student_may_sit_again_until_the_period_ends() -> None:
    assert resit_refusal(facts(), PERIOD, RELEASED + timedelta(days=1)) is None
    assert resit_refusal(facts(attempts=2), PERIOD, PERIOD.end) is None
    late = resit_refusal(facts(), PERIOD, PERIOD.end + timedelta(seconds=1))
    assert late == "the re-sit period ny eksamen for kull 2022 ended 2023-09-08 12:00 (Europe/Oslo)"


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"track": Track.COURSE}, "a course participant gets no grade and sits no exam"),
        ({"released_at": None}, "the results have not been released yet"),
        ({"grade": None}, "there is no exam result: a re-sit follows a failed exam or a valid absence from the oral"),
        ({"grade": Grade.E}, "the exam is passed (E): a re-sit is for a failed exam"),
        ({"appeal_pending": True}, "an appeal of this grade is not decided yet: wait for its result"),
        ({"resit_pending": True}, "a re-sit is already registered and not decided"),
        ({"attempts": 3}, "the exam has been attempted 3 times: at most 3 attempts"),
    ],
)
def test_each_refusal_names_its_reason(changes: dict[str, object], reason: str) -> None:
    assert resit_refusal(facts(**changes), PERIOD, RELEASED) == reason


def test_a_valid_absence_from_the_oral_gives_a_postponed_exam_that_is_no_extra_attempt() -> None:
    absent = facts(grade=None, oral_absent=True, attempts=0)
    assert resit_refusal(absent, PERIOD, RELEASED) is None
    assert resit_kind(absent) == "postponed" and resit_kind(facts()) == "new"
    assert outcome(None, Grade.C, -1, 1).grade == Grade.D  # no grade before: the postponed oral's counts


def test_the_best_grade_counts() -> None:
    assert best(Grade.F, Grade.C) == best(Grade.C, Grade.F) == Grade.C
    assert outcome(Grade.F, Grade.C, 1, 1).model_dump() == {
        "written_grade": Grade.C,
        "attempt_grade": Grade.B,
        "grade": Grade.B,
        "credits": 30,
    }
    assert outcome(Grade.F, Grade.F, None, 1).model_dump() == {
        "written_grade": Grade.F,
        "attempt_grade": Grade.F,
        "grade": Grade.F,
        "credits": 0,
    }
    with pytest.raises(ValueError, match="a written C needs its oral adjustment"):
        outcome(Grade.F, Grade.C, None, 1)
