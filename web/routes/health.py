"""Health for a load balancer or an orchestrator: `/healthz`, the process answers (no database, no Temporal, no
sign-in); `/readyz`, it can serve: the database and Temporal both answer within a few seconds, else 503 naming
which did not. A failure is named by its error type only: a driver's message can hold the database's address or
user. No session and no cookie is read or set, and no limiter counts these calls, so a probe every second is fine.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta

from fastapi import APIRouter, Request, status
from fastapi.responses import JSONResponse, PlainTextResponse
from sqlalchemy import text

from web.state import Web

router = APIRouter(tags=["drift"], include_in_schema=False)
PATIENCE = timedelta(seconds=3)  # a probe's own timeout is usually a little longer (Kubernetes: 1 s by default)


@router.get("/healthz")
async def healthz() -> PlainTextResponse:
    return PlainTextResponse("ok")


@router.get("/readyz")
async def readyz(request: Request) -> JSONResponse:
    web: Web = request.app.state.web

    async def database() -> None:
        async with web.sessions() as session:
            await session.execute(text("SELECT 1"))

    async def temporal() -> None:
        if not await web.admin.client.service_client.check_health(timeout=PATIENCE):
            raise ConnectionError("the workflow service is not serving")

    checks = dict(zip(("database", "temporal"), await asyncio.gather(_check(database), _check(temporal)), strict=True))
    ready = all(answer == "ok" for answer in checks.values())
    return JSONResponse(checks, status.HTTP_200_OK if ready else status.HTTP_503_SERVICE_UNAVAILABLE)


async def _check(probe: Callable[[], Awaitable[None]]) -> str:
    try:
        async with asyncio.timeout(PATIENCE.total_seconds()):
            await probe()
    except Exception as error:  # noqa: BLE001 - whatever fails, the answer is "not ready", named by its type
        return f"svarer ikke ({type(error).__name__})"
    return "ok"
