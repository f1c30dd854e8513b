"""The appeal rules: the window, who may appeal, new examiners, and the combined grade after a new assessment."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.end_of_year.appeals import (
    AppealFacts,
    appeal_deadline,
    appeal_refusal,
    examiners_refusal,
    needs_new_oral,
    new_oral_refusal,
    outcome_with_oral,
    outcome_without_oral,
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


def test_a_student_with_a_grade_may_appeal_until_the_deadline_inclusive() -> None:
    deadline = appeal_deadline(RELEASED, THREE_WEEKS)
    assert deadline == datetime(2023, 6, 30, 10, 0, tzinfo=UTC)
    assert appeal_refusal(facts(), RELEASED, THREE_WEEKS) is None
    assert appeal_refusal(facts(), deadline, THREE_WEEKS) is None


def test_after_the_deadline_is_refused_with_the_deadline_in_oslo_time() -> None:
    late = appeal_deadline(RELEASED, THREE_WEEKS) + timedelta(seconds=1)
    refusal = appeal_refusal(facts(), late, THREE_WEEKS)
    assert refusal is not None and refusal.dump() == [
        {"code": "appeal.deadline_passed", "params": {"deadline": "2023-06-30T10:00:00+00:00"}}
    ]
    assert str(refusal) == "Klagefristen 30.06.2023 kl. 12:00 er passert"


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


def test_new_examiners_must_differ_from_the_first() -> None:
    assert examiners_refusal(["sensor.a"], ["sensor.b", "sensor.c"]) is None
    assert str(examiners_refusal(["sensor.a", "sensor.b"], ["sensor.b"])) == (
        "sensor.b satte den første karakteren; en klage skal vurderes av nye sensorer"
    )
    assert str(examiners_refusal([], [])) == "Oppgi minst én ny sensor"
    assert str(examiners_refusal([], ["x", "y", "x"])) == "Samme sensor er oppgitt mer enn én gang: x"
    too_many = examiners_refusal([], ["a", "b", "c", "d"])
    assert too_many is not None and too_many.dump() == [
        {"code": "appeal.too_many_examiners", "params": {"most": 3, "named": 4}}
    ]
    assert str(too_many) == "Høyst 3 sensorer kan oppnevnes, ikke 4"


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
