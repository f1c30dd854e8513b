"""Every command a person can give a workflow, in one list: its stable name (the command line's subcommand, the
page's form, the API's route), the workflow kind it is for (by its typed ID), the update, its input and result, the
roles that may give it and the name the audit trail keeps.

`Admin.perform(command, target, input, actor)` runs one and returns its real result type. A new command is one
`Command(...)` here and its entry in COMMANDS; the web and the command line find it by name. Registering an appeal
or a re-sit starts a workflow rather than updating one: a `Start` (name, target, roles, audit name) that the
gateway's own function gives (gateway/end_of_year/), checking the account's role the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from temporalio.workflow import UpdateMethodMultiParam

from domain.ids import AppealId, CohortId, ExplanationId, GroupId, ParticipantId, ResitId, WorkflowRef
from domain.refusals import Refusal
from store.accounts import Account, Role
from workflows.cohort import CohortWorkflow
from workflows.cohort_amend import AmendPlanInput, AmendPlanResult
from workflows.end_of_year.appeal import AppealWorkflow
from workflows.end_of_year.explanation import ExplanationWorkflow
from workflows.end_of_year.explanation_messages import ExplanationActionResult, GiveExplanationInput
from workflows.end_of_year.messages import (
    AppealActionResult,
    AssignExaminersInput,
    CommissionDecisionInput,
    CommissionGradeInput,
    NewOralAdjustmentInput,
    NewWrittenGradeInput,
    ResitActionResult,
    ScheduleNewOralInput,
    WithdrawAppealInput,
)
from workflows.end_of_year.resit import ResitWorkflow
from workflows.group import GroupWorkflow
from workflows.group_supervision import RecordSupervisionInput
from workflows.messages import (
    ActionResult,
    AdminAction,
    ApplyInput,
    ApplyResult,
    AttendanceInput,
    ConfirmSelectionInput,
    ConfirmSelectionResult,
    DecideAssessmentInput,
    ExtensionInput,
    MarkNonParticipatingInput,
    OralInput,
    ParticipantActionResult,
    PublishGroupInput,
    PublishResultsInput,
    PublishResultsResult,
    RecordProjectInput,
    ReplaceParticipantInput,
    ReportProjectInput,
    RequirementInput,
    RequirementResult,
    ReturnRequirementInput,
    ScheduleOralInput,
    SubmitRequirementInput,
    SubmitWrittenInput,
    WithdrawGroupInput,
    WithdrawGroupResult,
    WithdrawParticipantInput,
    WrittenGradeInput,
)
from workflows.offer_messages import AnswerOfferInput, GiveUpPlaceInput, OfferResult
from workflows.participant import ParticipantWorkflow

T = TypeVar("T", bound=WorkflowRef)
I = TypeVar("I", bound=AdminAction)  # noqa: E741 (the input, as in Command[T, I, R])
R = TypeVar("R")

ADMIN = frozenset({Role.ADMIN})
TEACHING = frozenset({Role.ADMIN, Role.TEACHER})
CONTACT = frozenset({Role.ADMIN, Role.MUNICIPALITY})
PROJECT = frozenset({Role.ADMIN, Role.TEACHER, Role.MUNICIPALITY})  # the group, its supervisor, the administration
EXAMINING = frozenset({Role.ADMIN, Role.EXAMINER})
APPELLANT = frozenset({Role.ADMIN, Role.PARTICIPANT})  # the person (their own: gateway/end_of_year/appeal.py) or staff


class Rights:
    """Who may give a command: an account whose role is one of its roles (every channel alike)."""

    name: str
    roles: frozenset[Role]
    audit: str

    def allows(self, account: Account) -> bool:
        return account.role in self.roles

    def check(self, account: Account) -> None:
        """Refuse (gateway.role_forbidden) an account whose role may not give this command."""
        if not self.allows(account):
            raise Refusal("gateway.role_forbidden", role=account.role.value, command=self.name)


@dataclass(frozen=True)
class Command(Rights, Generic[T, I, R]):
    name: str  # stable: the subcommand, the form's path, the API route's last part
    target: type[T]  # the workflow kind, as its typed ID: CohortId, GroupId, ParticipantId, AppealId or ResitId
    update: UpdateMethodMultiParam[[Any, I], R]  # the workflow's update method
    input: type[I]
    result: type[R]
    roles: frozenset[Role]
    audit: str  # the action's name in the audit trail (the workflow records the same)


@dataclass(frozen=True)
class Start(Rights):
    """A command that starts a workflow for `target` (the person) rather than updating one."""

    name: str
    target: type[WorkflowRef]
    roles: frozenset[Role]
    audit: str


def command(
    name: str,
    target: type[T],
    update: UpdateMethodMultiParam[[Any, I], R],
    input: type[I],
    result: type[R],
    roles: frozenset[Role],
) -> Command[T, I, R]:
    """A command whose audit name is its update's, as the workflow records it."""
    return Command(name, target, update, input, result, roles, getattr(update, "__name__", name))


# ---- the cohort -----------------------------------------------------------------------------------------------
APPLY = command("apply", CohortId, CohortWorkflow.apply, ApplyInput, ApplyResult, ADMIN)
CONFIRM_SELECTION = command(
    "confirm-selection",
    CohortId,
    CohortWorkflow.confirm_selection,
    ConfirmSelectionInput,
    ConfirmSelectionResult,
    ADMIN,
)
PUBLISH = command("publish", CohortId, CohortWorkflow.publish_results, PublishResultsInput, PublishResultsResult, ADMIN)
PUBLISH_GROUP = command(
    "publish-group", CohortId, CohortWorkflow.publish_group, PublishGroupInput, PublishResultsResult, ADMIN
)
WITHDRAW_GROUP = command(
    "withdraw-group", CohortId, CohortWorkflow.withdraw_group, WithdrawGroupInput, WithdrawGroupResult, ADMIN
)
AMEND_PLAN = command("amend-plan", CohortId, CohortWorkflow.amend_plan, AmendPlanInput, AmendPlanResult, ADMIN)
# the municipality's own word on its place (its own application only: the web checks which it may see)
ANSWER_OFFER = command("answer-offer", CohortId, CohortWorkflow.answer_offer, AnswerOfferInput, OfferResult, CONTACT)
GIVE_UP_PLACE = command("give-up-place", CohortId, CohortWorkflow.give_up_place, GiveUpPlaceInput, OfferResult, CONTACT)

# ---- a group --------------------------------------------------------------------------------------------------
REQUIREMENT_SUBMIT = command(
    "requirement-submit",
    GroupId,
    GroupWorkflow.submit_requirement,
    SubmitRequirementInput,
    RequirementResult,
    CONTACT,
)
REQUIREMENT_APPROVE = command(
    "requirement-approve", GroupId, GroupWorkflow.approve_requirement, RequirementInput, RequirementResult, TEACHING
)
REQUIREMENT_RETURN = command(
    "requirement-return",
    GroupId,
    GroupWorkflow.return_requirement,
    ReturnRequirementInput,
    RequirementResult,
    TEACHING,
)
REQUIREMENT_EXTEND = command(
    "requirement-extend", GroupId, GroupWorkflow.grant_extension, ExtensionInput, RequirementResult, TEACHING
)
ATTENDANCE = command("attendance", GroupId, GroupWorkflow.register_attendance, AttendanceInput, ActionResult, TEACHING)
NON_PARTICIPATING = command(
    "non-participating",
    GroupId,
    GroupWorkflow.mark_non_participating,
    MarkNonParticipatingInput,
    ActionResult,
    TEACHING,
)
REPLACE_PARTICIPANT = command(
    "replace-participant", GroupId, GroupWorkflow.replace_participant, ReplaceParticipantInput, ActionResult, ADMIN
)
WRITTEN_SUBMIT = command(
    "written-submit", GroupId, GroupWorkflow.submit_written, SubmitWrittenInput, ActionResult, CONTACT
)
WRITTEN_GRADE = command(
    "written-grade", GroupId, GroupWorkflow.register_written_grade, WrittenGradeInput, ActionResult, EXAMINING
)
ORAL = command("oral", GroupId, GroupWorkflow.register_oral, OralInput, ActionResult, EXAMINING)
ORAL_SCHEDULE = command("oral-schedule", GroupId, GroupWorkflow.schedule_oral, ScheduleOralInput, ActionResult, ADMIN)
PROJECT_RECORD = command("project", GroupId, GroupWorkflow.record_project, RecordProjectInput, ActionResult, PROJECT)
PROJECT_REPORT = command(
    "project-report", GroupId, GroupWorkflow.report_project, ReportProjectInput, ActionResult, PROJECT
)
SUPERVISION = command(
    "supervision", GroupId, GroupWorkflow.record_supervision, RecordSupervisionInput, ActionResult, TEACHING
)

# ---- a participant --------------------------------------------------------------------------------------------
ASSESSMENT = command(
    "assessment",
    ParticipantId,
    ParticipantWorkflow.decide_assessment,
    DecideAssessmentInput,
    ParticipantActionResult,
    ADMIN,
)
WITHDRAW = command(
    "withdraw",
    ParticipantId,
    ParticipantWorkflow.withdraw,
    WithdrawParticipantInput,
    ParticipantActionResult,
    ADMIN,
)

