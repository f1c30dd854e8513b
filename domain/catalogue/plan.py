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
}
