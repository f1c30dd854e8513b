"""Some of the demo's applications handed in as their municipality's contact would, through the web app's HTTP API:
register on the cohort's page, follow the link in the letter the outbox holds, choose a password, take a bearer token
and post the application file to `/api/cohorts/{cohort}/applications`.

Only applications the rules accept and whose municipality applies nowhere else in the scenario go this way (the web
refuses a second application before the cohort sees it, where the scenario wants the cohort to record it). The same
contact later answers the offer of a place on the web (`POST .../applications/{id}/answer`) with the token it took.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

import httpx2
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from activities.letters import NOTICE
from activities.web_notices import RegistrationLink
from domain.admission import parse_application
from domain.offers import Answer
from store.people import People
from store.tables import OutboxRecord

VIA_WEB = 3
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def chosen(applications: list[dict[str, Any]], how_many: int = VIA_WEB, first: str | None = None) -> set[int]:
    """The positions of `how_many` applications that are valid, of one municipality that applies once: the one
    whose ID is `first` (the scenario's, that must answer on the web) if it is such, then the first ones."""
    counts: dict[str, int] = {}
    for raw in applications:
        for number in raw.get("municipalities", []):
            counts[number] = counts.get(number, 0) + 1
    fits: list[int] = []
    for index, raw in enumerate(applications):
        application, errors = parse_application(raw)
        if application and not errors and len(application.municipalities) == 1:
            if counts[application.municipalities[0]] == 1:
                fits.append(index)
    named = [index for index in fits if "+".join(applications[index]["municipalities"]) == first]
    return set((named + [index for index in fits if index not in named])[:how_many])


class WebApplicant:
    def __init__(self, address: str, sessions: async_sessionmaker[AsyncSession], people: People, cohort: str) -> None:
        self.address = address.rstrip("/")
        self.sessions = sessions
        self.people = people
        self.cohort = cohort
        self.tokens: dict[str, str] = {}  # application ID -> its contact's bearer token (this run's; not saved)

    async def apply(self, raw: dict[str, Any]) -> str:
        """The application's ID once the API answered 201; RuntimeError with the step and status otherwise."""
        number, contact = raw["municipalities"][0], raw["contact"]
        username, password = f"kontakt-{number}", secrets.token_urlsafe(16)
        async with httpx2.AsyncClient(base_url=self.address, timeout=60) as client:
            page = await answered(await client.get(f"/kull/{self.cohort}/sok"), "the cohort's page")
            form = {"csrf": csrf_of(page), "name": contact["name"], "email": contact["email"], "municipality": number}
            await answered(await client.post(f"/kull/{self.cohort}/sok", data=form), "registration")
            path = httpx2.URL(await self._link(contact["email"])).path
            page = await answered(await client.get(path), "the link")
            choice = {"csrf": csrf_of(page), "username": username, "password": password, "password_again": password}
            await answered(await client.post(path, data=choice), "the password", 303)
            token = await answered(
                await client.post("/api/token", data={"username": username, "password": password}), "token"
            )
            headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
            url = f"/api/cohorts/{self.cohort}/applications"
            answer = await answered(await client.post(url, json=raw, headers=headers), "the application", 201)
        application_id = str(answer.json()["id"])
        self.tokens[application_id] = token.json()["access_token"]
        return application_id

    async def answer(self, application_id: str, given: Answer) -> str | None:
        """The offer answered as the contact who applied; the application that moved up (on a decline), if one.
        RuntimeError with the status when the API did not answer 200."""
        headers = {"Authorization": f"Bearer {self.tokens[application_id]}"}
        url = f"/api/cohorts/{self.cohort}/applications/{application_id}/answer"
        async with httpx2.AsyncClient(base_url=self.address, timeout=60) as client:
            answer = await answered(await client.post(url, json={"answer": given.value}, headers=headers), "the answer")
        moved_up = answer.json().get("moved_up")
        return str(moved_up) if moved_up else None

    async def _link(self, email: str) -> str:
        person_id = self.people.person_id(self.cohort, email)
        async with self.sessions() as session:
            query = (
                select(OutboxRecord.notice)
                .where(OutboxRecord.person_id == person_id, OutboxRecord.kind == "registration_link")
                .order_by(OutboxRecord.created_at.desc())
            )
            notice = NOTICE.validate_json((await session.scalars(query)).first() or "{}")
        assert isinstance(notice, RegistrationLink)
        return notice.link


async def answered(answer: httpx2.Response, step: str, expected: int = 200) -> httpx2.Response:
    if answer.status_code != expected:
        raise RuntimeError(f"{step}: HTTP {answer.status_code}")
    return answer


def csrf_of(page: httpx2.Response) -> str:
    found = _CSRF.search(page.text)
    if found is None:
        raise RuntimeError("no form on the page")
    return found[1]
