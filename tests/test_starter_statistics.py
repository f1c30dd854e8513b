"""`starter.py statistics` and `starter.py verify` need only the read model's database: run as a user runs them,
on a data folder with a cohort's rows and a real issued document, with no Temporal server anywhere."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

from activities.documents import DocumentFacts, Documents, documents_key
from runtime.codec import load_or_create_key
from runtime.settings import Settings
from store.db import create_schema, make_engine, make_session_factory
from store.tables import GroupRecord
from tests.factories import cohort_record

ROOT = Path(__file__).parents[1]


def starter(data_dir: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"NIS_DATA_DIR": str(data_dir), "TEMPORAL_ADDRESS": "127.0.0.1:1"}  # nothing answers there
    return subprocess.run(
        [sys.executable, "starter.py", *argv], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


async def test_the_report_and_a_verification_from_the_database_alone(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    engine = make_engine(settings.resolved_database_url)
    await create_schema(engine)
    sessions = make_session_factory(engine)
    now = datetime.now(UTC)
    async with sessions() as session, session.begin():
        session.add(cohort_record("2031", applications=3, admitted=2, refused=1))
        for number, (group, region) in enumerate((("1804", "Nord-Norge"), ("4601", "Vestlandet"))):
            session.add(
                GroupRecord(
                    group_id=f"kull-2031.gruppe-{group}",
                    cohort="2031",
                    application_id=group,
                    municipalities=group,
                    region=region,
                    size="large",
                    outcome="admitted",
                    stage="programme",
                    requirements_approved=number,
                    written_grade=None,
                    updated_at=now,
                )
            )
    facts = DocumentFacts(
        kind="course_certificate",
        participant_id="kull-2031.gruppe-1804.deltaker-1",
        cohort="2031",
        credits=0,
        grade=None,
        result_date=date(2031, 6, 20),
    )
    issued = await Documents(sessions, documents_key(load_or_create_key(settings)), tmp_path).issue(
        "p" + "3" * 20, facts, "Kari Kurs"
    )
    await engine.dispose()

    made = starter(tmp_path, "statistics", "--cohort", "2031", "--out", str(tmp_path / "ut"))
    assert made.returncode == 0, made.stderr
    assert made.stdout.strip() == str(tmp_path / "ut" / "statistikk-2031.html")
    words = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", Path(made.stdout.strip()).read_text())).split())
    assert "3 søknader, 1 av dem avvist før trekningen." in words and "Nord-Norge 1" in words

    unknown = starter(tmp_path, "statistics", "--cohort", "2099")
    assert unknown.returncode == 1 and unknown.stderr.strip() == "avvist: Databasen har ikke noe kull 2099"

    checked = starter(tmp_path, "verify", issued.code.lower())
    assert checked.returncode == 0 and checked.stdout.strip().endswith(": gyldig")
    assert checked.stdout.startswith("kursbevis, ") and "Kari" not in checked.stdout
    wrong = starter(tmp_path, "verify", "AAAA-BBBB-CCCC-DDDD-EEEE")
    assert wrong.returncode == 1 and "avvist: Ingen dokumenter har verifiseringskoden" in wrong.stderr
