"""The demo's steps after the results are published, from the scenario's optional `end_of_year` section: appeals
and re-sits (registered at once: the appeal window and the re-sit period are compressed like the rest of the
calendar), the documents issued at release, the appeals and re-sits decided, the documents again (a changed grade
gets a new version), the export to FS and the statistics report.
Also the report's sections of these steps."""

from __future__ import annotations

import os
import secrets
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from activities.documents import Documents, documents_key
from demo import acting, explanations, web_documents
from demo.coursework import ORAL_ROOMS, SLOT_AHEAD
from demo.scenario import Appeal, EndOfYear, Resit, Scenario, Script
from demo.web_apply import WebApplicant
from domain.ids import AppealId
from domain.models import CohortPlan
from domain.orals import OralSlot
from gateway.admin import Admin, Refused
from gateway.end_of_year.appeal import assign_examiners, register_appeal, withdraw_appeal
from gateway.end_of_year.resit import register_resit
from gateway.export import write_export
from gateway.results import cohort_results, issue_documents
from gateway.statistics import write_report
from runtime.codec import load_keys
from runtime.settings import get_settings
from store import documents as documents_store
from store import end_of_year as end_of_year_store
from store.accounts import Account, AccountError, Accounts, Role
from store.tables import OutboxRecord
from workflows.end_of_year.appeal import AppealWorkflow
from workflows.end_of_year.messages import (
    AssignExaminersInput,
    CommissionDecisionInput,
    CommissionGradeInput,
    NewOralAdjustmentInput,
    NewWrittenGradeInput,
    ScheduleNewOralInput,
)
from workflows.end_of_year.resit import ResitWorkflow
from workflows.ids import appeal_workflow_id
from workflows.messages import GroupDetail


class Demo(Protocol):
    """What this part needs of the running demo (demo.run.Demo), so this module never imports the one that
    imports it."""

    admin: Admin
    sessions: async_sessionmaker[AsyncSession]
    scenario: Scenario
    script: Script
    cohort: str
    progress_file: Path
    plan: CohortPlan
    pace: float
    web_applicant: WebApplicant | None  # with the web app's address, when it serves

    def say(self, text: str) -> None: ...
    def participant(self, ref: str) -> str: ...
    async def until(self, check: Callable[[], Awaitable[bool]], timeout: float = ...) -> None: ...
    async def act(self, workflow_id: str, update: Any, arg: Any) -> Any: ...
    async def mistake(self, workflow_id: str, update: Any, arg: Any) -> None: ...
    async def detail(self, application_id: str) -> GroupDetail: ...


def documents_service(sessions: async_sessionmaker[AsyncSession], data_dir: Path) -> Documents:
    return Documents(sessions, documents_key(load_keys(get_settings()).identity), data_dir)


def export_path(data_dir: Path, cohort: str) -> Path:
    return data_dir / f"fs-eksport-{cohort}.csv"


