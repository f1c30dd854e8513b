"""`starter.py privacy export|erase` against the dev server: what a person gets, and what is left after an erase."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

import starter
from activities.documents import DocumentFacts, Documents, documents_key
from domain.ids import CohortId
from domain.models import Application, CohortPlan, Sector
from gateway.admin import Admin, Refused
from gateway.commands import CONFIRM_SELECTION
from gateway.privacy import Privacy
from store.accounts import Account, Role
from store.people import People, PersonData, register_key
from store.tables import OutboxRecord, ParticipantRecord, PrivacyLogRecord
from tests.conftest import TEST_KEY, Harness
from tests.factories import application
from tests.workflows.helpers import eventually
from tests.workflows.plans import plan_from
from tests.workflows.test_cohort import open_in_time
from workflows.messages import ApplyResult, ConfirmSelectionInput

ACTOR = "personvern.ombud"


async def run(admin: Admin, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    args = starter.parser().parse_args([*argv, "--actor", ACTOR])
    capsys.readouterr()
    code = await args.run(admin, args)
    out, err = capsys.readouterr()
    return code, out, err


async def admitted_group(admin: Admin, harness: Harness) -> tuple[Application, str]:
    """A cohort whose one group is admitted and whose participants have started (letters sent, rows projected)."""

    def plan_for(shift: float) -> CohortPlan:
        return plan_from(
            datetime.now(UTC) + timedelta(seconds=shift),
            {
                "application_deadline": 3,
                "selection_date": 4,
                "written_deadline": 1900,
                "oral_start": 1910,
                "oral_end": 1920,
            },
            gathering_starts=[600, *(900 + 10 * i for i in range(5))],
            requirement_deadlines=[1600 + i for i in range(4)],
        )

    async def hand_in(_: object, plan: CohortPlan) -> tuple[Application, ApplyResult]:
        handed_in = Application.model_validate(application(["1804"]) | {"cohort": plan.cohort})
        return handed_in, await admin.apply(handed_in, ACTOR)

    plan, _, (handed_in, result) = await open_in_time(harness, admin, plan_for, hand_in)
    assert result.accepted and result.group_workflow_id

    async def confirmed() -> None:
        office = Account(username=ACTOR, role=Role.ADMIN)
        await admin.perform(CONFIRM_SELECTION, CohortId(plan.cohort), ConfirmSelectionInput(actor=ACTOR), office)

    async def started() -> None:
        async with harness.sessions() as session:
            rows = (await session.scalars(select(ParticipantRecord.participant_id))).all()
        assert len(rows) == 3

    await eventually(lambda: _refusal_as_assertion(confirmed))
    await eventually(started)
    return handed_in, result.group_workflow_id


async def _refusal_as_assertion(action: Callable[[], Awaitable[object]]) -> None:
    try:
        await action()
    except Refused as refused:
        raise AssertionError(str(refused)) from None


async def test_export_then_erase_a_participant(
    harness: Harness, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    people = People(harness.sessions, register_key(TEST_KEY))
    admin = Admin(harness.client, harness.sessions, harness.task_queue, people)
    handed_in, group = await admitted_group(admin, harness)
    kari = handed_in.participants[0]
    person_id = people.person_id(handed_in.cohort, kari.email)
    own = f"{group}.deltaker-1"

    async def letters_written() -> None:
        async with harness.sessions() as session:
            assert (await session.scalars(select(OutboxRecord).where(OutboxRecord.person_id == person_id))).all()

    await eventually(letters_written)

    code, out, _ = await run(admin, capsys, "privacy", "export", person_id, "--output", str(tmp_path / "kari.json"))
    assert code == 0 and out.strip() == f"{person_id}: skrevet til {tmp_path / 'kari.json'}"
    exported = json.loads((tmp_path / "kari.json").read_text(encoding="utf-8"))
    assert exported["person"]["data"] == {
        "name": kari.name,
        "email": kari.email,
        "kind": "participant",
        "role": kari.role,
        "sector": kari.sector.value,
        "education_years": kari.education_years,
        "experience_years": kari.experience_years,
    }
    assert [e["participant_workflow_id"] for e in exported["enrolments"]] == [own]
    assert exported["letters"] and all(letter["person_id"] == person_id for letter in exported["letters"])
    assert [row["participant_id"] for row in exported["read_model"]] == [own]
    assert all(own in row["workflow_id"] or own in (row["reason"] or "") for row in exported["audit"])

    code, out, err = await run(admin, capsys, "privacy", "erase", person_id)
    assert code == 1 and out == ""
    assert err.strip() == (
        f"avvist: {person_id} er fortsatt med i et studium som pågår ({own}); slett når det er avsluttet "
        "(eller lukket etter trekking)"
    )
    assert await people.get(person_id) is not None
    contact_id = people.person_id(handed_in.cohort, handed_in.contact.email)
    code, _, err = await run(admin, capsys, "privacy", "erase", contact_id)
    assert code == 1 and f"studium som pågår ({group})" in err  # the contact's group still runs

    # her own workflow ends (replaced, withdrawn or finished): she may go, though her group runs on
    await harness.client.get_workflow_handle(own).terminate("her part has ended")
    code, out, _ = await run(admin, capsys, "privacy", "erase", person_id, "--json")
    erased = json.loads(out)
    assert code == 0 and erased["in_register"] and erased["letters"] >= 1 and erased["grade_records_kept"] == [own]

    assert await people.get(person_id) is None
    async with harness.sessions() as session:
        assert (await session.scalars(select(OutboxRecord).where(OutboxRecord.person_id == person_id))).all() == []
        assert (await session.get_one(ParticipantRecord, own)).sector == kari.sector.value  # the grade record stays
        log = (
            await session.scalars(
                select(PrivacyLogRecord).where(PrivacyLogRecord.person_id == person_id).order_by(PrivacyLogRecord.id)
            )
        ).all()
    assert [(r.person_id, r.actor, r.action, r.outcome) for r in log] == [
        (person_id, ACTOR, "export", "done"),
        (person_id, ACTOR, "erase", "refused"),
        (person_id, ACTOR, "erase", "done"),
    ]
    files = b"".join(p.read_bytes() for p in tmp_path.glob("readmodel.sqlite3*"))
    assert kari.email.encode() not in files and kari.name.encode() not in files

    code, _, err = await run(admin, capsys, "privacy", "erase", contact_id)
    assert code == 1 and f"studium som pågår ({group})" in err  # the contact still hears from the group
    async for execution in harness.client.list_workflows(f"NisCohort = '{handed_in.cohort}'"):
        if execution.status is not None and execution.status.name == "RUNNING":
            await harness.client.get_workflow_handle(execution.id).terminate("the programme has ended")
    code, out, _ = await run(admin, capsys, "privacy", "erase", contact_id)
    assert code == 0 and out.startswith(f"{contact_id} er slettet: registeret raden makulert og slettet, ")
    assert "karakterprotokoller beholdt under anonym ID: ingen" in out
    code, _, err = await run(admin, capsys, "privacy", "export", person_id)
    assert code == 1 and err.strip() == f"avvist: {person_id} er ikke i registeret (aldri registrert, eller slettet)"
    code, _, err = await run(admin, capsys, "privacy", "erase", "kari@example.no")
    assert code == 2 and err.strip() == "feil: 'kari@example.no' er ikke en person-ID (p og 20 heksadesimale sifre)"


async def test_an_erased_persons_transcript_goes_with_them(harness: Harness, tmp_path: Path) -> None:
    """The PDF prints the name: erasing the person deletes the file, and its code no longer verifies."""
    people = People(harness.sessions, register_key(TEST_KEY))
    person = PersonData(
        name="Kari Slett",
        email="kari.slett@4601.no",
        kind="participant",
        role="leder",
        sector=Sector.HELSE_OMSORG,
        education_years=3.0,
        experience_years=2.0,
    )
    person_id = await people.register("2022", person, confirmed=True)
    documents = Documents(harness.sessions, documents_key(TEST_KEY), tmp_path)
    facts = DocumentFacts(
        kind="transcript",
        participant_id="kull-2022.gruppe-4601.deltaker-1",
        cohort="2022",
        credits=30,
        grade="B",
        result_date=date(2023, 6, 9),
    )
    issued = await documents.issue(person_id, facts, person.name)
    assert issued.file.exists() and await documents.verify(issued.code) is not None

    await Privacy(harness.client, harness.sessions, people, documents).erase(person_id, "test")
    assert not issued.file.exists() and await documents.verify(issued.code) is None
    assert await people.get(person_id) is None
