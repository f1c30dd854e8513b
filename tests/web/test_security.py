"""The web app against a hostile caller, through HTTP against the running app: security headers, bodies limited and
not read before the caller is known, rights before files, sessions that end, CORS on the codec alone, cookies that
stay on HTTPS, and the client's address from a proxy only when it is trusted."""

from __future__ import annotations

import functools
import hashlib
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import update

from domain.ids import GroupId
from domain.models import Grade
from gateway.admin import Refused
from gateway.commands import WRITTEN_GRADE
from store.accounts import Account, Role
from store.db import write_whole
from store.sessions import Kind, SessionRecord, Sessions
from store.uploads import Uploads
from tests.web.conftest import OURS, PASSWORD, World, csrf_of, sign_in, token
from web.actions import accepted
from web.app import create_app
from workflows.ids import group_workflow_id
from workflows.messages import WrittenGradeInput

UI = "http://127.0.0.1:8233"  # the Temporal UI's origin, which the codec answers


def text(page: str) -> str:
    return " ".join(page.split())


async def streamed(megabytes: int, pulled: list[int], head: bytes = b"") -> AsyncIterator[bytes]:
    """A body without Content-Length, counting the megabytes the app pulled."""
    yield head
    for _ in range(megabytes):
        pulled.append(1)
        yield b"x" * (1024 * 1024)


async def test_every_answer_carries_the_security_headers_and_the_api_docs_load_nothing_from_elsewhere(
    world: World,
) -> None:
    async with world.client() as client:
        await sign_in(client, world, "teacher")
        for path in ("/logg-inn", "/", world.group(), "/api/openapi.json", "/static/style.css", "/finnes-ikke"):
            answer = await client.get(path)
            policy = answer.headers["content-security-policy"]
            assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy, path
            assert "unsafe-inline" not in policy and "default-src 'self'" in policy
            assert answer.headers["x-content-type-options"] == "nosniff"
            assert answer.headers["referrer-policy"] == "same-origin"
        assert (await client.get("/api/docs")).status_code == 404


async def test_the_api_knows_the_caller_and_their_role_before_it_reads_a_body(world: World) -> None:
    attendance = world.api_group() + "/attendance"
    as_json = {"content-type": "application/json"}
    async with world.client() as client:
        malformed = await client.post(attendance, content=b"{not json", headers=as_json)
        assert malformed.status_code == 401  # not 422: nobody unknown gets the body parsed
        assert malformed.json() == {
            "detail": "Ikke innlogget: send et tilgangstoken (bearer) fra /api/token",
            "problems": [{"code": "web.not_signed_in", "params": {}}],
        }
        pulled: list[int] = []
        flood = await client.post(attendance, content=streamed(24, pulled), headers=as_json)
        assert flood.status_code == 401 and len(pulled) <= 1  # 24 MB offered, none read
        declared = await client.post(attendance, content=b"[" + b"1," * 600_000 + b"1]", headers=as_json)
        assert declared.status_code == 413  # over 1 MB by its Content-Length: not read at all

        municipality = await token(client, world, "municipality") | as_json
        for body in (b'{"gathering": 1, "day": 1, "present": ["ikke-en-deltaker"]}', b"{not json"):
            answer = await client.post(attendance, content=body, headers=municipality)
            assert answer.status_code == 403, answer.text  # a role that may not register attendance, never 500

        teacher = await token(client, world, "teacher") | as_json
        pulled = []
        big = await client.post(attendance, content=streamed(3, pulled), headers=teacher)
        assert big.status_code == 413 and big.json() == {"detail": "Forespørselen er for stor: høyst 1 MB her."}
        assert len(pulled) <= 2
        wrong_member = {"gathering": 1, "day": 1, "present": ["ikke-en-deltaker"]}
        invalid = await client.post(attendance, json=wrong_member, headers=teacher)
        assert invalid.status_code in (409, 422), invalid.text  # named as the broken rule, never 500


async def test_a_body_over_its_limit_is_refused_in_norwegian_on_a_page_and_a_hand_in_stores_nothing(
    world: World,
) -> None:
    folder = world.app.state.web.uploads.folder
    before = sorted(folder.iterdir()) if folder.exists() else []
    async with world.client() as client:
        await sign_in(client, world, "municipality")
        page = await client.get(world.group())
        form = {"number": "1", "csrf": csrf_of(page.text)}
        too_big = await client.post(
            world.group() + "/requirement-submit",
            data=form,
            files={"dokument": ("stor.pdf", b"x" * (21 * 1024 * 1024), "application/pdf")},
        )
        assert too_big.status_code == 413
        assert "Forespørselen er for stor: høyst 20 MB her." in text(too_big.text)
        pulled: list[int] = []
        head = (
            f'--grense\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n{csrf_of(page.text)}\r\n'
            '--grense\r\nContent-Disposition: form-data; name="dokument"; filename="stor.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        streamed_form = await client.post(
            world.group() + "/written-submit",
            content=streamed(24, pulled, head),
            headers={"content-type": "multipart/form-data; boundary=grense"},
        )
        assert streamed_form.status_code == 413 and len(pulled) <= 22
        assert "Forespørselen er for stor" in text(streamed_form.text)
        elsewhere = await client.post(f"/kull/{world.cohort}/confirm-selection", data={"x": "y" * (2 * 1024 * 1024)})
        assert elsewhere.status_code == 413 and "høyst 1 MB" in text(elsewhere.text)
    assert (sorted(folder.iterdir()) if folder.exists() else []) == before