async def run(demo: Demo) -> None:
    section = demo.scenario.end_of_year
    if section is None:
        return
    demo.say("End of year: appeals, re-sits, documents, export")
    await demo.until(lambda: _released(demo, section))
    admin = demo.admin
    asked = await explanations.ask(demo, section.explanations)  # the person asks first, then decides on an appeal
    registered = []
    for appeal in section.appeals:  # first of all: the window is short
        try:
            detail = await register_appeal(admin, demo.participant(appeal.participant), acting.office(demo.scenario))
        except Refused as refused:
            demo.say(f"  refused: appeal of {demo.participant(appeal.participant)}: {refused}")
            continue
        demo.say(f"  appeal registered: {detail.appeal_workflow_id} (deadline {detail.deadline:%Y-%m-%d %H:%M:%S %Z})")
        if appeal.withdraw:  # on the person's word, before the decision: the grade stays
            await withdraw_appeal(admin, AppealId.parse(detail.appeal_workflow_id), acting.office(demo.scenario))
            demo.say(f"  appeal withdrawn: {detail.appeal_workflow_id}")
            continue
        registered.append(appeal)
    resits = []
    for resit in section.resits:  # within the plan's re-sit period, which the compressed year makes short
        try:
            registered_resit = await register_resit(
                admin, demo.participant(resit.participant), acting.office(demo.scenario)
            )
        except Refused as refused:
            demo.say(f"  refused: re-sit of {demo.participant(resit.participant)}: {refused}")
            continue
        resits.append((resit, registered_resit.resit_workflow_id))
        demo.say(f"  re-sit registered: {registered_resit.resit_workflow_id} ({registered_resit.period.label})")
    await explanations.give(demo, asked)
    await _mistakes(demo, section)
    await _appeal_examiner_accounts(demo, section)
    documents = documents_service(demo.sessions, demo.progress_file.parent)
    await _issue(demo, documents, "issued at release")
    for appeal in registered:
        await _decide(demo, section, appeal)
    for resit, resit_id in resits:
        await _sit_again(demo, resit, resit_id)
    await demo.until(lambda: _decided(demo, len(registered), len(resits)))
    await _issue(demo, documents, "after the appeals and re-sits")
    chosen = web_documents.holder(await documents.current_of_cohort(demo.cohort))
    if demo.web_applicant is not None and chosen is not None:  # the web app serves: the holder downloads it
        what = await web_documents.download(demo.web_applicant.address, Accounts(demo.sessions), chosen)
        demo.say(f"  {chosen.participant_id} downloaded their {what} on the web as a participant")
    files = write_export(await cohort_results(admin, demo.cohort), demo.progress_file.parent, demo.cohort, section.xlsx)
    demo.say(f"  FS export: {', '.join(_relative(f) for f in files)}")
    report = await write_report(demo.sessions, demo.cohort, demo.progress_file.parent, admin.people)
    demo.say(f"  statistics: {_relative(report) if report else 'no cohort in the read model'}")


async def _released(demo: Demo, section: EndOfYear) -> bool:
    refs = [a.participant for a in section.appeals]
    applications = {ref.split("#")[0] for ref in refs}
    return all([(await demo.detail(a)).published_at is not None for a in applications])


async def _mistakes(demo: Demo, section: EndOfYear) -> None:
    actor = acting.office(demo.scenario)
    for ref in (section.mistakes.course_participant, section.mistakes.second_appeal):
        if ref is None:
            continue
        try:
            await register_appeal(demo.admin, demo.participant(ref), actor)
        except Refused as refused:
            demo.say(f"  appeal refused, as it should be: {demo.participant(ref)}: {refused}")
            continue
        raise RuntimeError(f"the appeal of {ref} was accepted but must be refused")


async def _decide(demo: Demo, section: EndOfYear, appeal: Appeal) -> None:
    appeal_id = appeal_workflow_id(demo.participant(appeal.participant))
    office, examiner = demo.script.actors.admin, section.appeal_examiners[0]
    if appeal.participant == section.mistakes.first_examiner_again:
        await demo.mistake(
            appeal_id,
            AppealWorkflow.assign_examiners,
            AssignExaminersInput(actor=office, examiners=[examiner, demo.script.actors.examiner]),
        )
    try:  # through the gateway, which checks that each is an examiner account
        named = AssignExaminersInput(actor=office, examiners=section.appeal_examiners)
        await assign_examiners(demo.admin, AppealId.parse(appeal_id), named, acting.office(demo.scenario))
    except Refused as refused:
        demo.say(f"  refused: assign_examiners on {appeal_id}: {refused}")
    assert appeal.written is not None  # a withdrawn appeal is not decided
    commission = appeal.commission or appeal.written
    own_grades = appeal.members or [commission] * len(section.appeal_examiners)
    for member, grade in zip(section.appeal_examiners, own_grades, strict=True):  # each on their own, blind
        own = CommissionGradeInput(actor=member, grade=grade)
        await demo.act(appeal_id, AppealWorkflow.register_commission_grade, own)
    decided = CommissionDecisionInput(actor=examiner, grade=commission)
    await demo.act(appeal_id, AppealWorkflow.register_new_written_grade, decided)
    if (await demo.admin.query(appeal_id, AppealWorkflow.detail)).stage == "further_assessment":
        fixed = CommissionDecisionInput(actor=office, grade=appeal.written, by_admin=True)  # all documents at hand
        await demo.act(appeal_id, AppealWorkflow.further_assessment, fixed)
    if appeal.oral is not None:
        await _new_oral(demo, appeal_id, office)
        await demo.act(
            appeal_id,
            AppealWorkflow.register_new_oral_adjustment,
            NewOralAdjustmentInput(actor=examiner, adjustment=appeal.oral),
        )
    detail = await demo.admin.query(appeal_id, AppealWorkflow.detail)
    demo.say(
        f"  appeal {appeal_id}: written {detail.written_before} -> {detail.written_after}, "
        f"grade {detail.final_before} -> {detail.final_after} ({detail.stage})"
    )


