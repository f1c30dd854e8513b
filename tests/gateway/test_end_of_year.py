"""After release, on the dev server: documents issued from the group's results, a new version after an appeal that
changed the grade or a re-sit that passed, and the FS export read back (CSV and XLSX)."""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import load_workbook
from pypdf import PdfReader

from activities.documents import Documents, documents_key
from domain.ids import AppealId, ResitId
from domain.models import Grade
from gateway import commands
from gateway.admin import Admin
from gateway.end_of_year.appeal import register_appeal
from gateway.end_of_year.resit import register_resit
from gateway.export import COLUMNS, write_export
from gateway.results import Result, group_results, issue_documents
from store.tables import GroupRecord
from tests.activities.register import Register
from tests.conftest import Harness
from tests.workflows.commission import EXAMINER, OFFICE, commission_decides, schedule_new_oral
from tests.workflows.helpers import eventually
from tests.workflows.test_appeal import acting, admin, graded_group, publish
from tests.workflows.test_resit import failed_group
from workflows.end_of_year.messages import NewOralAdjustmentInput, NewWrittenGradeInput

NAMES = ["Åse Ødegård", "Bjørn Færøy", "Cecilie Dahl", "Dag Løvås"]


def pdf_text(path: Path) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(path).pages)


async def test_documents_and_export_follow_the_appeals(harness: Harness, tmp_path: Path) -> None:
    handle, ids = await graded_group(harness)
    await publish(handle)
    gateway = admin(harness)
    register = Register()
    prefix = "5001"
    for number, name in enumerate(NAMES):  # the factory's e-mails: tests/factories.application
        register.add(name, f"p{number}@{prefix}.no")
    documents = Documents(harness.sessions, documents_key(b"k" * 32), tmp_path)
    cohort = handle.id.split(".")[0].removeprefix("kull-")

    first = {
        d.participant_id: d
        for d in await issue_documents(
            gateway, documents, register, cohort, await group_results(gateway, cohort, [handle.id])
        )
    }
    assert sorted((d.participant_id, d.kind) for d in first.values()) == [
        (ids[0], "transcript"),
        (ids[1], "transcript"),
        (ids[3], "course_certificate"),
    ]  # ids[2] took no part
    assert "Karakter: D" in pdf_text(first[ids[1]].file) and "Navn: Bjørn Færøy" in pdf_text(first[ids[1]].file)
    assert "Dag Løvås har gjennomført kurset" in pdf_text(first[ids[3]].file)

    changed = (await register_appeal(gateway, ids[1], acting(OFFICE))).appeal_workflow_id
    await commission_decides(gateway, AppealId.parse(changed), Grade.B)
    await schedule_new_oral(gateway, AppealId.parse(changed))
    await gateway.perform(
        commands.APPEAL_ORAL,
        AppealId.parse(changed),
        NewOralAdjustmentInput(actor=EXAMINER, adjustment=0),
        acting(EXAMINER),
    )
    same = (await register_appeal(gateway, ids[0], acting(OFFICE))).appeal_workflow_id
    await commission_decides(gateway, AppealId.parse(same), Grade.C)

    async def appeals_recorded() -> list[Result]:
        results = await group_results(gateway, cohort, [handle.id])
        assert sum(r.appeal is not None for r in results) == 2
        return results

    results = await eventually(appeals_recorded)
    second = {d.participant_id: d for d in await issue_documents(gateway, documents, register, cohort, results)}
    assert second[ids[1]].version == 2 and second[ids[1]].code != first[ids[1]].code
    assert "Karakter: B" in pdf_text(second[ids[1]].file)
    assert (await documents.verify(first[ids[1]].code)).status == "superseded"  # type: ignore[union-attr]
    assert second[ids[0]] == first[ids[0]] and second[ids[3]] == first[ids[3]]  # unchanged: the same documents

    csv_file, xlsx_file = write_export(results, tmp_path / "export", cohort, xlsx=True)
    with csv_file.open(encoding="utf-8") as f:
        table = list(csv.reader(f, delimiter=";"))
    assert table[0] == COLUMNS
    by_person = {row[0]: dict(zip(COLUMNS, row, strict=True)) for row in table[1:]}
    assert len(by_person) == 2  # the two graded students; the course participant gets no FS result
    appealed = by_person[register.add(NAMES[1], f"p1@{prefix}.no")]
    assert [appealed[c] for c in ("grade", "credits", "course_code", "attempt")] == ["B", "30", "NISK30", "1"]
    assert (appealed["appealed"], appealed["grade_before_appeal"], appealed["appeal_outcome"]) == ("ja", "D", "endret")
    kept = by_person[register.add(NAMES[0], f"p0@{prefix}.no")]
    assert (kept["grade"], kept["appeal_outcome"]) == ("B", "uendret")
    assert appealed["term"].endswith(("VÅR", "HØST")) and len(appealed["result_date"]) == 10
    sheet = load_workbook(xlsx_file).active
    assert sheet is not None
    assert [list(r) for r in sheet.iter_rows(values_only=True)][1:] == [
        [int(v) if v.isdigit() else v for v in row] for row in table[1:]
    ]