async def test_a_role_that_may_not_hand_in_leaves_no_file(world: World) -> None:
    folder = world.app.state.web.uploads.folder
    before = sorted(folder.iterdir()) if folder.exists() else []
    document = "En lærers fil som ikke skal lagres\n".encode() * 1000
    async with world.client() as client:
        await sign_in(client, world, "teacher")
        page = await client.get(world.group())
        answer = await client.post(
            world.group() + "/requirement-submit",
            data={"number": "1", "csrf": csrf_of(page.text)},
            files={"dokument": ("rapport.pdf", document, "application/pdf")},
        )
        assert answer.status_code == 403
    assert (sorted(folder.iterdir()) if folder.exists() else []) == before
    assert world.app.state.web.uploads.find(hashlib.sha256(document).hexdigest()) is None


async def test_a_refused_hand_in_never_removes_the_file_another_accepted_hand_in_refers_to(tmp_path: Path) -> None:
    """Two hand-ins of the same bytes at the same moment, one accepted and one refused, in the worst order."""

    class File:
        def __init__(self, data: bytes) -> None:
            self.data = data

        async def read(self, size: int = -1) -> bytes:
            chunk, self.data = self.data, b""
            return chunk

    uploads = Uploads(tmp_path)
    same = b"Felles rapport\n" * 100
    refused = await uploads.stage(File(same), "a.pdf", "application/pdf")
    accepted = await uploads.stage(File(same), "b.pdf", "application/pdf")
    uploads.keep(accepted)
    uploads.discard(refused)
    found = uploads.find(accepted.upload.sha256)
    assert found is not None and found[1].read_bytes() == same and found[0].filename == "b.pdf"
    assert sorted(p.name for p in uploads.folder.iterdir()) == sorted(
        [accepted.upload.sha256, f"{accepted.upload.sha256}.json"]
    )  # no staged leftovers
    assert uploads.folder.stat().st_mode & 0o777 == 0o700 and found[1].stat().st_mode & 0o777 == 0o600


async def test_signing_out_ends_the_session_for_every_copy_of_the_cookie_and_needs_the_form_token(
    world: World,
) -> None:
    async with world.client() as client:
        await sign_in(client, world, "teacher")
        copied = client.cookies["nis_session"]
        page = await client.get("/")
        assert page.status_code == 200
        forced = await client.post("/logg-ut")  # another site's form has no token
        assert forced.status_code == 403
        assert (await client.get("/")).status_code == 200  # still signed in
        out = await client.post("/logg-ut", data={"csrf": csrf_of(page.text)})
        assert out.status_code == 303 and out.headers["location"] == "/logg-inn"
    cookies = {"nis_session": copied}
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=world.app), base_url="http://testserver", cookies=cookies
    ) as stolen:
        answer = await stolen.get("/")
        assert answer.status_code == 303 and answer.headers["location"] == "/logg-inn"


async def test_a_new_password_ends_every_session_and_api_token_of_the_account(world: World) -> None:
    accounts = world.app.state.web.accounts
    await accounts.add(Account(username="bytter-passord", role=Role.TEACHER), PASSWORD)
    async with world.client() as client:
        form = await client.get("/logg-inn")
        data = {"username": "bytter-passord", "password": PASSWORD, "csrf": csrf_of(form.text)}
        assert (await client.post("/logg-inn", data=data)).status_code == 303
        issued = await client.post("/api/token", data={"username": "bytter-passord", "password": PASSWORD})
        bearer = {"Authorization": f"Bearer {issued.json()['access_token']}"}
        assert (await client.get("/api/me", headers=bearer)).status_code == 200
        assert await accounts.set_password("bytter-passord", "et-helt-nytt-passord") == 2
        assert (await client.get("/api/me", headers=bearer)).status_code == 401
        assert (await client.get("/")).status_code == 303


async def test_an_api_token_can_be_ended_by_its_holder(world: World) -> None:
    async with world.client() as client:
        bearer = await token(client, world, "teacher")
        assert (await client.delete("/api/token", headers=bearer)).status_code == 204
        assert (await client.get("/api/me", headers=bearer)).status_code == 401


