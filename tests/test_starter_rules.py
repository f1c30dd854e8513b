"""The rules CLI as a user runs it: a separate process, its output and its exit code."""

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.factories import application

ROOT = Path(__file__).parents[1]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "starter.py", *args], cwd=ROOT, capture_output=True, text=True, timeout=60)


def write(tmp_path: Path, data: Any, name: str = "input.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def test_valid_application_json_verdict(tmp_path: Path) -> None:
    data = application(["1833", "1832"])
    data["participants"][2].update(education_years=1.5, experience_years=1)
    done = run("check-application", write(tmp_path, data), "--json")
    assert done.returncode == 0, done.stderr
    verdict = json.loads(done.stdout)
    assert verdict["valid"] is True and verdict["errors"] == []
    assert verdict["municipalities"] == ["1833", "1832"]
    assert [p["track"] for p in verdict["participants"]] == ["student", "student", "assessment"]


def test_refused_application_exits_1_with_every_error(tmp_path: Path) -> None:
    data = application(participants=2)
    data["participants"][1]["sector"] = data["participants"][0]["sector"]
    done = run("check-application", write(tmp_path, data), "--json")
    verdict = json.loads(done.stdout)
    assert done.returncode == 1 and verdict["valid"] is False and len(verdict["errors"]) == 2


def test_schema_errors_are_a_verdict_not_a_traceback(tmp_path: Path) -> None:
    for odd in ([1, 2], "text", {"participants": "many"}, None):
        done = run("check-application", write(tmp_path, odd), "--json")
        assert done.returncode == 1 and "Traceback" not in done.stderr
        assert json.loads(done.stdout)["valid"] is False


def test_unreadable_file_gets_one_line_and_nonzero_exit(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    for path in (str(broken), str(tmp_path / "missing.json")):
        done = run("check-application", path)
        assert done.returncode == 2 and done.stdout == ""
        assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr


def test_draw_selection_json_contract(tmp_path: Path) -> None:
    apps = [application([n]) for n in ["0301", "4601", "5001", "5501", "4204"]] + [application(["0301"])]
    done = run("draw-selection", write(tmp_path, apps), "--places", "3", "--seed", "kull-2022", "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert (result["seed"], result["places"]) == ("kull-2022", 3)
    assert len(result["admitted"]) == 3 and len(result["waitlist"]) == 2
    assert result["invalid"][0] == {
        "id": "0301",
        "errors": ["Oslo (0301) har allerede søkt om plass på dette kullet, i søknaden fra Oslo."],
    }
    entry = result["admitted"][0]
    assert {"id", "municipalities", "region", "size"} <= set(entry) and entry["size"] in {"small", "medium", "large"}
    again = run("draw-selection", write(tmp_path, apps), "--places", "3", "--seed", "kull-2022", "--json")
    assert json.loads(again.stdout) == result


def test_draw_selection_refuses_non_list_and_bad_places(tmp_path: Path) -> None:
    assert run("draw-selection", write(tmp_path, {"a": 1}), "--places", "3", "--seed", "s").returncode == 2
    done = run("draw-selection", write(tmp_path, []), "--places", "0", "--seed", "s")
    assert done.returncode == 2 and "--places" in done.stderr


def test_check_plan_readable_and_refusal(tmp_path: Path) -> None:
    good = run("check-plan", "demo/plans/kull-2022.json")
    assert good.returncode == 0 and "Samling 6" in good.stdout
    bad = json.loads((ROOT / "demo" / "plans" / "kull-2022.json").read_text(encoding="utf-8"))
    bad["places"] = 0
    refused = run("check-plan", write(tmp_path, bad))
    assert refused.returncode == 1 and "places" in refused.stdout
