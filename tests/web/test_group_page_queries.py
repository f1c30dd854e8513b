"""The group page asks Temporal once a view (issue 18): its group's own view holds the members' attendance, so the
page no longer asks each member's workflow (and the group again for each of them): nine queries a view, before."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.conftest import World, sign_in
from tests.web.test_pages import text


async def test_the_group_page_asks_its_group_workflow_once(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    web = world.app.state.web
    asked: list[str] = []
    real = web._query

    async def counted(workflow_id: str, query: Any) -> Any:
        asked.append(workflow_id)
        return await real(workflow_id, query)

    async with world.client() as client:
        await sign_in(client, world, "admin")
        await client.get(world.group())  # the plan is read once per group and kept: not what is counted
        monkeypatch.setattr(web, "_query", counted)
        page = await client.get(world.group())
    assert page.status_code == 200 and "Oppmøte" in text(page.text)
    assert len(asked) == 1 and asked[0].endswith("gruppe-5001"), asked
