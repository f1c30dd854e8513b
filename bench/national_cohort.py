"""The national cohort for bench/national.py: every municipality of the register applies with four participants of
four sectors, all are admitted, and the demo's player (demo/run.py) scripts the year against the workflows'
reported state, with the actions timed and every refusal kept by its code."""

from __future__ import annotations

import asyncio
import csv
import functools
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from demo import acting
from demo import end_of_year as demo_end_of_year
from demo.run import Demo
from demo.scenario import Appeal, Resit, Scenario
from demo.year import compress_plan, machine_pace, scale
from domain.admission import parse_application
from domain.grading import combine
from domain.models import CohortPlan, Grade
from gateway.admin import Admin, Refused
from gateway.end_of_year.appeal import register_appeal
from gateway.end_of_year.resit import register_resit

KOMMUNER = Path(__file__).parents[1] / "domain" / "kommuner.csv"  # the project's copy of shared/data/kommuner.csv
SECTORS = ["helse_omsorg", "oppvekst_utdanning", "teknisk_miljo", "kultur_fritid", "administrasjon_stab"]
GRADES = ["A", "B", "C", "C", "D", "B", "E", "C", "F", "B", "C", "D"]  # the written grades, group by group
ORAL_PATTERN = [1, -1, 0]
# a refusal because the script came after a date (a written deadline missed also shows in the grades: no exam)
LATE_CODES = ("deadline_passed", "period_ended")
APPLY_AT_ONCE = 8


def municipalities(count: int | None) -> list[str]:
    with KOMMUNER.open(encoding="utf-8") as file:
        numbers = [row["kommunenummer"] for row in csv.DictReader(file)]
    return numbers[:count] if count else numbers


def application(number: str, cohort: str, index: int) -> dict[str, Any]:
    """Four participants of four sectors, each with three years of higher education (the student track): no
    individual assessment, so every participant sits the exam. Names and e-mails are made up."""
    return {
        "cohort": cohort,
        "municipalities": [number],
        "contact": {"name": f"Kontakt {number}", "email": f"kontakt@k{number}.example.no"},
        "participants": [
            {
                "name": f"Deltaker {i} {number}",
                "email": f"d{i}@k{number}.example.no",
                "sector": SECTORS[(index + i) % len(SECTORS)],
                "role": "rådgiver",
                "education_years": 3,
                "experience_years": 2 + i,
            }
            for i in range(1, 5)
        ],
    }