async def test_a_resit_that_passes_issues_a_transcript_and_adds_an_attempt_to_the_export(
    harness: Harness, tmp_path: Path
) -> None:
    handle, ids = await failed_group(harness)  # member 2 has F
    await publish(handle)
    gateway = admin(harness)
    register = Register()
    for number, name in enumerate(NAMES):
        register.add(name, f"p{number}@5001.no")
    documents = Documents(harness.sessions, documents_key(b"k" * 32), tmp_path)
    cohort = handle.id.split(".")[0].removeprefix("kull-")
    before = await issue_documents(
        gateway, documents, register, cohort, await group_results(gateway, cohort, [handle.id])
    )
    assert ids[1] not in {d.participant_id for d in before}  # an F gets no transcript

    resit = (await register_resit(gateway, ids[1], acting(OFFICE))).resit_workflow_id
    await gateway.perform(
        commands.RESIT_WRITTEN,
        ResitId.parse(resit),
        NewWrittenGradeInput(actor=EXAMINER, grade=Grade.D),
        acting(EXAMINER),
    )
    await gateway.perform(
        commands.RESIT_ORAL,
        ResitId.parse(resit),
        NewOralAdjustmentInput(actor=EXAMINER, adjustment=1),
        acting(EXAMINER),
    )

    async def resit_recorded() -> list[Result]:
        results = await group_results(gateway, cohort, [handle.id])
        assert any(r.resits for r in results)
        return results

    results = await eventually(resit_recorded)
    after = {d.participant_id: d for d in await issue_documents(gateway, documents, register, cohort, results)}
    text = pdf_text(after[ids[1]].file)
    assert "Karakter: C" in text and "Navn: Bjørn Færøy" in text and "30" in text

    [csv_file] = write_export(results, tmp_path / "export", cohort)
    with csv_file.open(encoding="utf-8") as f:
        table = [dict(zip(COLUMNS, row, strict=True)) for row in list(csv.reader(f, delimiter=";"))[1:]]
    person = register.add(NAMES[1], "p1@5001.no")
    attempts = [(r["attempt"], r["grade"], r["credits"], r["counts"]) for r in table if r["person_id"] == person]
    assert attempts == [("1", "F", "0", "nei"), ("2", "C", "30", "ja")]
    passed = [r for r in table if r["person_id"] == register.add(NAMES[0], "p0@5001.no")]
    assert [(r["attempt"], r["grade"], r["counts"]) for r in passed] == [("1", "D", "ja")]


async def test_the_results_come_from_the_read_model_the_same_as_from_the_group(harness: Harness) -> None:
    # at national size a query per closed group was ~360 full replays at the end of the year
    handle, ids = await graded_group(harness)
    await publish(handle)
    cohort = handle.id.split(".")[0].removeprefix("kull-")
    asked = Admin(harness.client, None, harness.task_queue)  # no read model: every group is asked, as before
    from_group = await group_results(asked, cohort, [handle.id])
    assert [r.participant_id for r in from_group] == [ids[0], ids[1], ids[3]]
    gateway = admin(harness)
    queried: list[str] = []

    async def no_query(workflow_id: str, query: object) -> None:
        queried.append(workflow_id)
        raise AssertionError("a released group with its rows in the read model is not queried")

    async def from_rows() -> list[Result]:
        async with harness.sessions() as session:
            row = await session.get(GroupRecord, handle.id)
            assert row is not None and row.published_at is not None
        return await group_results(gateway, cohort, [handle.id])

    gateway.query = no_query  # type: ignore[method-assign]
    assert await eventually(from_rows) == from_group and queried == []
