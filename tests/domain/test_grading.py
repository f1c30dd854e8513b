import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.grading import SCALE, adjustment_refusal, combine, final_result
from domain.models import Grade, Track
from domain.refusals import Refusal


@pytest.mark.parametrize(
    ("written", "adjustment", "expected"),
    [
        (Grade.C, 1, Grade.B),
        (Grade.C, -1, Grade.D),
        (Grade.C, 0, Grade.C),
        (Grade.E, -1, Grade.F),
        (Grade.A, 0, Grade.A),
    ],
)
def test_oral_moves_the_written_grade(written: Grade, adjustment: int, expected: Grade) -> None:
    assert combine(written, adjustment, step_limit=1) == expected


@pytest.mark.parametrize(
    ("written", "adjustment", "code", "said"),
    [
        (
            Grade.C,
            2,
            "grading.beyond_step_limit",
            "Den muntlige eksamenen kan flytte karakteren høyst 1 trinn, ikke +2",
        ),
        (Grade.F, 1, "grading.written_f_final", "F på den skriftlige oppgaven er endelig og justeres ikke"),
        (Grade.A, 1, "grading.beyond_scale", "Karakteren A kan ikke flyttes +1 trinn"),
    ],
)
def test_forbidden_adjustments_are_refused_with_reason(written: Grade, adjustment: int, code: str, said: str) -> None:
    with pytest.raises(Refusal) as refused:
        combine(written, adjustment, step_limit=1)
    assert (refused.value.code, str(refused.value)) == (code, said)


@given(st.sampled_from(SCALE), st.integers(-3, 3), st.integers(0, 2))
def test_combined_grade_never_moves_beyond_the_step_limit(written: Grade, adjustment: int, limit: int) -> None:
    if adjustment_refusal(written, adjustment, limit) is None:
        result = combine(written, adjustment, limit)
        assert abs(SCALE.index(result) - SCALE.index(written)) <= limit
        assert written != Grade.F or result == Grade.F
    else:
        with pytest.raises(Refusal):
            combine(written, adjustment, limit)


def test_student_with_passing_grade_gets_30_credits_and_transcript() -> None:
    result = final_result(Track.STUDENT, True, Grade.E)
    assert (result.grade, result.credits, result.certificate) == (Grade.E, 30, "transcript")


def test_student_with_f_gets_no_credits() -> None:
    assert final_result(Track.STUDENT, True, Grade.F).credits == 0


def test_course_participant_gets_certificate_only_when_complete_and_never_a_grade() -> None:
    assert final_result(Track.COURSE, True, Grade.B).model_dump() == {
        "grade": None,
        "credits": 0,
        "certificate": "course_certificate",
    }
    assert final_result(Track.COURSE, False, None).certificate is None
