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
