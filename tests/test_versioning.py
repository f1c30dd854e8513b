"""Versioning practice, checked: workflow code changed since the histories in tests/histories were recorded must
either be re-recorded (the manifest's fingerprint is today's, and the README's changelog of the histories says why)
or be guarded with `workflow.patched(...)` (the manifest lists the patch with the fingerprint after it, and the
workflow code calls it). tests/test_replay.py then proves the recorded histories replay on today's code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.histories.fingerprint import ROOT, code_only, fingerprint, load_manifest, workflow_modules

README = ROOT / "README.md"
PATCH_CALL = re.compile(r"workflow\.(?:patched|deprecate_patch)\(\s*['\"]([^'\"]+)['\"]")
HOW = (
    "re-record the histories (`python -m tests.histories.record`, then `python -m tests.histories.record_end_of_year "
    "appeal` and `... resit`) and say why in the README's changelog of the histories, or guard the change with "
    "`workflow.patched(ID)` and list ID with today's fingerprint under `patched` in tests/histories/MANIFEST.json"
)


def patch_ids_called() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "workflows").rglob("*.py"):
        found |= set(PATCH_CALL.findall(path.read_text(encoding="utf-8")))
    return found


def test_workflow_code_is_the_recorded_one_or_each_change_since_is_patched() -> None:
    manifest = load_manifest()
    today = fingerprint()
    recorded = manifest["recorded"]["fingerprint"]
    patched = {entry["patch"]: entry["fingerprint"] for entry in manifest["patched"]}
    if today != recorded:
        assert today in patched.values(), (
            f"workflow code changed since the histories were recorded (fingerprint {recorded}, today {today}): {HOW}"
        )
    missing = sorted(set(patched) - patch_ids_called())
    assert not missing, f"the manifest lists patches no workflow calls with workflow.patched: {missing}"
    assert f"`{recorded}`" in README.read_text(encoding="utf-8"), (
        f"the README's changelog of the histories does not say why they were recorded at {recorded}"
    )


def test_the_fingerprint_covers_the_workflows_and_the_rules_they_run_not_the_activities() -> None:
    modules = workflow_modules()
    assert {"workflows.group", "workflows.cohort", "domain.grading", "activities.models"} <= set(modules)
    assert not [m for m in modules if m.startswith(("store", "gateway", "web", "domain.catalogue"))]
    assert "activities.effects" not in modules


def test_a_comment_or_docstring_keeps_the_fingerprint_and_a_code_change_does_not(tmp_path: Path) -> None:
    before = 'def due(x):\n    """When."""\n    return x + 1\n'
    commented = 'def due(x):  # the deadline\n    """When it is due."""\n\n    return x + 1\n'
    changed = 'def due(x):\n    """When."""\n    return x + 2\n'
    assert code_only(before) == code_only(commented) != code_only(changed)


@pytest.mark.parametrize("call", ['workflow.patched("move-oral")', "workflow.deprecate_patch('move-oral')"])
def test_a_patch_is_found_in_workflow_code(call: str) -> None:
    assert PATCH_CALL.findall(f"if {call}:") == ["move-oral"]
