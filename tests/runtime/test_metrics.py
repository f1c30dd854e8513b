"""worker.py serves the SDK's Prometheus metrics and the engine's own at NIS_METRICS_ADDRESS/metrics: scraped over
HTTP from the real program on the dev server while starter.py opens a cohort, applies and is refused once."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.factories import application
from tests.smtp_server import Inbox, free_port
from tests.test_worker import ROOT, program_env, starter
from tests.workflows.helpers import eventually
from tests.workflows.plans import now_plan

__all__ = ["program_env"]  # the fixture, shared with tests/test_worker.py


@pytest.fixture
def metrics_env(program_env: dict[str, str], smtp_server: Inbox) -> dict[str, str]:
    return program_env | {
        "NIS_METRICS_ADDRESS": f"127.0.0.1:{free_port()}",
        "NIS_SMTP_HOST": smtp_server.host,
        "NIS_SMTP_PORT": str(smtp_server.port),
        "NIS_OUTBOX_POLL_SECONDS": "0.2",
    }


@pytest.fixture
def worker(metrics_env: dict[str, str]) -> Iterator[subprocess.Popen[str]]:
    process = subprocess.Popen(
        [sys.executable, "worker.py"], cwd=ROOT, env=metrics_env, stderr=subprocess.PIPE, text=True
    )
    assert process.stderr is not None
    started = json.loads(process.stderr.readline())
    assert started["event"] == "worker started", started
    assert started["metrics"] == f"http://{metrics_env['NIS_METRICS_ADDRESS']}/metrics"
    yield process
    process.terminate()
    process.communicate(timeout=30)


def value(scrape: str, name: str, **labels: str) -> float:
    """The sum of a metric's samples that carry these labels (every sample when none are given)."""
    total, found = 0.0, False
    for line in scrape.splitlines():
        match = re.match(rf"^{name}(?:\{{(.*)\}})? (\S+)$", line)
        if match and all(f'{key}="{want}"' in (match.group(1) or "") for key, want in labels.items()):
            total, found = total + float(match.group(2)), True
    assert found, f"no {name} {labels} in the scrape"
    return total


async def test_one_scrape_has_the_sdks_metrics_and_the_engines(
    worker: subprocess.Popen[str], metrics_env: dict[str, str], tmp_path: Path
) -> None:
    plan = now_plan(
        {
            "application_deadline": 600,
            "selection_date": 601,
            "written_deadline": 1500,
            "oral_start": 1510,
            "oral_end": 1520,
        },
        gathering_starts=[700 + 10 * i for i in range(6)],
        requirement_deadlines=[1000 + i for i in range(4)],
    )
    (tmp_path / "plan.json").write_text(plan.model_dump_json(), encoding="utf-8")
    (tmp_path / "app.json").write_text(json.dumps(application(["4601"]) | {"cohort": plan.cohort}), encoding="utf-8")
    (tmp_path / "password").write_text("kari sitt eget passord\n", encoding="utf-8")
    for argv in (
        ("user", "add", "kari.admin", "--role", "admin", "--password-file", str(tmp_path / "password")),
        ("start-cohort", str(tmp_path / "plan.json"), "--seed", "frø"),
        ("apply", str(tmp_path / "app.json")),
    ):
        assert starter(metrics_env, *argv).returncode == 0
    # before the draw there is no selection to confirm: the cohort's validator refuses it
    refused = starter(metrics_env, "confirm-selection", "--cohort", plan.cohort)
    assert refused.returncode == 1 and refused.stderr.startswith("avvist"), refused.stderr
    url = f"http://{metrics_env['NIS_METRICS_ADDRESS']}/metrics"

    async def scraped() -> str:
        async with httpx.AsyncClient() as http:
            scrape = (await http.get(url)).text
        assert value(scrape, "temporal_num_pollers", poller_type="workflow_task") >= 1
        assert value(scrape, "nis_letters_queued") >= 1
        assert value(scrape, "nis_letters_sent") >= 1
        assert value(scrape, "nis_outbox_backlog") == 0  # every letter queued has gone out
        return scrape

    scrape = await eventually(scraped, timeout=60)
    assert value(scrape, "nis_admin_actions", action="confirm_selection", outcome="refused") == 1
    assert value(scrape, "nis_admin_actions", action="apply", outcome="accepted") == 1
    assert "@" not in scrape and "kull-" not in scrape  # no address, no workflow ID in a label


def test_a_metrics_address_in_use_stops_the_worker_with_the_setting_named(metrics_env: dict[str, str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        address = f"127.0.0.1:{taken.getsockname()[1]}"
        done = subprocess.run(
            [sys.executable, "worker.py"],
            cwd=ROOT,
            env=metrics_env | {"NIS_METRICS_ADDRESS": address},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    said = json.loads(done.stderr.splitlines()[-1])
    assert done.returncode == 2 and said["event"] == "worker not started"
    assert said["reason"].startswith(f"NIS_METRICS_ADDRESS '{address}': Failed starting Prometheus exporter")
