"""The demo hands three of its applications in as their municipality contacts would, through the web app's HTTP API
(register, the link from the outbox, a password, a bearer token, the application file), and counts them."""

from __future__ import annotations

import subprocess
from typing import Any

import pytest

from tests.demo.helpers import DEMO_SECONDS


@pytest.mark.timeout(DEMO_SECONDS + 100)  # the first test of the package to ask runs the demo
def test_three_applications_came_through_the_web(
    report: dict[str, Any], first_run: subprocess.CompletedProcess[str]
) -> None:
    assert report["applications_via_web"] == 3
    said = [line for line in first_run.stdout.splitlines() if "applied on the web as its contact" in line]
    assert len(said) == 3, first_run.stdout[:3000]
    on_the_web = {line.split()[0] for line in said}
    outcomes = {a["id"]: a["outcome"] for a in report["applications"]}
    assert all(outcomes[application] != "refused" for application in on_the_web)
    assert "not applied on the web" not in first_run.stdout


def test_one_offer_is_declined_and_one_accepted_on_the_web_by_the_contacts_who_applied(
    report: dict[str, Any], first_run: subprocess.CompletedProcess[str]
) -> None:
    """3405 gives up its place (the administration, at the office); 3909, first on the waiting list, moves up and
    its contact says "Takk nei" on the web; 4204 moves up and its contact says "Takk ja" on the web. Every other
    offer the administration accepts as the municipality told it."""
    offers = report["offers"]
    on_the_web = [offer for offer in offers if offer["by"] == "web"]
    assert on_the_web == [
        {"application": "3909", "answer": "decline", "by": "web"},
        {"application": "4204", "answer": "accept", "by": "web"},
    ]
    outcomes = {a["id"]: a["outcome"] for a in report["applications"]}
    in_programme = {a for a, o in outcomes.items() if o in ("admitted", "moved_up")}
    assert {offer["application"] for offer in offers if offer["answer"] == "accept"} == in_programme
    assert len(offers) == len(in_programme) + 1  # each answered once: 3405 gave its place up unanswered
    assert "offers answered on the web: 2;" in first_run.stdout
