"""What every command of starter.py shares: reading a JSON file, printing JSON, the one-line input error."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

MAX_FILE_BYTES = 1024 * 1024  # an application or a plan is a few kilobytes
MAX_DEPTH = 20  # an application nests 3 levels deep, a plan 3; deeper is not one of ours
_STRINGS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_BRACKETS = re.compile(r"[\[\]{}]")


class CliError(Exception):
    """Bad input to the command line: one line to the user, exit code 2."""


def read_json(path: str) -> Any:
    """The parsed file; a file too large, nested too deep, unreadable or not JSON is a CliError."""
    text = _read_text(path)
    depth = nesting_depth(text)
    if depth > MAX_DEPTH:
        raise CliError(f"{path} har lister og objekter {depth} nivåer dypt; høyst {MAX_DEPTH} godtas")
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        where = f"linje {error.lineno}, kolonne {error.colno}"
        raise CliError(f"{path} er ikke gyldig JSON: {error.msg} på {where}") from None


def _read_text(path: str) -> str:
    try:
        with Path(path).open("rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)  # never more: a pipe or /dev/zero has no size to ask first
    except OSError as error:
        raise CliError(f"kan ikke lese {path}: {error.strerror or error}") from None
    if len(data) > MAX_FILE_BYTES:
        raise CliError(f"{path} er større enn {MAX_FILE_BYTES // 1024} KB; en søknad eller en plan er noen få KB")
    try:
        return data.decode("utf-8-sig")  # a byte-order mark from a Windows editor is not an error
    except UnicodeDecodeError:
        raise CliError(f"kan ikke lese {path}: ikke UTF-8-tekst") from None


def nesting_depth(text: str) -> int:
    """How deep arrays and objects nest, brackets inside strings not counted; the parser recurses that deep."""
    depth = deepest = 0
    for bracket in _BRACKETS.findall(_STRINGS.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def emit(payload: Any) -> None:
    print(json.dumps(payload, ensure_ascii=False, indent=2))