def scenario(count: int | None, year_seconds: float) -> Scenario:
    """Every kind of action for every group; a few returned requirements, absences, appeals and re-sits."""
    cohort = "2022"
    numbers = municipalities(count)
    grades = {n: GRADES[i % len(GRADES)] for i, n in enumerate(numbers)}
    feedback = "Utdyp innsikten."
    returned = {n: {"requirement": i % 4 + 1, "feedback": feedback} for i, n in enumerate(numbers) if i % 5 == 1}
    absences = [f"{n}#{i % 4 + 1}@{i % 6 + 1}:1" for i, n in enumerate(numbers) if i % 7 == 3]
    passed = [n for n in numbers if grades[n] in ("C", "D")]
    failed = [n for n in numbers if grades[n] == "F"]
    appeals = [{"participant": f"{n}#1", "written": "B", "oral": 0} for n in passed[: max(1, len(numbers) // 40)]]
    resits = [{"participant": f"{n}#2", "written": "C", "oral": 1} for n in failed[: max(1, len(numbers) // 60)]]
    return Scenario.model_validate(
        {
            "cohort": cohort,
            "places": len(numbers),
            "seed": "nasjonalt",
            "applications": [application(n, cohort, i) for i, n in enumerate(numbers)],
            "script": {
                "actors": {"admin": "kari.studieadministrasjon", "teacher": "ole.faglaerer", "examiner": "siri.sensor"},
                "year_seconds": year_seconds,
                "absences": absences,
                "returned": returned,
                "written_grades": grades,
                "oral_pattern": ORAL_PATTERN,
            },
            "end_of_year": {
                "appeal_examiners": ["lars.klagesensor", "mona.klagesensor"],
                "external_examiners": ["mona.klagesensor"],
                "appeals": appeals,
                "resits": resits,
                "xlsx": False,
            },
        }
    )


def expected_grades(scenario: Scenario, step_limit: int) -> Counter[str]:
    """The final grades the rules give this script: the written grade combined with the oral pattern (an F stays
    an F, an A is not raised), then the appeals' and the re-sits' new grades."""
    script, grades = scenario.script, {}
    for raw in scenario.applications:
        number = raw["municipalities"][0]
        written = Grade(script.written_grades.get(number, script.default_written_grade))
        for i in range(4):
            wanted = script.oral_pattern[i % len(script.oral_pattern)]
            adjustment = 0 if (written == Grade.A and wanted > 0) or written == Grade.F else wanted
            grades[f"{number}#{i + 1}"] = written if written == Grade.F else combine(written, adjustment, step_limit)
    section = scenario.end_of_year
    changes: list[Appeal | Resit] = [*(section.appeals if section else []), *(section.resits if section else [])]
    for change in changes:
        if change.written is None:  # an appeal withdrawn before its decision: the grade stays
            continue
        # an appeal's new grades replace the old; a re-sit here is only for an F, so any new grade is the best
        grades[change.participant] = (
            change.written if change.written == Grade.F else combine(change.written, change.oral or 0, step_limit)
        )
    return Counter(g.value for g in grades.values())


class NationalDemo(Demo):
    """The demo's script, its actions timed (milliseconds) and its refusals kept by code; patient waits (a national
    cohort takes longer to report a stage than the demo's twelve groups); the intake eight at a time."""

    times: list[float]
    refusals: Counter[str]
    patience: float

    async def act(self, workflow_id: str, update: Any, arg: Any) -> Any:
        command, target, account = acting.typed(self.scenario, workflow_id, update, arg.actor)
        started = time.perf_counter()
        try:
            result = await self.admin.perform(command, target, arg, account)
        except Refused as refused:
            self.refusals[refused.code or "uncoded"] += 1
            self.say(f"  refused: {update.__name__} on {workflow_id}: {refused.code}")
            return None
        finally:
            self.times.append((time.perf_counter() - started) * 1000)
        return result

    async def step(self, key: str, at: datetime, action: Any) -> None:
        if key == "end-of-year":  # the bench's own end of year (below) in place of the demo's
            action = functools.partial(end_of_year, self)
        await super().step(key, at, action)

    async def until(self, check: Any, timeout: float = 120, what: str = "the expected state") -> None:
        await super().until(check, max(timeout, self.patience), what)

    async def apply_all(self) -> None:
        slots = asyncio.Semaphore(APPLY_AT_ONCE)

        async def one(raw: dict[str, Any]) -> None:
            application, errors = parse_application(raw)
            if application is None:
                raise RuntimeError(f"an invalid application in the bench: {errors}")
            async with slots:
                try:
                    result = await self.admin.apply(application, self.script.actors.admin)
                except Refused as refused:
                    self.refusals[refused.code or "uncoded"] += 1
                    return
            if not result.accepted:
                self.refusals["application.not_accepted"] += 1

        self.say(f"Intake: {len(self.scenario.applications)} applications")
        await asyncio.gather(*(one(raw) for raw in self.scenario.applications))


async def end_of_year(demo: NationalDemo) -> None:
    """The demo's end of year without its documents, export and statistics (thousands of PDFs would measure the
    renderer, not the year): the appeals and re-sits registered, decided, and waited for."""
    section = demo.scenario.end_of_year
    assert section is not None
    demo.say("End of year: appeals and re-sits")
    await demo.until(lambda: demo_end_of_year._released(demo, section))
    office = acting.office(demo.scenario)
    appeals, resits = [], []
    for appeal in section.appeals:
        try:
            await register_appeal(demo.admin, demo.participant(appeal.participant), office)
            appeals.append(appeal)
        except Refused as refused:
            demo.refusals[refused.code or "uncoded"] += 1
    for resit in section.resits:
        try:
            registered = await register_resit(demo.admin, demo.participant(resit.participant), office)
            resits.append((resit, registered.resit_workflow_id))
        except Refused as refused:
            demo.refusals[refused.code or "uncoded"] += 1
    await demo_end_of_year._appeal_examiner_accounts(demo, section)
    for appeal in appeals:
        await demo_end_of_year._decide(demo, section, appeal)
    for resit, resit_id in resits:
        await demo_end_of_year._sit_again(demo, resit, resit_id)
    await demo.until(lambda: demo_end_of_year._decided(demo, len(appeals), len(resits)))


async def run_year(
    admin: Admin,
    sessions: async_sessionmaker[AsyncSession],
    chosen: Scenario,
    template: CohortPlan,
    data_dir: Path,
    out: TextIO,
    intake_seconds: float,
    patience: float,
) -> NationalDemo:
    """demo.run.run_scenario's year, with the bench's player and end of year. The calendar's rooms are sized by the
    number of groups at the machine's measured rate (demo.year) and widened by how busy the machine is now
    (machine_pace), as the demo's are: other work on the two cores makes the same year longer, not late."""
    pace = await asyncio.to_thread(machine_pace)
    start = datetime.now(UTC) + timedelta(seconds=intake_seconds)
    plan = compress_plan(
        template.model_copy(update={"cohort": chosen.cohort, "places": chosen.places}),
        start,
        chosen.script.year_seconds,
        pace,
    )
    progress = data_dir / f"demo-{chosen.cohort}.json"
    demo = NationalDemo(
        admin,
        sessions,
        chosen,
        plan,
        progress,
        out,
        None,
        patience,
        day_seconds=86400 * scale(template, plan),
        pace=pace,
    )
    demo.times, demo.refusals, demo.patience = [], Counter(), patience
    length = (plan.oral_end - plan.application_deadline).total_seconds()
    demo.say(f"Cohort {plan.cohort}: the year compressed to {length:.0f} s, {plan.places} places (pace {pace:.2f})")
    await admin.open_cohort(plan, seed=chosen.seed)
    await demo.run()  # to the cohort's close
    return demo


def late(refusals: Counter[str]) -> int:
    return sum(n for code, n in refusals.items() if code.endswith(LATE_CODES))
