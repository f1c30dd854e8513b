"""The worker limits glibc's malloc arenas before its threads start, unless MALLOC_ARENA_MAX says otherwise."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
ASK = "from runtime.memory import limit_malloc_arenas; print(limit_malloc_arenas())"


def asked(**env: str) -> str:
    environment = {k: v for k, v in os.environ.items() if k != "MALLOC_ARENA_MAX"} | env
    done = subprocess.run([sys.executable, "-c", ASK], cwd=ROOT, env=environment, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="the arena limit is glibc's; this C library has none")
def test_the_arenas_are_limited_on_glibc_and_malloc_arena_max_wins() -> None:
    assert asked() == "True"
    assert asked(MALLOC_ARENA_MAX="4") == "False"  # glibc read it at start: the operator's value stands


def test_the_worker_limits_them_before_its_runtime_starts() -> None:
    source = (ROOT / "worker.py").read_text(encoding="utf-8")
    main = source[source.index("def main()") :]
    assert main.index("limit_malloc_arenas()") < main.index("worker_runtime(")
