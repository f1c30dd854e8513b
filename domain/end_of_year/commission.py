"""The appeal commission (klagekommisjon), as the universities act has it: at least two new examiners, at least one
of them external, none of them a first examiner of the group; each grades the written work on their own, blind
(without the first grade, the oral, a begrunnelse or the appeal's reasons); then the commission decides its grade.
A commission grade two or more grades from the first written grade is assessed further, with all documents, before
it is fixed. Examiners are compared as accounts (their user names), never as free text.
"""

from __future__ import annotations

from collections import Counter

from domain.grading import SCALE
from domain.models import Grade, Strict
from domain.refusals import Refusal

COMMISSION_MIN = 2
COMMISSION_MAX = 3
FURTHER_ASSESSMENT_STEPS = 2  # a deviation of this many grades or more from the first is assessed further


class Member(Strict):
    """One commission member: an examiner account's user name, and whether that account is marked external."""

    username: str
    external: bool


def commission_refusal(first_examiners: list[str], members: list[Member]) -> Refusal | None:
    """Why these members may not form the appeal's commission, or None."""
    names = [m.username for m in members]
    if len(names) < COMMISSION_MIN:
        return Refusal("appeal.commission_too_small", least=COMMISSION_MIN, named=len(names))
    if len(names) > COMMISSION_MAX:
        return Refusal("appeal.too_many_examiners", most=COMMISSION_MAX, named=len(names))
    twice = sorted(name for name, times in Counter(names).items() if times > 1)
    if twice:
        return Refusal("appeal.examiner_named_twice", examiners=", ".join(twice))
    again = sorted(set(names) & set(first_examiners))
    if again:
        return Refusal("appeal.examiners_graded_first", examiners=", ".join(again))
    if not any(m.external for m in members):
        return Refusal("appeal.commission_no_external")
    return None


def grade_refusal(members: list[str], grades: dict[str, Grade], actor: str) -> Refusal | None:
    """Why `actor` may not record their own grade now, or None: a member, once."""
    if not members:
        return Refusal("appeal.examiners_missing")
    if actor not in members:
        return Refusal("appeal.not_examiner", actor=actor, examiners=", ".join(members))
    if actor in grades:
        return Refusal("appeal.commission_graded_already", actor=actor, grade=grades[actor].value)
    return None


def decision_refusal(members: list[str], grades: dict[str, Grade], grade: Grade) -> Refusal | None:
    """Why the commission may not decide `grade` now, or None. Every member has graded first; the decided grade is
    one of theirs, or one between them the commission agreed on (never outside the grades its members gave)."""
    if not members:
        return Refusal("appeal.examiners_missing")
    waiting = sorted(set(members) - set(grades))
    if waiting:
        return Refusal("appeal.commission_waiting", examiners=", ".join(waiting))
    given = sorted(grades.values(), key=SCALE.index)
    if not SCALE.index(given[0]) <= SCALE.index(grade) <= SCALE.index(given[-1]):
        span = given[0].value if given[0] == given[-1] else f"{given[0].value}-{given[-1].value}"
        return Refusal("appeal.commission_grade_outside", grade=grade.value, given=span)
    return None


def deviation(first: Grade, new: Grade) -> int:
    """How many grades apart two grades are (C and A: 2)."""
    return abs(SCALE.index(first) - SCALE.index(new))


def needs_further_assessment(first: Grade, decided: Grade) -> bool:
    """Two or more grades from the first written grade: the institution assesses it further before it is fixed."""
    return deviation(first, decided) >= FURTHER_ASSESSMENT_STEPS
