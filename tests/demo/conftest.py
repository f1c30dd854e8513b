"""One run of `make demo` for the package: its environment (own server port, UI port, web address and data
folder), the finished run and its report. The files run in name order: the run and its report, its letters and
database, then the tests that continue, start over or break the same cohort."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.demo.helpers import free_port, run_demo


@pytest.fixture(scope="package")
def demo_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    data = tmp_path_factory.mktemp("demo")
    return os.environ | {
        "TEMPORAL_ADDRESS": f"127.0.0.1:{free_port()}",
        "NIS_DATA_DIR": str(data),
        "NIS_UI_PORT": str(free_port()),
        "NIS_WEB_ADDRESS": f"127.0.0.1:{free_port()}",
    }


@pytest.fixture(scope="package")
def first_run(demo_env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return run_demo(demo_env)


@pytest.fixture(scope="package")
def report(first_run: subprocess.CompletedProcess[str], demo_env: dict[str, str]) -> dict[str, Any]:
    assert first_run.returncode == 0, first_run.stdout + first_run.stderr
    data: dict[str, Any] = json.loads((Path(demo_env["NIS_DATA_DIR"]) / "report.json").read_text(encoding="utf-8"))
    return data
