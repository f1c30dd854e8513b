"""A participant's documents on the web: their page lists every version (kind, version, date, whether it is the
newest) with a download; the PDF comes as an attachment to the holder, the administration and teachers, and 404 to
everyone else; `/verifiser` with the code shows what the document says, for anyone holding the code."""

from __future__ import annotations

from datetime import date
from io import BytesIO

from pypdf import PdfReader

from activities.documents import DocumentFacts, Issued
from store import documents as documents_store
from tests.web.conftest import World, sign_in
from tests.web.test_pages import text
from workflows.group import GroupWorkflow
from workflows.ids import group_workflow_id
from workflows.messages import GroupDetail


async def holder(world: World, index: int = 0) -> tuple[str, str]:
    """A member's person ID and name as the register holds them (member 0 is the participant account's)."""
    group = world.harness.client.get_workflow_handle(group_workflow_id(world.cohort, "5001"))
    detail: GroupDetail = await group.query(GroupWorkflow.detail)
    person_id = next(m.person_id for m in detail.members if m.participant_workflow_id == world.members[index])
    people = world.app.state.web.admin.people
    return person_id, (await people.get_many([person_id]))[person_id].name


async def issue_transcript(world: World, grade: str = "B", index: int = 0) -> tuple[Issued, str]:
    """A member's transcript, issued as the relay issues it at release; and their name. Each test file its own
    member: a member's versions follow one another."""
    person_id, name = await holder(world, index)
    facts = DocumentFacts(
        kind="transcript",
        participant_id=world.members[index],
        cohort=world.cohort,
        credits=30,
        grade=grade,
        result_date=date(2026, 6, 20),
    )
    return await world.app.state.web.documents.issue(person_id, facts, name), name


def pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(BytesIO(content)).pages)


async def test_the_holder_and_staff_download_the_pdf_and_others_get_404(world: World) -> None:
    issued, name = await issue_transcript(world)
    url = f"/deltaker/{world.members[0]}/dokumenter/{issued.version}"
    for role in ("admin", "teacher", "participant"):
        async with world.client() as client:
            await sign_in(client, world, role)
            page = await client.get(f"/deltaker/{world.members[0]}")
            assert "Dokumenter" in text(page.text) and f"Last ned karakterutskrift versjon {issued.version}" in text(
                page.text
            ), role
            pdf = await client.get(url)
            assert pdf.status_code == 200, role
            assert pdf.headers["content-type"] == "application/pdf"
            assert pdf.headers["content-disposition"].startswith("attachment;")
            assert f"Navn: {name}" in pdf_text(pdf.content) and "Karakter: B" in pdf_text(pdf.content)
            async with world.harness.sessions() as session:  # noted when the holder has it, not when staff fetch it
                record = await documents_store.version_of(session, issued.participant_id, issued.version)
                assert record is not None and (record.downloaded_at is not None) == (role == "participant"), role
    for role in ("examiner", "municipality"):  # they see the group, not a person's documents
        async with world.client() as client:
            await sign_in(client, world, role)
            assert (await client.get(url)).status_code == 404, role
            assert "Last ned karakterutskrift" not in text((await client.get(f"/deltaker/{world.members[0]}")).text)
    async with world.client() as client:
        await sign_in(client, world, "participant")  # someone else's documents, and a version that does not exist
        assert (await client.get(f"/deltaker/{world.members[1]}/dokumenter/1")).status_code == 404
        assert (await client.get(f"/deltaker/{world.members[0]}/dokumenter/99")).status_code == 404
    async with world.client() as client:  # not signed in: to the sign-in page
        assert (await client.get(url)).status_code == 303
