"""Re-sit rules without Temporal: who may sit again, the period, the attempt limit, and the best grade."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.end_of_year.resits import ResitFacts, ResitPeriod, best, outcome, resit_kind, resit_refusal
from domain.models import Grade, Track
from domain.refusals import Refusal

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
    assert late is not None and late.dump() == [
        {"code": "resit.period_ended", "params": {"period": PERIOD.label, "end": PERIOD.end.isoformat()}}
    ]
    assert str(late) == "Perioden ny eksamen for kull 2022 ble avsluttet 08.09.2023 kl. 12:00"


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"track": Track.COURSE}, "En kursdeltaker får ikke karakter og tar ikke eksamen"),
        ({"released_at": None}, "Resultatene er ikke publisert ennå"),
        (
            {"grade": None},
            "Det finnes ikke noe eksamensresultat; ny eksamen forutsetter en eksamen som ikke er bestått, "
            "gyldig fravær fra den muntlige eksamenen, eller en skriftlig oppgave gruppen ikke leverte innen fristen",
        ),
        ({"grade": Grade.E}, "Eksamen er bestått (E); ny eksamen er for den som ikke har bestått"),
        ({"appeal_pending": True}, "En klage på denne karakteren er ikke avgjort ennå; vent på resultatet av klagen"),
        ({"resit_pending": True}, "Ny eksamen er allerede registrert og ikke avgjort"),
        ({"attempts": 3}, "Eksamen er forsøkt 3 ganger; høyst 3 forsøk er tillatt"),
    ],
)
def test_each_refusal_names_its_reason(changes: dict[str, object], reason: str) -> None:
    assert str(resit_refusal(facts(**changes), PERIOD, RELEASED)) == reason


def test_a_period_that_ends_before_it_starts_is_refused() -> None:
    reversed_period = PERIOD.model_copy(update={"end": PERIOD.start})
    refusal = resit_refusal(facts(), reversed_period, RELEASED)
    assert str(refusal) == "Perioden ny eksamen for kull 2022 slutter før den begynner"


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
    with pytest.raises(Refusal, match="^Den skriftlige karakteren C må ha en muntlig justering$"):
        outcome(Grade.F, Grade.C, None, 1)


def test_a_group_that_handed_in_no_written_assignment_used_an_attempt_and_may_sit_a_new_exam() -> None:
    """FS counts a missed hand-in as an attempt: no grade, yet the member may register a new exam (not a postponed
    oral: there is no written grade to keep), and two more attempts are left at most."""
    missed = facts(grade=None, written_missed=True, attempts=1)
    assert resit_refusal(missed, PERIOD, RELEASED + timedelta(days=1)) is None
    assert resit_kind(missed) == "new"
    used = resit_refusal(facts(grade=None, written_missed=True, attempts=3), PERIOD, RELEASED)
    assert str(used) == "Eksamen er forsøkt 3 ganger; høyst 3 forsøk er tillatt"
    # the plan sets the number: with two sittings in all, one re-sit is the last; with four, a third one is allowed
    two = resit_refusal(facts(attempts=2), PERIOD, RELEASED, attempts_max=2)
    assert str(two) == "Eksamen er forsøkt 2 ganger; høyst 2 forsøk er tillatt"
    assert resit_refusal(facts(attempts=3), PERIOD, RELEASED + timedelta(days=1), attempts_max=4) is None
    first = outcome(None, Grade.C, 0, 1)
    assert (first.grade, first.credits) == (Grade.C, 30)
