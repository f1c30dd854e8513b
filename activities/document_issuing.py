"""Documents issued as their letters go out: the outbox relay calls `issue_announced` before it sends a letter that
announces a transcript or a course certificate (a result, a course certificate, an appeal's or a re-sit's decision),
so no letter says "utstedt" before its PDF exists, and no administrator has to run a command first.

The facts are the read model's, settled by the same rules as `starter.py documents` (gateway/results.py uses
`settle`, `result_day` and `document_facts` below): the same result gives the same facts, so issuing them again
(a retried letter, a second letter, the administration's command) finds the current document and issues nothing.
The rows the facts come from are written before the letter is queued (the group's release and its members' rows in
the same transaction as the letters; an appeal's or a re-sit's row just before its letter).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import structlog
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from activities.documents import DocumentFacts, Documents
from activities.letters import Person
from domain.catalogue.labels import OSLO
from domain.models import Grade
from store import end_of_year
from store.end_of_year import AppealRecord, ResitRecord
from store.tables import GroupRecord, OutboxRecord, ParticipantPersonRecord, ParticipantRecord

log = structlog.get_logger()

# the notice kinds whose letter tells the reader a document is (or may be) theirs
ANNOUNCING = frozenset({"result_published", "certificate_issued", "appeal_decided", "resit_decided"})


class DocumentNotIssued(Exception):
    """The document a letter announces could not be issued: the letter is not sent now, but tried again later
    (the relay counts it as the letter's own failed attempt)."""


@dataclass(frozen=True)
class Settled:
    """A member's result after the appeal and the re-sits."""

    certificate: str | None  # "transcript" | "course_certificate" | None
    grade: Grade | None  # the grade that counts
    credits: int
    first_grade: Grade | None  # the ordinary exam's grade after its appeal


def settle(
    final_grade: Grade | None,
    credits: int,
    certificate: str | None,
    appeal: AppealRecord | None,
    attempts: Sequence[ResitRecord],
    resit_appeals: Mapping[int, AppealRecord] | None = None,
) -> Settled:
    """The decided appeal replaces the grade; each decided re-sit carries the best grade so far (`attempts` first
    attempt first, decided ones only), and a decided appeal of the last one (`resit_appeals`, by attempt) the best
    grade after it."""
    grade = Grade(appeal.final_after) if appeal and appeal.final_after else final_grade
    credits = appeal.credits_after if appeal and appeal.credits_after is not None else credits
    first_grade = grade
    if attempts and attempts[-1].grade_after:
        grade, credits = Grade(attempts[-1].grade_after), attempts[-1].credits_after or 0
        appealed = (resit_appeals or {}).get(attempts[-1].attempt)
        if appealed is not None and appealed.final_after:
            grade, credits = Grade(appealed.final_after), appealed.credits_after or 0
    if certificate != "course_certificate":
        certificate = "transcript" if grade not in (None, Grade.F) else None
    return Settled(certificate, grade, credits, first_grade)


def result_day(
    released: datetime,
    appeal: AppealRecord | None,
    attempts: Sequence[ResitRecord],
    resit_appeals: Mapping[int, AppealRecord] | None = None,
) -> date:
    """The date the result was fixed, in Europe/Oslo: the release, the appeal's decision, the last re-sit's or the
    decision of that re-sit's appeal."""
    moment = appeal.decided_at if appeal and appeal.decided_at else released
    if attempts and attempts[-1].decided_at:
        moment = attempts[-1].decided_at
        appealed = (resit_appeals or {}).get(attempts[-1].attempt)
        if appealed is not None and appealed.decided_at:
            moment = appealed.decided_at
    return moment.astimezone(OSLO).date()


def document_facts(participant_id: str, cohort: str, settled: Settled, day: date) -> DocumentFacts | None:
    """What the member's document states; None when the result gives no document (an F, no result)."""
    if settled.certificate is None:
        return None
    transcript = settled.certificate == "transcript"
    return DocumentFacts(
        kind="transcript" if transcript else "course_certificate",
        participant_id=participant_id,
        cohort=cohort,
        credits=settled.credits,
        grade=settled.grade.value if transcript and settled.grade else None,
        result_date=day,
    )


async def issue_announced(documents: Documents | None, row: OutboxRecord, reader: Person | None) -> None:
    """Before the relay sends `row`: the reader's current document, issued if the letter announces one. A reader
    the register no longer holds gets none (the relay marks the letter undelivered)."""
    if documents is None or reader is None or row.kind not in ANNOUNCING:
        return
    try:
        async with documents.sessions() as session:
            facts = await announced_facts(session, row.person_id, row.cohort)
        if facts is not None:
            issued = await documents.issue(row.person_id, facts, reader.name)
            log.info("document current", key=row.idempotency_key, kind=issued.kind, version=issued.version)
    except Exception as error:  # the letter waits for its document; a retry issues what is still missing
        log.warning("document not issued, the letter waits", key=row.idempotency_key, error=type(error).__name__)
        raise DocumentNotIssued(type(error).__name__) from error


async def announced_facts(session: AsyncSession, person_id: str, cohort: str) -> DocumentFacts | None:
    """The person's document facts in this cohort from the read model, or None when their result gives none."""
    query = (
        select(ParticipantRecord)
        .join(ParticipantPersonRecord, ParticipantPersonRecord.participant_id == ParticipantRecord.participant_id)
        .where(ParticipantPersonRecord.person_id == person_id, ParticipantPersonRecord.cohort == cohort)
        .where(ParticipantRecord.replaced.is_(False))
    )
    members = (await session.scalars(query)).all()
    if not members:  # written with the letter (or before it): a letter without them waits rather than go out alone
        raise LookupError("the member is not in the read model yet")
    for member in members:
        group = await session.get(GroupRecord, member.group_id)
        if group is None or group.published_at is None:
            raise LookupError("the group's release is not in the read model yet")
        appeal = await end_of_year.decided_appeal_of(session, member.participant_id)
        attempts = [r for r in await end_of_year.resits_of_participant(session, member.participant_id) if r.decided_at]
        resit_appeals = await end_of_year.decided_resit_appeals_of(session, member.participant_id)
        grade = Grade(member.final_grade) if member.final_grade else None
        settled = settle(grade, member.credits, member.certificate, appeal, attempts, resit_appeals)
        day = result_day(group.published_at, appeal, attempts, resit_appeals)
        facts = document_facts(member.participant_id, cohort, settled, day)
        if facts is not None:
            return facts
    return None
