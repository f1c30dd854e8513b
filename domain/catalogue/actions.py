"""What an action in the audit trail was about: the words for each of its parameters. The workflows record an
accepted action as its code (the labels name it: `approve_requirement` is "Godkjenning av arbeidskrav") and its
parameters (`requirement=3`); the log on the pages says the parameters with these templates, in the order the action
gave them, joined by commas. `{value}` is the parameter's value; `:label` and `:time` as in the refusals. A value
of None is left out; a parameter without an entry here is shown as its value only."""

PARAMS: dict[str, str] = {
    "requirement": "arbeidskrav {value}",
    "document": "med dokument",  # the value is the document's SHA-256, kept for the record, not shown
    "feedback": "{value}",
    "deadline": "ny frist {value:time}",
    "gathering": "samling {value}",
    "day": "dag {value}",
    "present": "{value} til stede",
    "present_day_1": "dag 1: {value} til stede",  # a gathering's attendance, day by day
    "present_day_2": "dag 2: {value} til stede",
    "present_day_3": "dag 3: {value} til stede",
    "participant": "{value}",
    "replacement": "erstattet av {value}",
    "grade": "karakter {value}",
    "track": "{value:label}",
    "reason": "{value}",
    "application": "{value}",
    "outcome": "{value:label}",
    "moved_up": "{value} rykket opp fra ventelisten",
    "answer": "{value:label}",  # an offer's answer: takk ja, takk nei
    "seed": "trekningsfrø {value}",
    "moved": "flyttet: {value}",  # the dates an amendment of the plan moved (amend_plan)
    "groups": "{value} grupper",
    "partners": "{value} partnere",
    "adjustments": "{value}",
    "absent": "gyldig fravær: {value}",
    # the end of the year's (workflows/appeal.py, resit.py, when they record parameters)
    "examiners": "sensorer: {value}",
    "received": "mottatt {value:date}",
    "adjustment": "muntlig justering {value}",
    "attempt": "forsøk {value}",
    "period": "{value}",
    "meeting": "møte {value}",  # a supervision meeting's date (record_supervision)
    # the oral's time and place (schedule_oral)
    "start": "{value:time}",
    "place": "{value}",
}
