"""The admin commands of starter.py against the dev server: output, exit codes, the audit trail of refusals."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

import starter
from cli.output import nesting_depth
from domain.catalogue import OSLO
from domain.ids import CohortId
from domain.models import CohortPlan
from gateway.admin import Admin, Refused
from gateway.commands import CONFIRM_SELECTION
from store.accounts import Account, AccountError, Accounts, Role
from store.people import People, register_key
from store.tables import AuditRecord
from tests.conftest import TEST_KEY, Harness
from tests.factories import application
from tests.workflows.gatherings import gathering_begun
from tests.workflows.helpers import eventually
from tests.workflows.plans import now_plan
from workflows.cohort import CohortWorkflow
from workflows.group import GroupWorkflow
from workflows.messages import ConfirmSelectionInput

ROOT = Path(__file__).parents[1]
ACTOR = "kari.admin"
# the applications go in before this deadline (6 s was seen to pass before the first one on a busy machine)
INTAKE_SECONDS = 15


def cohort_plan(deadline_in: float) -> CohortPlan:
    """Applications due in `deadline_in` seconds, the first gathering two seconds later, the rest far ahead."""
    d = deadline_in
    return now_plan(
        {
            "application_deadline": d,
            "selection_date": d + 1,
            "written_deadline": d + 900,
            "oral_start": d + 910,
            "oral_end": d + 920,
        },
        gathering_starts=[d + 2, *(d + 300 + 10 * i for i in range(5))],
        requirement_deadlines=[d + 600 + i for i in range(4)],
    )


def write(tmp_path: Path, name: str, data: Any) -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(path)


async def run(
    harness: Harness, capsys: pytest.CaptureFixture[str], *argv: str, actor: str = ACTOR
) -> tuple[int, str, str]:
    """Run one command as the CLI would, as the account `actor` (an administrator, made on first use), with the
    test's own gateway; returns (exit code, stdout, stderr)."""
    await account(harness, actor)
    args = starter.parser().parse_args([*argv, "--actor", actor])  # --as, by its old name the end of year shares
    capsys.readouterr()
    people = People(harness.sessions, register_key(TEST_KEY))
    code = await args.run(Admin(harness.client, harness.sessions, harness.task_queue, people), args)
    out, err = capsys.readouterr()
    return code, out, err


async def account(harness: Harness, username: str, role: Role = Role.ADMIN) -> None:
    """The account a command acts as; a name no account may have (bad characters) is left for the CLI to refuse."""
    accounts = Accounts(harness.sessions)
    if await accounts.get(username) is None:
        try:
            await accounts.add(Account(username=username, role=role), "passord-for-test")
        except AccountError:
            pass


def one_line(err: str) -> str:
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    return err.strip()


async def refusals(harness: Harness) -> list[AuditRecord]:
    async with harness.sessions() as session:
        return list((await session.scalars(select(AuditRecord).where(AuditRecord.outcome == "refused"))).all())


async def terminate_all(harness: Harness, cohort: str) -> None:
    async for execution in harness.client.list_workflows(f"NisCohort = '{cohort}' AND ExecutionStatus = 'Running'"):
        await harness.client.get_workflow_handle(execution.id).terminate("test done")


