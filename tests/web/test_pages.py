"""The pages as a browser gets them (HTML over HTTP), against a running cohort: sign-in, CSRF, a refusal shown
beside its form with nothing changed, rights per role, the inbox, the same 404 for another municipality's group."""

from __future__ import annotations

import re
from html import unescape

import httpx
import pytest

from store.accounts import Account, Role
from tests.web.conftest import OURS, PASSWORD, THEIRS, World, csrf_of, sign_in
from tests.workflows.helpers import eventually

# the group's examiners as the page lists them: sigurd among them (test_oidc assigns another to the same group)
EXAMINERS = re.compile(r"Sensor (?:[\w.-]+, )*sigurd\b")


def text(html: str) -> str:
    """The words of a page, as a person reads them."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


async def test_pages_need_a_session_and_the_sign_in_form_its_token(world: World) -> None:
    async with world.client() as client:
        answer = await client.get(world.group())
        assert answer.status_code == 303 and answer.headers["location"] == "/logg-inn"
        form = await client.get("/logg-inn")
        assert "Logg inn" in text(form.text) and "nis_login_csrf" in form.headers["set-cookie"]
        forged = await client.post("/logg-inn", data={"username": "ada", "password": PASSWORD, "csrf": "forged"})
        assert forged.status_code == 403 and "Skjemaet var utløpt" in text(forged.text)
        assert "nis_session" not in client.cookies
        wrong = await client.post(
            "/logg-inn", data={"username": "ada", "password": "feil-passord", "csrf": csrf_of(forged.text)}
        )  # each form has a fresh token
        assert wrong.status_code == 401 and "Feil brukernavn eller passord." in text(wrong.text)
        await sign_in(client, world, "admin")
        cookie = next(c for c in client.cookies.jar if c.name == "nis_session")
        assert cookie.has_nonstandard_attr("HttpOnly")
        assert "samesite=lax" in (await _signed_in_headers(world)).lower()
        home = await client.get("/")
        assert home.status_code == 200 and f"Kull {world.cohort}" in text(home.text)
        assert "ada · Studieadministrasjon" in text(home.text)


async def _signed_in_headers(world: World) -> str:
    async with world.client() as client:
        form = await client.get("/logg-inn")
        answer = await client.post(
            "/logg-inn", data={"username": "ada", "password": PASSWORD, "csrf": csrf_of(form.text)}
        )
        return answer.headers["set-cookie"]


async def test_a_form_without_this_sessions_token_is_rejected_and_changes_nothing(world: World) -> None:
    async with world.client() as client:
        await sign_in(client, world, "municipality")
        page = await client.get(world.group())
        for csrf in ("", "not-the-token"):
            answer = await client.post(world.group() + "/requirement-submit", data={"number": "4", "csrf": csrf})
            assert answer.status_code == 403 and "CSRF" in text(answer.text)
        after = await client.get(world.group())
        assert _requirement(after.text, 4) == _requirement(page.text, 4)
        assert "Åpent" in _requirement(after.text, 4)


def _requirement(html: str, number: int) -> str:
    section = html.split(f'id="krav-{number}"')[1].split("</article>")[0]
    return text(section.split("<div")[0])


async def test_a_refusal_is_shown_beside_its_form_and_nothing_changes(world: World) -> None:
    async with world.client() as client:
        await sign_in(client, world, "teacher")
        page = await client.get(world.group())
        before = _requirement(page.text, 2)
        answer = await client.post(
            world.group() + "/requirement-approve", data={"number": "2", "csrf": csrf_of(page.text)}
        )
        assert answer.status_code == 409
        shown = text(answer.text.split('id="krav-2"')[1].split("</article>")[0])
        assert "Avvist: Arbeidskrav 2 er åpent, ikke levert; det kan ikke godkjennes" in shown
        assert "Avvist" not in text(answer.text.split('id="krav-3"')[1].split("</article>")[0])  # only beside its form
        after = await client.get(world.group())
        assert _requirement(after.text, 2) == before
        log = text(after.text.split('id="logg"')[1])
        assert (
            "turid Godkjenning av arbeidskrav Avvist Arbeidskrav 2 er åpent, ikke levert; det kan ikke godkjennes"
        ) in log


async def test_a_form_that_works_redirects_with_a_message(world: World) -> None:
    async with world.client() as client:
        await sign_in(client, world, "municipality")
        page = await client.get(world.group())
        answer = await client.post(
            world.group() + "/requirement-submit", data={"number": "2", "csrf": csrf_of(page.text)}
        )
        assert answer.status_code == 303 and answer.headers["location"] == world.group() + "#krav-2"
        after = await client.get(answer.headers["location"])
        assert "Arbeidskrav 2 er registrert som levert." in text(after.text)
        assert "Levert, venter på vurdering" in _requirement(after.text, 2)
        assert "Arbeidskrav 2 er registrert som levert." not in text((await client.get(world.group())).text)

        async def logged() -> None:  # the workflow's audit entry reaches the read model through an activity
            log = text((await client.get(world.group())).text.split('id="logg"')[1])
            assert "kommune-5001 Levering av arbeidskrav Utført arbeidskrav 2" in log

        await eventually(logged)


async def test_each_role_sees_only_the_forms_it_may_use_and_the_server_checks_anyway(world: World) -> None:
    async with world.client() as client:
        await sign_in(client, world, "examiner")
        page = await client.get(world.group())
        assert ">Godkjenn</button>" not in page.text and ">Sett karakter</button>" in page.text
        answer = await client.post(
            world.group() + "/requirement-approve", data={"number": "3", "csrf": csrf_of(page.text)}
        )
        assert answer.status_code == 403 and "Rollen sensor har ikke lov til dette" in text(answer.text)
        assert EXAMINERS.search(text(page.text.split('id="sensor"')[1])) and "Tildel sensor" not in page.text
        cohort = await client.get(f"/kull/{world.cohort}")
        assert cohort.status_code == 200 and "Bekreft utvalget" not in cohort.text
        assert f'href="{world.group()}"' in cohort.text and f'href="{world.group(THEIRS)}"' not in cohort.text
    async with world.client() as client:
        await sign_in(client, world, "participant")
        home = await client.get("/", follow_redirects=True)
        assert "<h1>Deltaker 0</h1>" in home.text and "Aktiv" in text(home.text)  # their name, not their workflow ID
        assert world.members[0] not in text(home.text)
        # why not (yet) the exam, in the reader's language, as the workflow's rule gives it
        assert re.search(r"Kan ikke gå opp \((\d av 4 arbeidskrav godkjent|venter på gruppen)\)", text(home.text))
        assert (await client.get(world.group())).status_code == 404
        assert (await client.get(f"/deltaker/{world.members[1]}")).status_code == 404
        assert (await client.get(f"/kull/{world.cohort}")).status_code == 403


async def test_the_admin_assigns_an_examiner_on_the_group_page(world: World) -> None:
    async with world.client() as client:
        await sign_in(client, world, "admin")
        page = await client.get(world.group())
        assert "Tildel sensor" in page.text
        refused = await client.post(
            world.group() + "/assign-examiner", data={"username": "turid", "csrf": csrf_of(page.text)}
        )
        assert refused.status_code == 409 and "Avvist: Ingen sensorkonto 'turid'" in text(refused.text)
        done = await client.post(
            world.group() + "/assign-examiner", data={"username": "sigurd", "csrf": csrf_of(page.text)}
        )
        assert done.status_code == 303
        after = text((await client.get(done.headers["location"])).text)
        assert "sigurd er sensor for gruppen." in after and EXAMINERS.search(after)


async def test_another_municipalitys_group_looks_like_no_group(world: World) -> None:
    async with world.client() as client:
        await sign_in(client, world, "municipality")
        other, none = await client.get(world.group(THEIRS)), await client.get(world.group("9999"))
        assert other.status_code == none.status_code == 404 and text(other.text) == text(none.text)
        page = await client.get(world.group())
        acting = await client.post(
            world.group(THEIRS) + "/requirement-submit", data={"number": "1", "csrf": csrf_of(page.text)}
        )
        assert acting.status_code == 404 and text(acting.text) == text(none.text)
        home = await client.get("/")
        assert "Trondheim" in text(home.text) and THEIRS not in text(home.text) and "Oslo" not in text(home.text)


async def test_the_inbox_lists_what_waits_on_each_role(world: World) -> None:
    async with world.client() as client:
        await sign_in(client, world, "municipality")
        page = await client.get(world.group())
        await client.post(world.group() + "/requirement-submit", data={"number": "3", "csrf": csrf_of(page.text)})

        async def submitted() -> None:  # the inbox reads the group's row, which its projection writes just after
            waiting = text((await client.get("/oppgaver")).text)
            assert f"Lever arbeidskrav 4 Kull {world.cohort}, gruppe Trondheim" in waiting
            assert "Lever arbeidskrav 3" not in waiting and THEIRS not in waiting

        await eventually(submitted)
    async with world.client() as client:
        await sign_in(client, world, "teacher")
        waiting = text((await client.get("/oppgaver")).text)
        assert f"Vurder arbeidskrav 3 Kull {world.cohort}, gruppe Trondheim (5001)" in waiting
        assert "Lever arbeidskrav" not in waiting


async def test_the_inbox_reads_the_read_model_and_queries_no_workflow(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    # at national size a query per group per view was ~360 round trips to a worker (each maybe a replay)
    asked: list[str] = []

    async def no_query(workflow_id: str, query: object) -> None:
        asked.append(workflow_id)
        raise AssertionError(f"the inbox queried {workflow_id}")

    monkeypatch.setattr(world.app.state.web, "_query", no_query)
    async with world.client() as client:
        await sign_in(client, world, "municipality")
        waiting = text((await client.get("/oppgaver")).text)
        assert f"Lever arbeidskrav 4 Kull {world.cohort}, gruppe Trondheim" in waiting and THEIRS not in waiting
    for role in ("admin", "teacher", "examiner"):
        async with world.client() as client:
            await sign_in(client, world, role)
            assert (await client.get("/oppgaver")).status_code == 200
    assert asked == []


async def test_the_cohort_page_shows_stage_seed_counts_and_refuses_an_admin_action_with_its_reason(
    world: World,
) -> None:
    async with world.client() as client:
        await sign_in(client, world, "admin")
        page = await client.get(f"/kull/{world.cohort}")
        words = text(page.text)
        assert "Fase Gjennomføring" in words and "Trekningsfrø web-frø" in words and "Tatt opp 2" in words
        charts = text(page.text.split("<h2>Statistikk</h2>")[1].split("<h2>")[0])
        assert "Søknader per region Trøndelag 1 Østlandet 1" in charts
        assert "Søknader per utfall Tatt opp 2" in charts
        assert "Deltakere per sektor" in charts and "Deltakere per rolle" in charts, charts  # the report's figures
        answer = await client.post(f"/kull/{world.cohort}/confirm-selection", data={"csrf": csrf_of(page.text)})
        assert answer.status_code == 409
        assert "Avvist: Ingen trekning venter på bekreftelse (kullets fase: gjennomføring)" in text(answer.text)


async def test_the_sign_in_form_is_rate_limited_with_a_clear_message(world: World) -> None:
    # an account of its own: the limit holds for an account from every address, and the other tests sign in
    await world.app.state.web.accounts.add(Account(username="laast-side", role=Role.TEACHER), PASSWORD)
    async with world.client(address="10.0.0.42") as client:
        page = await client.get("/logg-inn")
        for _ in range(5):
            page = await client.post(
                "/logg-inn", data={"username": "laast-side", "password": "gjett-igjen", "csrf": csrf_of(page.text)}
            )
            assert page.status_code == 401
        blocked = await client.post(
            "/logg-inn", data={"username": "laast-side", "password": PASSWORD, "csrf": csrf_of(page.text)}
        )
        assert blocked.status_code == 429
        assert "For mange mislykkede innlogginger. Vent ett minutt og prøv igjen." in text(blocked.text)
        assert "nis_session" not in client.cookies


async def test_an_unknown_session_cookie_is_no_session(world: World) -> None:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=world.app),
        base_url="http://testserver",
        cookies={"nis_session": "eyJ1IjoiYWRhIn0.forged.sig"},
    ) as client:
        assert (await client.get("/")).status_code == 303


async def test_the_audit_log_filters_by_cohort_action_and_outcome(world: World) -> None:
    async with world.client() as client:
        await sign_in(client, world, "admin")
        page = await client.get(f"/kull/{world.cohort}")
        await client.post(f"/kull/{world.cohort}/publish", data={"csrf": csrf_of(page.text)})  # refused: not graded
        refused = text((await client.get("/logg", params={"kull": world.cohort, "utfall": "refused"})).text)
        assert (
            f"Kull {world.cohort} ada Publisering av resultatene Avvist "
            "Grupper som ikke har fått karakter ennå: 5001, 0301" in refused
        )
        # the rows after the table's header (the filter's list of actions may name a begrunnelse before it)
        header = "Tidspunkt Hvor Hvem Handling Utfall Begrunnelse"
        assert "Utført" not in refused.split(header, 1)[1]
        published = text((await client.get("/logg", params={"handling": "publish_results"})).text)
        rows = published.split(header, 1)[1]
        assert "Publisering av resultatene" in rows and "arbeidskrav" not in rows
        assert (await client.get("/logg", params={"kull": "ikke gyldig!"})).status_code == 404
    async with world.client() as client:
        await sign_in(client, world, "teacher")
        assert (await client.get("/logg")).status_code == 403


async def test_the_administration_reads_the_letters_a_page_at_a_time_with_filters_and_others_may_not(
    world: World,
) -> None:
    async with world.client() as client:
        await sign_in(client, world, "admin")
        page = text((await client.get(f"/kull/{world.cohort}/brev")).text)
        assert "Tilbud om plass på kull" in page and "Deltaker 0" in page  # the admission letter, its reader by name
        assert "I kø" in page and "(ikke oppgitt)" not in page and "Kontakt" in page
        assert re.search(r"Viser 1–\d+ av \d+ brev, nyeste først \(side 1 av 1\)", page), page
        admitted = text((await client.get(f"/kull/{world.cohort}/brev", params={"type": "admitted"})).text)
        assert "Tilbud om plass på kull" in admitted and "Forrige side" not in admitted
        none = text((await client.get(f"/kull/{world.cohort}/brev", params={"status": "undelivered"})).text)
        assert "Ingen brev med disse filtrene." in none and "Tilbud om plass" not in none
        assert (await client.get(f"/kull/{world.cohort}/brev", params={"status": "borte"})).status_code == 404
    async with world.client() as client:
        await sign_in(client, world, "teacher")
        assert (await client.get(f"/kull/{world.cohort}/brev")).status_code == 403


async def test_the_group_page_has_a_plain_title_and_each_section_once(world: World) -> None:
    async with world.client() as client:
        await sign_in(client, world, "admin")
        html = (await client.get(world.group(OURS))).text
    title = html.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "<" not in title and "Gruppe Trondheim" in title and OURS not in title
    assert html.count('id="sensor"') == 1 and html.count('id="logg"') == 1
    assert re.search(r"Nei \(\d av 4 arbeidskrav godkjent\)", text(html)), text(html)
