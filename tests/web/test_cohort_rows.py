"""The cohort page is read from the read model: with the cohort's row and every group's row there, it shows the
applications, the stages, the counts and what waits, and asks no workflow (here Temporal does not even answer)."""

from __future__ import annotations

from pathlib import Path

from store.tables import AuditRecord, CohortRecord
from tests.gateway.test_statistics_cache import group
from tests.store.test_db import NOW, cohort
from tests.web.test_pages import text
from tests.web.test_unavailable import signed_in, without_temporal


def accepted(number: int, action: str = "confirm_selection", **params: str) -> AuditRecord:
    return AuditRecord(
        idempotency_key=f"kull-2022:audit:{number}",
        workflow_id="kull-2022",
        actor="kari",
        action=action,
        outcome="accepted",
        at=NOW,
        params=params,
    )


async def test_the_cohort_page_shows_the_groups_from_their_rows_without_asking_a_workflow(tmp_path: Path) -> None:
    async with without_temporal(tmp_path) as (sessions, app):
        async with sessions() as session, session.begin():
            session.add(CohortRecord(**cohort(stage="selection_drawn", seed="frø-42", applications=2, admitted=2)))
            session.add(group(region="Trøndelag"))
            session.add(
                group(group_id="kull-2022.gruppe-5006", application_id="5006", region="Trøndelag", stage="graded")
            )
            session.add_all([accepted(1), accepted(2), accepted(3)])
        async with signed_in(app) as http:
            page = await http.get("/kull/2022")
            assert page.status_code == 200, page.text[-2000:]
            words = text(page.text)
            assert "Fase Utvalg trukket" in words and "Trekningsfrø frø-42" in words
            assert "Handlinger registrert 3" in words
            assert "Bekreft utvalget" in words  # what waits for the administration
            assert "Tatt opp 2" in words  # the outcomes counted from the rows
            assert "Samlinger og arbeidskrav 1" in words and "Karakter satt, venter på publisering 1" in words
            assert 'href="/kull/2022/grupper/5001"' in page.text and 'href="/kull/2022/grupper/5006"' in page.text
            assert "Kalenderen er ikke tilgjengelig akkurat nå" in words  # its plan is Temporal's: said, not a 503
            async with sessions() as session, session.begin():  # an application without a group row: the workflow
                record = await session.get(CohortRecord, "2022")
                assert record is not None
                record.applications = 3
            assert (await http.get("/kull/2022")).status_code == 503


async def test_what_waits_on_the_whole_cohort_is_read_from_its_row_without_asking_the_workflow(tmp_path: Path) -> None:
    """Every group graded: whether the results wait to be published is the cohort workflow's decision, kept in its
    row (cohorts.pending), so the page says it while Temporal does not answer; an empty list says nothing waits."""
    publish = [{"code": "pending.publish_results", "params": {}}]
    async with without_temporal(tmp_path) as (sessions, app):
        async with sessions() as session, session.begin():
            session.add(CohortRecord(**cohort(stage="running", applications=2, admitted=2), pending=publish))
            session.add(group(region="Trøndelag", stage="graded"))
            session.add(
                group(group_id="kull-2022.gruppe-5006", application_id="5006", region="Trøndelag", stage="graded")
            )
        async with signed_in(app) as http:
            page = await http.get("/kull/2022")
            assert page.status_code == 200, page.text[-2000:]
            assert '<ul class="pending"><li>Publiser resultatene</li></ul>' in page.text  # what waits, listed
            async with sessions() as session, session.begin():  # the workflow published: nothing waits now
                record = await session.get(CohortRecord, "2022")
                assert record is not None
                record.pending = []
            page = await http.get("/kull/2022")
            assert page.status_code == 200, page.text[-2000:]
            assert 'class="pending"' not in page.text


async def test_at_the_intake_an_application_whose_group_has_no_row_yet_is_listed_from_the_cohorts_audit(
    tmp_path: Path,
) -> None:
    """357 applications come in seconds at national size, and each group writes its row once its workflow runs: the
    ones without a row yet are listed from the cohort's entry of the application, not by asking the busy cohort
    workflow. An application the cohort refused needs the workflow (its problems): then it is asked."""
    async with without_temporal(tmp_path) as (sessions, app):
        async with sessions() as session, session.begin():
            session.add(CohortRecord(**cohort(stage="intake", applications=2, admitted=0)))
            session.add(group(region="Trøndelag", outcome="applied", stage="applied"))
            session.add_all(
                [
                    accepted(1, "apply", application="5001", outcome="accepted"),
                    accepted(2, "apply", application="0301", outcome="accepted"),  # its group has no row yet
                ]
            )
        async with signed_in(app) as http:
            page = await http.get("/kull/2022")
            assert page.status_code == 200, page.text[-2000:]
            words = text(page.text)
            assert "Søkt 2" in words  # both applications, counted by outcome
            # the application without a row, by its municipality's name, region and size, as applied
            assert "Oslo (0301) Østlandet Stor Søkt Søkt Trondheim (5001) Trøndelag Stor Søkt Søkt" in words
            async with sessions() as session, session.begin():  # a third, refused: its problems are the workflow's
                record = await session.get(CohortRecord, "2022")
                assert record is not None
                record.applications = 3
                session.add(accepted(3, "apply", application="5006", outcome="refused"))
            assert (await http.get("/kull/2022")).status_code == 503


async def test_at_the_intake_a_group_row_newer_than_the_cohorts_count_is_listed_without_asking_the_workflow(
    tmp_path: Path,
) -> None:
    """The page reads the cohort's row, then its groups' rows, each at its own moment: in a national intake a group
    writes its row between the two (the bench's slowest cohort pages asked the busy workflow then). The group is
    listed; the page does not wait for the cohort workflow (here Temporal does not answer: asking would be 503)."""
    async with without_temporal(tmp_path) as (sessions, app):
        async with sessions() as session, session.begin():
            session.add(CohortRecord(**cohort(stage="intake", applications=1, admitted=0)))
            session.add(group(region="Trøndelag", outcome="applied", stage="applied"))
            session.add(
                group(
                    group_id="kull-2022.gruppe-0301",
                    application_id="0301",
                    region="Østlandet",
                    outcome="applied",
                    stage="applied",
                )
            )
            session.add(accepted(1, "apply", application="5001", outcome="accepted"))
        async with signed_in(app) as http:
            page = await http.get("/kull/2022")
            assert page.status_code == 200, page.text[-2000:]
            assert "Oslo (0301) Østlandet Stor Søkt Søkt Trondheim (5001) Trøndelag Stor Søkt Søkt" in text(page.text)
