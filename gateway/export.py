"""The export of a cohort's results to FS (Felles studentsystem), as CSV and optionally XLSX.

One row per exam attempt of each student with a grade (the ordinary exam, then each decided re-sit; course
participants get no grade and no credits and are not exported), in this column layout (the header row names
them; CSV in UTF-8 with `;` as separator, as Norwegian spreadsheets expect):

| column              | content                                                                           |
|---------------------|-----------------------------------------------------------------------------------|
| person_id           | the register's opaque person ID (`p` + 20 hex); the school maps it to FS's person |
| course_code         | the course's code (`NISK30`: the study plan names none)                           |
| term                | the exam term, `YYYY VÅR` (January-June) or `YYYY HØST`: the release's, a re-sit's |
| grade               | A-F: the attempt's grade (the ordinary exam's after its appeal)                   |
| credits             | 30 on the row that counts when its grade is passed, else 0                        |
| result_date         | ISO date (Europe/Oslo): the release, or the appeal's or the re-sit's decision      |
| attempt             | 1, 2, 3: the attempts that count (a missed oral with a valid absence has no row)   |
| appealed            | `ja` when the person appealed this attempt and the appeal is decided, else `nei`  |
| grade_before_appeal | the grade the appeal was of (empty without an appeal)                             |
| appeal_outcome      | `endret` (the grade changed), `uendret`, or empty                                 |
| counts              | `ja` on the one row per person whose grade counts (the best, the latest of equals) |
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

from openpyxl import Workbook

from activities.documents import COURSE_CODE
from domain.catalogue.labels import OSLO
from gateway.results import Result
from runtime.files import new_dirs_private, write_private

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
    "counts",
]


def term(result: Result) -> str:
    return term_of(result.released.astimezone(OSLO).date())  # the exam's term: the release, also after an appeal


def term_of(day: date) -> str:
    return f"{day.year} {'VÅR' if day.month <= 6 else 'HØST'}"


def attempt_rows(result: Result) -> list[list[str | int]]:
    """The ordinary exam's row and one per decided re-sit; `counts` marks the one whose grade counts."""
    assert result.grade is not None
    appeal = result.appeal
    first = result.first_grade if result.resits else result.grade
    attempts: list[tuple[str, date, str, str, str]] = []
    if first is not None:  # none when the ordinary oral was missed with a valid absence: that is no attempt
        attempts.append(
            (
                first.value,
                _first_date(result),
                "ja" if appeal else "nei",
                appeal.final_before if appeal else "",
                "" if appeal is None else ("endret" if appeal.final_after != appeal.final_before else "uendret"),
            )
        )
    for resit in result.resits:
        assert resit.attempt_grade is not None and resit.decided_at is not None
        attempts.append((resit.attempt_grade, resit.decided_at.astimezone(OSLO).date(), "nei", "", ""))
    counting = max(i for i, a in enumerate(attempts) if a[0] == result.grade.value)
    return [
        [
            result.person_id,
            COURSE_CODE,
            term(result) if i == 0 and first is not None else term_of(when),
            grade,
            result.credits if i == counting else 0,
            when.isoformat(),
            i + 1,
            appealed,
            before,
            outcome,
            "ja" if i == counting else "nei",
        ]
        for i, (grade, when, appealed, before, outcome) in enumerate(attempts)
    ]


def _first_date(result: Result) -> date:
    moment = result.appeal.decided_at if result.appeal and result.appeal.decided_at else result.released
    return moment.astimezone(OSLO).date()


def rows(results: list[Result]) -> list[list[str | int]]:
    return [
        line
        for r in results
        if r.grade is not None and r.certificate != "course_certificate"
        for line in attempt_rows(r)
    ]


def write_export(results: list[Result], folder: Path, cohort: str, xlsx: bool = False) -> list[Path]:
    """`fs-eksport-<cohort>.csv` (and `.xlsx`) in `folder`, each 0600 (grades by person ID); returns the files
    written. A missing folder is made 0700; an existing one keeps its mode (`--out` may name any folder)."""
    new_dirs_private(folder)
    table = rows(results)
    csv_path = folder / f"fs-eksport-{cohort}.csv"
    text = io.StringIO(newline="")
    writer = csv.writer(text, delimiter=";")
    writer.writerow(COLUMNS)
    writer.writerows(table)
    write_private(csv_path, text.getvalue())
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
        saved = io.BytesIO()
        book.save(saved)
        write_private(xlsx_path, saved.getvalue())
        written.append(xlsx_path)
    return written
