"""The cohort's refusals: applications, the selection, giving up a place, releasing results
(workflows/cohort.py, domain/selection.py)."""

REFUSALS: dict[str, str] = {
    # applying (the application's own problems are its own: domain/admission.py)
    "cohort.wrong_cohort": "Søknaden gjelder kull {application_cohort}, men dette er kull {cohort}",
    "cohort.application_deadline_passed": "Søknadsfristen {deadline:time} er passert",
    "cohort.unknown_application": "Kull {cohort} har ingen søknad {application}",
    # the selection and giving up a place
    "cohort.no_selection_to_confirm": "Ingen trekning venter på bekreftelse (kullets fase: {stage:label})",
    "cohort.withdraw_not_running": (
        "En gruppe kan gi fra seg plassen fra utvalget er bekreftet til resultatene er publisert "
        "(kullets fase: {stage:label})"
    ),
    "cohort.no_place_to_give_up": "Søknad {application} har ingen plass å gi fra seg (utfall: {outcome:label})",
    # releasing results, for the whole cohort or one group at a time
    "cohort.publish_not_running": (
        "Resultatene kan publiseres bare én gang, mens kullet pågår (kullets fase: {stage:label})"
    ),
    "cohort.groups_not_graded": "Grupper som ikke har fått karakter ennå: {groups}",
    "cohort.release_not_running": (
        "En gruppes resultater kan bare publiseres mens kullet pågår (kullets fase: {stage:label})"
    ),
    "cohort.not_in_programme": "Søknad {application} er ikke med i studiet (utfall: {outcome:label})",
    "cohort.group_already_released": "Resultatene for gruppe {group} er allerede publisert",
    "cohort.group_not_graded": "Gruppe {group} har ikke fått karakter ennå",
}
