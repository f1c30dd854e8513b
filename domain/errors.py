"""Plain-words rendering of pydantic validation errors: the field, then the rule broken."""

from __future__ import annotations

from pydantic import ValidationError


def describe(error: ValidationError) -> list[str]:
    messages = []
    for item in error.errors():
        where = ".".join(str(part) for part in item["loc"]) or "file"
        text = item["msg"].removeprefix("Value error, ")
        if item["type"] == "missing":
            text = "is required"
        elif item["type"] == "extra_forbidden":
            text = "is not a known field"
        messages.append(f"{where}: {text}")
    return messages
