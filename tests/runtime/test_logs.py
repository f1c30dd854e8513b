"""Every line worker.py writes is one JSON object, the SDK core's own (forwarded from Rust) included, with the
core's fields as keys."""

from __future__ import annotations

import json
import signal
import subprocess
import sys

from tests.test_worker import ROOT, program_env

__all__ = ["program_env"]  # the fixture, shared with tests/test_worker.py


def test_the_sdk_cores_logs_come_out_as_our_json_lines(program_env: dict[str, str]) -> None:
    env = program_env | {"NIS_LOG_LEVEL": "DEBUG", "NIS_METRICS_ADDRESS": ""}  # at DEBUG the core says more
    process = subprocess.Popen(
        [sys.executable, "worker.py"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    assert process.stderr is not None
    lines = []
    for line in process.stderr:  # until the core has said something, then stop the worker
        lines.append(json.loads(line))
        if lines[-1]["logger"] == "temporalio.core":
            break
    process.send_signal(signal.SIGTERM)
    _, rest = process.communicate(timeout=30)
    lines += [json.loads(line) for line in (rest or "").splitlines()]
    core = [line for line in lines if line["logger"] == "temporalio.core"]
    assert core and all({"event", "level", "timestamp", "target"} <= line.keys() for line in core)
    assert core[0]["target"].startswith("temporal")  # the Rust module that logged it
    assert any(line["event"] == "worker started" and line["metrics"] is None for line in lines)  # none: no metrics