# ---- a person's end of the year: appeal and re-sit --------------------------------------------------------------
REGISTER_APPEAL = Start("appeal", ParticipantId, APPELLANT, "register_appeal")
WITHDRAW_APPEAL = command(
    "appeal-withdraw", AppealId, AppealWorkflow.withdraw_appeal, WithdrawAppealInput, AppealActionResult, APPELLANT
)
APPEAL_EXAMINERS = command(
    "appeal-examiners", AppealId, AppealWorkflow.assign_examiners, AssignExaminersInput, AppealActionResult, ADMIN
)
APPEAL_GRADE = command(  # one commission member's own grade
    "appeal-grade",
    AppealId,
    AppealWorkflow.register_commission_grade,
    CommissionGradeInput,
    AppealActionResult,
    frozenset({Role.EXAMINER}),
)
APPEAL_WRITTEN = command(  # the commission's grade
    "appeal-written",
    AppealId,
    AppealWorkflow.register_new_written_grade,
    CommissionDecisionInput,
    AppealActionResult,
    EXAMINING,
)
APPEAL_FURTHER = command(  # the grade the further assessment fixes
    "appeal-further",
    AppealId,
    AppealWorkflow.further_assessment,
    CommissionDecisionInput,
    AppealActionResult,
    EXAMINING,
)
APPEAL_ORAL_SCHEDULE = command(  # the new oral's time and place, after a changed written grade
    "appeal-oral-schedule",
    AppealId,
    AppealWorkflow.schedule_new_oral,
    ScheduleNewOralInput,
    AppealActionResult,
    ADMIN,
)
APPEAL_ORAL = command(
    "appeal-oral",
    AppealId,
    AppealWorkflow.register_new_oral_adjustment,
    NewOralAdjustmentInput,
    AppealActionResult,
    EXAMINING,
)
REGISTER_RESIT = Start("resit", ParticipantId, ADMIN, "register_resit")
RESIT_WRITTEN = Command(  # the re-sit's workflow records its own audit names (a re-sit's, not the group's grade)
    "resit-written",
    ResitId,
    ResitWorkflow.register_written_grade,
    NewWrittenGradeInput,
    ResitActionResult,
    EXAMINING,
    "register_resit_written_grade",
)
RESIT_ORAL = Command(
    "resit-oral",
    ResitId,
    ResitWorkflow.register_oral_adjustment,
    NewOralAdjustmentInput,
    ResitActionResult,
    EXAMINING,
    "register_resit_oral_adjustment",
)
# a begrunnelse: asked by the person (their own) or registered by the administration; written by an examiner of the
# group (gateway/end_of_year/explanation.py, which stores the words before the update; so not in COMMANDS below)
REQUEST_EXPLANATION = Start("explanation", ParticipantId, APPELLANT, "request_explanation")
GIVE_EXPLANATION = command(
    "explanation-give",
    ExplanationId,
    ExplanationWorkflow.give_explanation,
    GiveExplanationInput,
    ExplanationActionResult,
    EXAMINING,
)
STARTS: dict[str, Start] = {s.name: s for s in (REGISTER_APPEAL, REGISTER_RESIT, REQUEST_EXPLANATION)}

AnyCommand = Command[Any, Any, Any]
COMMANDS: dict[str, AnyCommand] = {
    c.name: c
    for c in (
        APPLY,
        CONFIRM_SELECTION,
        PUBLISH,
        PUBLISH_GROUP,
        WITHDRAW_GROUP,
        AMEND_PLAN,
        ANSWER_OFFER,
        GIVE_UP_PLACE,
        REQUIREMENT_SUBMIT,
        REQUIREMENT_APPROVE,
        REQUIREMENT_RETURN,
        REQUIREMENT_EXTEND,
        ATTENDANCE,
        NON_PARTICIPATING,
        REPLACE_PARTICIPANT,
        WRITTEN_SUBMIT,
        WRITTEN_GRADE,
        ORAL,
        ORAL_SCHEDULE,
        PROJECT_RECORD,
        PROJECT_REPORT,
        SUPERVISION,
        ASSESSMENT,
        WITHDRAW,
        APPEAL_EXAMINERS,
        APPEAL_GRADE,
        APPEAL_WRITTEN,
        APPEAL_FURTHER,
        APPEAL_ORAL_SCHEDULE,
        APPEAL_ORAL,
        WITHDRAW_APPEAL,
        RESIT_WRITTEN,
        RESIT_ORAL,
    )
}


def of_kind(target: type[WorkflowRef]) -> dict[str, AnyCommand]:
    """The commands for one workflow kind, by name (the cohort page's forms, the group page's, ...)."""
    return {name: c for name, c in COMMANDS.items() if c.target is target}
