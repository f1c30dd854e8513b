"""In headless Chromium: the contact of the fifth municipality of a joint application of five (Nesbyen), and of the
twentieth of the largest (Verdal), sign in, click their group on the start page and read its page with every member
municipality's name (issue 20, item 8)."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator

import pytest

from tests.web import test_browser as browsing
from tests.web.conftest import World
from tests.web.joint_large.conftest import FIVE, JOINT, LARGEST, contact
from web.server import http_server

pytestmark = browsing.pytestmark
browser = browsing.browser

if browsing.CHROMIUM.exists():
    from playwright.async_api import Browser, Page, expect


@pytest.fixture(scope="module")
async def address(joint: World) -> AsyncIterator[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    server = http_server(joint.app, "127.0.0.1", port, log_level="warning")  # real HTTP: the '+' in the path
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    await task


@pytest.fixture
async def page(browser: Browser, address: str) -> AsyncIterator[Page]:
    context = await browser.new_context(base_url=address, locale="nb-NO")
    opened = await context.new_page()
    yield opened
    await context.close()


@pytest.mark.parametrize("numbers", [FIVE, LARGEST], ids=["fem", "tjue"])
async def test_the_last_member_municipalitys_contact_clicks_their_group_and_reads_its_names(
    page: Page, address: str, joint: World, numbers: list[str]
) -> None:
    application_id = "+".join(numbers)
    said = JOINT[application_id]
    await browsing.sign_in(page, joint, contact(numbers[-1]))
    await expect(page.get_by_role("heading", name="Våre grupper")).to_be_visible()
    await page.get_by_role("link", name=said).click()
    await expect(page).to_have_url(f"{address}{joint.group(application_id)}")
    await expect(page.get_by_role("heading", level=1)).to_have_text(f"Gruppe {said} kull {joint.cohort}")
    await expect(page.locator('dt:text-is("Kommuner") + dd')).to_have_text(f"{said} ({application_id})")
    await expect(page.get_by_role("link", name="Deltaker 3")).to_be_visible()  # its members, by name
    await browsing.shot(page, f"felles-{len(numbers)}")
    await page.set_viewport_size({"width": 360, "height": 740})  # a phone: the numbers wrap inside the page
    right = await page.locator('dt:text-is("Kommuner") + dd').evaluate("dd => dd.getBoundingClientRect().right")
    assert right <= 360
