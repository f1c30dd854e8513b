"""/healthz says the process answers, whatever else is down; /readyz says whether the database and Temporal both
answer, and names the one that does not. Neither asks for a sign-in or sets a cookie, and probes are not limited."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from temporalio.client import Client

from store.db import create_schema, make_engine, make_session_factory
from tests.web.conftest import web_settings
from web.app import create_app
from web.server import settle_heap

NOWHERE = "127.0.0.1:1"  # nothing listens on port 1


async def serve(folder: Path, client: Client, database_url: str) -> AsyncIterator[httpx.AsyncClient]:
    engine = make_engine(database_url)
    app = create_app(web_settings(folder, "tq-health"), client, make_session_factory(engine))
    transport = httpx.ASGITransport(app=app, client=("10.0.0.7", 50123))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http
    await engine.dispose()


@pytest.fixture
async def web(tmp_path: Path, client: Client) -> AsyncIterator[httpx.AsyncClient]:
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'readmodel.sqlite3'}")
    await create_schema(engine)
    await engine.dispose()
    async for http in serve(tmp_path, client, f"sqlite+aiosqlite:///{tmp_path / 'readmodel.sqlite3'}"):
        yield http


@pytest.fixture
async def no_database(tmp_path: Path, client: Client) -> AsyncIterator[httpx.AsyncClient]:
    async for http in serve(tmp_path, client, f"postgresql+asyncpg://postgres@{NOWHERE}/test"):
        yield http


@pytest.fixture
async def no_temporal(tmp_path: Path, client: Client) -> AsyncIterator[httpx.AsyncClient]:
    nowhere = await Client.connect(NOWHERE, lazy=True)
    async for http in serve(tmp_path, nowhere, f"postgresql+asyncpg://postgres@{NOWHERE}/test"):
        yield http


async def test_healthz_answers_ok_without_a_sign_in_even_with_nothing_else_up(no_temporal: httpx.AsyncClient) -> None:
    answers = [await no_temporal.get("/healthz") for _ in range(50)]  # a probe every second for a while
    assert {(a.status_code, a.text) for a in answers} == {(200, "ok")}
    assert all("set-cookie" not in a.headers for a in answers)


async def test_readyz_is_ok_when_the_database_and_temporal_answer(web: httpx.AsyncClient) -> None:
    answers = [await web.get("/readyz") for _ in range(20)]
    assert {a.status_code for a in answers} == {200}
    assert answers[0].json() == {"database": "ok", "temporal": "ok"}
    assert "set-cookie" not in answers[0].headers


async def test_readyz_names_the_database_when_it_does_not_answer(no_database: httpx.AsyncClient) -> None:
    answer = await no_database.get("/readyz")
    assert answer.status_code == 503
    checks = answer.json()
    assert checks["temporal"] == "ok" and checks["database"].startswith("svarer ikke (")
    assert NOWHERE not in answer.text and "postgres" not in answer.text  # no address, no user


async def test_readyz_names_both_when_neither_answers(no_temporal: httpx.AsyncClient) -> None:
    answer = await no_temporal.get("/readyz")
    assert answer.status_code == 503
    assert [value.startswith("svarer ikke (") for value in answer.json().values()] == [True, True]


async def test_the_served_app_has_its_templates_compiled_and_its_start_out_of_the_collectors_sight(
    tmp_path: Path, client: Client
) -> None:
    """`starter.py web` settles the heap before it serves: a full collection then walks only what views made since,
    and the pages still render (a template compiled ahead is the one a view uses)."""
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'readmodel.sqlite3'}")
    await create_schema(engine)
    app = create_app(web_settings(tmp_path, "tq-heap"), client, make_session_factory(engine))
    env = app.state.web.templates.env
    try:
        settle_heap(app)
        frozen = gc.get_freeze_count()
        compiled = {name for _, name in env.cache.keys()}
    finally:
        gc.unfreeze()
    assert frozen > 50_000, frozen  # the app's start: modules, routes, models, templates
    assert {"signin.html", "cohort.html", "inbox.html", "letters.html"} <= compiled
    transport = httpx.ASGITransport(app=app, client=("10.0.0.7", 50123))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        answer = await http.get("/logg-inn")
    assert answer.status_code == 200 and "Logg inn" in answer.text
    await engine.dispose()