async def _new_oral(demo: Demo, appeal_id: str, office: str) -> None:
    """The administration sets the new oral a little ahead, within the plan's notice (which the compressed year keeps
    longer than that), so its letter goes at once; the examiner registers the adjustment once the letter is queued."""
    slot = OralSlot(start=datetime.now(UTC) + SLOT_AHEAD * demo.pace, place=ORAL_ROOMS[0])
    await demo.act(appeal_id, AppealWorkflow.schedule_new_oral, ScheduleNewOralInput(actor=office, slot=slot))
    demo.say(f"  new oral for {appeal_id}: {slot.start:%Y-%m-%d %H:%M:%S %Z}, {slot.place}")

    async def told() -> bool:
        async with demo.sessions() as session:
            letter = await session.scalar(
                select(OutboxRecord.idempotency_key).where(
                    OutboxRecord.kind == "appeal_oral_scheduled",
                    OutboxRecord.idempotency_key.startswith(f"{appeal_id}:new-oral-", autoescape=True),
                )
            )
        return letter is not None

    await demo.until(told)


async def _appeal_examiner_accounts(demo: Demo, section: EndOfYear) -> None:
    """The appeals' commission: accounts with the examiner role, assigned to no group (they graded none first), those
    the scenario names external marked so; a password nobody is told: the demo acts for them."""
    accounts = Accounts(demo.sessions)
    for username in section.appeal_examiners:
        account = Account(username=username, role=Role.EXAMINER, external=username in section.external_examiners)
        try:
            await accounts.add(account, secrets.token_urlsafe(24))
        except AccountError:  # a demo run again: the account is there
            continue


async def _sit_again(demo: Demo, resit: Resit, resit_id: str) -> None:
    examiner = demo.script.actors.examiner
    await demo.act(
        resit_id, ResitWorkflow.register_written_grade, NewWrittenGradeInput(actor=examiner, grade=resit.written)
    )
    if resit.oral is not None:
        await demo.act(
            resit_id,
            ResitWorkflow.register_oral_adjustment,
            NewOralAdjustmentInput(actor=examiner, adjustment=resit.oral),
        )
    detail = await demo.admin.query(resit_id, ResitWorkflow.detail)
    demo.say(
        f"  re-sit {resit_id}: written {detail.written}, this attempt {detail.attempt_grade}, "
        f"grade {detail.grade_before} -> {detail.grade_after} ({detail.stage})"
    )


async def _decided(demo: Demo, appeals: int, resits: int) -> bool:
    async with demo.sessions() as session:
        appeal_rows = await end_of_year_store.appeals_of_cohort(session, demo.cohort)
        resit_rows = await end_of_year_store.resits_of_cohort(session, demo.cohort)
    return (
        sum(r.decided_at is not None for r in appeal_rows) >= appeals
        and sum(r.decided_at is not None for r in resit_rows) >= resits
    )


