"""What the municipality contact sees of their group once its exam is graded and published, on a real worker and dev
server: the group's work and each member's progress, but no one's grade, oral adjustment, appeal, re-sit or the
reason a member was withdrawn, on the pages and through the API; the administration sees all of it, a participant
their own."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from temporalio.client import WorkflowHandle

from domain.models import Grade
from gateway.end_of_year.appeal import register_appeal
from gateway.end_of_year.resit import register_resit
from store.accounts import Account, Role
from tests.conftest import Harness
from tests.web.test_end_of_year import ADMIN, app_with, bearer, client, examiner_account, sign_in
from tests.web.test_pages import text
from tests.workflows.helpers import eventually
from tests.workflows.test_appeal import acting, admin, publish
from tests.workflows.test_group import ACTOR, approve_all, members, start_group
from tests.workflows.test_resit import OFFICE, oral, resit_plan
from workflows.group import GroupWorkflow
from workflows.messages import (
    MarkNonParticipatingInput,
    OralAdjustment,
    SubmitWrittenInput,
    WithdrawParticipantInput,
    WrittenGradeInput,
)
from workflows.participant import ParticipantWorkflow

REASON = "Langvarig sykdom i familien"
CONTACT = Account(username="kommune-5001", role=Role.MUNICIPALITY, municipality="5001")
TEACHER = Account(username="turid", role=Role.TEACHER)
# what only staff read on the group page: the grade column, the written grade, the oral adjustments, why a member
# may not sit the exam, and the log of the withdrawal (with its reason) and of the appeal and re-sit the office
# registered
STAFF_ONLY = (
    "Karakter Status",
    "karakter E",
    "Muntlig eksamen",
    "+1",
    " -1",
    "Nei (",
    "Trekking av deltaker",
    REASON,
    OFFICE,
    "ny og utsatt eksamen",
)


async def graded_and_published(harness: Harness) -> tuple[WorkflowHandle[Any, Any], list[str]]:
    """Written E; member 1 +1 (D) and appealing, member 2 -1 (F) and sitting again, member 3 not taking part,
    member 4 a course participant withdrawn for a reason the administration wrote down."""
    handle = await start_group(harness, plan=resit_plan())
    ids = await members(handle)

    async def withdrawn() -> None:
        await harness.client.get_workflow_handle(ids[3]).execute_update(
            ParticipantWorkflow.withdraw, WithdrawParticipantInput(actor=ACTOR, reason=REASON)
        )

    await eventually(withdrawn)  # once the group has started the member's workflow
    await approve_all(handle)
    await handle.execute_update(
        GroupWorkflow.mark_non_participating, MarkNonParticipatingInput(actor=ACTOR, participant_workflow_id=ids[2])
    )
    await handle.execute_update(GroupWorkflow.submit_written, SubmitWrittenInput(actor=ACTOR))
    await handle.execute_update(GroupWorkflow.register_written_grade, WrittenGradeInput(actor=ACTOR, grade=Grade.E))
    await oral(
        handle,
        [
            OralAdjustment(participant_workflow_id=ids[0], adjustment=1),
            OralAdjustment(participant_workflow_id=ids[1], adjustment=-1),
        ],
    )
    await publish(handle)
    await register_appeal(admin(harness), ids[0], acting(OFFICE))
    await register_resit(admin(harness), ids[1], acting(OFFICE))
    return handle, ids


async def test_the_contact_sees_the_groups_work_but_no_persons_grade(harness: Harness, tmp_path: Path) -> None:
    handle, ids = await graded_and_published(harness)
    own = Account(username="deltaker-1", role=Role.PARTICIPANT, participant=ids[0])
    app = await app_with(harness, tmp_path, handle, ADMIN, TEACHER, examiner_account("sigurd"), CONTACT, own)
    cohort = handle.id.split(".")[0].removeprefix("kull-")
    group, api = f"/kull/{cohort}/grupper/5001", f"/api/cohorts/{cohort}/groups/5001"

    async with client(app) as office:
        await sign_in(office, "ada")

        async def logged() -> str:  # the audit entries reach the read model through activities
            words = text((await office.get(group)).text)
            assert REASON in words and "ny og utsatt eksamen" in words, words
            return words

        staff = await eventually(logged)
        assert "Levert, karakter E." in staff
        assert "Registrering av klage" in staff and "Registrering av ny eksamen" in staff  # the log's actions in words
        assert "register_appeal" not in staff and "register_resit" not in staff
        assert all(words in staff for words in STAFF_ONLY), [w for w in STAFF_ONLY if w not in staff]
        person = text((await office.get(f"/deltaker/{ids[1]}")).text)
        assert "Endelig karakter F" in person and "Ny eksamen Forsøk" in person
        staff_json = (await office.get(api, headers=await bearer(office, "ada"))).json()
        assert staff_json["written_grade"] == "E"
        assert [m["final_grade"] for m in staff_json["members"]][:2] == ["D", "F"]
        for other in ("turid", "sigurd"):  # the teacher and the group's examiner read what the office reads
            assert (await office.get(api, headers=await bearer(office, other))).json() == staff_json

    async with client(app) as contact:
        await sign_in(contact, "kommune-5001")
        page = text((await contact.get(group)).text)
        assert "Deltaker Sektor Spor Oppmøtedager Eksamen Status" in page  # no grade column
        assert "Kan gå opp" in page and "Trukket" in page and "Deltok ikke i gruppearbeidet" in page
        assert "Godkjent" in page and "Skriftlig oppgave Levert." in page
        assert [words for words in STAFF_ONLY if words in page] == []
        assert "Levering av arbeidskrav Utført arbeidskrav 4" in page  # the log of the group's work, as it was
        for member in ids[:2]:
            words = text((await contact.get(f"/deltaker/{member}")).text)
            assert "Godkjente arbeidskrav 4 av 4" in words and "Eksamen Kan gå opp" in words
            for hidden in ("Skriftlig karakter", "Muntlig justering", "Endelig karakter", "Studiepoeng", "Klage"):
                assert hidden not in words
            assert "Ny eksamen" not in words and "Karakterutskrift" not in words and "Dokument" not in words
        withdrawn = text((await contact.get(f"/deltaker/{ids[3]}")).text)
        assert "Eksamen Kan ikke gå opp Status Trukket" in withdrawn
        body = await contact.get(api, headers=await bearer(contact, "kommune-5001"))
        seen = body.json()
        assert "written_grade" not in seen and seen["written_submitted"] is True
        for member in seen["members"]:
            assert {
                "final_grade",
                "oral_adjustment",
                "oral_absent",
                "credits",
                "certificate",
                "ineligible_reason",
            }.isdisjoint(member)
            assert {"attendance_days", "exam_eligible", "withdrawn"} <= set(member)
        assert REASON not in body.text

    async with client(app) as participant:
        await sign_in(participant, "deltaker-1")
        mine = text((await participant.get(f"/deltaker/{ids[0]}")).text)
        assert "Skriftlig karakter E Muntlig justering +1 Endelig karakter D" in mine
        assert "Dokument Karakterutskrift" in mine and "transcript" not in mine  # the document in words
        assert "Klage Registrert, ny sensur pågår" in mine
