"""A cohort's statistics, as the administration hands them on: counts and rates over the read model's rows.

Pure: the gateway (gateway/statistics.py) reads the rows, this module counts. Nothing here names a person; the
smallest unit is a group or a count.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict

from domain.lifecycle import IN_PROGRAMME
from domain.plan import TOTAL_DAYS, WORK_REQUIREMENTS

GRADES = ("A", "B", "C", "D", "E", "F")


class _Row(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class GroupRow(_Row):
    group_id: str
    application_id: str = ""  # the municipalities' numbers: the supervision table names the group by them
    region: str
    size: str
    outcome: str
    requirements_approved: int


class ParticipantRow(_Row):
    participant_id: str
    group_id: str
    sector: str
    track: str
    attendance_days: int
    withdrawn: bool
    final_grade: str | None
    certificate: str | None


class RequirementEvent(_Row):
    """An accepted action on a work requirement, from the audit trail: handed in, approved or returned."""

    group_id: str
    number: int
    action: str  # submit_requirement / approve_requirement / return_requirement


class SupervisionEvent(_Row):
    """A supervision meeting recorded on a group, from the audit trail: its date (a date recorded again is one)."""

    group_id: str
    meeting: str


class ProjectRow(_Row):
    """A group's innovation project: its partners' kinds, comma-separated (no names)."""

    group_id: str
    partner_kinds: str


class AppealRow(_Row):
    participant_id: str
    final_before: str
    final_after: str | None  # None while undecided


class ResitRow(_Row):
    participant_id: str
    attempt: int
    grade_after: str | None  # the grade that counts after it; None while undecided


class Rate(BaseModel):
    count: int
    of: int

    @property
    def percent(self) -> int:
        return round(100 * self.count / self.of) if self.of else 0


ROLE_GROUP_MIN = 3  # a role fewer hold is counted under "other": a rare title in a small cohort names its holder
OTHER_ROLES = "other"


def role_counts(roles: list[str]) -> dict[str, int]:
    """Participants per role (the free text, trimmed and in lower case), most first; rare roles together."""
    counted = Counter(r.strip().lower() for r in roles if r.strip())
    shown = {role: n for role, n in counted.most_common() if n >= ROLE_GROUP_MIN}
    other = sum(n for n in counted.values() if n < ROLE_GROUP_MIN)
    return shown | ({OTHER_ROLES: other} if other else {})


class CohortStatistics(BaseModel):
    cohort: str
    applications: int
    refused: int
    by_region: dict[str, int]
    by_size: dict[str, int]
    by_outcome: dict[str, int]
    participants: int
    by_sector: dict[str, int]
    by_track: dict[str, int]
    by_role: dict[str, int] = {}  # from the register of people, when the caller has it; rare roles as "other"
    withdrawn: int
    attendance_mean_days: float
    attendance_full: Rate  # present on every gathering day
    requirements_passed: dict[int, Rate]  # per requirement: groups in the programme that had it approved
    returned: dict[int, Rate]  # per requirement: groups that got it back with feedback
    resubmitted: dict[int, Rate]  # per requirement: groups that handed it in more than once
    grades_before_appeals: dict[str, int]
    grades_after_appeals: dict[str, int]
    appeals: int
    appeals_changed: int
    grades_after_resits: dict[str, int]  # the grades that count at the end: after appeals and re-sits
    resits: int
    resits_passed: int  # re-sits whose decision made the grade that counts a pass
    completion: dict[str, int]  # transcript / course_certificate / none
    projects: Rate  # groups in the programme with their innovation project on record
    partners_by_kind: dict[str, int]
    supervised: Rate = Rate(count=0, of=0)  # groups in the programme with at least one supervision meeting
    meetings_by_group: dict[str, int] = {}  # supervision meetings per group in the programme, by application ID


def cohort_statistics(
    cohort: str,
    groups: list[GroupRow],
    refused: int,
    participants: list[ParticipantRow],
    events: list[RequirementEvent],
    appeals: list[AppealRow],
    projects: list[ProjectRow] | None = None,
    resits: list[ResitRow] | None = None,
    roles: dict[str, str] | None = None,
    meetings: list[SupervisionEvent] | None = None,
) -> CohortStatistics:
    """`roles`: each participant's role (participant ID -> role), read from the register of people."""
    admitted = [g for g in groups if g.outcome in IN_PROGRAMME]
    admitted_ids = {g.group_id for g in admitted}
    members = [p for p in participants if p.group_id in admitted_ids]
    taking_part = [p for p in members if not p.withdrawn]
    done = Counter((e.group_id, e.number, e.action) for e in events if e.group_id in admitted_ids)
    decided = {a.participant_id: a for a in appeals if a.final_after is not None}
    # the read model's final grade may or may not already be the appeal's: take both ends from the appeal
    before = [_grade(p, decided, "final_before") for p in taking_part]
    after = [_grade(p, decided, "final_after") for p in taking_part]
    resat = {r.participant_id: r.grade_after for r in sorted(resits or [], key=lambda r: r.attempt) if r.grade_after}
    final = [resat.get(p.participant_id, grade) for p, grade in zip(taking_part, after, strict=True)]
    completion = [
        "transcript" if resat.get(p.participant_id, "F") != "F" else (p.certificate or "none") for p in taking_part
    ]
    numbers = range(1, WORK_REQUIREMENTS + 1)
    recorded = [p for p in projects or [] if p.group_id in admitted_ids]
    held = Counter(group_id for group_id, _ in {(m.group_id, m.meeting) for m in meetings or []})  # a date once
    per_group = {g.application_id or g.group_id: held[g.group_id] for g in admitted}
    return CohortStatistics(
        cohort=cohort,
        applications=len(groups) + refused,
        refused=refused,
        by_region=_counted(g.region for g in groups),
        by_size=_counted(g.size for g in groups),
        by_outcome=_counted(g.outcome for g in groups) | ({"refused": refused} if refused else {}),
        participants=len(members),
        by_sector=_counted(p.sector for p in members),
        by_track=_counted(p.track for p in members),
        by_role=role_counts([roles[p.participant_id] for p in members if p.participant_id in roles]) if roles else {},
        withdrawn=len(members) - len(taking_part),
        attendance_mean_days=round(sum(p.attendance_days for p in taking_part) / len(taking_part), 1)
        if taking_part
        else 0.0,
        attendance_full=Rate(count=sum(p.attendance_days >= TOTAL_DAYS for p in taking_part), of=len(taking_part)),
        requirements_passed={n: _rate(admitted_ids, done, n, "approve_requirement") for n in numbers},
        returned={n: _rate(admitted_ids, done, n, "return_requirement") for n in numbers},
        resubmitted={n: _rate(admitted_ids, done, n, "submit_requirement", more_than=1) for n in numbers},
        grades_before_appeals={g: sum(b == g for b in before) for g in GRADES},
        grades_after_appeals={g: sum(a == g for a in after) for g in GRADES},
        appeals=len(appeals),
        appeals_changed=sum(a.final_after != a.final_before for a in decided.values()),
        grades_after_resits={g: sum(f == g for f in final) for g in GRADES},
        resits=len(resits or []),
        resits_passed=sum(grade != "F" for grade in resat.values()),
        completion=_counted(completion),
        projects=Rate(count=len(recorded), of=len(admitted)),
        partners_by_kind=_counted(kind for p in recorded for kind in p.partner_kinds.split(",") if kind),
        supervised=Rate(count=sum(n > 0 for n in per_group.values()), of=len(admitted)),
        meetings_by_group=dict(sorted(per_group.items())),
    )


def _grade(member: ParticipantRow, decided: dict[str, AppealRow], end: str) -> str | None:
    appeal = decided.get(member.participant_id)
    return member.final_grade if appeal is None else getattr(appeal, end)


def _rate(
    group_ids: set[str], done: Counter[tuple[str, int, str]], number: int, action: str, more_than: int = 0
) -> Rate:
    """How many of the groups did `action` on requirement `number` more than `more_than` times."""
    return Rate(count=sum(done[(g, number, action)] > more_than for g in group_ids), of=len(group_ids))


def _counted(values: Iterable[str]) -> dict[str, int]:
    counts = Counter(values)
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
