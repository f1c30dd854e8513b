"""When Temporal does not answer, pages and the API say so (503), rather than calling a cohort missing."""

from __future__ import annotations

import base64
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client

from runtime.codec import data_converter
from store.accounts import Account, Accounts, Role
from store.db import create_schema, make_engine, make_session_factory
from tests.conftest import TEST_KEY
from tests.web.conftest import PASSWORD, csrf_of, web_settings
from web.app import create_app


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # free again when closed: nothing listens there


@asynccontextmanager
async def without_temporal(tmp_path: Path) -> AsyncIterator[tuple[async_sessionmaker[AsyncSession], FastAPI]]:
    """The web app over a fresh read model with one administrator ('ada'), its Temporal a port nothing listens on."""
    client = await Client.connect(f"127.0.0.1:{closed_port()}", lazy=True, data_converter=data_converter(TEST_KEY))
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'readmodel.sqlite3'}")
    try:
        await create_schema(engine)
        await Accounts.create_table(engine)
        sessions = make_session_factory(engine)
        await Accounts(sessions).add(Account(username="ada", role=Role.ADMIN), PASSWORD)
        yield sessions, create_app(web_settings(tmp_path, "tq"), client, sessions)
    finally:
        await engine.dispose()


@asynccontextmanager
async def signed_in(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """A browser of the app, signed in as 'ada'."""
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as http:
        form = await http.get("/logg-inn")
        await http.post("/logg-inn", data={"username": "ada", "password": PASSWORD, "csrf": csrf_of(form.text)})
        yield http


async def test_a_temporal_that_does_not_answer_is_503_not_404(tmp_path: Path) -> None:
    assert base64.b64decode(web_settings(tmp_path, "tq").codec_key.get_secret_value()) == TEST_KEY  # type: ignore[union-attr]
    async with without_temporal(tmp_path) as (_, app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as http:
            token = (await http.post("/api/token", data={"username": "ada", "password": PASSWORD})).json()
            api = await http.get("/api/cohorts/2022", headers={"Authorization": f"Bearer {token['access_token']}"})
            assert api.status_code == 503 and api.json() == {"detail": "Temporal svarer ikke nå. Prøv igjen om litt."}
        async with signed_in(app) as http:
            page = await http.get("/kull/2022")
            assert page.status_code == 503 and "Temporal svarer ikke nå. Prøv igjen om litt." in page.text
            assert (await http.get("/")).status_code == 200  # lists come from the read model
