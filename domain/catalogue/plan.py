"""The cohort plan's refusals: what a plan handed in as a file breaks (domain/plan.py). `field` is where in the
file, as the file names it (`gatherings.0.days`), so each problem can be shown beside its field."""

REFUSALS: dict[str, str] = {
    "plan.gathering_count": "{field:label}: planen skal ha {expected} samlinger, denne har {actual}",
    "plan.gathering_days": "{field:label}: en samling varer {low}–{high} dager, ikke {days}",
    "plan.gathering_ends_first": "{field:label}: samlingen slutter før den starter",
    "plan.total_days": "{field:label}: {expected} samlingsdager i alt, denne planen har {actual}",
    "plan.requirement_count": "{field:label}: planen skal ha {expected} arbeidskrav, denne har {actual}",
    "plan.places": "{field:label}: minst 1 plass, ikke {places}",
    "plan.negative_step_limit": "{field:label}: kan ikke være negativ ({limit})",
    "plan.exam_attempts": "{field:label}: minst ett forsøk (ordinær eksamen), ikke {attempts}",
    "plan.reminder_not_positive": "{field:label}: hver påminnelse må være en positiv tid før hendelsen",
    "plan.requirement_before_first_gathering": "{field:label}: må komme etter at første samling starter",
    "plan.not_after": "{field:label}: må komme etter {before:label}",
    "plan.gatherings_overlap": "{field:label}: overlapper samling {gathering}",
    "plan.written_before_last_gathering": "{field:label}: må komme etter at siste samling starter",
    "plan.appeal_window_short": "{field:label}: klagefristen er minst {days} dager, ikke {actual}",
    "plan.resit_one_end": "{field:label}: oppgi begge endene av perioden for ny eksamen, eller ingen",
    "plan.percent": "{field:label}: et tall fra 0 til 100, eller tomt",
}

# the plan's fields by name, as the plan form (domain/plan_form.py) labels them and says them in a problem; a
# gathering's and a work requirement's by their number (`gatherings.2.start` is "Samling 3, start")
FIELDS: dict[str, str] = {
    "cohort": "Kullets navn",
    "places": "Antall plasser",
    "application_deadline": "Søknadsfrist",
    "selection_date": "Trekning av utvalget",
    "gatherings": "Samlingene",
    "gathering": "Samling {number}",
    "gathering.theme": "Samling {number}, tema",
    "gathering.start": "Samling {number}, start",
    "gathering.end": "Samling {number}, slutt",
    "gathering.days": "Samling {number}, dager",
    "work_requirements": "Arbeidskravene",
    "work_requirement": "Arbeidskrav {number}",
    "work_requirement.title": "Arbeidskrav {number}, tittel",
    "work_requirement.deadline": "Arbeidskrav {number}, frist",
    "written_deadline": "Frist for skriftlig oppgave",
    "oral_start": "Muntlig eksamen, periodens start",
    "oral_end": "Muntlig eksamen, periodens slutt",
    "oral_step_limit": "Muntlig justering, høyst antall trinn",
    "exam_attempts": "Eksamensforsøk i alt",
    "grading_seconds": "Sensurfrist (dager)",
    "resubmission_seconds": "Frist for ny innlevering (dager)",
    "reminder_seconds_before": "Påminnelser før en frist (dager før, med komma mellom)",
    "attendance_threshold": "Krav til oppmøte (prosent)",
    "approval_reminder_seconds": "Påminnelse om godkjenning (dager)",
    "appeal_seconds": "Klagefrist (dager)",
    "oral_notice_seconds": "Brev om tid og sted for muntlig eksamen (dager før)",
    "resit_start": "Ny eksamen, periodens start",
    "resit_end": "Ny eksamen, periodens slutt",
}
