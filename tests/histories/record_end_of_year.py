"""Record one appeal's and one re-sit's history for tests/test_replay.py beside the cohort's (tests/histories/record.py
records the cohort of the demo; this records an appeal through every stage: examiners, a changed written grade, a new
oral; and a re-sit after an F: its written grade and oral).
`python -m tests.histories.record_end_of_year [appeal|resit]`"""

from __future__ import annotations

import asyncio
import gzip
import os
import sys
import tempfile
from pathlib import Path

from domain.ids import AppealId, ResitId
from domain.models import Grade
from gateway import commands
from gateway.admin import Admin
from gateway.end_of_year.appeal import register_appeal
from gateway.end_of_year.resit import register_resit
from tests.conftest import Harness
from tests.histories.record import HERE, recording_server
from tests.workflows.commission import EXAMINER, OFFICE, commission_decides, schedule_new_oral
from tests.workflows.test_appeal import acting, graded_group, publish
from tests.workflows.test_resit import failed_group
from workflows.end_of_year.messages import NewOralAdjustmentInput, NewWrittenGradeInput


async def record(kind: str) -> int:
    env = await recording_server()
    with tempfile.TemporaryDirectory() as folder:
        async with Harness(env.client, Path(folder)) as harness:
            admin = Admin(env.client, harness.sessions, harness.task_queue)
            workflow_id = await (resit(harness, admin) if kind == "resit" else appeal(harness, admin))
            finished = env.client.get_workflow_handle(workflow_id)
            await finished.result()
            history = await finished.fetch_history()
    path = HERE / f"{workflow_id}~1.json.gz"
    path.write_bytes(gzip.compress(history.to_json().encode(), mtime=0))
    await env.shutdown()
    print(f"recorded {path}")
    return 0


async def appeal(harness: Harness, admin: Admin) -> str:
    handle, ids = await graded_group(harness)
    await publish(handle)
    appeal_id = (await register_appeal(admin, ids[1], acting(OFFICE))).appeal_workflow_id
    await commission_decides(admin, AppealId.parse(appeal_id), Grade.B)
    await schedule_new_oral(admin, AppealId.parse(appeal_id))
    await admin.perform(
        commands.APPEAL_ORAL,
        AppealId.parse(appeal_id),
        NewOralAdjustmentInput(actor=EXAMINER, adjustment=0),
        acting(EXAMINER),
    )
    return appeal_id


async def resit(harness: Harness, admin: Admin) -> str:
    handle, ids = await failed_group(harness)
    await publish(handle)
    resit_id = (await register_resit(admin, ids[1], acting(OFFICE))).resit_workflow_id
    await admin.perform(
        commands.RESIT_WRITTEN,
        ResitId.parse(resit_id),
        NewWrittenGradeInput(actor=EXAMINER, grade="C"),
        acting(EXAMINER),
    )
    await admin.perform(
        commands.RESIT_ORAL,
        ResitId.parse(resit_id),
        NewOralAdjustmentInput(actor=EXAMINER, adjustment=1),
        acting(EXAMINER),
    )
    return resit_id


if __name__ == "__main__":
    code = asyncio.run(record(sys.argv[1] if len(sys.argv) > 1 else "appeal"))
    sys.stdout.flush()
    os._exit(code)
