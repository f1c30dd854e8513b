"""From a posted form to the workflow's input model: the fields each form sends, and where its answer is shown.

Bad input raises ValueError (pydantic's ValidationError included) with what is wrong; the page shows it beside
the form it came from (`key`).
"""

from __future__ import annotations

from datetime import datetime

from starlette.datastructures import FormData

from domain.catalogue.labels import OSLO
from domain.models import Grade, Track
from domain.orals import OralSlot
from domain.project import InnovationProject, InnovationReport
from domain.supervision import SupervisionMeeting
from gateway.messages import (
    AdminAction,
    AttendanceInput,
    ConfirmSelectionInput,
    DayAttendance,
    DecideAssessmentInput,
    ExtensionInput,
    MarkNonParticipatingInput,
    OralAdjustment,
    OralInput,
    PublishGroupInput,
    PublishResultsInput,
    RecordProjectInput,
    RecordSupervisionInput,
    ReportProjectInput,
    RequirementInput,
    ReturnRequirementInput,
    ScheduleOralInput,
    SubmitRequirementInput,
    SubmitWrittenInput,
    WithdrawGroupInput,
    WithdrawParticipantInput,
    WrittenGradeInput,
)

ORAL_PREFIX = "adjust:"
ABSENT_PREFIX = "absent:"  # a checked box: a valid absence from the oral
PRESENT_PREFIX = "present-"  # and the day: a checked box in the attendance grid, the member's workflow ID its value


def text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def number(form: FormData, name: str) -> int:
    return _whole(name, text(form, name))


def numbers(form: FormData, name: str) -> list[int]:
    """Every value a field is given (hidden fields of the same name, one for each day of a gathering)."""
    return [_whole(name, str(value).strip()) for value in form.getlist(name)]


def _whole(name: str, value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"{name}: '{value}' is not a whole number") from None


def key(name: str, form: FormData) -> str:
    """Which form on the page the answer belongs beside."""
    if name.startswith("requirement-"):
        return f"{name}-{text(form, 'number')}"
    if name == "attendance":
        return f"attendance-{text(form, 'gathering')}"
    if name == "non-participating":
        return f"{name}-{text(form, 'participant')}"
    return name


def anchor(name: str, form: FormData) -> str:
    if name.startswith("requirement-"):
        return f"krav-{text(form, 'number')}"
    places = {
        "attendance": "oppmote",
        "non-participating": "medlemmer",
        "oral": "muntlig",
        "oral-schedule": "muntlig-tid",
        "supervision": "veiledning",
    }
    return places.get(name, "prosjekt" if name.startswith("project") else "skriftlig")


def group_action(name: str, form: FormData, actor: str, document: str | None = None) -> AdminAction:
    """The action a group page's form asks for; `document` is the SHA-256 of a file handed in with it."""
    if name == "requirement-submit":
        return SubmitRequirementInput(actor=actor, number=number(form, "number"), document=document)
    if name == "requirement-approve":
        return RequirementInput(actor=actor, number=number(form, "number"))
    if name == "requirement-return":
        return ReturnRequirementInput(actor=actor, number=number(form, "number"), feedback=text(form, "feedback"))
    if name == "requirement-extend":
        return ExtensionInput(actor=actor, number=number(form, "number"), deadline=oslo_time(text(form, "deadline")))
    if name == "attendance":
        return AttendanceInput(actor=actor, gathering=number(form, "gathering"), days=attendance_days(form))
    if name == "non-participating":
        return MarkNonParticipatingInput(actor=actor, participant_workflow_id=text(form, "participant"))
    if name == "written-submit":
        return SubmitWrittenInput(actor=actor, document=document)
    if name == "written-grade":
        return WrittenGradeInput(actor=actor, grade=Grade(text(form, "grade").upper()))
    if name == "oral":
        return OralInput(actor=actor, adjustments=oral_adjustments(form))
    if name == "oral-schedule":
        slot = OralSlot(start=oslo_time(text(form, "start"), "tidspunkt"), place=text(form, "place"))
        return ScheduleOralInput(actor=actor, slot=slot)
    if name == "project":
        return RecordProjectInput(actor=actor, project=innovation_project(form))
    if name == "project-report":
        report = InnovationReport(
            number=number(form, "number"), drivers=text(form, "drivers"), barriers=text(form, "barriers")
        )
        return ReportProjectInput(actor=actor, report=report)
    if name == "supervision":
        meeting = {"day": text(form, "day"), "present": form.getlist("came"), "note": text(form, "note") or None}
        return RecordSupervisionInput(actor=actor, meeting=SupervisionMeeting.model_validate(meeting))
    raise ValueError(f"unknown action {name}")


def innovation_project(form: FormData) -> InnovationProject:
    """Title, problem and the partner rows that have a name (partner_kind and partner_name, row by row; a row
    without a name is left out)."""
    kinds, names = form.getlist("partner_kind"), form.getlist("partner_name")
    partners = [
        {"kind": str(kind), "name": str(name)} for kind, name in zip(kinds, names, strict=False) if str(name).strip()
    ]
    return InnovationProject.model_validate(
        {"title": text(form, "title"), "problem": text(form, "problem"), "partners": partners}
    )


def attendance_days(form: FormData) -> list[DayAttendance]:
    """The gathering's days the form lists (`day`, one field each) with the members checked for each
    (`present-<day>`); a member not checked is absent that day."""
    return [
        DayAttendance(day=day, present=[str(v) for v in form.getlist(f"{PRESENT_PREFIX}{day}")])
        for day in numbers(form, "day")
    ]


def oral_adjustments(form: FormData) -> list[OralAdjustment]:
    absent = {field.removeprefix(ABSENT_PREFIX) for field in form if field.startswith(ABSENT_PREFIX)}
    adjustments = [OralAdjustment(participant_workflow_id=member, absent=True) for member in sorted(absent)]
    for field, value in form.items():
        if field.removeprefix(ORAL_PREFIX) in absent:
            continue  # absent: whatever the adjustment field says, there is no oral to adjust
        if field.startswith(ORAL_PREFIX) and isinstance(value, str) and value.strip():
            try:
                steps = int(value.strip())
            except ValueError:
                raise ValueError(f"muntlig justering: '{value}' er ikke et helt tall (f.eks. -1, 0 eller +1)") from None
            adjustments.append(
                OralAdjustment(participant_workflow_id=field.removeprefix(ORAL_PREFIX), adjustment=steps)
            )
    return adjustments


def cohort_action(name: str, form: FormData, actor: str) -> AdminAction:
    if name == "confirm-selection":
        return ConfirmSelectionInput(actor=actor)
    if name == "publish":
        return PublishResultsInput(actor=actor)
    if name == "publish-group":
        return PublishGroupInput(actor=actor, application_id=text(form, "application_id"))
    if name == "withdraw-group":
        return WithdrawGroupInput(actor=actor, application_id=text(form, "application_id"), reason=text(form, "reason"))
    raise ValueError(f"unknown action {name}")


def participant_action(name: str, form: FormData, actor: str) -> AdminAction:
    if name == "assessment":
        return DecideAssessmentInput(actor=actor, track=Track(text(form, "track")))
    if name == "withdraw":
        return WithdrawParticipantInput(actor=actor, reason=text(form, "reason"))
    raise ValueError(f"unknown action {name}")


def oslo_time(value: str, field: str = "ny frist") -> datetime:
    """A browser's datetime-local value (no zone) read as Norwegian time."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{field}: '{value}' er ikke et tidspunkt (dd.mm.åååå tt:mm)") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=OSLO)
