"""What a viewer may read of a group and of a person: the one place where what concerns a person is held back from
those it does not concern (security review, item 9).

Staff (administration, teachers, examiners) read everything of the groups they may open; a participant reads their own
record. The municipality contact is the employer: they read the group's work and each member's progress (attendance,
work requirements, whether they may sit the exam, active, withdrawn or not taking part), but no one's grade, oral
adjustment, credits, course certificate, appeal or re-sit, and none of the reasons recorded about a person (why they
may not sit the exam, why they were withdrawn or their participation ended). Grades are personal data (domain.md).

The group's written grade is held back from the contact too. It assesses the group's work, but it is also the written
part of every member's exam grade: the final grade is the written grade moved by the member's oral adjustment, and a
written F is every member's final grade, so the written grade would tell the employer each person's grade.

An appeal's commission assesses blind (the universities act): its examiners are not the group's, so `may_see` gives
them neither the group's page nor the person's (both show the first grades); they read the appeal's own page and
API answer (web/routes/appeal.py, gateway/end_of_year/commission.py), which hold the first grades back until a
further assessment.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gateway.accounts import Account, Role
from gateway.messages import GroupDetail, MemberView, ParticipantDetail
from gateway.storage import AppealRecord, AuditRecord, ResitRecord
from web.state import STAFF

# what a member's row and a person's record say about their exam and the reasons recorded about them, each with the
# value a redacted copy holds instead (the API leaves these fields out altogether)
MEMBER_BLANKS: dict[str, Any] = {
    "ineligible_reason": None,
    "oral_adjustment": None,
    "oral_absent": False,  # a valid absence from the oral: why, is the person's
    "final_grade": None,
    "credits": 0,
    "certificate": None,
}
PERSON_BLANKS: dict[str, Any] = {
    "ineligible_reason": None,
    "written_grade": None,
    "oral_adjustment": None,
    "final_grade": None,
    "credits": 0,
    "certificate": None,
    "end_reason": None,
}
# the group's own actions whose recorded detail is about the group's work; any other detail (a grade, the oral
# adjustments, a refusal that names a grade) is left out of the log a contact reads
GROUP_WORK = frozenset(
    {
        "submit_requirement",
        "approve_requirement",
        "return_requirement",
        "grant_extension",
        "register_attendance",
        "mark_non_participating",
        "replace_participant",
        "submit_written",
        "record_project",
        "report_project",
        "record_supervision",  # the date, how many came; the note itself is on the page for the group to read
    }
)


def sees_person(account: Account, participant_workflow_id: str) -> bool:
    """Whether the account reads this person's grades, appeal, re-sits and the reasons recorded about them."""
    own = account.role == Role.PARTICIPANT and account.participant == participant_workflow_id
    return own or account.role in STAFF


def sees_grades(account: Account) -> bool:
    """Whether the account reads the group's written grade and every member's grades: staff only."""
    return account.role in STAFF


def group(account: Account, detail: GroupDetail) -> GroupDetail:
    """The group as this account may read it."""
    members = [m if sees_person(account, m.participant_workflow_id) else _member(m) for m in detail.members]
    written = detail.written_grade if sees_grades(account) else None
    return detail.model_copy(update={"members": members, "written_grade": written})


def group_json(account: Account, detail: GroupDetail) -> dict[str, Any]:
    """The group as the API gives it to this account: a field held back is left out, since null means "not yet"."""
    hidden = {
        index: set(MEMBER_BLANKS)
        for index, m in enumerate(detail.members)
        if not sees_person(account, m.participant_workflow_id)
    }
    exclude: dict[str, Any] = {"members": hidden} | ({} if sees_grades(account) else {"written_grade": True})
    shown: dict[str, Any] = group(account, detail).model_dump(mode="json", exclude=exclude)
    return shown


def participant(account: Account, detail: ParticipantDetail) -> ParticipantDetail:
    """The person's record as this account may read it."""
    if sees_person(account, detail.participant_workflow_id):
        return detail
    return detail.model_copy(update=PERSON_BLANKS)


@dataclass(frozen=True)
class Person:
    """A person's page as this account may read it."""

    detail: ParticipantDetail
    grades: bool  # the grades, the appeal and the re-sits are shown
    appeal: AppealRecord | None
    resits: list[ResitRecord]


def person(
    account: Account, detail: ParticipantDetail, appeal: AppealRecord | None, resits: list[ResitRecord]
) -> Person:
    if sees_person(account, detail.participant_workflow_id):
        return Person(detail, True, appeal, resits)
    return Person(participant(account, detail), False, None, [])


def audit(account: Account, group_workflow_id: str, entries: list[AuditRecord]) -> list[AuditRecord]:
    """The group's log as this account may read it. A contact reads the group's own entries, not those of its
    members, appeals and re-sits, and the detail only of those about the group's work."""
    if sees_grades(account):
        return entries
    return [_entry(e) for e in entries if e.workflow_id == group_workflow_id]


def _member(member: MemberView) -> MemberView:
    return member.model_copy(update=MEMBER_BLANKS)


def _entry(entry: AuditRecord) -> AuditRecord:
    if entry.action in GROUP_WORK:
        return entry
    # a copy that is never added to a session: the read model's row stays as it is
    return AuditRecord(
        id=entry.id,
        idempotency_key=entry.idempotency_key,
        workflow_id=entry.workflow_id,
        actor=entry.actor,
        action=entry.action,
        outcome=entry.outcome,
        reason=None,
        at=entry.at,
        params=None,
        problems=None,
    )
