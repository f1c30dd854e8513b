"""The admin commands of starter.py against the dev server: output, exit codes, the audit trail of refusals."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

import starter
from admin import Admin
from domain.models import CohortPlan
from store.tables import AuditRecord
from tests.conftest import Harness
from tests.factories import application
from tests.workflows.helpers import eventually
from tests.workflows.plans import now_plan

ROOT = Path(__file__).parents[1]
ACTOR = "kari.admin"


def cohort_plan(deadline_in: float) -> CohortPlan:
    """Applications due in `deadline_in` seconds, the first gathering two seconds later, the rest far ahead."""
    d = deadline_in
    return now_plan({"application_deadline": d, "selection_date": d + 1, "written_deadline": d + 900,
                     "oral_start": d + 910, "oral_end": d + 920}, gathering_starts=[d + 2, *(d + 300 + 10 * i for i in range(5))],
                    requirement_deadlines=[d + 600 + i for i in range(4)])


def write(tmp_path: Path, name: str, data: Any) -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(path)


async def run(harness: Harness, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run one command as the CLI would, with the test's own gateway; returns (exit code, stdout, stderr)."""
    args = starter.parser().parse_args([*argv, "--actor", ACTOR])
    capsys.readouterr()
    code = await args.run(Admin(harness.client, harness.sessions, harness.task_queue), args)
    out, err = capsys.readouterr()
    return code, out, err


def one_line(err: str) -> str:
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    return err.strip()


async def refusals(harness: Harness) -> list[AuditRecord]:
    async with harness.sessions() as session:
        return list((await session.scalars(select(AuditRecord).where(AuditRecord.outcome == "refused"))).all())


async def terminate_all(harness: Harness, cohort: str) -> None:
    async for execution in harness.client.list_workflows(f"NisCohort = '{cohort}' AND ExecutionStatus = 'Running'"):
        await harness.client.get_workflow_handle(execution.id).terminate("test done")


async def test_refusals_are_one_line_audited_and_send_nothing(harness: Harness, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    plan = cohort_plan(deadline_in=600)
    code, out, _ = await run(harness, capsys, "start-cohort", write(tmp_path, "plan.json", plan.model_dump_json()), "--seed", "frø")
    assert code == 0 and f"kull-{plan.cohort}" in out

    schema = application(["0301"]) | {"cohort": plan.cohort, "participants": "many"}
    code, out, err = await run(harness, capsys, "apply", write(tmp_path, "bad.json", schema))
    assert code == 1 and out == "" and "participants" in one_line(err)

    code, _, err = await run(harness, capsys, "confirm-selection", "--cohort", plan.cohort)
    assert code == 1 and one_line(err) == "refused: no selection waiting for confirmation (cohort stage: intake)"
    [audited] = await refusals(harness)
    assert (audited.workflow_id, audited.actor, audited.action) == (f"kull-{plan.cohort}", ACTOR, "confirm_selection")
    assert "no selection waiting" in (audited.reason or "")

    code, out, _ = await run(harness, capsys, "show", "cohort", plan.cohort, "--json")
    overview = json.loads(out)
    assert code == 0 and overview["stage"] == "intake" and overview["applications"] == []  # the bad file was not sent
    assert (overview["cohort"], overview["places"], overview["seed"]) == (plan.cohort, plan.places, None)

    code, _, err = await run(harness, capsys, "show", "cohort", "nonexistent-xyz")
    assert code == 1 and "no workflow kull-nonexistent-xyz" in one_line(err)
    code, _, err = await run(harness, capsys, "apply", str(tmp_path / "missing.json"))
    assert code == 2 and "cannot read" in one_line(err)
    code, _, err = await run(harness, capsys, "show", "participant", "kull-x.gruppe-0301")
    assert code == 2 and "not a participant id" in one_line(err)
    await terminate_all(harness, plan.cohort)


async def test_from_intake_to_actions_on_an_admitted_group(harness: Harness, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    plan = cohort_plan(deadline_in=6)
    cohort = ["--cohort", plan.cohort]
    assert (await run(harness, capsys, "start-cohort", write(tmp_path, "plan.json", plan.model_dump_json())))[0] == 0
    accepted = application(["5001"]) | {"cohort": plan.cohort}
    code, out, _ = await run(harness, capsys, "apply", write(tmp_path, "a.json", accepted))
    assert code == 0 and out.strip() == f"application 5001 accepted: group kull-{plan.cohort}.gruppe-5001"
    too_few = application(["0301"], participants=2) | {"cohort": plan.cohort}
    code, out, err = await run(harness, capsys, "apply", write(tmp_path, "b.json", too_few), "--json")
    assert code == 1 and json.loads(out)["accepted"] is False and "3 to 4 participants" in one_line(err)

    async def drawn() -> None:
        code, out, _ = await run(harness, capsys, "show", "cohort", plan.cohort, "--json")
        assert code == 0 and json.loads(out)["stage"] == "selection_drawn"
    await eventually(drawn, timeout=30)
    code, out, _ = await run(harness, capsys, "confirm-selection", *cohort)
    assert code == 0 and "admitted 5001" in out

    async def members() -> list[str]:
        code, out, _ = await run(harness, capsys, "show", "group", "5001", *cohort, "--json")
        detail = json.loads(out)
        assert code == 0 and detail["outcome"] == "admitted"
        return [m["participant_workflow_id"] for m in detail["members"]]
    ids = await eventually(members)

    async def gathering_started() -> None:
        assert datetime.now(UTC) >= plan.gatherings[0].start
    await eventually(gathering_started)
    code, out, _ = await run(harness, capsys, "attendance", "5001", *cohort, "--gathering", "1", "--day", "1", "--present", *ids[:2])
    assert code == 0 and "2 present" in out
    for verb in ("submit", "approve"):
        code, out, _ = await run(harness, capsys, "requirement", verb, "5001", "1", *cohort, "--json")
        assert code == 0 and json.loads(out)["status"] == {"submit": "submitted", "approve": "approved"}[verb]
    code, _, err = await run(harness, capsys, "written", "grade", "5001", "Z", *cohort)
    assert code == 1 and one_line(err).startswith("refused: grade:")

    code, out, _ = await run(harness, capsys, "show", "group", "5001", *cohort)
    assert code == 0 and "stage programme, outcome admitted" in out
    assert [line.split()[1] for line in out.splitlines() if line.strip().startswith("1 ")] == ["approved"]
    assert all(pid in out for pid in ids)
    code, out, _ = await run(harness, capsys, "show", "participant", ids[0], "--json")
    assert code == 0 and json.loads(out)["attendance"] == ["1:1"]
    await terminate_all(harness, plan.cohort)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize("server", ["absent", "silent"])
def test_no_server_is_one_line_not_a_traceback(tmp_path: Path, server: str) -> None:
    with socket.socket() as silent:  # "silent" accepts connections and never answers: the connect must be bounded
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1] if server == "silent" else free_port()
        env = os.environ | {"TEMPORAL_ADDRESS": f"127.0.0.1:{port}", "NIS_DATA_DIR": str(tmp_path)}
        done = subprocess.run([sys.executable, "starter.py", "show", "cohort", "nonexistent-xyz", "--json"], check=False,
                              cwd=ROOT, env=env, capture_output=True, text=True, timeout=20)
    assert done.returncode == 3 and done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith(f"cannot connect to Temporal at 127.0.0.1:{port}: ")
