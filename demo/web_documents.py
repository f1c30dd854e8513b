"""A participant downloads their own document on the web, as a person would: signs in, opens their page and follows
its "Last ned" link. The answer must be a PDF; the web app notes the holder's first download on the document, which
the report lists (`downloads`). The demo makes the person's account with a password nobody is told: it acts for them.
"""

from __future__ import annotations

import re
import secrets

import httpx2

from activities.documents import Issued
from demo.web_apply import answered, csrf_of
from store.accounts import Account, Accounts, Role

HOLDER = "deltaker.dokument"  # the account the demo signs in with, for the holder it picks
_LINK = re.compile(r'href="(/deltaker/[^"]+/dokumenter/(\d+))"[^>]*>Last ned ([^<]+)</a>')


def holder(current: list[Issued]) -> Issued | None:
    """Whose download the demo shows: one whose document came in a new version (after an appeal), else the first."""
    newer = [d for d in current if d.version > 1]
    return next(iter(newer or current), None)


async def download(address: str, accounts: Accounts, document: Issued) -> str:
    """Sign in as the document's holder and download its newest version from their page; what was downloaded, in
    words. RuntimeError naming the step that did not answer as a person would see it."""
    password = secrets.token_urlsafe(24)
    account = Account(username=HOLDER, role=Role.PARTICIPANT, participant=document.participant_id)
    await accounts.add(account, password, replace=True)  # a rerun's: the new password, the person this run picks
    async with httpx2.AsyncClient(base_url=address.rstrip("/"), timeout=60) as client:
        form = await answered(await client.get("/logg-inn"), "the sign-in page")
        data = {"username": HOLDER, "password": password, "csrf": csrf_of(form)}
        await answered(await client.post("/logg-inn", data=data), "signing in", 303)
        page = await answered(await client.get(f"/deltaker/{document.participant_id}"), "their page")
        links = _LINK.findall(page.text)  # the newest version first
        if not links:
            raise RuntimeError("their page: no document to download")
        path, version, what = links[0]
        pdf = await answered(await client.get(path), "the download")
    if pdf.headers.get("content-type") != "application/pdf" or not pdf.content.startswith(b"%PDF"):
        raise RuntimeError("the download: not a PDF")
    return f"{what} ({len(pdf.content) // 1024} kB, version {version})"
