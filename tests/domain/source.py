"""The project's source parsed for the tests that read it."""

from __future__ import annotations

import ast
from pathlib import Path


def parse(path: Path) -> ast.Module:
    """`ast.parse`, tried again on CPython 3.11's spurious "AST constructor recursion depth mismatch" (gh-106905: the
    depth is shared by every thread, and a test's server or worker thread may still be building an AST)."""
    for _ in range(3):
        try:
            return ast.parse(path.read_text(encoding="utf-8"))
        except SystemError as error:
            if "recursion depth mismatch" not in str(error):
                raise
            last = error
    raise last
