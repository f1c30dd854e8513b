"""starter.py's appeal and re-sit commands against the dev server: an appeal from registration to its final result,
a re-sit, and a refusal as one line with exit code 1."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from domain.end_of_year.appeals import oslo_date
from domain.models import Grade
from tests.conftest import Harness
from tests.test_starter_admin import one_line, run
from tests.workflows.commission import EXAMINER, EXTERNAL, OFFICE
from tests.workflows.test_appeal import examiner_accounts, graded_group, publish
from tests.workflows.test_resit import failed_group, written_graded
from workflows.group import GroupWorkflow


async def test_an_appeal_on_the_command_line(harness: Harness, capsys: pytest.CaptureFixture[str]) -> None:
    handle, ids = await graded_group(harness)
    await publish(handle)
    code, out, _ = await run(harness, capsys, "appeal", "register", ids[1], actor=OFFICE)
    assert code == 0 and f"{ids[1]}.klage: venter på nye sensorer; mottatt " in out and "; før C -> D" in out
    appeal = f"{ids[1]}.klage"
    code, _, err = await run(harness, capsys, "appeal", "examiners", appeal, EXAMINER, actor=OFFICE)
    assert code == 1 and one_line(err) == f"avvist: {EXAMINER} er ikke brukernavnet til en sensorkonto"
    await examiner_accounts(harness, EXAMINER)
    code, _, err = await run(harness, capsys, "appeal", "examiners", appeal, EXAMINER, actor=OFFICE)
    assert code == 1 and one_line(err) == "avvist: En klagekommisjon skal ha minst 2 sensorer, ikke 1"
    await examiner_accounts(harness, EXTERNAL, external=True)
    code, out, _ = await run(harness, capsys, "appeal", "examiners", appeal, EXAMINER, EXTERNAL, actor=OFFICE)
    assert code == 0 and "klagen er nå: venter på karakterene fra klagekommisjonen" in out
    for member in (EXAMINER, EXTERNAL):
        code, out, _ = await run(harness, capsys, "appeal", "grade", appeal, "b", actor=member)
    assert code == 0 and "venter på kommisjonens karakter" in out
    code, out, _ = await run(harness, capsys, "appeal", "written", appeal, "b", actor=EXAMINER)
    assert code == 0 and "venter på muntlig justering" in out
    code, _, err = await run(harness, capsys, "appeal", "oral", appeal, "1", actor=EXAMINER)
    assert code == 1 and one_line(err) == (
        "avvist: Tid og sted for den nye muntlige eksamenen er ikke satt; justeringen kan registreres når den er satt"
    )
    at = (datetime.now(UTC) + timedelta(hours=3)).replace(microsecond=0)
    code, out, _ = await run(
        harness, capsys, "appeal", "oral-schedule", appeal, "--at", at.isoformat(), "--place", "Rom 101", actor=OFFICE
    )
    assert code == 0 and out.startswith("ny muntlig eksamen ") and ", Rom 101; klagen er nå: venter på muntlig" in out
    code, _, err = await run(harness, capsys, "appeal", "oral", appeal, "3", actor=EXAMINER)
    assert code == 1 and one_line(err) == "avvist: Den muntlige eksamenen kan flytte karakteren høyst 1 trinn, ikke +3"
    code, out, _ = await run(harness, capsys, "appeal", "oral", appeal, "1", actor=EXAMINER)
    assert code == 0 and "avgjort" in out
    code, out, _ = await run(harness, capsys, "appeal", "show", appeal, "--json")
    shown = json.loads(out)
    assert (shown["final_before"], shown["final_after"], shown["pending_action"]) == ("D", "A", None)

    code, _, err = await run(harness, capsys, "appeal", "register", ids[3], actor=OFFICE)
    assert code == 1 and one_line(err) == "avvist: En kursdeltaker får ikke karakter og har ingenting å klage på"
    code, _, err = await run(harness, capsys, "appeal", "withdraw", appeal, actor=OFFICE)
    assert code == 1 and one_line(err) == "avvist: Klagen er avgjort og kan ikke lenger trekkes tilbake"


async def test_an_appeal_received_earlier_and_withdrawn_on_the_command_line(
    harness: Harness, capsys: pytest.CaptureFixture[str]
) -> None:
    handle, ids = await graded_group(harness)
    await publish(handle)
    released = (await handle.query(GroupWorkflow.detail)).published_at
    assert released is not None
    day = oslo_date(released)
    future = f"{day + timedelta(days=1):%Y-%m-%d}"
    code, _, err = await run(harness, capsys, "appeal", "register", ids[0], "--received", future, actor=OFFICE)
    assert code == 1 and one_line(err) == (
        f"avvist: Mottatt-datoen {day + timedelta(days=1):%d.%m.%Y} er fram i tid; oppgi dagen klagen kom inn"
    )
    code, out, _ = await run(harness, capsys, "appeal", "register", ids[0], "--received", f"{day}", actor=OFFICE)
    assert code == 0 and f"venter på nye sensorer; mottatt {day:%d.%m.%Y}, klagefrist " in out
    appeal = f"{ids[0]}.klage"
    code, out, _ = await run(harness, capsys, "appeal", "withdraw", appeal, actor=OFFICE)
    assert code == 0 and out.strip() == "utført; klagen er nå: trukket"
    code, out, _ = await run(harness, capsys, "appeal", "show", appeal)
    assert "trukket (trukket tilbake " in out and "karakteren står)" in out and "før C -> B, etter - -> -" in out


async def test_a_resit_on_the_command_line(harness: Harness, capsys: pytest.CaptureFixture[str]) -> None:
    handle, ids = await failed_group(harness)  # member 2 has F
    await publish(handle)
    code, _, err = await run(harness, capsys, "resit", "register", ids[0], actor=OFFICE)
    assert code == 1 and one_line(err) == "avvist: Eksamen er bestått (D); ny eksamen er for den som ikke har bestått"
    code, out, _ = await run(harness, capsys, "resit", "register", ids[1], actor=OFFICE)
    resit = f"{ids[1]}.ny-eksamen-2"
    assert code == 0 and f"{resit}: ny eksamen, venter på ny skriftlig karakter; ny og utsatt eksamen for kull" in out
    code, out, _ = await run(harness, capsys, "resit", "written", resit, "c", actor=EXAMINER)
    assert code == 0 and "venter på muntlig justering" in out
    code, out, _ = await run(harness, capsys, "resit", "oral", resit, "1", actor=EXAMINER)
    assert code == 0 and "avgjort; " in out and "karakter F -> B" in out
    code, out, _ = await run(harness, capsys, "resit", "show", resit, "--json")
    shown = json.loads(out)
    assert (shown["grade_before"], shown["grade_after"], shown["credits_after"]) == ("F", "B", 30)


async def test_a_valid_absence_from_the_oral_on_the_command_line(
    harness: Harness, capsys: pytest.CaptureFixture[str]
) -> None:
    handle, ids = await written_graded(harness, Grade.C)  # ids[2] took no part, ids[3] is a course participant
    cohort = handle.id.split(".")[0].removeprefix("kull-")
    adjust = [f"{ids[0]}=+1", f"{ids[1]}=absent"]
    code, out, err = await run(harness, capsys, "oral", "5001", "--cohort", cohort, "--adjust", *adjust, actor=EXAMINER)
    assert code == 0, err
    detail = await handle.query(GroupWorkflow.detail)
    assert {m.participant_workflow_id: m.oral_absent for m in detail.members}[ids[1]] is True
