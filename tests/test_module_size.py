"""No module over 400 lines (issue 17): a module of a screen or two is one a reader can hold; a longer one is split
by meaning, not cut. Every Python file git tracks counts, tests and benches included."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).parents[1]
LIMIT = 400


def tracked_python_files() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--", "*.py"], cwd=ROOT, capture_output=True, check=True, text=True
    ).stdout
    return [ROOT / name for name in listed.split("\0") if name and (ROOT / name).is_file()]


def too_long(files: list[Path], limit: int = LIMIT) -> list[str]:
    """Each file over the limit, with its length, longest first."""
    lengths = [(len(path.read_text(encoding="utf-8").splitlines()), path) for path in files]
    return [f"{path.relative_to(ROOT)}: {n} lines" for n, path in sorted(lengths, reverse=True) if n > limit]


def test_no_module_is_over_400_lines() -> None:
    files = tracked_python_files()
    assert len(files) > 100  # the listing found the project, not an empty folder
    found = too_long(files)
    assert not found, f"over {LIMIT} lines (split each by meaning):\n" + "\n".join(found)


def test_the_check_names_each_long_file_with_its_length() -> None:
    long, short = ROOT / "tests" / "test_module_size.py", ROOT / "tests" / "__init__.py"
    lines = len(long.read_text(encoding="utf-8").splitlines())
    assert too_long([long, short], limit=10) == [f"tests/test_module_size.py: {lines} lines"]
