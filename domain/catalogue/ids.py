"""The identifiers' refusals: a cohort's name, a group's or a participant's ID, or a re-sit's attempt that no
workflow ID can be made from (domain/ids.py, workflows/ids.py)."""

REFUSALS: dict[str, str] = {
    "ids.bad_cohort": "Kull: '{cohort}' må være 1–32 bokstaver, sifre, '-' eller '_'",
    "ids.bad_application": (
        "Søknad: '{application_id}' er ikke en søknads-ID (kommunenumre med '+' mellom, f.eks. 1833+1832)"
    ),
    "ids.bad_group": "Gruppe: '{workflow_id}' er ikke en gruppe-ID (kull-K.gruppe-ID, f.eks. kull-2022.gruppe-1804)",
    "ids.bad_participant": (
        "Deltaker: '{participant}' er ikke en deltaker-ID (kull-K.gruppe-ID.deltaker-N, slik `show group` viser dem)"
    ),
    "ids.bad_appeal": (
        "Klage: '{appeal}' er ikke en klage-ID (deltaker-ID.klage, f.eks. kull-2022.gruppe-1804.deltaker-1.klage)"
    ),
    "ids.bad_resit": (
        "Ny eksamen: '{resit}' er ikke en ID for ny eksamen (deltaker-ID.ny-eksamen-N, f.eks. "
        "kull-2022.gruppe-1804.deltaker-1.ny-eksamen-2)"
    ),
    "ids.resit_attempt": "Forsøk: ny eksamen er forsøk 2 eller senere, ikke {attempt}",
}
