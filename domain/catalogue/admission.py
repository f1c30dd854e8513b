"""An application's refusals: the municipalities and participants it names (domain/admission.py). The refusal
letter ("application incomplete") lists them in these words, and the cohort page shows them beside the application.
A municipality is named by its name and kommunenummer, an application by its municipalities' names."""

REFUSALS: dict[str, str] = {
    # the municipalities
    "application.municipality_twice": "{name} ({number}) står mer enn én gang i søknaden.",
    "application.unknown_municipality": "Kommunenummer {number} finnes ikke i kommuneregisteret (ukjent eller utgått).",
    "application.already_applied": (
        "{name} ({number}) har allerede søkt om plass på dette kullet, i søknaden fra {names}."
    ),
    # the participants
    "application.participant_count": "Søknaden har {count} deltakere. En søknad skal ha {min} til {max} deltakere.",
    "application.one_participant": "Søknaden har 1 deltaker. En søknad skal ha {min} til {max} deltakere.",
    "application.one_sector": "Alle deltakerne kommer fra samme sektor. De må komme fra minst {min} ulike sektorer.",
    "application.no_sector": "Søknaden har ingen deltakere med sektor. De må komme fra minst {min} ulike sektorer.",
    "application.participant_twice": (
        "Deltaker {position} står allerede i søknaden. Hver person kan bare være med én gang."
    ),
}
