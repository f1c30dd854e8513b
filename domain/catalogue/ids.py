"""The identifiers' refusals: a cohort's name or a re-sit's attempt that no workflow ID can be made from
(workflows/ids.py)."""

REFUSALS: dict[str, str] = {
    "ids.bad_cohort": "Kull: '{cohort}' må være 1–32 bokstaver, sifre, '-' eller '_'",
    "ids.resit_attempt": "Forsøk: ny eksamen er forsøk 2 eller senere, ikke {attempt}",
}