async def _issue(demo: Demo, documents: Documents, when: str) -> None:
    if demo.admin.people is None:
        raise RuntimeError("the demo's gateway has no register of people")
    issued = await issue_documents(demo.admin, documents, demo.admin.people, demo.cohort)
    newer = [d for d in issued if d.version > 1]
    demo.say(f"  documents {when}: {len(issued)} current, {len(newer)} in a new version")


# ---- the report's sections ------------------------------------------------------------------------
async def report_sections(
    admin: Admin, sessions: async_sessionmaker[AsyncSession], cohort: str, participants: list[dict[str, Any]]
) -> dict[str, Any]:
    """`appeals` (decided or withdrawn), `explanations`, `resits`, `documents` (the current version of each),
    `export`; and each participant's `final_grade`, `credits` and `certificate` after the appeals and re-sits."""
    async with sessions() as session:
        appeals = await end_of_year_store.appeals_of_cohort(session, cohort)
        decided = [r for r in appeals if r.decided_at is not None]
        ended = [r for r in appeals if r.decided_at is not None or r.withdrawn_at is not None]
        resits = sorted(
            (r for r in await end_of_year_store.resits_of_cohort(session, cohort) if r.decided_at is not None),
            key=lambda r: (r.participant_id, r.attempt),
        )
        downloaded = await documents_store.downloaded_of_cohort(session, cohort)
    data_dir = get_settings().data_dir
    documents = await documents_service(sessions, data_dir).current_of_cohort(cohort)
    by_id = {p["id"]: p for p in participants}
    for appeal in decided:
        if appeal.participant_id in by_id and appeal.final_after:
            by_id[appeal.participant_id].update(
                final_grade=appeal.final_after,
                credits=appeal.credits_after,
                certificate="transcript" if appeal.final_after != "F" else None,
            )
    for resit in resits:  # after the appeals, attempt by attempt: each carries the best grade so far
        if resit.participant_id in by_id and resit.grade_after:
            by_id[resit.participant_id].update(
                final_grade=resit.grade_after,
                credits=resit.credits_after,
                certificate="transcript" if resit.grade_after != "F" else None,
            )
    export = export_path(data_dir, cohort)
    statistics = data_dir / f"statistikk-{cohort}.html"
    commissions = {a.appeal_id: await admin.query(a.appeal_id, AppealWorkflow.detail) for a in ended}
    return {
        "appeals": [
            {
                "participant": a.participant_id,
                "written_before": a.written_before,
                "written_after": a.written_after,
                "final_before": a.final_before,
                "final_after": a.final_after,
                "withdrawn": a.withdrawn_at is not None,  # before the decision: the grade stayed
                "examiners": commissions[a.appeal_id].examiners,  # the commission's accounts
                "external": len(commissions[a.appeal_id].external),
                "commission_grade": commissions[a.appeal_id].commission_grade,  # before any further assessment
                "further_assessment": commissions[a.appeal_id].further_assessment,
            }
            for a in ended
        ],
        "resits": [
            {
                "participant": r.participant_id,
                "attempt": r.attempt,
                "final_before": r.grade_before,
                "final_after": r.grade_after,
            }
            for r in resits
        ],
        "documents": [
            {"participant": d.participant_id, "kind": d.kind, "file": _relative(d.file), "verification_code": d.code}
            for d in documents
        ],
        "downloads": [  # by their holders, on their own page
            {"participant": d.participant_id, "kind": d.kind, "version": d.version} for d in downloaded
        ],
        "explanations": await explanations.report(sessions, cohort),
        "export": _relative(export) if export.exists() else None,
        "statistics": _relative(statistics) if statistics.exists() else None,
    }


def _relative(path: Path) -> str:
    """Relative to the repository root, where the demo runs."""
    return os.path.relpath(path)
