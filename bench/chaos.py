"""The fault test of issue 9: the demo's cohort through a compressed year, once undisturbed and once under faults.

Both runs play demo/scenarios/kull-2022.json on demo/plans/kull-2022.json, each on its own embedded Temporal server
(own SQLite file, own port) with `worker.py` as a separate process. The chaos run meanwhile kills the worker with
SIGKILL at seeded moments (--kills, spread over the year) and starts it again, restarts the Temporal server on its
SQLite file (--server-restarts), and polls the cohort overview every 0.3 s. Then it compares the two runs and prints
every difference: outcomes, each person's grade, credits and certificate, letters per kind and recipient and per
event (each exactly once), audit entries (each exactly once), and whether every recorded history of the chaos run
replays on the current code. Exit 0 with "no difference", 1 otherwise.

    .venv/bin/python bench/chaos.py [--seed 1] [--kills 24] [--year 600] [--keep DIR]

The year is long enough (600 s: a day is 1.6 s) that no scripted action meets its deadline because of an outage alone:
the tightest windows keep at least 30 s (demo/year.py), and an outage lasts at most the workflow task timeout
(NIS_WORKFLOW_TASK_TIMEOUT_SECONDS, 20 s) plus a worker start; the worker hands a killed worker's cached workflows
on after 3 s (its sticky-queue timeout here, not the 10 s default). The applications have a minute before their
deadline. Each run's demo measures the machine's pace (demo/year.py) and widens its rooms by it: two runs at once
make a busy machine, so a run is allowed its intake, year and closing at the widest pace (x4), and the whole test
five minutes more to compare (--timeout).

The runs and their faults are in bench/chaos_runs.py, the comparison of the two in bench/chaos_compare.py.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import logging
import os
import shutil
import sys
import tempfile
import threading
from pathlib import Path

from chaos_compare import compare
from chaos_runs import INTAKE_SECONDS, Run, draw_faults, play
from temporalio.runtime import LoggingConfig, Runtime, TelemetryConfig, TelemetryFilter

from demo.scenario import Scenario
from demo.year import MAX_PACE
from domain.plan import load_plan

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "demo" / "scenarios" / "kull-2022.json"
PLAN = ROOT / "demo" / "plans" / "kull-2022.json"
CLOSING_SECONDS = 240  # after the oral exams: publishing, every group closing, the report
COMPARING_SECONDS = 300  # after both runs: the comparison and the replay of every history of the chaos run


# ---- the program ----------------------------------------------------------------------------------
def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=1, help="draws the moments of the faults (default 1)")
    parser.add_argument("--kills", type=int, default=24, help="worker kills over the year (default 24)")
    parser.add_argument("--server-restarts", type=int, default=2, help="Temporal server restarts (default 2)")
    parser.add_argument("--year", type=float, default=600.0, help="seconds the year is compressed to (default 600)")
    parser.add_argument("--timeout", type=float, help="hard limit in seconds (default: a run's limit plus 5 minutes)")
    parser.add_argument(
        "--keep",
        type=Path,
        help="keep both runs' data here (default: a temporary folder, kept only when there is a difference)",
    )
    args = parser.parse_args(argv)
    if args.kills < 0 or args.server_restarts < 0 or args.year < 30:
        parser.error("--kills and --server-restarts must be at least 0, --year at least 30")
    args.timeout = args.timeout or run_limit(args.year) + COMPARING_SECONDS
    return args


def run_limit(year: float) -> float:
    """How long a run may take: its intake, year and closing, each widened at most by the widest pace."""
    return (INTAKE_SECONDS + year + CLOSING_SECONDS) * MAX_PACE


async def chaos_test(args: argparse.Namespace, folder: Path) -> int:
    scenario = Scenario.model_validate_json(SCENARIO.read_text(encoding="utf-8"))
    template = load_plan(str(PLAN))
    faults = draw_faults(args.seed, args.kills, args.server_restarts)
    key = base64.b64encode(os.urandom(32)).decode()
    calm, chaos = Run.create("undisturbed", folder / "undisturbed", key), Run.create("chaos", folder / "chaos", key)
    folder.mkdir(parents=True, exist_ok=True)
    key_file = folder / "codec.key"  # both runs' payload key, so a kept run's histories can be decoded and replayed
    key_file.write_text(key + "\n", encoding="utf-8")
    key_file.chmod(0o600)
    print(
        f"Seed {args.seed}: {args.kills} worker kills and {args.server_restarts} server restarts over a year of "
        f"{args.year:.0f} s; both runs in {folder}",
        flush=True,
    )
    limit = run_limit(args.year)
    try:
        await asyncio.gather(
            play(calm, scenario, template, args.year, None, limit),
            play(chaos, scenario, template, args.year, faults, limit),
        )
        print("\nChaos run:", *chaos.timeline, sep="\n  ")
        print(f"  cohort overview polled {chaos.polls['answered']} times answered, {chaos.polls['failed']} failed")
        differences = await compare(calm, chaos, scenario.cohort)
    finally:
        calm.stop()
        chaos.stop()
    print()
    if not differences:
        print("no difference")
        return 0
    print(f"{len(differences)} difference(s):", *differences, sep="\n  ")
    return 1


def _hard_stop(seconds: float) -> None:
    def stop() -> None:
        print(f"\nhard timeout: {seconds:.0f} s passed; stopping", file=sys.stderr, flush=True)
        os._exit(1)  # the servers and workers stop with this process (PR_SET_PDEATHSIG) or by their parent's end

    timer = threading.Timer(seconds, stop)
    timer.daemon = True
    timer.start()


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="chaos-"))
    if folder.exists() and any(folder.iterdir()):  # its servers would start on the last run's SQLite files
        print(f"--keep {folder}: the folder is not empty; give a new one", file=sys.stderr)
        return 2
    folder.mkdir(parents=True, exist_ok=True)
    logging.basicConfig(filename=folder / "chaos.log", level=logging.WARNING)
    _hard_stop(args.timeout + 60)
    # the replayer and the demo's client log through the SDK's core; its warnings (a retried call while the server
    # restarts, the nondeterminism a replay finds) are in the findings already
    Runtime.set_default(
        Runtime(
            telemetry=TelemetryConfig(
                logging=LoggingConfig(filter=TelemetryFilter(core_level="ERROR", other_level="ERROR"))
            )
        )
    )
    try:
        code = asyncio.run(asyncio.wait_for(chaos_test(args, folder), args.timeout))
    except TimeoutError:
        print(f"\nthe fault test did not end within {args.timeout:.0f} s: a difference", flush=True)
        code = 1
    if code == 0 and args.keep is None:
        shutil.rmtree(folder, ignore_errors=True)
    elif code != 0:
        print(f"\nBoth runs' data (servers' SQLite files, read models, logs) kept in {folder}")
    return code


if __name__ == "__main__":
    result = main()
    sys.stdout.flush()
    os._exit(result)  # no interpreter teardown: the Temporal client can abort there (sdk-python #300)
