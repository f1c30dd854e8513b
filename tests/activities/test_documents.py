"""Documents as their readers get them: the PDF's own text (read back with pypdf), the verification code, and a
new version when the grade changes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from activities.documents import DocumentFacts, Documents, documents_key, verification_code

KEY = documents_key(b"k" * 32)
PERSON = "p0123456789abcdef0123"


def pdf_text(path: Path) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(path).pages)


def transcript(grade: str = "B", participant: str = "kull-2022.gruppe-1804.deltaker-1") -> DocumentFacts:
    return DocumentFacts(
        kind="transcript",
        participant_id=participant,
        cohort="2022",
        credits=30,
        grade=grade,
        result_date=date(2023, 6, 9),
    )


async def test_a_transcript_states_course_credits_grade_date_and_code(
    session_factory: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    documents = Documents(session_factory, KEY, tmp_path)
    issued = await documents.issue(PERSON, transcript(), "Åse Brønnøysund Ødegård")
    text = pdf_text(issued.file)
    assert text.startswith("Karakterutskrift Nasjonal innovasjonsskole for kommunesektoren")
    assert "Navn: Åse Brønnøysund Ødegård" in text
    assert "Emne: Nasjonal innovasjonsskole for kommunesektoren (NISK30), kull 2022" in text
    assert "Studiepoeng: 30" in text and "Karakter: B" in text
    assert "Dato for resultatet: fredag 9. juni 2023" in text
    assert f"Verifikasjonskode: {issued.code}" in text
    assert issued.code == verification_code(KEY, transcript()) and len(issued.code) == 24
    assert issued.file.relative_to(tmp_path).parts[:2] == ("documents", "2022")


async def test_a_course_certificate_says_completed_and_no_credits(
    session_factory: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    facts = DocumentFacts(
        kind="course_certificate",
        participant_id="kull-2022.gruppe-1804.deltaker-4",
        cohort="2022",
        credits=0,
        grade=None,
        result_date=date(2023, 6, 9),
    )
    issued = await Documents(session_factory, KEY, tmp_path).issue(PERSON, facts, "Per Æsøy")
    text = pdf_text(issued.file)
    assert text.startswith("Kursbevis Nasjonal innovasjonsskole for kommunesektoren")
    assert "Per Æsøy har gjennomført kurset Nasjonal innovasjonsskole for kommunesektoren, kull 2022" in text
    assert "gir ikke studiepoeng" in text and "Karakter" not in text


async def test_verification_shows_what_the_document_says_and_a_new_grade_supersedes(
    session_factory: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    documents = Documents(session_factory, KEY, tmp_path)
    first = await documents.issue(PERSON, transcript("D"), "Kari Nordmann")
    assert (await documents.issue(PERSON, transcript("D"), "Kari Nordmann")) == first  # the same facts: the same one
    checked = await documents.verify(first.code.lower())
    assert checked is not None and (checked.kind, checked.status) == ("karakterutskrift", "valid")
    # what the document says, nothing else about the person (issue 19: a copied code must not vouch for a forgery)
    assert set(vars(checked)) == {
        "kind",
        "course",
        "issued",
        "status",
        "name",
        "credits",
        "grade",
        "result_date",
        "version",
    }
    assert (checked.grade, checked.credits, checked.version, checked.name) == ("D", 30, 1, None)  # no register asked
    assert await documents.verify("AAAA-BBBB-CCCC-DDDD-EEEE") is None

    second = await documents.issue(PERSON, transcript("B"), "Kari Nordmann")  # after an appeal
    assert second.version == 2 and second.code != first.code and second.file != first.file
    assert (await documents.verify(first.code)).status == "superseded"  # type: ignore[union-attr]
    assert (await documents.verify(second.code)).status == "valid"  # type: ignore[union-attr]
    assert "Karakter: B" in pdf_text(second.file) and "versjon 2" in pdf_text(second.file)
    assert [d.code for d in await documents.current_of_cohort("2022")] == [second.code]


async def test_erasure_removes_the_files_and_the_codes(
    session_factory: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    documents = Documents(session_factory, KEY, tmp_path)
    first = await documents.issue(PERSON, transcript("D"), "Kari Nordmann")
    second = await documents.issue(PERSON, transcript("B"), "Kari Nordmann")
    assert await documents.erase(PERSON) == 2
    assert not first.file.exists() and not second.file.exists()
    assert await documents.verify(first.code) is None and await documents.verify(second.code) is None


async def test_the_pdf_is_rendered_while_no_database_connection_is_held(
    session_factory: async_sessionmaker[AsyncSession], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # rendering takes tens of ms; inside a write transaction it would hold every other writer of SQLite that long
    import activities.documents as module

    engine = session_factory.kw["bind"]
    held: list[int] = []
    render = module.pdf_bytes

    def watched(facts: DocumentFacts, name: str, code: str) -> bytes:
        held.append(engine.pool.checkedout())
        return render(facts, name, code)

    monkeypatch.setattr(module, "pdf_bytes", watched)
    documents = Documents(session_factory, KEY, tmp_path)
    first = await documents.issue(PERSON, transcript("B"), "Kari Kurs")
    second = await documents.issue(PERSON, transcript("A"), "Kari Kurs")
    assert held == [0, 0] and (first.version, second.version) == (1, 2)
    assert "Karakter: A" in pdf_text(second.file)
