"""The export of a cohort's results to FS (Felles studentsystem), as CSV and optionally XLSX.

One row per student with a grade (course participants get no grade and no credits and are not exported), in
this column layout (the header row names them; CSV in UTF-8 with `;` as separator, as Norwegian spreadsheets
expect):

| column              | content                                                                           |
|---------------------|-----------------------------------------------------------------------------------|
| person_id           | the register's opaque person ID (`p` + 20 hex); the school maps it to FS's person |
| course_code         | the course's code (`NISK30`: the study plan names none)                           |
| term                | the exam term, `YYYY VÅR` (January-June) or `YYYY HØST`, from the release date    |
| grade               | A-F after appeals                                                                 |
| credits             | 30 for a passed grade, 0 for F                                                    |
| result_date         | ISO date (Europe/Oslo) of the result: the release, or the appeal's decision       |
| attempt             | 1 for the ordinary exam (a re-sit would be 2, ...)                                |
| appealed            | `ja` when the person appealed and the appeal is decided, else `nei`               |
| grade_before_appeal | the grade the appeal was of (empty without an appeal)                             |
| appeal_outcome      | `endret` (the grade changed), `uendret`, or empty                                 |
"""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import Workbook

from activities.documents import COURSE_CODE
from gateway.results import OSLO, Result

COLUMNS = [
    "person_id",
    "course_code",
    "term",
    "grade",
    "credits",
    "result_date",
    "attempt",
    "appealed",
    "grade_before_appeal",
    "appeal_outcome",
]


def term(result: Result) -> str:
    released = result.released.astimezone(OSLO)  # the exam's term: the release, also after an appeal
    return f"{released.year} {'VÅR' if released.month <= 6 else 'HØST'}"


def row(result: Result) -> list[str | int]:
    appeal = result.appeal
    before = appeal.final_before if appeal else ""
    outcome = "" if appeal is None else ("endret" if appeal.final_after != appeal.final_before else "uendret")
    assert result.grade is not None
    return [
        result.person_id,
        COURSE_CODE,
        term(result),
        result.grade.value,
        result.credits,
        result.result_date.isoformat(),
        result.attempt,
        "ja" if appeal else "nei",
        before,
        outcome,
    ]


def rows(results: list[Result]) -> list[list[str | int]]:
    return [row(r) for r in results if r.grade is not None and r.certificate != "course_certificate"]


def write_export(results: list[Result], folder: Path, cohort: str, xlsx: bool = False) -> list[Path]:
    """`fs-eksport-<cohort>.csv` (and `.xlsx`) in `folder`; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    table = rows(results)
    csv_path = folder / f"fs-eksport-{cohort}.csv"
    with csv_path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter=";")
        writer.writerow(COLUMNS)
        writer.writerows(table)
    written = [csv_path]
    if xlsx:
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = f"Resultater {cohort}"[:31]
        sheet.append(COLUMNS)
        for line in table:
            sheet.append(line)
        xlsx_path = csv_path.with_suffix(".xlsx")
        book.save(xlsx_path)
        written.append(xlsx_path)
    return written
