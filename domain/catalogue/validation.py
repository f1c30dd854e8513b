"""Input that breaks its model's rules (pydantic validation: a missing field, a number out of range, a text too
long, an identifier that is not one), for forms, files and the API (domain/errors.py, domain/text.py,
domain/models.py). `field` is where in the input, as the input names it (`gatherings.0.days`)."""

_CHARACTER = "{field:label}: tegn {position} er {what}, {character}, som ikke er tillatt"

REFUSALS: dict[str, str] = {
    # pydantic's own rules (domain/errors.py)
    "validation.missing": "{field:label}: må fylles ut",
    "validation.extra_forbidden": "{field:label}: er ikke et kjent felt",
    "validation.string_too_short": "{field:label}: minst {min_length} tegn",
    "validation.string_too_long": "{field:label}: høyst {max_length} tegn",
    "validation.pattern_mismatch": "{field:label}: har ikke riktig form ({pattern})",
    "validation.not_text": "{field:label}: må være tekst",
    "validation.too_short": "{field:label}: minst {min_length} i listen, her {actual_length}",
    "validation.too_long": "{field:label}: høyst {max_length} i listen, her {actual_length}",
    "validation.not_list": "{field:label}: må være en liste",
    "validation.greater_than": "{field:label}: må være større enn {gt}",
    "validation.greater_than_equal": "{field:label}: må være minst {ge}",
    "validation.less_than": "{field:label}: må være mindre enn {lt}",
    "validation.less_than_equal": "{field:label}: kan være høyst {le}",
    "validation.not_integer": "{field:label}: må være et helt tall",
    "validation.not_number": "{field:label}: må være et tall",
    "validation.not_boolean": "{field:label}: må være true eller false",
    "validation.not_time": "{field:label}: må være et tidspunkt, f.eks. 2026-08-20T09:00:00+02:00",
    "validation.timezone_aware": "{field:label}: tidspunktet må ha tidssone, f.eks. +02:00",
    "validation.not_choice": "{field:label}: må være én av {expected}",
    "validation.not_object": "{field:label}: må være et objekt med felter",
    "validation.rule": "{field:label}: {rule}",  # a rule of pydantic's this table does not know yet, in its English
    # a list that names one thing twice (domain/project.py, workflows/messages.py), an oral's own rule
    "validation.named_twice": "{field:label}: {names} er oppgitt to ganger",
    "validation.absent_adjusted": "{field:label}: en student med gyldig fravær har ingen muntlig justering",
    # bounded text and identifiers (domain/text.py, domain/models.py)
    "validation.empty": "{field:label}: kan ikke være tomt",
    "validation.text_too_long": "{field:label}: høyst {max_length} tegn, her {length}",
    "validation.control_character": _CHARACTER.replace("{what}", "et kontrolltegn"),
    "validation.invisible_character": _CHARACTER.replace("{what}", "et usynlig formateringstegn"),
    "validation.separator_character": _CHARACTER.replace("{what}", "et linje- eller avsnittsskille"),
    "validation.surrogate_character": _CHARACTER.replace("{what}", "et enslig surrogat"),
    "validation.not_workflow_id": (
        "{field:label}: '{value}' er ikke en saks-ID (bokstaver, sifre og . _ + -), f.eks. "
        "kull-2022.gruppe-1833.deltaker-1"
    ),
    "validation.not_application_id": (
        "{field:label}: '{value}' er ikke en søknads-ID (kommunenumre med '+' mellom, f.eks. 1833+1832)"
    ),
    "validation.not_cohort_name": "{field:label}: '{value}' er ikke et kullnavn (1–32 bokstaver, sifre, '-' eller '_')",
    "validation.not_sha256": "{field:label}: '{value}' er ikke en SHA-256 (64 heksadesimale sifre med små bokstaver)",
    "validation.not_email": "{field:label}: '{value}' er ikke en e-postadresse",
    "validation.not_kommunenummer": (
        "{field:label}: '{value}' er ikke et kommunenummer (4 sifre, med null først der det hører til)"
    ),
}
