"""Documents: a transcript (karakterutskrift) for a student who passed, a course certificate (kursbevis) for a
course participant who completed, as PDF files in Norwegian bokmål, each with a verification code.

The code is an HMAC of the document's facts (and version) under a key derived from the application key: anyone
holding it can have the document checked (`verify`) and learns what the document says (the holder's name, course,
credits, grade, dates, version) and whether it is still the newest, nothing else about the person. Issuing is
idempotent: the same facts give the same current document; changed facts (an appeal that changed the grade) give a
new version and mark the one before it superseded. The holder lists and downloads their versions (`held`,
`download`). The text of each kind is a Jinja2 file in `templates/documents/`; the font is the Vera TrueType font
reportlab ships (æøå included), embedded.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any, Literal
from xml.sax.saxutils import escape

import reportlab
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from pydantic import BaseModel, ConfigDict, Field
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from activities.letters import FILTERS, SCHOOL, PeopleLookup
from domain.catalogue.labels import OSLO
from runtime.files import private_dir, write_private
from store import documents as store
from store.documents import DocumentRecord

TEMPLATES = Path(__file__).parent / "templates" / "documents"
FONT_DIR = Path(reportlab.__file__).parent / "fonts"
COURSE = "Nasjonal innovasjonsskole for kommunesektoren"
COURSE_CODE = "NISK30"  # the study plan names no code; FS gets this one (documented in cli/export.py)
Kind = Literal["transcript", "course_certificate"]
KINDS: dict[str, str] = {"transcript": "karakterutskrift", "course_certificate": "kursbevis"}


class DocumentFacts(BaseModel):
    """What a document states, without the name (the register names the person when the PDF is made)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Kind
    participant_id: str
    cohort: str
    course: str = COURSE
    course_code: str = COURSE_CODE
    credits: int = Field(ge=0)
    grade: str | None  # a transcript's grade; None on a course certificate
    result_date: date  # the release (or the appeal's decision) in Europe/Oslo
    version: int = Field(default=1, ge=1)


@dataclass(frozen=True)
class Verification:
    """All the public verification page shows: what the document says, and nothing else about the person."""

    kind: str
    course: str
    issued: date
    status: Literal["valid", "superseded"]
    name: str | None = None  # the holder's name from the register (None when not asked for)
    credits: int = 0
    grade: str | None = None  # a transcript's
    result_date: date | None = None
    version: int = 1


@dataclass(frozen=True)
class Held:
    """One version of a participant's document, as their page lists it."""

    kind: str  # "karakterutskrift" | "kursbevis"
    version: int
    issued: date  # in Europe/Oslo
    current: bool
    filename: str  # for the download: the kind and version, no name


@dataclass(frozen=True)
class Download:
    path: Path
    filename: str


@dataclass(frozen=True)
class Issued:
    participant_id: str
    kind: str
    code: str
    file: Path  # absolute
    version: int


def documents_key(identity_key: bytes) -> bytes:
    """The signing key of verification codes, derived from the identity key (runtime/codec.py), which never rotates:
    a code printed on a transcript verifies for as long as the document stands."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"documents").derive(identity_key)


def verification_code(key: bytes, facts: DocumentFacts) -> str:
    """20 characters of base32 in groups of four, e.g. `K7QD-2MXA-...`: easy to type, hard to guess."""
    digest = hmac.new(key, facts.model_dump_json().encode(), hashlib.sha256).digest()
    text = base64.b32encode(digest).decode()[:20]
    return "-".join(text[i : i + 4] for i in range(0, 20, 4))


# ---- rendering ----------------------------------------------------------------------------------------
@cache
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(FILTERS)
    env.globals["school"] = SCHOOL
    return env


@cache
def _font() -> str:
    pdfmetrics.registerFont(TTFont("Vera", str(FONT_DIR / "Vera.ttf")))
    pdfmetrics.registerFont(TTFont("Vera-Bold", str(FONT_DIR / "VeraBd.ttf")))
    return "Vera"


def document_text(facts: DocumentFacts, name: str, code: str) -> list[str]:
    """The document's lines, its title first."""
    text = _environment().get_template(f"{facts.kind}.j2").render(facts=facts, name=name, code=code)
    return [line.strip() for line in text.splitlines() if line.strip()]


def render_pdf(facts: DocumentFacts, name: str, code: str, path: Path) -> None:
    write_pdf(path, pdf_bytes(facts, name, code))


def write_pdf(path: Path, content: bytes) -> None:
    private_dir(path.parent)
    write_private(path, content)


def pdf_bytes(facts: DocumentFacts, name: str, code: str) -> bytes:
    font = _font()
    title, *lines = document_text(facts, name, code)
    heading = ParagraphStyle("title", fontName=f"{font}-Bold", fontSize=20, leading=26, spaceAfter=12)
    body = ParagraphStyle("body", fontName=font, fontSize=11, leading=16, spaceAfter=6)
    story: list[Paragraph | Spacer] = [Paragraph(escape(title), heading)]
    story += [Paragraph(escape(line), body) for line in lines]
    out = io.BytesIO()  # built in memory, then written whole and private: a PDF prints the person's name
    pdf = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=2.5 * cm,
        rightMargin=2.5 * cm,
        topMargin=3 * cm,
        title=f"{title} – {facts.cohort}",
        author=SCHOOL,
        lang="nb",
    )
    pdf.build(story)
    return out.getvalue()


