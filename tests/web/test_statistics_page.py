"""The cohort's statistics report from the web app: for staff, made from the read model of the running cohort."""

from __future__ import annotations

from tests.web.conftest import World, sign_in
from tests.web.test_pages import text


async def test_staff_download_the_statistics_report_and_others_may_not(world: World) -> None:
    async with world.client() as client:
        await sign_in(client, world, "teacher")
        cohort_page = await client.get(f"/kull/{world.cohort}")
        assert f'href="/kull/{world.cohort}/statistikk"' in cohort_page.text
        report = await client.get(f"/kull/{world.cohort}/statistikk")
        assert report.status_code == 200
        assert report.headers["content-disposition"] == f'attachment; filename="statistikk-{world.cohort}.html"'
        words = text(report.text)
        assert f"Statistikk for kull {world.cohort}" in words
        assert "2 søknader, 0 av dem avvist før trekningen." in words  # the test world's two applications
        assert "Tatt opp 2" in words and "Arbeidskrav Godkjent Sendt tilbake" in words
        assert (await client.get("/kull/ukjent/statistikk")).status_code == 404
    for role in ("municipality", "participant"):
        async with world.client() as client:
            await sign_in(client, world, role)
            assert (await client.get(f"/kull/{world.cohort}/statistikk")).status_code == 403