async def test_a_session_ends_when_idle_or_past_its_lifetime(world: World) -> None:
    hours, factory = timedelta(hours=1), world.harness.sessions
    sessions = Sessions(factory, timedelta(hours=8), hours, hours, write=functools.partial(write_whole, factory))
    idle, old = await sessions.start("turid", Kind.SESSION), await sessions.start("turid", Kind.SESSION)
    assert (await sessions.current(idle.secret, Kind.SESSION)) is not None
    assert (await sessions.current(idle.secret, Kind.TOKEN)) is None  # a session is no API token
    now = datetime.now(UTC)
    async with world.harness.sessions() as session, session.begin():
        hashed = {s: hashlib.sha256(s.secret.encode()).hexdigest() for s in (idle, old)}
        await session.execute(
            update(SessionRecord)
            .where(SessionRecord.secret_hash == hashed[idle])
            .values(last_seen_at=now - timedelta(minutes=61))
        )
        await session.execute(
            update(SessionRecord).where(SessionRecord.secret_hash == hashed[old]).values(expires_at=now)
        )
    assert await sessions.current(idle.secret, Kind.SESSION) is None
    assert await sessions.current(old.secret, Kind.SESSION) is None
    first, second = await sessions.start("turid", Kind.SESSION), await sessions.start("turid", Kind.SESSION)
    assert first.secret != second.secret and first.csrf != second.csrf  # a new session at every sign-in


async def test_cookies_are_secure_unless_the_app_serves_plain_http_on_loopback(world: World, tmp_path: Path) -> None:
    assert not world.settings(tmp_path).secure_cookies  # 127.0.0.1:8000, the embedded default
    served = world.settings(tmp_path).model_copy(update={"web_address": "0.0.0.0:8000"})
    assert served.secure_cookies
    app = create_app(served, world.harness.client, world.harness.sessions)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://testserver") as client:
        form = await client.get("/logg-inn")
        assert "secure" in form.headers["set-cookie"].lower()
        data = {"username": "turid", "password": PASSWORD, "csrf": csrf_of(form.text)}
        signed_in = await client.post("/logg-inn", data=data)
        assert signed_in.status_code == 303
        session_cookie = [c for c in signed_in.headers.get_list("set-cookie") if c.startswith("nis_session=")]
        assert session_cookie and "secure" in session_cookie[0].lower() and "httponly" in session_cookie[0].lower()


async def test_cors_answers_the_temporal_ui_on_the_codec_only(world: World) -> None:
    preflight = {"Origin": UI, "Access-Control-Request-Method": "POST"}
    async with world.client() as client:
        await sign_in(client, world, "admin")
        asked = preflight | {"Access-Control-Request-Headers": "content-type"}
        codec = await client.options("/codec/decode", headers=asked)
        assert codec.headers.get("access-control-allow-origin") == UI
        assert codec.headers.get("access-control-allow-credentials") == "true"
        for path in ("/", world.group(), "/api/me", f"/api/cohorts/{world.cohort}"):
            page = await client.get(path, headers={"Origin": UI})
            assert "access-control-allow-origin" not in page.headers, path
            answer = await client.options(path, headers=preflight)
            assert "access-control-allow-origin" not in answer.headers, path


async def test_the_client_address_comes_from_a_proxy_only_when_it_is_trusted(world: World, tmp_path: Path) -> None:
    behind = world.settings(tmp_path).model_copy(update={"web_trusted_proxies": ["10.1.0.0/16"]})
    app = create_app(behind, world.harness.client, world.harness.sessions)

    def via(peer: str) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=app, client=(peer, 50123))
        return httpx.AsyncClient(transport=transport, base_url="http://testserver")

    async with via("10.1.0.5") as proxy, via("10.2.0.5") as stranger:
        for n in range(20):  # one sprayer behind the proxy, and one stranger who spoofs the header
            sprayer = {"X-Forwarded-For": "203.0.113.7, 10.1.0.9"}
            await proxy.post("/api/token", data={"username": f"navn-{n}", "password": "x"}, headers=sprayer)
            spoofed = {"X-Forwarded-For": f"198.51.100.{n}"}
            await stranger.post("/api/token", data={"username": f"navn-{n}", "password": "x"}, headers=spoofed)
        ada = {"username": "ada", "password": PASSWORD}
        assert (await proxy.post("/api/token", data=ada, headers={"X-Forwarded-For": "203.0.113.7"})).status_code == 429
        someone_else = await proxy.post("/api/token", data=ada, headers={"X-Forwarded-For": "203.0.113.8"})
        assert someone_else.status_code == 200  # the proxy's other clients are not limited with the sprayer
        spoofing = await stranger.post("/api/token", data=ada, headers={"X-Forwarded-For": "198.51.100.99"})
        assert spoofing.status_code == 429  # not a trusted proxy: its header is ignored


async def test_a_hand_in_whose_answer_was_lost_learns_the_outcome_by_its_update_id(world: World) -> None:
    """What decides whether a hand-in whose answer was lost keeps its file: Temporal's word on that update's ID."""
    web = world.app.state.web
    workflow_id = group_workflow_id(world.cohort, OURS)
    refused_id = f"test-{uuid.uuid4()}"
    grade = WrittenGradeInput(actor="test", grade=Grade.B)  # refused: nothing is handed in to grade yet
    with pytest.raises(Refused):
        examiner = Account(username="test", role=Role.EXAMINER)
        await web.admin.perform(WRITTEN_GRADE, GroupId.parse(workflow_id), grade, examiner, update_id=refused_id)
    assert await accepted(web, workflow_id, refused_id) is False
    assert await accepted(web, workflow_id, f"test-never-sent-{uuid.uuid4()}") is False
