"""Input that breaks its model's rules (pydantic validation: a missing field, a number out of range, a text too
long, an identifier that is not one), for forms, files and the API (domain/errors.py, domain/text.py,
domain/models.py)."""

REFUSALS: dict[str, str] = {}
