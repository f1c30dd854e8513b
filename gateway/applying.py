"""Applying on the web: a municipality contact registers, confirms by a link that comes by letter, and hands in the
application, as a form or as the command line's JSON through the API.

The rules are the command line's: the application file's model (domain.models.Application) and the admission rules
(domain.admission). Everything is checked before the cohort sees it, so a broken application is never recorded
(the cohort would keep it as refused and write to the contact): each problem is returned by the field it concerns.
An e-mail address never goes into a log; the link's token only into the letter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import structlog
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.service import RPCError, RPCStatusCode

from activities.web_notices import RegistrationLink
from domain.admission import already_applied, application_problems
from domain.errors import problems as validation_problems
from domain.models import Application, CohortPlan, Contact
from domain.municipalities import UnknownMunicipality, lookup
from domain.refusals import Problem, Refusal
from gateway.admin import Admin, Refused
from gateway.plans import NoSuchCohort, PlanCache
from gateway.queries import COHORT_OVERVIEW
from runtime.codec import load_keys
from runtime.settings import Settings
from runtime.wiring import people_register
from store import outbox
from store.accounts import Account, AccountError, Accounts, Role, check
from store.people import People, PersonData, register_key
from store.registrations import Drafts, RegistrationRecord, Registrations, draft_key
from workflows.ids import cohort_workflow_id
from workflows.messages import ApplyResult, CohortStage, Outcome

log = structlog.get_logger()
LINK_LIFETIME = timedelta(hours=24)
_WEIGHT = {403: 3, 409: 2, 422: 1}
WHOLE = ""  # the key of a problem about the application as a whole
_TO_FIELD = {
    "application.municipality_twice": "municipalities",
    "application.unknown_municipality": "municipalities",
    "application.already_applied": "municipalities",
    "application.one_participant": "participants",
    "application.participant_count": "participants",
    "application.one_sector": "participants",
    "application.no_sector": "participants",
}


@dataclass
class Checked:
    """An application checked for one account: the application when it breaks no rule, else the problems by field
    (`participants.0.email`, `municipalities`, '' for the whole) and the HTTP status they mean."""

    application: Application | None
    problems: dict[str, list[Problem]] = field(default_factory=dict)
    status: int = 201

    def add(self, key: str, problem: Problem, status: int) -> None:
        self.problems.setdefault(key, []).append(problem)
        if self.status == 201 or _WEIGHT[status] > _WEIGHT[self.status]:
            self.status = status  # not theirs before the deadline before a broken field


class Applying:
    def __init__(
        self,
        admin: Admin,
        accounts: Accounts,
        sessions: async_sessionmaker[AsyncSession],
        people: People,
        drafts: Drafts,
        web_url: str,
    ) -> None:
        self.admin = admin
        self.accounts = accounts
        self.sessions = sessions
        self.people = people
        self.registrations = Registrations(sessions)
        self.drafts = drafts
        self.web_url = web_url.rstrip("/")
        self._plans = PlanCache()

    @classmethod
    def configured(
        cls, settings: Settings, admin: Admin, accounts: Accounts, sessions: async_sessionmaker[AsyncSession]
    ) -> Applying:
        """As the settings say: the register and the drafts' key from the codec's keys, the letters' address."""
        drafts = Drafts(sessions, draft_key(register_key(load_keys(settings).identity)))
        people = people_register(settings, sessions)
        return cls(admin, accounts, sessions, people, drafts, settings.public_web_url)

    # ---- the cohort -----------------------------------------------------------------------------
    async def plan(self, cohort: str) -> CohortPlan | None:
        """The plan the cohort runs on now (as amended); None: no such cohort."""
        try:
            return await self._plans.get(self.admin.client, self.sessions, cohort_workflow_id(cohort))
        except (Refusal, NoSuchCohort):  # not a cohort's name; a workflow without a start
            return None
        except RPCError as error:
            if error.status != RPCStatusCode.NOT_FOUND:
                raise Refused(Refusal("gateway.no_answer", workflow_id=cohort, status=error.status.name)) from None
            return None

    async def is_open(self, cohort: str) -> bool:
        plan = await self.plan(cohort)
        if plan is None or plan.application_deadline <= datetime.now(UTC):
            return False
        overview = await self.admin.query(cohort_workflow_id(cohort), COHORT_OVERVIEW)
        return bool(overview.stage == CohortStage.INTAKE)

    # ---- registration -----------------------------------------------------------------------------
    async def register(self, cohort: str, municipality: str, name: str, email: str) -> None:
        """Queue the confirmation letter to `email` (ValidationError or Refusal for bad input, nothing done)."""
        contact = Contact(name=name, email=email)
        try:
            lookup(municipality)
        except UnknownMunicipality:
            raise Refusal("application.unknown_municipality", number=municipality) from None
        if not await self.is_open(cohort):
            raise Refusal("apply.closed", cohort=cohort)
        person = PersonData(name=contact.name, email=contact.email, kind="contact")
        person_id = await self.people.register(cohort, person)
        token = await self.registrations.start(cohort, municipality, person_id, LINK_LIFETIME)
        notice = RegistrationLink(
            cohort=cohort,
            municipality=municipality,
            link=f"{self.web_url}/registrering/{token}",
            expires_at=datetime.now(UTC) + LINK_LIFETIME,
        )
        await self._queue(cohort, notice, person_id, token[:12])
        log.info("registration link queued", cohort=cohort, municipality=municipality)  # no address, no token

    async def _queue(self, cohort: str, notice: RegistrationLink, person_id: str, tag: str) -> None:
        key = f"{cohort_workflow_id(cohort)}:registration:{tag}:{person_id}"
        row = outbox.queued(key, cohort, notice.kind, notice.model_dump_json(), person_id, datetime.now(UTC))
        async with self.sessions() as session, session.begin():
            await outbox.queue(session, [row])

    async def link_for(self, token: str) -> tuple[str, str, str | None] | None:
        """(cohort, municipality, the account an earlier link of this person made) for a usable link, else None."""
        pending = await self.registrations.pending(token)
        if pending is None:
            return None
        existing = await self.registrations.account_of(pending.cohort, pending.person_id)
        return pending.cohort, pending.municipality, existing

    async def confirm(self, token: str, username: str, password: str) -> tuple[str, bool]:
        """Use the link: a new municipality account (`username`, `password`), or the municipality added to the
        account an earlier link of the same person made. (cohort, whether an account was made); Refusal otherwise."""
        pending = await self.registrations.pending(token)
        if pending is None:
            raise Refusal("apply.link_unusable")
        existing = await self.registrations.account_of(pending.cohort, pending.person_id)
        if existing is not None:
            await self._grant(token, existing, pending.municipality)
            return pending.cohort, False
        account = Account(username=username.strip(), role=Role.MUNICIPALITY, municipality=pending.municipality)
        check(account, password)
        if await self.accounts.get(account.username) is not None:
            raise AccountError("account.exists", username=account.username)
        async with self.sessions() as session, session.begin():
            if not await self.registrations.redeem(session, token, account.username):
                raise Refusal("apply.link_unusable")
        await self.accounts.add(account, password)
        log.info("municipality contact confirmed", cohort=pending.cohort, municipality=pending.municipality)
        return pending.cohort, True

    async def _grant(self, token: str, username: str, municipality: str) -> None:
        account = await self.accounts.get(username)
        covered = await self.coverage(account) if account else set()
        async with self.sessions() as session, session.begin():
            if not await self.registrations.redeem(session, token, username):
                raise Refusal("apply.link_unusable")
            if municipality not in covered:
                self.registrations.grant(session, username, municipality)

    async def coverage(self, account: Account) -> set[str]:
        """The municipalities the account speaks for: its own and those its links added."""
        own = {account.municipality} if account.municipality else set()
        return own | await self.registrations.municipalities(account.username)

    async def contact_of(self, account: Account, cohort: str) -> Contact | None:
        """The contact's name and address from the register, when the account came from a link."""
        async with self.sessions() as session:
            person_id = (
                await session.scalars(
                    select(RegistrationRecord.person_id).where(
                        RegistrationRecord.username == account.username, RegistrationRecord.cohort == cohort
                    )
                )
            ).first()
        person = await self.people.get(person_id) if person_id else None
        return Contact(name=person.name, email=person.email) if person else None

    # ---- the application --------------------------------------------------------------------------
    async def check(self, account: Account, cohort: str, data: Any) -> Checked:
        """Every rule `data` breaks for this account and cohort, by field: 422 the file's rules, 403 a municipality
        the account does not speak for, 409 after the deadline or when a municipality has applied already."""
        try:
            application = Application.model_validate(data)
        except ValidationError as error:
            checked = Checked(None)
            for problem in validation_problems(error):
                checked.add(str(problem.params.get("field", WHOLE)), problem, 422)
            return checked
        checked = Checked(application)
        if application.cohort != cohort:
            wrong = Problem("cohort.wrong_cohort", {"cohort": cohort, "application_cohort": application.cohort})
            checked.add("cohort", wrong, 422)
        for problem in application_problems(application):
            checked.add(_field_of(problem), problem, 422)
        covered = await self.coverage(account)
        for number in application.municipalities:
            if number not in covered:
                checked.add("municipalities", Problem("apply.not_yours", {"number": number}), 403)
        if not checked.problems:
            await self._check_cohort(checked, application)
        if checked.problems:
            checked.application = None
        return checked

    async def _check_cohort(self, checked: Checked, application: Application) -> None:
        if not await self.is_open(application.cohort):
            checked.add(WHOLE, Problem("apply.closed", {"cohort": application.cohort}), 409)
            return
        overview = await self.admin.query(cohort_workflow_id(application.cohort), COHORT_OVERVIEW)
        named = {n: r.id for r in overview.applications if r.outcome != Outcome.REFUSED for n in r.municipalities}
        for problem in already_applied(application.municipalities, named):
            checked.add("municipalities", problem, 409)

    async def submit(self, account: Account, application: Application) -> ApplyResult:
        """Hand the checked application to the cohort as the account; the draft goes once it is received."""
        result = await self.admin.apply(application, account.username)
        if not result.accepted:  # the rules changed under it (another application, the deadline): said as refused
            raise Refused(Refusal.of(Problem(problem.code, problem.params) for problem in result.problems))
        await self.drafts.discard(account.username, application.cohort)
        log.info("application received on the web", cohort=application.cohort, application=result.application_id)
        return result

    async def applied(self, account: Account, cohort: str) -> tuple[str, Outcome] | None:
        """The account's application in the cohort (its ID and outcome), if one of its municipalities applied."""
        covered = await self.coverage(account)
        overview = await self.admin.query(cohort_workflow_id(cohort), COHORT_OVERVIEW)
        for record in overview.applications:
            if record.outcome != Outcome.REFUSED and covered & set(record.municipalities):
                return record.id, record.outcome
        return None


def _field_of(problem: Problem) -> str:
    if problem.code == "application.participant_twice":
        return f"participants.{int(str(problem.params['position'])) - 1}.email"
    return _TO_FIELD.get(problem.code, WHOLE)
