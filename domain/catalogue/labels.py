"""The catalogue's labels: the Norwegian words for the codes of the rules and the workflows (stages, outcomes,
tracks, sectors, sizes, requirement states, roles and actions), and the one place that says a moment in time as
Oslo's clock shows it. The web app's pages (as Jinja filters), the command line and the reports the gateway writes
all say them from here."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

OSLO = ZoneInfo("Europe/Oslo")

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
    # an appeal's and a re-sit's stages (workflows/end_of_year)
    "awaiting_examiners": "Venter på nye sensorer",
    "awaiting_written": "Venter på ny skriftlig karakter",
    "awaiting_oral": "Venter på muntlig justering",
    "awaiting_commission": "Venter på karakterene fra klagekommisjonen",
    "awaiting_decision": "Venter på kommisjonens karakter",
    "further_assessment": "Videre vurdering",
    "decided": "Avgjort",
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
    "record_supervision": "Veiledningsmøte",
    "mark_non_participating": "Ikke deltakende i gruppearbeidet",
    "replace_participant": "Erstatning av deltaker",
    "submit_written": "Levering av skriftlig oppgave",
    "register_written_grade": "Karakter på skriftlig oppgave",
    "schedule_oral": "Tid og sted for muntlig eksamen",
    "register_oral": "Muntlige justeringer",
    "decide_assessment": "Individuell vurdering",
    "withdraw_participant": "Trekking av deltaker",
    "withdraw": "Trekking av deltaker",
    "confirm_selection": "Bekreftelse av utvalget",
    "publish_results": "Publisering av resultatene",
    "withdraw_group": "Gruppen gir fra seg plassen",
    "answer_offer": "Svar på tilbud om plass",
    "give_up_place": "Kommunen gir fra seg plassen",
    "offer_expired": "Tilbudet ble ikke besvart innen svarfristen",
    # an answer to an offer of a place (domain/offers.py)
    "accept": "Takk ja",
    "decline": "Takk nei",
    "apply": "Søknad",
    "publish_group": "Publisering av gruppens resultater",
    "amend_plan": "Endring av kullplanen",
    "register_appeal": "Registrering av klage",
    "withdraw_appeal": "Tilbaketrekking av klage",
    "request_explanation": "Krav om begrunnelse for karakter",
    "give_explanation": "Begrunnelse for karakter gitt",
    "assign_examiners": "Oppnevning av klagesensorer",
    "register_new_written_grade": "Klagekommisjonens karakter på skriftlig oppgave",
    "register_new_oral_adjustment": "Ny muntlig justering etter klage",
    "schedule_new_oral": "Tid og sted for ny muntlig eksamen etter klage",
    "register_commission_grade": "Karakter fra en sensor i klagekommisjonen",
    "register_resit": "Registrering av ny eksamen",
    "register_resit_written_grade": "Karakter på skriftlig oppgave, ny eksamen",
    "register_resit_oral_adjustment": "Muntlig justering, ny eksamen",
    "accepted": "Utført",
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
    # the kinds of letter (workflows/notices.py), where the outcomes above do not name them already
    "application_received": "Søknad mottatt",
    "registration_link": "Bekreft registrering",
    "application_incomplete": "Søknaden er ufullstendig",
    "waitlisted": "Venteliste",
    "place_given_up": "Plassen gitt fra seg",
    "offer_accepted": "Tilbudet om plass er takket ja til",
    "gathering_ahead": "Samling nærmer seg",
    "requirement_deadline_ahead": "Frist for arbeidskrav nærmer seg",
    "requirement_deadline_passed": "Frist for arbeidskrav passert",
    "requirement_returned": "Arbeidskrav ikke godkjent",
    "requirement_approved": "Arbeidskrav godkjent",
    "requirement_failed": "Arbeidskrav ikke bestått",
    "written_deadline_ahead": "Frist for skriftlig oppgave nærmer seg",
    "written_deadline_missed": "Skriftlig oppgave ikke levert",
    "oral_exam_time": "Tid for muntlig eksamen",
    "oral_scheduled": "Tid og sted for muntlig eksamen",
    "result_published": "Resultat publisert",
    "no_result": "Uten resultat",
    "certificate_issued": "Kursbevis utstedt",
    "approval_waiting": "Venter på godkjenning",
    "appeal_decided": "Klage avgjort",
    "appeal_withdrawn": "Klage trukket tilbake",
    "appeal_commission": "Klagekommisjon oppnevnt",
    "appeal_further_assessment": "Klagen vurderes videre",
    "appeal_oral_scheduled": "Tid og sted for ny muntlig eksamen",
    "resit_registered": "Ny eksamen registrert",
    "resit_decided": "Ny eksamen avgjort",
    "plan_amended": "Kullplanen endret",
    # the fields of a form or a message, as a refusal names them
    "partners": "Partnere",
    "title": "Tittel",
    "problem": "Problemstilling",
    "drivers": "Drivere",
    "barriers": "Barrierer",
    "document": "Dokument",
    "feedback": "Tilbakemelding",
    "reason": "Begrunnelse",
    "track": "Spor",
    "deadline": "Frist",
    "present": "Til stede",
    "adjustments": "Muntlige justeringer",
    "actor": "Utført av",
    "number": "Nummer",
    "gathering": "Samling",
    "day": "Dag",
    "days": "Dager",
    "grade": "Karakter",
    "participant_workflow_id": "Deltaker",
    # what a participant ends the year with
    "transcript": "Karakterutskrift",
    "course_certificate": "Kursbevis",
    "none": "Verken karakter eller kursbevis",
}


def label(code: object) -> str:
    """The Norwegian word for a code; an unknown code shows as itself rather than as a blank."""
    text = str(getattr(code, "value", code))
    return LABELS.get(text, text)


def when(moment: datetime | None) -> str:
    """A moment as Oslo's clock shows it (04.12.2026 kl. 13:29); none is a dash."""
    if moment is None:
        return "–"
    try:
        moment = moment.astimezone(OSLO)
    except OverflowError:  # the last moment of year 9999 has no later hour in Oslo
        pass
    return moment.strftime("%d.%m.%Y kl. %H:%M")


def day(moment: datetime) -> str:
    """The date of a moment in Oslo (04.12.2026)."""
    return moment.astimezone(OSLO).strftime("%d.%m.%Y")
