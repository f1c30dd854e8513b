"""A municipality hands in a work requirement with its document: the file is kept outside Temporal, the workflow
gets its SHA-256, the teacher downloads exactly those bytes, nobody outside the group can, and a refused hand-in
or an oversized file leaves nothing behind."""

from __future__ import annotations

import hashlib

from store.uploads import UPLOAD_MAX_BYTES
from tests.web.conftest import THEIRS, World, csrf_of, sign_in, token
from tests.web.test_pages import text
from workflows.group import GroupWorkflow
from workflows.ids import group_workflow_id

REPORT = "Innsiktsrapport fra Bodø\n".encode() * 400
NAME = "Rapport arbeidskrav 4 (Bodø).pdf"


async def test_a_requirement_handed_in_with_its_document(world: World) -> None:
    digest = hashlib.sha256(REPORT).hexdigest()
    uploads = world.app.state.web.uploads
    async with world.client() as client:
        await sign_in(client, world, "municipality")
        page = await client.get(world.group())
        answer = await client.post(
            world.group() + "/requirement-submit",
            data={"number": "4", "csrf": csrf_of(page.text)},
            files={"dokument": (NAME, REPORT, "application/pdf")},
        )
        assert answer.status_code == 303, text(answer.text)
        after = (await client.get(world.group())).text
        assert f'href="{world.group()}/dokument/{digest}"' in after

        # handed in again: refused by the workflow, and the new file is not kept
        other = b"a second version"
        again = await client.post(
            world.group() + "/requirement-submit",
            data={"number": "4", "csrf": csrf_of(after)},
            files={"dokument": ("v2.pdf", other, "application/pdf")},
        )
        assert again.status_code == 409 and "Arbeidskrav 4 er levert, venter på vurdering" in text(again.text)
        assert uploads.find(hashlib.sha256(other).hexdigest()) is None

    detail = await world.harness.client.get_workflow_handle(group_workflow_id(world.cohort, "5001")).query(
        GroupWorkflow.detail
    )
    assert detail.requirements[3].document == digest  # only the hash went to Temporal
    stored = uploads.find(digest)
    assert stored is not None and stored[0].filename == NAME and stored[0].size == len(REPORT)

    async with world.client() as client:
        await sign_in(client, world, "teacher")
        download = await client.get(f"{world.group()}/dokument/{digest}")
        assert download.status_code == 200 and download.content == REPORT
        assert download.headers["content-type"] == "application/pdf"
        assert "Rapport%20arbeidskrav%204%20%28Bod%C3%B8%29.pdf" in download.headers["content-disposition"]
        assert download.headers["x-content-type-options"] == "nosniff"
        assert (await client.get(f"{world.group()}/dokument/{'0' * 64}")).status_code == 404  # not this group's
    async with world.client() as client:
        await sign_in(client, world, "participant")  # a member sees their own page, not the group's files
        assert (await client.get(f"{world.group()}/dokument/{digest}")).status_code == 404


async def test_an_oversized_or_empty_document_is_refused_and_nothing_changes(world: World) -> None:
    async with world.client() as client:
        await sign_in(client, world, "municipality")
        page = await client.get(world.group())
        before = len(list(world.app.state.web.uploads.folder.iterdir()))
        for content, reason in (
            (b"x" * (UPLOAD_MAX_BYTES + 1), "Dokument: høyst 20 MB"),
            (b"", "Dokument: filen er tom"),
        ):
            answer = await client.post(
                world.group() + "/written-submit",
                data={"csrf": csrf_of(page.text)},
                files={"dokument": ("oppgave.pdf", content, "application/pdf")},
            )
            assert answer.status_code == 422 and reason in text(answer.text), text(answer.text)[-300:]
        assert len(list(world.app.state.web.uploads.folder.iterdir())) == before
        assert "Ikke levert ennå" in text((await client.get(world.group())).text)


async def test_the_api_hands_in_the_written_assignment_with_its_file(world: World) -> None:
    """Multipart, as a program sends it: the rights first, then the file, then the workflow; only the hash in it."""
    assignment = b"Gruppeoppgave: tjenestedesign i Oslo\n" * 300
    digest = hashlib.sha256(assignment).hexdigest()
    url = world.api_group(THEIRS) + "/written/submit"
    uploads = world.app.state.web.uploads
    async with world.client() as client:
        files = {"document": ("oppgave.pdf", assignment, "application/pdf")}
        municipality = await client.post(url, files=files, headers=await token(client, world, "municipality"))
        assert municipality.status_code == 404 and uploads.find(digest) is None  # not their group: no file kept
        admin = await token(client, world, "admin")
        empty = await client.post(url, files={"document": ("tom.pdf", b"", "application/pdf")}, headers=admin)
        assert empty.status_code == 422 and empty.json() == {"detail": "Dokument: filen er tom"}
        handed_in = await client.post(url, files=files, headers=admin)
        assert handed_in.status_code == 200, handed_in.text
        again = await client.post(url, files={"document": ("v2.pdf", b"v2", "application/pdf")}, headers=admin)
        assert again.status_code == 409 and again.json() == {
            "detail": "Den skriftlige oppgaven er allerede levert",
            "problems": [{"code": "group.written_already_submitted", "params": {}}],
        }
        assert uploads.find(hashlib.sha256(b"v2").hexdigest()) is None  # refused: the new file is not kept
    detail = await world.harness.client.get_workflow_handle(group_workflow_id(world.cohort, THEIRS)).query(
        GroupWorkflow.detail
    )
    assert detail.written_document == digest and detail.written_submitted
    stored = uploads.find(digest)
    assert stored is not None and stored[0].filename == "oppgave.pdf"
