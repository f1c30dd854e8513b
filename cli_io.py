"""What every command of starter.py shares: reading a JSON file, printing JSON, the one-line input error."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


class CliError(Exception):
    """Bad input to the command line: one line to the user, exit code 2."""


def read_json(path: str) -> Any:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise CliError(f"cannot read {path}: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise CliError(f"cannot read {path}: not UTF-8 text") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise CliError(f"{path} is not valid JSON: {error.msg} at line {error.lineno} column {error.colno}") from None


def emit(payload: Any) -> None:
    print(json.dumps(payload, ensure_ascii=False, indent=2))
