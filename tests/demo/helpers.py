"""What the tests of `make demo` share: the repository, a free port, the demo as a subprocess, its settings."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

from runtime.settings import Settings

ROOT = Path(__file__).parents[2]
# a run of the demo on a busy machine: its calendar's rooms grow up to MAX_PACE times (demo.year.machine_pace), the
# year to about 13 minutes, with the intake before and the appeals and re-sits after it
DEMO_SECONDS = 1800


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run_demo(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "starter.py", "demo", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=DEMO_SECONDS,
        check=False,
    )


def demo_settings(env: dict[str, str]) -> Settings:
    return Settings(
        data_dir=Path(env["NIS_DATA_DIR"]), temporal_address=env["TEMPORAL_ADDRESS"], ui_port=int(env["NIS_UI_PORT"])
    )
