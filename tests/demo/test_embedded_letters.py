"""The demo's letters, read as their readers get them, and the Temporal server's database, read for names."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from temporalio.api.common.v1 import Payload

from activities.letters import cohort_letters
from demo.embedded import start_dev_server
from domain.municipalities import lookup
from runtime.codec import data_converter, load_or_create_key
from runtime.wiring import connect, contact, people_register
from store.db import make_engine, make_session_factory
from tests.demo.helpers import DEMO_SECONDS, ROOT, demo_settings

NORWEGIAN_DATE = re.compile(
    r"\d{1,2}\. (januar|februar|mars|april|mai|juni|juli|august|september|oktober|november|"
    r"desember) \d{4}"
)
DATED = {
    "application_received",
    "application_incomplete",
    "admitted",
    "waitlisted",
    "moved_up",
    "gathering_ahead",
    "requirement_deadline_ahead",
    "requirement_deadline_passed",
    "requirement_returned",
    "written_deadline_ahead",
    "written_deadline_missed",
    "oral_exam_time",
    "oral_scheduled",
    "appeal_oral_scheduled",
    "result_published",
    "approval_waiting",
    "resit_registered",
}
TO_GROUPS = {"application_received", "admitted", "waitlisted", "not_selected", "moved_up", "place_given_up"}


def scenario_people() -> list[tuple[str, str]]:
    """(name, e-mail) of everyone the scenario names: contacts and participants."""
    scenario = json.loads((ROOT / "demo" / "scenarios" / "kull-2022.json").read_text(encoding="utf-8"))
    people = []
    for application in scenario["applications"]:
        people.append((application["contact"]["name"], application["contact"]["email"]))
        people += [(p["name"], p["email"]) for p in application["participants"]]
    return people


@pytest.mark.timeout(DEMO_SECONDS + 100)  # the first test of the file may run the demo
async def test_every_letter_of_the_demo_reads_as_a_letter_with_its_facts(
    report: dict[str, Any], demo_env: dict[str, str]
) -> None:
    """The letters the real workflows queued in the demo, rendered as their readers get them."""
    settings = demo_settings(demo_env)
    engine = make_engine(settings.resolved_database_url)
    sessions = make_session_factory(engine)
    letters = await cohort_letters(sessions, people_register(settings, sessions), contact(settings), "2022")
    await engine.dispose()
    kinds = {letter.kind for letter in letters}
    assert kinds >= {
        "application_received",
        "application_incomplete",
        "admitted",
        "waitlisted",
        "not_selected",
        "moved_up",
        "place_given_up",
        "gathering_ahead",
        "requirement_returned",
        "requirement_approved",
        "oral_scheduled",  # the administration set every group's oral (the period's letter is for a group without)
        "result_published",
        "certificate_issued",
        "withdrawn",
        "appeal_commission",
        "appeal_oral_scheduled",  # the appeal that changed the written grade: its new oral, set by the administration
        "appeal_decided",
        "appeal_withdrawn",
        "resit_registered",
        "resit_decided",
    }, kinds
    names = {lookup(n).name.split(" - ")[0] for a in report["applications"] for n in a["municipalities"]}
    for letter in letters:
        text = f"{letter.subject}\n{letter.body}"
        for leftover in ("(ikke oppgitt)", "{{", "}}", "{%", "None", "Undefined"):
            assert leftover not in text, (letter.kind, text)
        assert "kull 2022" in text, (letter.kind, text)
        if letter.kind in DATED:
            assert NORWEGIAN_DATE.search(text), (letter.kind, text)
        if letter.kind in TO_GROUPS:
            assert any(name in text for name in names), (letter.kind, text)
        if letter.person != "staff":
            assert "\nHei " in text and "\nHei,\n" not in text, (
                letter.kind,
                text,
            )  # greeted by name, from the register
    reminders = [(letter.person, letter.body) for letter in letters if letter.kind == "gathering_ahead"]
    assert len(set(reminders)) == len(reminders)  # the 7-day and the 1-day reminder of an event read differently


async def test_no_name_or_address_of_the_scenario_is_in_the_temporal_servers_database(
    report: dict[str, Any], demo_env: dict[str, str]
) -> None:
    """Every history of the cohort, its payloads decoded with the codec, and the server's SQLite file itself."""
    settings = demo_settings(demo_env)
    server = start_dev_server(settings)
    try:
        client = await connect(settings)
        codec = data_converter(load_or_create_key(settings)).payload_codec
        assert codec is not None
        decoded: list[bytes] = []
        async for execution in client.list_workflows("NisCohort = '2022'"):
            history = await client.get_workflow_handle(execution.id, run_id=execution.run_id).fetch_history()
            for event in history.events:
                payloads = list(_payloads(event))
                decoded += [p.data for p in await codec.decode(payloads)] if payloads else []
        assert len(decoded) > 1000  # the whole cohort: inputs, updates, signals, activities, results
    finally:
        server.terminate()
        server.wait(timeout=30)
    database = Path(demo_env["NIS_DATA_DIR"]) / "temporal.sqlite3"
    files = [database, database.with_name(database.name + "-wal")]  # the write-ahead log may hold the last commits
    stored = b"\n".join([*decoded, *(file.read_bytes() for file in files if file.exists())]).lower()
    for name, email in scenario_people():
        assert email.lower().encode() not in stored, email
        assert name.lower().encode() not in stored, name


def _payloads(message: Any) -> Any:
    """Every Payload inside a protobuf message, however deep."""
    for field, value in message.ListFields():
        if field.message_type is None:
            continue
        if field.message_type.GetOptions().map_entry:
            items = list(value.values())
        elif hasattr(value, "ListFields"):
            items = [value]
        else:  # a repeated field
            items = list(value)
        for item in items:
            if isinstance(item, Payload):
                yield item
            elif hasattr(item, "ListFields"):
                yield from _payloads(item)
