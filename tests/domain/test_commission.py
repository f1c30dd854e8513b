"""The appeal commission's rules: who may sit on it, each member's own grade, the commission's grade, and the
further assessment of a grade two or more grades from the first."""

from __future__ import annotations

from domain.end_of_year.commission import (
    Member,
    commission_refusal,
    decision_refusal,
    deviation,
    grade_refusal,
    needs_further_assessment,
)
from domain.models import Grade

FIRST = ["sensor.forste"]
INTERNAL = Member(username="sensor.intern", external=False)
EXTERNAL = Member(username="sensor.ekstern", external=True)


def code(refusal: object) -> str | None:
    return getattr(refusal, "code", None)


def test_two_new_examiners_one_external_form_a_commission() -> None:
    assert commission_refusal(FIRST, [INTERNAL, EXTERNAL]) is None
    assert commission_refusal(FIRST, [EXTERNAL, Member(username="sensor.to", external=True)]) is None


def test_one_examiner_is_not_a_commission() -> None:
    refusal = commission_refusal(FIRST, [EXTERNAL])
    assert code(refusal) == "appeal.commission_too_small"
    assert str(refusal) == "En klagekommisjon skal ha minst 2 sensorer, ikke 1"


def test_a_commission_without_an_external_examiner_is_refused() -> None:
    refusal = commission_refusal(FIRST, [INTERNAL, Member(username="sensor.to", external=False)])
    assert str(refusal) == "Minst én av sensorene i klagekommisjonen skal være ekstern"


def test_a_first_examiner_may_not_sit_on_the_commission_even_if_external() -> None:
    refusal = commission_refusal(FIRST, [EXTERNAL, Member(username="sensor.forste", external=True)])
    assert code(refusal) == "appeal.examiners_graded_first"
    assert "sensor.forste satte den første karakteren" in str(refusal)


def test_the_same_account_twice_and_too_many_are_refused() -> None:
    assert code(commission_refusal(FIRST, [EXTERNAL, EXTERNAL])) == "appeal.examiner_named_twice"
    four = [Member(username=f"sensor.{n}", external=True) for n in range(4)]
    assert code(commission_refusal(FIRST, four)) == "appeal.too_many_examiners"


def test_each_member_grades_once_and_no_one_else() -> None:
    members = ["sensor.intern", "sensor.ekstern"]
    assert grade_refusal(members, {}, "sensor.intern") is None
    again = grade_refusal(members, {"sensor.intern": Grade.B}, "sensor.intern")
    assert str(again) == "sensor.intern har allerede gitt sin karakter (B)"
    assert code(grade_refusal(members, {}, "sensor.forste")) == "appeal.not_examiner"
    assert code(grade_refusal([], {}, "sensor.intern")) == "appeal.examiners_missing"


def test_the_commission_decides_when_all_have_graded_within_their_grades() -> None:
    members = ["sensor.intern", "sensor.ekstern"]
    waiting = decision_refusal(members, {"sensor.intern": Grade.B}, Grade.B)
    assert str(waiting) == "Alle sensorene i kommisjonen må gi sin karakter først; venter på sensor.ekstern"
    both = {"sensor.intern": Grade.B, "sensor.ekstern": Grade.D}
    assert decision_refusal(members, both, Grade.B) is None
    assert decision_refusal(members, both, Grade.D) is None
    assert decision_refusal(members, both, Grade.C) is None  # agreed between them
    outside = decision_refusal(members, both, Grade.A)
    assert str(outside) == "Kommisjonens karakter A ligger utenfor karakterene sensorene ga (B-D)"
    same = {"sensor.intern": Grade.C, "sensor.ekstern": Grade.C}
    assert str(decision_refusal(members, same, Grade.B)).endswith("(C)")


def test_two_or_more_grades_from_the_first_is_assessed_further() -> None:
    assert deviation(Grade.C, Grade.A) == 2
    assert needs_further_assessment(Grade.C, Grade.A)
    assert needs_further_assessment(Grade.B, Grade.F)
    assert not needs_further_assessment(Grade.C, Grade.B)
    assert not needs_further_assessment(Grade.C, Grade.C)
    assert not needs_further_assessment(Grade.D, Grade.E)


def test_the_commissions_refusals_read_as_a_person_reads_them() -> None:
    """The words beside the form and on the command line (formerly held by the rule for one appeal examiner)."""
    second = Member(username="sensor.b", external=True)
    graded_first = commission_refusal(["sensor.a", "sensor.b"], [INTERNAL, second])
    assert str(graded_first) == "sensor.b satte den første karakteren; en klage skal vurderes av nye sensorer"
    assert str(commission_refusal([], [])) == "En klagekommisjon skal ha minst 2 sensorer, ikke 0"
    twice = commission_refusal([], [EXTERNAL, INTERNAL, EXTERNAL])
    assert str(twice) == "Samme sensor er oppgitt mer enn én gang: sensor.ekstern"
    four = [EXTERNAL, *(Member(username=f"sensor.{n}", external=False) for n in "abc")]
    too_many = commission_refusal([], four)
    assert too_many is not None and too_many.dump() == [
        {"code": "appeal.too_many_examiners", "params": {"most": 3, "named": 4}}
    ]
    assert str(too_many) == "Høyst 3 sensorer kan oppnevnes, ikke 4"
