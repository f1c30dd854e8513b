"""starter.py's begrunnelse commands against the dev server: the administration registers a request received
earlier, the group's examiner gives the begrunnelse from a file, `show` prints it; a refusal is one line, exit 1."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from domain.end_of_year.appeals import oslo_date
from tests.conftest import Harness
from tests.test_starter_admin import one_line, run
from tests.workflows.commission import OFFICE
from tests.workflows.test_appeal import examiner_accounts, graded_group, publish
from workflows.group import GroupWorkflow

FIRST = "sensor.kommandolinje"


async def test_a_begrunnelse_on_the_command_line(
    harness: Harness, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    handle, ids = await graded_group(harness)
    await examiner_accounts(harness, FIRST, group=handle.id)
    await publish(handle)
    released = (await handle.query(GroupWorkflow.detail)).published_at
    assert released is not None
    future = oslo_date(released) + timedelta(days=1)
    code, _, err = await run(
        harness, capsys, "explanation", "request", ids[1], "--received", future.isoformat(), actor=OFFICE
    )
    assert (
        code == 1
        and one_line(err) == f"avvist: Mottatt-datoen {future:%d.%m.%Y} er fram i tid; oppgi dagen kravet kom inn"
    )
    today = oslo_date(released).isoformat()
    code, out, _ = await run(harness, capsys, "explanation", "request", ids[1], "--received", today, actor=OFFICE)
    assert code == 0 and f"{ids[1]}.begrunnelse: venter på sensor; mottatt " in out

    words = tmp_path / "begrunnelse.txt"
    words.write_text("Karakteren D: problemstillingen er uklar, og drøftingen henger ikke sammen med funnene.\n")
    code, _, err = await run(harness, capsys, "explanation", "give", ids[1], str(words), actor=OFFICE)
    assert code == 1 and one_line(err).startswith(f"avvist: {OFFICE} er ikke sensor for gruppen")
    code, out, _ = await run(harness, capsys, "explanation", "give", ids[1], str(words), actor=FIRST)
    assert code == 0 and "gitt" in out and f"av {FIRST}; klagefrist " in out
    code, out, _ = await run(harness, capsys, "explanation", "show", ids[1], "--json")
    shown = json.loads(out)
    assert shown["given_by"] == FIRST and shown["text"].startswith("Karakteren D: problemstillingen er uklar")