# ---- issuing and verifying ------------------------------------------------------------------------------
class Documents:
    """Issues and verifies documents; files go under `data_dir/documents/`."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], key: bytes, data_dir: Path) -> None:
        self.sessions = sessions
        self.key = key
        self.data_dir = data_dir

    async def issue(self, person_id: str, facts: DocumentFacts, name: str) -> Issued:
        """The person's current document for these facts: the existing one when nothing changed, else a new
        version that supersedes the current one."""
        # The PDF is rendered between two short transactions, not inside one: rendering takes tens of ms, and on
        # SQLite an open write transaction holds every other writer (the workflows' activities) that long. The
        # write checks that no other version came meanwhile; if one did, it starts over.
        while True:
            async with self.sessions() as session:
                existing = await store.current(session, facts.participant_id)
                if existing is not None and _same(existing, facts):
                    return self._issued(existing)
                version = await store.latest_version(session, facts.participant_id) + 1
            versioned = facts.model_copy(update={"version": version})
            code = verification_code(self.key, versioned)
            content = pdf_bytes(versioned, name, code)
            relative = Path("documents") / facts.cohort / f"{facts.participant_id}.{facts.kind}.v{version}.pdf"
            async with self.sessions() as session, session.begin():
                if await store.latest_version(session, facts.participant_id) + 1 != version:
                    continue  # another version was issued while this one was rendered
                existing = await store.current(session, facts.participant_id)
                write_pdf(self.data_dir / relative, content)
                record = DocumentRecord(
                    code=code,
                    person_id=person_id,
                    participant_id=facts.participant_id,
                    cohort=facts.cohort,
                    kind=facts.kind,
                    version=version,
                    superseded_by=None,
                    facts=versioned.model_dump_json(),
                    file=str(relative),
                    issued_at=datetime.now(UTC),
                )
                if existing is not None:
                    existing.superseded_by = code
                session.add(record)
                return self._issued(record)

    async def verify(self, code: str, people: PeopleLookup | None = None) -> Verification | None:
        """For the public verification page: None for an unknown code; what the document says (with `people`, the
        holder's name as the register has it), nothing else about the person."""
        async with self.sessions() as session:
            record = await store.by_code(session, code.strip().upper())
        if record is None:
            return None
        facts = DocumentFacts.model_validate_json(record.facts)
        holder = (await people.get_many([record.person_id])).get(record.person_id) if people else None
        return Verification(
            kind=KINDS[record.kind],
            course=facts.course,
            issued=record.issued_at.astimezone(OSLO).date(),
            status="superseded" if record.superseded_by else "valid",
            name=holder.name if holder else None,
            credits=facts.credits,
            grade=facts.grade,
            result_date=facts.result_date,
            version=record.version,
        )

    async def held(self, participant_id: str) -> list[Held]:
        """The participant's documents, every version, the newest first (for their page)."""
        async with self.sessions() as session:
            records = await store.of_participant(session, participant_id)
        return [
            Held(
                kind=KINDS[r.kind],
                version=r.version,
                issued=r.issued_at.astimezone(OSLO).date(),
                current=r.superseded_by is None,
                filename=_filename(r),
            )
            for r in records
        ]

    async def download(self, participant_id: str, version: int, by_holder: bool = False) -> Download | None:
        """The PDF of one version of the participant's document; None when there is none (or its file is gone).
        `by_holder`: the participant fetches their own, and the first time is noted (they have the document)."""
        async with self.sessions() as session:
            record = await store.version_of(session, participant_id, version)
        if record is None or not (self.data_dir / record.file).is_file():
            return None
        if by_holder and record.downloaded_at is None:
            async with self.sessions() as session, session.begin():
                await store.downloaded_by_holder(session, participant_id, version, datetime.now(UTC))
        return Download(self.data_dir / record.file, _filename(record))

    async def erase(self, person_id: str) -> int:
        """GDPR erasure: the person's PDFs (they print the name) and their rows, so a code no longer verifies.
        For gateway/privacy.py's erase; returns how many documents went."""
        async with self.sessions() as session, session.begin():
            records = await store.of_person(session, person_id)
            for record in records:
                (self.data_dir / record.file).unlink(missing_ok=True)
                await session.delete(record)
        return len(records)

    async def current_of_cohort(self, cohort: str) -> list[Issued]:
        async with self.sessions() as session:
            return [self._issued(r) for r in await store.current_of_cohort(session, cohort)]

    def _issued(self, record: DocumentRecord) -> Issued:
        return Issued(
            participant_id=record.participant_id,
            kind=record.kind,
            code=record.code,
            file=self.data_dir / record.file,
            version=record.version,
        )


def _filename(record: DocumentRecord) -> str:
    return f"{KINDS[record.kind]}-{record.cohort}-v{record.version}.pdf"


def _same(record: DocumentRecord, facts: DocumentFacts) -> bool:
    stored: dict[str, Any] = json.loads(record.facts)
    fresh: dict[str, Any] = json.loads(facts.model_dump_json(exclude={"version"}))
    return {k: v for k, v in stored.items() if k != "version"} == fresh
