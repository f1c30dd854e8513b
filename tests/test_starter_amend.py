"""`starter.py amend-plan`: the administration amends a running cohort's plan from a file; the line printed says
what moved from when to when, and a move of a date already past is refused on one line and changes nothing."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from domain.catalogue import when
from gateway.queries import COHORT_OVERVIEW, CURRENT_PLAN
from tests.conftest import Harness
from tests.test_starter_admin import cohort_plan, one_line, run, terminate_all, write
from tests.workflows.helpers import eventually
from workflows.ids import cohort_workflow_id


async def test_amend_plan_moves_a_date_ahead_and_refuses_a_past_date(
    harness: Harness, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    plan = cohort_plan(3)  # applications due in 3 s: the deadline is past by the second command
    code, out, err = await run(harness, capsys, "start-cohort", write(tmp_path, "plan.json", plan.model_dump_json()))
    assert code == 0, err
    later = plan.oral_end + timedelta(days=1)
    amended = write(tmp_path, "endret.json", plan.model_copy(update={"oral_end": later}).model_dump_json())

    code, out, err = await run(harness, capsys, "amend-plan", "--cohort", plan.cohort, "--plan", amended)
    assert code == 0, err
    said = f"kullplanen er endret: Muntlig eksamen, periodens slutt fra {when(plan.oral_end)} til {when(later)}"
    assert out.strip() == said
    handle = harness.client.get_workflow_handle(cohort_workflow_id(plan.cohort))
    assert (await handle.query(CURRENT_PLAN)).oral_end == later

    async def drawn() -> None:  # the application deadline has passed: the cohort has drawn (none applied)
        assert (await handle.query(COHORT_OVERVIEW)).stage != "intake"

    await eventually(drawn)
    late = plan.model_copy(
        update={"oral_end": later, "application_deadline": plan.application_deadline - timedelta(seconds=1)}
    )
    code, out, err = await run(
        harness,
        capsys,
        "amend-plan",
        "--cohort",
        plan.cohort,
        "--plan",
        write(tmp_path, "sen.json", late.model_dump_json()),
    )
    await terminate_all(harness, plan.cohort)
    assert code == 1
    assert (
        one_line(err) == "avvist: application_deadline: tidspunktet har vært og kan ikke flyttes"
    )  # as start-cohort names fields
