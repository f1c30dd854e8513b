"""The fingerprint of the workflow code the recorded histories were made by: the `workflows` package and the modules
of the rules (`domain`) and of the activities' messages (`activities.models`) it imports, read as Python without
comments and docstrings, hashed. A change to a comment or a docstring keeps it; a change to code that runs inside a
workflow changes it. The activities' own code runs outside the workflow (its result is in the history), and the
catalogue's Norwegian words (`domain.catalogue`) change what a person reads, never which commands a workflow gives, so
neither is part of it.

`tests/histories/MANIFEST.json` holds the fingerprint of the recording and, for each later change guarded with
`workflow.patched(...)`, the patch's ID with the fingerprint after it; tests/test_versioning.py compares.
`python -m tests.histories.fingerprint` prints today's."""

from __future__ import annotations

import ast
import hashlib
import json
from pathlib import Path
from typing import Any

import grimp

ROOT = Path(__file__).parents[2]
MANIFEST = Path(__file__).parent / "MANIFEST.json"
PROJECT_PACKAGES = ("domain", "workflows", "activities", "store", "runtime", "gateway")


def runs_in_a_workflow(module: str) -> bool:
    top = module.split(".")[0]
    catalogue = module == "domain.catalogue" or module.startswith("domain.catalogue.")
    return (top in ("workflows", "domain") and not catalogue) or module == "activities.models"


def workflow_modules() -> list[str]:
    """The workflows package and the rules and messages it imports, directly or not."""
    # no cache: a cache left from an older tree missed a new module and gave another fingerprint than a fresh clone
    graph = grimp.build_graph(*PROJECT_PACKAGES, include_external_packages=False, cache_dir=None)
    inside = {m for m in graph.modules if m == "workflows" or m.startswith("workflows.")}
    upstream = set().union(*(graph.find_upstream_modules(m) for m in inside))
    return sorted(m for m in inside | upstream if runs_in_a_workflow(m))


def code_only(source: str) -> str:
    """The module as Python code: comments, docstrings and formatting gone."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (
            isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            node.body = body[1:] or [ast.Pass()]
    return ast.unparse(tree)


def source_path(module: str) -> Path:
    path = ROOT.joinpath(*module.split("."))
    return path / "__init__.py" if path.is_dir() else path.with_suffix(".py")


def fingerprint(modules: list[str] | None = None) -> str:
    digest = hashlib.sha256()
    for module in modules if modules is not None else workflow_modules():
        digest.update(f"{module}\n{code_only(source_path(module).read_text(encoding='utf-8'))}\n".encode())
    return digest.hexdigest()[:16]


def load_manifest() -> dict[str, Any]:
    manifest: dict[str, Any] = json.loads(MANIFEST.read_text(encoding="utf-8"))
    return manifest


def write_recorded(note: str) -> None:
    """After a recording: the histories are of today's code; earlier patches are part of it now."""
    manifest = {"recorded": {"fingerprint": fingerprint(), "note": note}, "patched": []}
    MANIFEST.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    print(fingerprint())
