"""An appeal's commission in tests: two new examiners, the second external, and the steps that fix its grade."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.ids import AppealId
from domain.models import Grade
from domain.orals import OralSlot
from gateway import commands
from gateway.admin import Admin
from store.accounts import Account, Role
from workflows.end_of_year.messages import (
    AppealActionResult,
    AssignExaminersInput,
    CommissionDecisionInput,
    CommissionGradeInput,
    ScheduleNewOralInput,
)

EXAMINER = "sensor.ny"
EXTERNAL = "sensor.ekstern"
OFFICE = "ola.studieadm"
# straight to the workflow (Admin.perform): `external` as the gateway reads it from the accounts
COMMISSION = AssignExaminersInput(actor=OFFICE, examiners=[EXAMINER, EXTERNAL], external=[EXTERNAL])


def examiner(username: str) -> Account:
    return Account(username=username, role=Role.EXAMINER)


async def appoint(gateway: Admin, appeal: AppealId) -> AppealActionResult:
    office = Account(username=OFFICE, role=Role.ADMIN)
    return await gateway.perform(commands.APPEAL_EXAMINERS, appeal, COMMISSION, office)


async def grade(gateway: Admin, appeal: AppealId, username: str, given: Grade) -> AppealActionResult:
    own = CommissionGradeInput(actor=username, grade=given)
    return await gateway.perform(commands.APPEAL_GRADE, appeal, own, examiner(username))


async def decide(gateway: Admin, appeal: AppealId, decided: Grade, by: str = EXAMINER) -> AppealActionResult:
    """The commission's grade, by one of its members."""
    action = CommissionDecisionInput(actor=by, grade=decided)
    return await gateway.perform(commands.APPEAL_WRITTEN, appeal, action, examiner(by))


async def commission_decides(gateway: Admin, appeal: AppealId, decided: Grade) -> AppealActionResult:
    """Appointed, both members give `decided`, and the commission decides it (less than two from the first)."""
    await appoint(gateway, appeal)
    await grade(gateway, appeal, EXAMINER, decided)
    await grade(gateway, appeal, EXTERNAL, decided)
    return await decide(gateway, appeal, decided)


async def schedule_new_oral(
    gateway: Admin, appeal: AppealId, ahead: timedelta = timedelta(hours=3), place: str = "Rom 101, Storgata 1"
) -> AppealActionResult:
    """The new oral after a changed grade, `ahead` of now, set by the administration (the letter is due at once
    when that is within the plan's notice)."""
    slot = OralSlot(start=datetime.now(UTC) + ahead, place=place)
    office = Account(username=OFFICE, role=Role.ADMIN)
    action = ScheduleNewOralInput(actor=OFFICE, slot=slot)
    return await gateway.perform(commands.APPEAL_ORAL_SCHEDULE, appeal, action, office)
