"""A group's innovation project on the dev server: recorded, reported at a requirement, in the read model without
names, and refused once the group's record is closed."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from temporalio.client import WorkflowUpdateFailedError

from domain.project import InnovationProject, InnovationReport, Partner, PartnerKind
from store.tables import InnovationRecord
from tests.conftest import Harness
from tests.workflows.helpers import eventually
from tests.workflows.test_group import ACTOR, start_group
from workflows.group import GroupWorkflow
from workflows.messages import Outcome, OutcomeSignal, RecordProjectInput, ReportProjectInput

PROJECT = InnovationProject(
    title="Trygg hjemme med velferdsteknologi",
    problem="Hvordan kan eldre bo trygt hjemme lenger?\nVi prøver ut digitalt tilsyn sammen med brukerne.",
    partners=[
        Partner(kind=PartnerKind.RESEARCH, name="NTNU"),
        Partner(kind=PartnerKind.NGO, name="Røde Kors"),
        Partner(kind=PartnerKind.CITIZENS, name="Eldrerådet"),
    ],
)


async def test_the_project_is_on_record_and_counted_without_names(harness: Harness) -> None:
    handle = await start_group(harness)
    await handle.execute_update(GroupWorkflow.record_project, RecordProjectInput(actor=ACTOR, project=PROJECT))
    first = InnovationReport(number=1, drivers="Engasjerte brukere", barriers="Personvern tok tid")
    again = InnovationReport(number=1, drivers="Engasjerte brukere og ledere", barriers="Personvern tok tid")
    for report in (first, again, InnovationReport(number=2, drivers="Midler", barriers="Turnover")):
        await handle.execute_update(GroupWorkflow.report_project, ReportProjectInput(actor=ACTOR, report=report))

    detail = await handle.query(GroupWorkflow.detail)
    assert detail.project == PROJECT
    assert [(r.number, r.drivers) for r in detail.project_reports] == [(1, again.drivers), (2, "Midler")]

    async def projected() -> InnovationRecord:
        async with harness.sessions() as session:
            row = (await session.scalars(select(InnovationRecord))).first()
        assert row is not None and row.reports == 2
        return row

    row = await eventually(projected)
    assert (row.title, row.partner_kinds) == (PROJECT.title, "research,ngo,citizens")

    await handle.signal(GroupWorkflow.outcome, OutcomeSignal(outcome=Outcome.GAVE_UP))
    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await handle.execute_update(GroupWorkflow.record_project, RecordProjectInput(actor=ACTOR, project=PROJECT))
    assert "Gruppen er ikke i gang med studiet (utfall: ga fra seg plassen)" in str(refused.value.cause)


def test_a_partner_named_twice_or_an_empty_title_is_refused() -> None:
    with pytest.raises(ValueError, match="partners\n  named twice: NTNU, ntnu"):
        InnovationProject(
            title="x",
            problem="y",
            partners=[Partner(kind=PartnerKind.RESEARCH, name="NTNU"), Partner(kind=PartnerKind.OTHER, name="ntnu")],
        )
    with pytest.raises(ValueError, match="title"):
        InnovationProject(title=" ", problem="y")
    with pytest.raises(ValueError, match="number"):
        InnovationReport(number=5, drivers="a", barriers="b")
