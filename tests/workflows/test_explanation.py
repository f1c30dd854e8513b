"""A begrunnelse on the dev server through the gateway: the person asks after release and gets a receipt, the
group's examiner writes it (its words in the read model, not in the history), the person gets a letter with the
appeal deadline counted from it, and an appeal after three weeks from the release is then in time. Every refusal by
its words."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from domain.end_of_year.appeals import appeal_deadline, oslo_date
from domain.end_of_year.explanations import appeal_deadline_after
from gateway.end_of_year.appeal import register_appeal
from gateway.end_of_year.explanation import explanation_of, give_explanation, request_explanation
from gateway.privacy import Privacy
from store.accounts import Account, Role
from store.explanations import ExplanationRecord
from store.people import People, register_key
from store.tables import AuditRecord
from tests.conftest import TEST_KEY, Harness
from tests.workflows.commission import OFFICE
from tests.workflows.helpers import eventually, only_letter
from tests.workflows.test_appeal import acting, admin, examiner_accounts, graded_group, publish, refused
from workflows.end_of_year.explanation import ExplanationWorkflow
from workflows.group import GroupWorkflow

FIRST = "sensor.forste"
WORDS = "Oppgaven drøfter tjenestedesign godt, men kobler funnene svakt til teorien om samarbeidsdrevet innovasjon."


def own(participant: str) -> Account:
    return Account(username="deltaker.selv", role=Role.PARTICIPANT, participant=participant)


async def test_asked_written_by_the_groups_examiner_and_the_appeal_deadline_runs_from_it(harness: Harness) -> None:
    handle, ids = await graded_group(harness)
    group_id = handle.id
    await examiner_accounts(harness, FIRST, "sensor.annen", group=group_id)
    await publish(handle)
    gateway = admin(harness)
    released = (await handle.query(GroupWorkflow.detail)).published_at
    assert released is not None

    await refused(request_explanation(gateway, ids[3], acting(OFFICE)), "En kursdeltaker får ikke karakter")
    await refused(request_explanation(gateway, ids[0], own(ids[1])), "Du kan bare be om begrunnelse for din egen")
    too_late = released + timedelta(days=8)
    await refused(request_explanation(gateway, ids[0], own(ids[0]), now=too_late), "er passert")
    asked = await request_explanation(gateway, ids[0], own(ids[0]))
    assert asked.received == oslo_date(datetime.now(UTC)) and asked.given_at is None
    assert FIRST in asked.examiners
    await refused(request_explanation(gateway, ids[0], acting(OFFICE)), "Det er allerede bedt om begrunnelse")

    receipt = await only_letter(harness.sessions, "explanation_requested")
    assert "Kvittering: du har bedt om begrunnelse for karakteren på kull" in receipt
    assert "Vi har mottatt at du ber om begrunnelse for karakteren B" in receipt
    assert "normalt være klar innen" in receipt

    await refused(give_explanation(gateway, ids[0], WORDS, acting("sensor.fremmed")), "er ikke sensor for gruppen")
    await refused(give_explanation(gateway, ids[0], "   ", acting(FIRST)), "Skriv begrunnelsen")
    await refused(give_explanation(gateway, ids[1], WORDS, acting(FIRST)), "Det er ikke bedt om begrunnelse")
    given = await give_explanation(gateway, ids[0], WORDS, acting(FIRST))
    assert given.given_at is not None
    await refused(give_explanation(gateway, ids[0], WORDS, acting("sensor.annen")), "allerede gitt")
    expected = appeal_deadline_after(released, given.given_at, 21 * 86400)
    assert given.appeal_deadline == expected

    letter = await only_letter(harness.sessions, "explanation_given")
    assert "Begrunnelsen for karakteren din på kull" in letter
    assert "Sensor har skrevet begrunnelsen for karakteren B" in letter
    assert WORDS not in letter  # the words are on the person's page
    shown = await explanation_of(gateway, ids[0])
    assert shown is not None and shown.text == WORDS and shown.detail.given_by == FIRST

    # the words never entered the workflow's history
    history = await harness.client.get_workflow_handle(asked.explanation_workflow_id).fetch_history()
    assert "samarbeidsdrevet" not in history.to_json()
    result = await harness.client.get_workflow_handle_for(
        ExplanationWorkflow.run, asked.explanation_workflow_id
    ).result()
    assert result.detail.given_by == FIRST

    # the appeal's deadline is the one the begrunnelse's letter states
    appeal = await register_appeal(gateway, ids[0], own(ids[0]))
    assert appeal.deadline == expected

    async def row() -> ExplanationRecord:
        async with harness.sessions() as session:
            found = await session.get(ExplanationRecord, asked.explanation_workflow_id)
        assert found is not None and found.given_at is not None
        return found

    recorded = await eventually(row)
    assert (recorded.given_by, recorded.text) == (FIRST, WORDS)
    async with harness.sessions() as session:
        audit = (
            await session.scalars(
                select(AuditRecord)
                .where(AuditRecord.workflow_id == asked.explanation_workflow_id)
                .order_by(AuditRecord.id)
            )
        ).all()
    accepted = [(a.action, a.actor) for a in audit if a.outcome == "accepted"]
    assert accepted == [("request_explanation", "deltaker.selv"), ("give_explanation", FIRST)]

    # the words go in the person's data export, and with the person when they are erased
    privacy = Privacy(harness.client, harness.sessions, People(harness.sessions, register_key(TEST_KEY)))
    exported = await privacy.export(asked.person_id, OFFICE)
    assert [row["text"] for row in exported.explanations] == [WORDS]
    await privacy.erase(asked.person_id, OFFICE)
    async with harness.sessions() as session:
        erased = await session.get(ExplanationRecord, asked.explanation_workflow_id)
    assert erased is not None and erased.text is None and erased.given_by == FIRST


async def test_the_administration_registers_a_request_received_in_the_window(harness: Harness) -> None:
    handle, ids = await graded_group(harness)
    await publish(handle)
    gateway = admin(harness)
    released = (await handle.query(GroupWorkflow.detail)).published_at
    assert released is not None
    today = oslo_date(released)
    later = released + timedelta(days=20)
    await refused(
        request_explanation(gateway, ids[1], acting(OFFICE), now=later, received=today + timedelta(days=8)),
        "etter fristen",
    )
    asked = await request_explanation(gateway, ids[1], acting(OFFICE), now=later, received=today + timedelta(days=7))
    assert asked.received == today + timedelta(days=7)
    receipt = await only_letter(harness.sessions, "explanation_requested")
    assert "Studieadministrasjonen har registrert kravet ditt om begrunnelse for karakteren D" in receipt
    # while the begrunnelse is awaited the appeal window has not begun: an appeal after three weeks is in time
    after_three_weeks = appeal_deadline(released, 21 * 86400) + timedelta(days=4)
    appeal = await register_appeal(gateway, ids[1], own(ids[1]), now=after_three_weeks)
    assert appeal.deadline == appeal_deadline(after_three_weeks, 21 * 86400)
