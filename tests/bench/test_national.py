"""bench/national.py at a tiny size: three municipalities through a compressed year on the embedded server, the
worker and the web app in processes of their own, without the baseline. Its figures must all be printed, no
scripted action late and the grades those the rules give. The year paces itself by what the workflows report (the
demo's player), so a busy machine makes it longer, not late."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
FIGURES = [
    r"command: .*bench/national\.py --municipalities 3",
    r"commit:  \w+",
    r"cohort:  3 groups admitted, 12 participants",
    r"wall time of the year \(script, intake to the cohort's close\): +\d+\.\d s",
    r"timer lateness: p50 -?\d+ ms, p99 -?\d+ ms \(\d+ timers fired\)",
    r"  ParticipantWorkflow +\d+\.\d",
    r"  GroupWorkflow +\d+\.\d",
    r"  overall +\d+\.\d  \(\d+ events\)",
    r"admin updates \(the script's own, \d+, .*\): p50 \d+ ms, p99 \d+ ms",
    r"page kull +\(\d+ samples, own process\): p50 \d+ ms, p99 \d+ ms",
    r"page oppgaver +\(\d+ samples, own process\): p50 \d+ ms, p99 \d+ ms",
    r"admin update \(one at a time\) +\(\d+ samples, own process\): p50 \d+ ms, p99 \d+ ms",
    r"worker CPU: \d+\.\d s; web app CPU: \d+\.\d s",
    r"worker RSS peak \(VmHWM\): \d+ MiB",
    r"worker RSS over the year \(VmRSS, every 5 s\): \d+ s \d+, .*; the highest \d+ MiB at \d+ s",
    r"server CPU \(utime\+stime\): \d+\.\d s",
    r"the busiest 30 s, from \d+ s: \d\.\d\d of \d+ cores \(server \d\.\d\d, worker \d\.\d\d, web \d\.\d\d, script",
    r"the mean over the year: \d\.\d\d of \d+ cores \(server \d\.\d\d, worker",
    r"  slowest \(.*\): \d+ ms at \d+ s \(\d\.\d cores busy\)",
]


# A year at the machine's pace: on a busy machine (pace up to demo.year.MAX_PACE, 4) the tiny year is ~800 s, not ~200.
# Its server and worker at the same priority as the rest: below other work (the bench's nice 6) on a busy machine,
# they got a tenth of a core beside two CPU loops.
@pytest.mark.timeout(1500)
def test_a_tiny_national_year_prints_every_figure_and_nothing_came_late() -> None:
    tiny = ["--municipalities", "3", "--year-minutes", "1", "--no-baseline", "--background-nice", "0"]
    done = subprocess.run(
        [sys.executable, "bench/national.py", *tiny],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1480,
        check=False,
    )
    out = done.stdout
    assert done.returncode == 0, out + done.stderr
    for figure in FIGURES:
        assert re.search(figure, out), f"missing: {figure}\n{out}"
    assert re.search(r"^scripted actions late \(.*\): 0$", out, re.MULTILINE), out
    assert "outcomes as the rules give: yes" in out, out
    assert "bare-Temporal baseline" not in out
    assert "priority: the server and the worker at nice 0, the web app at 0" in out, out
