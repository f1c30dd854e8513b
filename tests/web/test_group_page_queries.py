"""The group page reads the row its group wrote (issue 18): a query to the group waits behind the worker's queue, for
seconds while a national cohort is admitted. Until the row holds an action this app sent, the page asks the group."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import HTTPException, status

from domain.ids import GroupId
from domain.offers import Answer
from gateway.messages import AnswerOfferInput
from gateway.queries import GROUP_DETAIL, written_group_detail
from tests.web.conftest import OURS, World, sign_in
from tests.web.test_pages import text
from tests.workflows.helpers import eventually
from workflows.ids import group_workflow_id


async def _row_caught_up(world: World) -> None:
    """Wait for the group's own word: the row it wrote is what its query answers."""
    web = world.app.state.web
    group_id = group_workflow_id(world.cohort, OURS)

    async def same() -> None:
        live = await world.harness.client.get_workflow_handle(group_id).query(GROUP_DETAIL)
        assert await written_group_detail(web.sessions, group_id) == live

    await eventually(same)


async def test_the_group_page_reads_the_row_and_asks_no_workflow(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    await _row_caught_up(world)
    web = world.app.state.web
    asked: list[str] = []

    async def unreachable(workflow_id: str, query: Any) -> Any:
        asked.append(workflow_id)
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, "Temporal svarer ikke")

    async with world.client() as client:
        await sign_in(client, world, "admin")
        await client.get(world.group())  # the plan is read once per group and kept: not what is counted
        monkeypatch.setattr(web, "_query", unreachable)
        monkeypatch.setattr(web, "acted", {})  # what the other tests of this world sent is in the row by now
        page = await client.get(world.group())
    seen = text(page.text)
    assert page.status_code == 200 and "Oppmøte" in seen and "Arbeidskrav 1" in seen, seen[:400]
    assert asked == []


async def test_after_an_action_this_app_sent_the_page_asks_its_group_until_the_row_is_newer(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The group writes its row just after it answers an action, so a reader who looks at once (the actor after the
    redirect, or anyone else) would see the row from before. Until the row is newer than the action, the page asks
    the group, once (its view holds the members' attendance: no query to each member)."""
    await _row_caught_up(world)
    web = world.app.state.web
    asked: list[str] = []
    real = web._query

    async def counted(workflow_id: str, query: Any) -> Any:
        asked.append(workflow_id)
        return await real(workflow_id, query)

    group = GroupId.of(world.cohort, OURS)
    async with world.client() as client:
        await sign_in(client, world, "admin")
        await client.get(world.group())
        monkeypatch.setattr(web, "_query", counted)
        monkeypatch.setattr(web, "acted", {})
        web.sent(group, None, datetime.now(UTC) + timedelta(hours=1))  # an action the row cannot hold yet
        asked_page = await client.get(world.group())
        assert len(asked) == 1 and asked[0] == group.workflow_id, asked
        web.sent(group.cohort, None, datetime.now(UTC) + timedelta(hours=2))  # the cohort's: it may change them all
        await client.get(world.group())
        assert len(asked) == 2
        monkeypatch.setattr(web, "acted", {})
        row_page = await client.get(world.group())
        assert len(asked) == 2  # the row again
    assert "Oppmøte" in text(asked_page.text) and text(asked_page.text) == text(row_page.text)


async def test_only_an_action_sent_to_the_cohort_dates_the_offer(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cohort alone decides an offer (web/offers.py): an answer names its group, a confirmation may change them
    all, and a group's own action (attendance, a project) leaves the offer's row as good as it was."""
    web = world.app.state.web
    monkeypatch.setattr(web, "acted", {})
    monkeypatch.setattr(web, "cohort_acted", {})
    group, at = GroupId.of(world.cohort, OURS), datetime.now(UTC)
    web.sent(group, None, at)
    assert web.cohort_acted == {} and web.acted == {group.workflow_id: at}
    answer = AnswerOfferInput(actor="kommune", application_id=OURS, answer=Answer.ACCEPT)
    web.sent(group.cohort, answer, at + timedelta(seconds=1))
    assert web.cohort_acted == {group.workflow_id: at + timedelta(seconds=1)}
    web.sent(group.cohort, None, at + timedelta(seconds=2))
    assert web.cohort_acted[group.cohort.workflow_id] == at + timedelta(seconds=2)
