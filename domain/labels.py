"""The Norwegian words for the codes of the rules and the workflows (stages, outcomes, tracks, sectors, sizes,
requirement states, roles and actions): one table for the web app's pages and the reports the gateway writes."""

from __future__ import annotations

LABELS: dict[str, str] = {
    # cohort stages
    "intake": "Søknadsfase",
    "selection_drawn": "Utvalg trukket",
    "running": "Gjennomføring",
    "closed": "Avsluttet",
    # outcomes and group stages
    "applied": "Søkt",
    "admitted": "Tatt opp",
    "waitlist": "Venteliste",
    "moved_up": "Rykket opp fra venteliste",
    "gave_up": "Ga fra seg plassen",
    "not_selected": "Ikke valgt",
    "refused": "Avvist",
    "programme": "Samlinger og arbeidskrav",
    "written": "Skriftlig oppgave",
    "grading": "Sensur",
    "graded": "Karakter satt, venter på publisering",
    "no_exam": "Uten eksamen, venter på publisering",
    "withdrawn": "Trukket",
    "published": "Publisert",
    # work requirements
    "open": "Åpent",
    "submitted": "Levert, venter på vurdering",
    "approved": "Godkjent",
    "returned": "Ikke godkjent, ny innlevering",
    "missed": "Ikke levert, ny frist",
    "failed": "Ikke bestått",
    # tracks and roles
    "student": "Student (studiepoeng)",
    "course": "Kursdeltaker",
    "assessment": "Venter på individuell vurdering",
    "admin": "Studieadministrasjon",
    "teacher": "Faglærer",
    "examiner": "Sensor",
    "municipality": "Kommune",
    "participant": "Deltaker",
    # actions, as the audit trail names them
    "submit_requirement": "Levering av arbeidskrav",
    "approve_requirement": "Godkjenning av arbeidskrav",
    "return_requirement": "Retur av arbeidskrav",
    "grant_extension": "Ny frist for arbeidskrav",
    "register_attendance": "Registrering av oppmøte",
    "mark_non_participating": "Ikke deltakende i gruppearbeidet",
    "replace_participant": "Erstatning av deltaker",
    "submit_written": "Levering av skriftlig oppgave",
    "register_written_grade": "Karakter på skriftlig oppgave",
    "register_oral": "Muntlige justeringer",
    "decide_assessment": "Individuell vurdering",
    "withdraw_participant": "Trekking av deltaker",
    "withdraw": "Trekking av deltaker",
    "confirm_selection": "Bekreftelse av utvalget",
    "publish_results": "Publisering av resultatene",
    "withdraw_group": "Gruppen gir fra seg plassen",
    "apply": "Søknad",
    "publish_group": "Publisering av gruppens resultater",
    "register_appeal": "Registrering av klage",
    "assign_examiners": "Oppnevning av klagesensorer",
    "register_new_written_grade": "Ny karakter på skriftlig oppgave etter klage",
    "register_new_oral_adjustment": "Ny muntlig justering etter klage",
    "register_resit": "Registrering av ny eksamen",
    "register_resit_written_grade": "Karakter på skriftlig oppgave, ny eksamen",
    "register_resit_oral_adjustment": "Muntlig justering, ny eksamen",
    "accepted": "Utført",
    # what the cohort waits for
    "confirm the selection": "Bekreft utvalget",
    "publish the results": "Publiser resultatene",
    # sectors
    "helse_omsorg": "Helse og omsorg",
    "oppvekst_utdanning": "Oppvekst og utdanning",
    "teknisk_miljo": "Teknisk og miljø",
    "kultur_fritid": "Kultur og fritid",
    "administrasjon_stab": "Administrasjon og stab",
    "naering_samfunn": "Næring og samfunn",
    "politisk": "Politisk",
    # sizes (regions are Norwegian already)
    "small": "Liten",
    "medium": "Mellomstor",
    "large": "Stor",
    # the innovation project's partners
    "business": "Næringsliv",
    "ngo": "Frivillig organisasjon",
    "research": "Forskning",
    "citizens": "Innbyggere",
    "public_body": "Annen offentlig virksomhet",
    "other": "Annet",
    "record_project": "Innovasjonsprosjektet",
    "report_project": "Drivere og barrierer",
    # what a participant ends the year with
    "transcript": "Karakterutskrift",
    "course_certificate": "Kursbevis",
    "none": "Verken karakter eller kursbevis",
}


def label(code: object) -> str:
    """The Norwegian word for a code; an unknown code shows as itself rather than as a blank."""
    text = str(getattr(code, "value", code))
    return LABELS.get(text, text)
