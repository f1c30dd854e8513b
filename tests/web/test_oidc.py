"""Sign-in through a real OpenID provider: the npm package oidc-provider (tests/oidc/provider.mjs) on 127.0.0.1.

The app runs in this process (ASGI); the provider is a real HTTP server, and a second client walks its
development login and consent pages as a browser would, each client with its own cookies. The provider's test
accounts are in provider.mjs. Needs `node` and `npm ci --prefix tests/oidc` (`make setup` runs it); without
them the tests skip, except under CI, where they fail.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import socket
import subprocess
import time
from collections.abc import AsyncIterator, Iterator
from html import unescape
from pathlib import Path
from urllib.parse import urljoin

import httpx
import pytest
from pydantic import SecretStr

from store.accounts import Role
from store.identities import derived_username
from tests.web.conftest import OURS, PASSWORD, THEIRS, World, csrf_of
from tests.workflows.helpers import eventually
from web.app import create_app
from workflows.ids import group_workflow_id

PROVIDER = Path(__file__).parents[1] / "oidc"
CLIENT_ID, CLIENT_SECRET = "nis-test", "a-test-secret-of-no-value"
CALLBACK = "http://testserver/logg-inn/oidc/callback"  # the ASGI client's base URL


def _missing() -> str | None:
    if shutil.which("node") is None:
        return "no `node` on PATH"
    if not (PROVIDER / "node_modules" / "oidc-provider").is_dir():
        return "tests/oidc/node_modules is missing"
    return None


@pytest.fixture(scope="module")
def issuer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The provider's issuer URL, once its discovery document answers."""
    missing = _missing()
    if missing is not None:
        reason = f"{missing}: run `npm ci --prefix tests/oidc` to test OpenID Connect sign-in"
        if os.environ.get("CI"):
            pytest.fail(reason)  # CI must run these, never skip them
        pytest.skip(reason)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    log = tmp_path_factory.mktemp("oidc") / "provider.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            ["node", str(PROVIDER / "provider.mjs"), str(port), CLIENT_ID, CLIENT_SECRET, CALLBACK],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                pytest.fail(f"the OpenID provider exited with {process.returncode}:\n{log.read_text()}")
            try:
                if httpx.get(f"{url}/.well-known/openid-configuration", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"the OpenID provider did not answer within 30 s:\n{log.read_text()}")
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
async def oidc_world(world: World, issuer: str, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[World]:
    """The same cohort and accounts, served by an app that also signs in through the provider."""
    settings = world.settings(tmp_path_factory.mktemp("oidc-app")).model_copy(
        update={
            "oidc_issuer": issuer,
            "oidc_client_id": CLIENT_ID,
            "oidc_client_secret": SecretStr(CLIENT_SECRET),
            "oidc_scopes": "openid profile nis",
        }
    )
    app = create_app(settings, world.harness.client, world.harness.sessions)
    yield World(world.harness, world.plan, app, world.members, world.accounts)


async def through_provider(app: httpx.AsyncClient, login: str, *, cancel: bool = False) -> httpx.Response:
    """Click the app's button, sign in at the provider as `login` (any password) and consent, or cancel there;
    the app's answer to the provider's redirect back."""
    start = await app.get("/logg-inn/oidc")
    assert start.status_code == 302, start.text
    location = start.headers["location"]
    async with httpx.AsyncClient(timeout=10) as browser:  # the provider's cookies stay with the provider
        for _ in range(12):
            if location.startswith(CALLBACK):
                return await app.get(location)
            answer = await browser.get(location)
            if answer.is_redirect:
                location = urljoin(location, answer.headers["location"])
                continue
            assert answer.status_code == 200, answer.text
            if cancel:
                location = urljoin(location, unescape(re.findall(r'href="([^"]*/abort)"', answer.text)[0]))
                continue
            action = unescape(re.findall(r'<form[^>]*action="([^"]+)"', answer.text)[0])
            prompt = re.findall(r'name="prompt" value="(\w+)"', answer.text)[0]
            form = {"prompt": "login", "login": login, "password": "anything"} if prompt == "login" else {}
            posted = await browser.post(urljoin(location, action), data={"prompt": prompt} | form)
            assert posted.is_redirect, posted.text
            location = urljoin(location, posted.headers["location"])
    raise AssertionError(f"the provider never sent the browser back to the app (last at {location})")


def text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def session_cookie(answer: httpx.Response) -> str | None:
    return next((c for c in answer.headers.get_list("set-cookie") if c.startswith("nis_session=")), None)


async def test_an_admin_signs_in_at_the_provider_and_acts_under_their_own_account(oidc_world: World) -> None:
    async with oidc_world.client() as client:
        page = await client.get("/logg-inn")
        assert "Logg inn med organisasjonskonto" in text(page.text) and 'href="/logg-inn/oidc"' in page.text
        start = await client.get("/logg-inn/oidc")
        state_cookie = next(c for c in start.headers.get_list("set-cookie") if c.startswith("nis_oidc="))
        assert all(part in state_cookie.lower() for part in ("httponly", "samesite=lax", "path=/logg-inn/oidc"))
        for part in ("code_challenge_method=S256", "code_challenge=", "nonce=", "state=", "scope=openid+profile+nis"):
            assert part in start.headers["location"]

        answer = await through_provider(client, "ada")
        assert answer.status_code == 303 and answer.headers["location"] == "/", answer.text
        cookie = session_cookie(answer)
        assert cookie is not None and "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()
        home = await client.get("/")
        assert home.status_code == 200 and "ada.oidc · Studieadministrasjon" in text(home.text)
        assert (await client.get("/logg")).status_code == 200  # an admin-only page

        group = await client.get(oidc_world.group())
        refused = await client.post(
            oidc_world.group() + "/requirement-extend",
            data={"number": "1", "deadline": "2000-01-01T12:00", "csrf": csrf_of(group.text)},
        )  # always refused (a deadline in the past), so no other test's requirement changes
        assert refused.status_code == 409

        async def audited() -> None:
            log = text((await client.get(oidc_world.group())).text.split('id="logg"')[1])
            assert "ada.oidc" in log

        await eventually(audited)

    accounts = oidc_world.app.state.web.accounts
    stored = await accounts.get("ada.oidc")
    assert stored is not None and stored.role == Role.ADMIN
    assert await accounts.authenticate("ada.oidc", "oidc") is None  # the provider's accounts have no password


async def test_a_municipality_contact_named_by_an_email_address_gets_a_neutral_name_and_their_binding(
    oidc_world: World, issuer: str, capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    username = "oidc-" + hashlib.sha256(f"{issuer}|kari".encode()).hexdigest()[:16]
    async with oidc_world.client() as client:
        answer = await through_provider(client, "kari")
        assert answer.status_code == 303, answer.text
        home = await client.get("/")
        assert f"{username} · Trondheim kommune" in text(home.text) and "kari@example.no" not in home.text
        assert (await client.get(oidc_world.group(OURS))).status_code == 200
        assert (await client.get(oidc_world.group(THEIRS))).status_code == 404
    account = await oidc_world.app.state.web.accounts.get(username)
    assert account is not None and (account.role, account.municipality) == (Role.MUNICIPALITY, OURS)
    captured = capfd.readouterr()
    logged = captured.out + captured.err + caplog.text
    assert "kari@example.no" not in logged and "Kari Kommune" not in logged and "eyJ" not in logged  # no JWT


async def test_the_most_privileged_role_the_claim_maps_to_is_taken(oidc_world: World) -> None:
    async with oidc_world.client() as client:
        assert (await through_provider(client, "multi")).status_code == 303
    account = await oidc_world.app.state.web.accounts.get("multi.oidc")
    assert account is not None and account.role == Role.TEACHER  # of examiner, an unknown value and teacher


@pytest.mark.parametrize(
    ("login", "code", "message"),
    [
        ("nobody", 403, "Kontoen din gir ingen rolle i studieadministrasjonen (kravet «nis_role» mangler"),
        ("bad", 403, "rollen kommune hos innloggingstjenesten, men kravet «nis_municipality» gir ikke et gyldig"),
    ],
)
async def test_a_sign_in_that_gives_no_valid_account_is_refused_and_changes_nothing(
    oidc_world: World, login: str, code: int, message: str, capfd: pytest.CaptureFixture[str]
) -> None:
    async with oidc_world.client() as client:
        answer = await through_provider(client, login)
        assert answer.status_code == code and message in text(answer.text), text(answer.text)
        assert session_cookie(answer) is None and "nis_session" not in client.cookies
        assert (await client.get("/")).status_code == 303  # still signed out
    assert await oidc_world.app.state.web.accounts.get(f"{login}.oidc") is None
    captured = capfd.readouterr()
    assert "OpenID Connect sign-in refused" in captured.out + captured.err
    assert login not in re.sub(r"http://\S+", "", captured.out + captured.err)  # no login name in the log


async def test_a_handle_is_no_identity_each_subject_keeps_its_own_account(oidc_world: World, issuer: str) -> None:
    accounts = oidc_world.app.state.web.accounts
    async with oidc_world.client() as client:
        assert (await through_provider(client, "sensor")).status_code == 303
        assert "sensor.oidc · " in text((await client.get("/")).text)
    await accounts.assign("sensor.oidc", group_workflow_id(oidc_world.cohort, OURS))

    newcomer = derived_username(issuer, "sensor-2")  # the provider gave them the handle sensor.oidc too
    async with oidc_world.client() as client:
        assert (await through_provider(client, "sensor-2")).status_code == 303
        assert f"{newcomer} · " in text((await client.get("/")).text)
        assert (await client.get(oidc_world.group(OURS))).status_code == 404  # not sensor.oidc's group
    assert await accounts.assigned(newcomer) == set()
    assert await accounts.assigned("sensor.oidc") == {group_workflow_id(oidc_world.cohort, OURS)}

    async with oidc_world.client() as client:  # the first person still opens their own account
        assert (await through_provider(client, "sensor")).status_code == 303
        assert (await client.get(oidc_world.group(OURS))).status_code == 200

    turid = derived_username(issuer, "turid")  # the handle of a local account with a password
    async with oidc_world.client() as client:
        assert (await through_provider(client, "turid")).status_code == 303
        assert f"{turid} · " in text((await client.get("/")).text)
    local = await accounts.authenticate("turid", PASSWORD)  # the local account is as it was
    assert local is not None and local.role == Role.TEACHER


async def test_a_cancelled_sign_in_and_a_forged_state_are_refused(oidc_world: World) -> None:
    async with oidc_world.client() as client:
        cancelled = await through_provider(client, "ada", cancel=True)
        assert cancelled.status_code == 403 and "Innloggingen ble avbrutt" in text(cancelled.text)
        assert session_cookie(cancelled) is None

        await client.get("/logg-inn/oidc")  # a sign-in under way in this browser, but not with this state
        forged = await client.get("/logg-inn/oidc/callback", params={"code": "stolen", "state": "forged"})
        assert forged.status_code == 400 and "ble ikke startet i denne nettleseren" in text(forged.text)
        assert session_cookie(forged) is None
    async with oidc_world.client() as stranger:  # no state cookie at all
        answer = await stranger.get("/logg-inn/oidc/callback", params={"code": "stolen", "state": "forged"})
        assert answer.status_code == 400 and session_cookie(answer) is None


async def test_without_an_issuer_there_is_no_button_and_no_route(world: World) -> None:
    async with world.client() as client:
        page = await client.get("/logg-inn")
        assert "/logg-inn/oidc" not in page.text and "organisasjonskonto" not in page.text
        assert (await client.get("/logg-inn/oidc")).status_code == 404
        assert (await client.get("/logg-inn/oidc/callback", params={"state": "x"})).status_code == 404


async def test_a_provider_that_does_not_answer_is_said_so_and_nothing_starts(world: World, tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port nobody listens on once the probe is closed
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    settings = world.settings(tmp_path).model_copy(
        update={"oidc_issuer": f"http://127.0.0.1:{closed}", "oidc_client_id": CLIENT_ID}
    )
    app = create_app(settings, world.harness.client, world.harness.sessions)
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50123))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        answer = await client.get("/logg-inn/oidc")
        assert answer.status_code == 503 and "Innloggingstjenesten svarer ikke nå" in text(answer.text)
        assert "nis_oidc" not in client.cookies and session_cookie(answer) is None
