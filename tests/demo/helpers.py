"""What the tests of `make demo` share: the repository, a free port, the demo as a subprocess, its settings."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

from runtime.settings import Settings

ROOT = Path(__file__).parents[2]


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
        timeout=600,
        check=False,
    )


def demo_settings(env: dict[str, str]) -> Settings:
    return Settings(
        data_dir=Path(env["NIS_DATA_DIR"]), temporal_address=env["TEMPORAL_ADDRESS"], ui_port=int(env["NIS_UI_PORT"])
    )
