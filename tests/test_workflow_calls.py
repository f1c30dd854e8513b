"""What workflow code may not call is refused in the code: the worker runs the workflows without the SDK's sandbox
(runtime/wiring.py says why), so nothing stops the clock, randomness or I/O there at run time. ruff's
banned-api (pyproject.toml) does, on workflows/ only: the rules and the activities keep their own imports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]
RUFF = Path(sys.executable).parent / "ruff"
FORBIDDEN = """\
import os
import random
import time
import uuid
from datetime import date, datetime


def decide() -> object:
    return datetime.now(), date.today(), time.time(), random.random(), uuid.uuid4(), os.environ["X"]
"""


def banned(path: str, source: str) -> list[str]:
    """The TID251 findings ruff gives `source` as if it were the file at `path` in this repository."""
    run = subprocess.run(
        [str(RUFF), "check", "--select", "TID251", "--output-format", "json", "--stdin-filename", path, "-"],
        cwd=ROOT,
        input=source,
        capture_output=True,
        text=True,
    )
    assert run.returncode in (0, 1), run.stderr
    return sorted(finding["message"] for finding in json.loads(run.stdout))


def test_workflow_code_that_reads_the_clock_draws_or_reads_the_environment_is_refused() -> None:
    found = banned("workflows/probe.py", FORBIDDEN)
    assert "`datetime.datetime.now` is banned: workflow code reads the time from workflow.now()" in found
    assert "`datetime.date.today` is banned: workflow code reads the date from workflow.now()" in found
    assert "`time.time` is banned: workflow code reads the time from workflow.now()" in found
    assert "`random` is banned: workflow code draws from workflow.random()" in found
    assert "`uuid.uuid4` is banned: workflow code makes IDs with workflow.uuid4()" in found
    assert any(message.startswith("`os` is banned") for message in found)


def test_the_same_calls_outside_workflows_are_not_the_workflows_rule() -> None:
    assert banned("activities/probe.py", FORBIDDEN) == []
    assert banned("domain/probe.py", FORBIDDEN) == []


def test_the_workflows_own_code_passes() -> None:
    files = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "workflows").rglob("*.py"))
    run = subprocess.run([str(RUFF), "check", "--select", "TID251", *files], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout
