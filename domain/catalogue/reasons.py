"""Reasons, said in Norwegian: why a participant may not sit the exam, why a group has no exam, why a
participation ended (domain/eligibility.py, domain/exam.py, activities/grades.py, workflows/group.py). A reason is
a code with parameters (domain.reasons.Reason), kept in the workflows' state and said from here.

OLD_TEXTS is for old state only: before reasons were codes, the workflows stored them as English text, and a
running workflow's state, signals and recorded histories may still hold it. A reason read as such a text is mapped
to its code here once, when it is read (domain.reasons.Reason's validator); nothing writes these texts any more.
"""

from __future__ import annotations

import re

REASONS: dict[str, str] = {
    # why a member may not sit the exam (domain/eligibility.py)
    "reason.withdrawn": "trukket",
    "reason.assessment_undecided": "den individuelle vurderingen er ikke avgjort",
    "reason.course_no_exam": "kursdeltakere går ikke opp til eksamen",
    "reason.non_participating": "registrert som ikke deltakende i prosjektarbeidet",
    "reason.requirements_approved": "{approved} av {required} arbeidskrav godkjent",
    "reason.attendance": "oppmøte {days} av {total} dager er under kravet i studieplanen",
    "reason.waiting_for_group": "venter på gruppen",
    # why a group has no exam (domain/exam.py), and a member's because of it
    "reason.requirements_failed": "arbeidskrav {numbers} er ikke bestått",
    "reason.written_missed": "den skriftlige oppgaven ble ikke levert innen fristen",
    "reason.group_requirements_failed": "gruppen har ikke eksamen: arbeidskrav {numbers} er ikke bestått",
    "reason.group_written_missed": "gruppen har ikke eksamen: den skriftlige oppgaven ble ikke levert innen fristen",
    # why a participation ended without a grade or a certificate (workflows/group.py, activities/grades.py)
    "reason.gave_up": "gruppen ga fra seg plassen",
    "reason.replaced": "erstattet før første samling",
    "reason.no_exam": "ingen eksamen",
    "reason.grade": "karakter {grade}",
    "reason.oral_absent": "gyldig fravær fra den muntlige eksamenen: utsatt eksamen følger",
    # an old text OLD_TEXTS does not know: shown as it was stored rather than hidden
    "reason.stored_text": "{text}",
}

_GROUP = "no exam for the group: "
# for old state only (see above): each English text the workflows stored, its code and its parameters' names
OLD_TEXTS: list[tuple[re.Pattern[str], str, tuple[str, ...]]] = [
    (re.compile(r"^withdrawn$"), "reason.withdrawn", ()),
    (re.compile(r"^individual assessment not decided$"), "reason.assessment_undecided", ()),
    (re.compile(r"^course participants do not sit the exam$"), "reason.course_no_exam", ()),
    (re.compile(r"^marked as not having taken part in the project work$"), "reason.non_participating", ()),
    (
        re.compile(r"^(\d+) of (\d+) work requirements approved$"),
        "reason.requirements_approved",
        ("approved", "required"),
    ),
    (
        re.compile(r"^attendance (\d+)/(\d+) days is below the plan's threshold$"),
        "reason.attendance",
        ("days", "total"),
    ),
    (re.compile(r"^waiting for the group$"), "reason.waiting_for_group", ()),
    (re.compile(r"^work requirement ([\d, ]+) failed$"), "reason.requirements_failed", ("numbers",)),
    (re.compile(r"^the written deadline was missed$"), "reason.written_missed", ()),
    (re.compile(rf"^{_GROUP}work requirement ([\d, ]+) failed$"), "reason.group_requirements_failed", ("numbers",)),
    (re.compile(rf"^{_GROUP}the written deadline was missed$"), "reason.group_written_missed", ()),
    (re.compile(r"^the group gave up its place$"), "reason.gave_up", ()),
    (re.compile(r"^replaced before the first gathering$"), "reason.replaced", ()),
    (re.compile(r"^no exam$"), "reason.no_exam", ()),
    (re.compile(r"^grade ([A-F])$"), "reason.grade", ("grade",)),
    (re.compile(r"^valid absence from the oral: a postponed exam follows$"), "reason.oral_absent", ()),
]


_COUNTS = {"approved", "required", "days", "total"}  # the parameters that are numbers (the others are text)


def old_reason(text: str) -> tuple[str, dict[str, str | int]]:
    """The code and parameters of a reason stored as English text by an older version (for old state only)."""
    for pattern, code, names in OLD_TEXTS:
        match = pattern.match(text)
        if match:
            values = dict(zip(names, match.groups(), strict=True))
            return code, {name: int(v) if name in _COUNTS else v for name, v in values.items()}
    return "reason.stored_text", {"text": text}
