"""An application's refusals: the municipalities and participants it names (domain/admission.py)."""

REFUSALS: dict[str, str] = {}