async def test_refusals_are_one_line_audited_and_send_nothing(
    harness: Harness, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    plan = cohort_plan(deadline_in=600)
    code, out, _ = await run(
        harness, capsys, "start-cohort", write(tmp_path, "plan.json", plan.model_dump_json()), "--seed", "frø"
    )
    assert code == 0 and f"kull-{plan.cohort}" in out

    schema = application(["0301"]) | {"cohort": plan.cohort, "participants": "many"}
    code, out, err = await run(harness, capsys, "apply", write(tmp_path, "bad.json", schema))
    assert code == 1 and out == "" and "participants" in one_line(err)

    code, _, err = await run(harness, capsys, "confirm-selection", "--cohort", plan.cohort)
    assert code == 1 and one_line(err) == "avvist: Ingen trekning venter på bekreftelse (kullets fase: søknadsfase)"
    [audited] = await refusals(harness)
    assert (audited.workflow_id, audited.actor, audited.action) == (f"kull-{plan.cohort}", ACTOR, "confirm_selection")
    assert re.fullmatch(rf"kull-{plan.cohort}:refused:[0-9a-f]{{32}}", audited.idempotency_key)
    assert "Ingen trekning venter på bekreftelse" in (audited.reason or "")

    code, out, _ = await run(harness, capsys, "show", "cohort", plan.cohort, "--json")
    overview = json.loads(out)
    assert code == 0 and overview["stage"] == "intake" and overview["applications"] == []  # the bad file was not sent
    assert (overview["cohort"], overview["places"], overview["seed"]) == (plan.cohort, plan.places, None)

    await account(harness, "turid.faglaerer", Role.TEACHER)  # an account whose role may not confirm: refused, audited
    code, _, err = await run(harness, capsys, "confirm-selection", "--cohort", plan.cohort, actor="turid.faglaerer")
    assert code == 1 and one_line(err).endswith("kan ikke gi kommandoen confirm-selection")
    assert [(r.actor, r.action) for r in await refusals(harness)][-1] == ("turid.faglaerer", "confirm_selection")

    code, _, err = await run(harness, capsys, "show", "cohort", "nonexistent-xyz")
    assert code == 1 and "Fant ingen sak kull-nonexistent-xyz" in one_line(err)
    code, _, err = await run(harness, capsys, "apply", str(tmp_path / "missing.json"))
    assert code == 2 and "kan ikke lese" in one_line(err)
    code, _, err = await run(harness, capsys, "show", "participant", "kull-x.gruppe-0301")
    assert code == 2 and "er ikke en deltaker-ID" in one_line(err)
    await terminate_all(harness, plan.cohort)


async def test_from_intake_to_actions_on_an_admitted_group(
    harness: Harness, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    plan = cohort_plan(deadline_in=INTAKE_SECONDS)
    cohort = ["--cohort", plan.cohort]
    assert (await run(harness, capsys, "start-cohort", write(tmp_path, "plan.json", plan.model_dump_json())))[0] == 0
    accepted = application(["5001"]) | {"cohort": plan.cohort}
    code, out, _ = await run(harness, capsys, "apply", write(tmp_path, "a.json", accepted))
    assert code == 0 and out.strip() == f"søknad 5001 er mottatt: gruppe kull-{plan.cohort}.gruppe-5001"
    too_few = application(["0301"], participants=2) | {"cohort": plan.cohort}
    code, out, err = await run(harness, capsys, "apply", write(tmp_path, "b.json", too_few), "--json")
    answer = json.loads(out)
    assert code == 1 and answer["accepted"] is False
    assert answer["problems"] == [{"code": "application.participant_count", "params": {"count": 2, "min": 3, "max": 4}}]
    assert one_line(err) == ("avvist: søknad 0301: Søknaden har 2 deltakere. En søknad skal ha 3 til 4 deltakere.")

    async def drawn() -> None:
        code, out, _ = await run(harness, capsys, "show", "cohort", plan.cohort, "--json")
        assert code == 0 and json.loads(out)["stage"] == "selection_drawn"

    await eventually(drawn, timeout=INTAKE_SECONDS + 60)
    code, out, _ = await run(harness, capsys, "confirm-selection", *cohort)
    assert code == 0 and "tatt opp 5001" in out

    async def members() -> list[str]:
        code, out, _ = await run(harness, capsys, "show", "group", "5001", *cohort, "--json")
        detail = json.loads(out)
        assert code == 0 and detail["outcome"] == "admitted"
        return [m["participant_workflow_id"] for m in detail["members"]]

    ids = await eventually(members)
    await gathering_begun(harness.client.get_workflow_handle(f"kull-{plan.cohort}.gruppe-5001"))  # its own word
    days = ["--day", "1", "--present", *ids[:2], "--day", "3", "--present", ids[0]]  # two days at once
    code, out, _ = await run(harness, capsys, "attendance", "5001", *cohort, "--gathering", "1", *days)
    assert code == 0 and "samling 1, dag 1: 2 til stede, dag 3: 1 til stede, de andre fraværende" in out
    for verb in ("submit", "approve"):
        code, out, _ = await run(harness, capsys, "requirement", verb, "5001", "1", *cohort, "--json")
        assert code == 0 and json.loads(out)["status"] == {"submit": "submitted", "approve": "approved"}[verb]
    code, _, err = await run(harness, capsys, "written", "grade", "5001", "Z", *cohort)
    assert code == 1 and one_line(err).startswith("avvist: karakter:")

    code, out, _ = await run(harness, capsys, "show", "group", "5001", *cohort)
    assert code == 0 and "fase samlinger og arbeidskrav, utfall tatt opp" in out
    assert [line.split()[1] for line in out.splitlines() if line.strip().startswith("1 ")] == ["godkjent"]
    assert all(pid in out for pid in ids)
    code, out, _ = await run(harness, capsys, "show", "participant", ids[0], "--json")
    assert code == 0 and json.loads(out)["attendance"] == ["1:1", "1:3"]
    await terminate_all(harness, plan.cohort)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize("server", ["absent", "silent"])
def test_no_server_is_one_line_not_a_traceback(tmp_path: Path, server: str) -> None:
    with socket.socket() as silent:  # "silent" accepts connections and never answers: the connect must be bounded
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1] if server == "silent" else free_port()
        env = os.environ | {"TEMPORAL_ADDRESS": f"127.0.0.1:{port}", "NIS_DATA_DIR": str(tmp_path)}
        done = subprocess.run(
            [sys.executable, "starter.py", "show", "cohort", "nonexistent-xyz", "--json"],
            check=False,
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=20,
        )
    assert done.returncode == 3 and done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith(f"får ikke kontakt med Temporal på 127.0.0.1:{port}: ")


# ---- bad input: refused with one clear line, nothing sent, nothing changed ----------------------------------------
async def shown_json(harness: Harness, capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    code, out, err = await run(harness, capsys, "show", *argv, "--json")
    assert code == 0, err
    return json.loads(out)


async def refused_unchanged(
    harness: Harness, capsys: pytest.CaptureFixture[str], show: list[str], *argv: str, actor: str = ACTOR
) -> tuple[int, str]:
    """Run a command that must be refused; the shown state before and after must be the same. (exit code, stderr)"""
    before = await shown_json(harness, capsys, *show)
    code, out, err = await run(harness, capsys, *argv, actor=actor)
    assert code != 0 and out == "", (code, out)
    assert await shown_json(harness, capsys, *show) == before
    return code, one_line(err)


async def test_bad_text_and_files_are_refused_before_anything_is_sent(
    harness: Harness, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    plan = cohort_plan(deadline_in=600)
    assert (await run(harness, capsys, "start-cohort", write(tmp_path, "plan.json", plan.model_dump_json())))[0] == 0
    show = ["cohort", plan.cohort]
    good = write(tmp_path, "good.json", application(["0301"]) | {"cohort": plan.cohort})
    for char, named in [
        ("\x1b", "U+001B (ESC)"),
        ("\r", "U+000D (CR)"),
        ("\n", "U+000A (LF)"),
        ("\u202e", "U+202E (RIGHT-TO-LEFT OVERRIDE)"),
    ]:
        code, err = await refused_unchanged(harness, capsys, show, "apply", good, actor=f"kari{char}admin")
        assert code == 1 and err.startswith("avvist: Ingen konto 'kari") and char not in err, named
    code, err = await refused_unchanged(harness, capsys, show, "apply", good, actor="k" * 101)
    assert (code, err) == (1, f"avvist: Ingen konto '{'k' * 101}': opprett den med `starter.py user add`")

    long_name = application(["0301"]) | {"cohort": plan.cohort}
    long_name["participants"][0]["name"] = "N" * 201
    path = write(tmp_path, "long.json", long_name)
    code, err = await refused_unchanged(harness, capsys, show, "apply", path)
    assert (code, err) == (1, f"avvist: {path}: participants.0.name: høyst 200 tegn, her 201")
    deep = write(tmp_path, "deep.json", "[" * 100_000 + "]" * 100_000)
    code, err = await refused_unchanged(harness, capsys, show, "apply", deep)
    assert (code, err) == (2, f"feil: {deep} har lister og objekter 100000 nivåer dypt; høyst 20 godtas")
    big = write(tmp_path, "big.json", json.dumps(long_name | {"padding": "x" * 1024 * 1024}))
    code, err = await refused_unchanged(harness, capsys, show, "apply", big)
    assert (code, err) == (2, f"feil: {big} er større enn 1024 KB; en søknad eller en plan er noen få KB")
    code, err = await refused_unchanged(
        harness, capsys, show, "withdraw-group", "0301", "--cohort", plan.cohort, "--reason", "r" * 501
    )
    assert (code, err) == (1, "avvist: begrunnelse: høyst 500 tegn, her 501")
    smuggled = Account.model_construct(username="kari\x1b[2J", role=Role.ADMIN)  # around its model's bounds
    with pytest.raises(Refused, match=r"^utført av: tegn 5 er et kontrolltegn, U\+001B \(ESC\)"):
        await Admin(harness.client, harness.sessions, harness.task_queue).perform(
            CONFIRM_SELECTION, CohortId(plan.cohort), ConfirmSelectionInput(actor="kari"), smuggled
        )
    assert (await shown_json(harness, capsys, *show))["applications"] == []
    assert await refusals(harness) == []  # refused by the models: no workflow was asked
    await terminate_all(harness, plan.cohort)


class AdmittedGroup:
    """A cohort with group 5001 admitted and its first gathering begun, shared by the tests below."""

    def __init__(self, harness: Harness, plan: CohortPlan, ids: list[str]) -> None:
        self.harness, self.plan, self.ids = harness, plan, ids
        self.show = ["group", "5001", "--cohort", plan.cohort]


@pytest.fixture(scope="module")
async def admitted(env: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp("admitted")
    async with Harness(env.client, folder) as harness:
        plan = cohort_plan(deadline_in=INTAKE_SECONDS)
        admin = Admin(
            harness.client, harness.sessions, harness.task_queue, People(harness.sessions, register_key(TEST_KEY))
        )
        await admin.open_cohort(plan)
        await account(harness, ACTOR)
        app = application(["5001"]) | {"cohort": plan.cohort}
        assert await run_quiet(admin, "apply", write(folder, "a.json", app))

        async def drawn() -> None:
            assert (await admin.query(f"kull-{plan.cohort}", CohortWorkflow.overview)).stage == "selection_drawn"

        await eventually(drawn, timeout=INTAKE_SECONDS + 60)
        assert await run_quiet(admin, "confirm-selection", "--cohort", plan.cohort)

        async def started() -> list[str]:
            detail = await admin.query(f"kull-{plan.cohort}.gruppe-5001", GroupWorkflow.detail)
            assert detail.members
            return [m.participant_workflow_id for m in detail.members]

        ids = await eventually(started)
        await gathering_begun(harness.client.get_workflow_handle(f"kull-{plan.cohort}.gruppe-5001"))  # its own word
        yield AdmittedGroup(harness, plan, ids)
        await terminate_all(harness, plan.cohort)


async def run_quiet(admin: Admin, *argv: str) -> bool:
    args = starter.parser().parse_args([*argv, "--as", ACTOR])
    return bool(await args.run(admin, args) == 0)


async def test_bad_input_to_an_admitted_group_changes_nothing(
    admitted: AdmittedGroup, capsys: pytest.CaptureFixture[str]
) -> None:
    h, show, cohort, ids = admitted.harness, admitted.show, ["--cohort", admitted.plan.cohort], admitted.ids
    assert (await run(h, capsys, "requirement", "submit", "5001", "1", *cohort))[0] == 0
    code, err = await refused_unchanged(
        h, capsys, show, "requirement", "return", "5001", "1", *cohort, "--feedback", "x" * 1048576
    )
    assert (code, err) == (1, "avvist: tilbakemelding: høyst 4000 tegn, her 1048576")
    code, err = await refused_unchanged(
        h, capsys, show, "requirement", "return", "5001", "1", *cohort, "--feedback", "Se \x1b]8;;http://x\x1b\\her"
    )
    assert code == 1 and err == "avvist: tilbakemelding: tegn 4 er et kontrolltegn, U+001B (ESC), som ikke er tillatt"
    code, err = await refused_unchanged(
        h,
        capsys,
        show,
        "attendance",
        "5001",
        *cohort,
        "--gathering",
        "1",
        "--day",
        "1",
        "--present",
        ids[0],
        ids[1],
        ids[0],
    )
    assert (code, err) == (1, f"avvist: days.0.present: {ids[0]} er oppgitt to ganger")
    code, err = await refused_unchanged(h, capsys, show, "mark-non-participating", f"{ids[0]}\x1b[2J")
    assert code == 1 and err == (
        f"avvist: deltaker: '{ids[0]}\\u001b[2J' er ikke en saks-ID "
        "(bokstaver, sifre og . _ + -), f.eks. kull-2022.gruppe-1833.deltaker-1"
    )
    code, err = await refused_unchanged(
        h, capsys, ["participant", ids[0]], "withdraw-participant", ids[0], "--reason", "r" * 501
    )
    assert (code, err) == (1, "avvist: begrunnelse: høyst 500 tegn, her 501")

    feedback = "Mangler problemstilling.\n\t" + "ø" * 3974  # exactly the limit, lines and a tab kept
    code, out, _ = await run(h, capsys, "requirement", "return", "5001", "1", *cohort, "--feedback", feedback, "--json")
    assert code == 0 and json.loads(out)["status"] == "returned"
    detail = await shown_json(h, capsys, *show)
    assert detail["requirements"][0]["feedback"] == feedback and detail["admin_actions"] == 2


async def test_an_extension_past_the_last_oral_exam_is_refused(
    admitted: AdmittedGroup, capsys: pytest.CaptureFixture[str]
) -> None:
    h, show, cohort, oral_end = (
        admitted.harness,
        admitted.show,
        ["--cohort", admitted.plan.cohort],
        admitted.plan.oral_end,
    )
    latest = oral_end.astimezone(OSLO).strftime("%d.%m.%Y kl. %H:%M")
    later = oral_end + timedelta(minutes=1)
    for deadline, said in [
        ("9999-12-31T23:59+00:00", "31.12.9999 kl. 23:59"),
        (later.isoformat(timespec="minutes"), later.astimezone(OSLO).strftime("%d.%m.%Y kl. %H:%M")),
    ]:
        code, err = await refused_unchanged(
            h, capsys, show, "requirement", "extend", "5001", "2", *cohort, "--deadline", deadline
        )
        expected = f"avvist: Arbeidskrav 2: den nye fristen {said} er etter siste muntlige eksamen; "
        assert (code, err) == (1, expected + f"seneste tillatte frist er {latest}")
    code, out, _ = await run(
        h, capsys, "requirement", "extend", "5001", "2", *cohort, "--deadline", oral_end.isoformat()
    )
    assert code == 0 and "frist" in out


def test_brackets_inside_strings_do_not_count_as_nesting() -> None:
    assert nesting_depth('{"name": "[[[{\\"[[", "participants": [{"role": "}}]]"}]}') == 3
    assert nesting_depth("[" * 100_000 + "]" * 100_000) == 100_000
