"""What waits for the administration, said in Norwegian: the cohort's, a group's and an appeal's or re-sit's next
step (workflows/cohort_views.py, workflows/group_facts.py, workflows/end_of_year/). The workflows' views give a code
with its parameters (workflows.messages.Pending); the command line and the pages say it from here.

OLD_TEXTS is for old results only: before these were codes, a group's result (GroupResult, which its cohort reads back
on replay) and an appeal's or re-sit's held them as English sentences; such a sentence is mapped to its code once,
when it is read.
"""

from __future__ import annotations

import re

PENDING: dict[str, str] = {
    # the cohort (workflows/cohort_views.py)
    "pending.confirm_selection": "Bekreft utvalget",
    "pending.publish_results": "Publiser resultatene",
    # a group (workflows/group_facts.py)
    "pending.requirement": "Godkjenn eller returner arbeidskrav {number}",
    "pending.assessment": "Avgjør den individuelle vurderingen av {participant}",
    "pending.written_grade": "Sett karakter på den skriftlige oppgaven",
    "pending.oral": "Registrer de muntlige justeringene",
    # an appeal and a re-sit (workflows/end_of_year/appeal.py, resit.py)
    "pending.appeal_examiners": "Oppnevn nye sensorer",
    "pending.appeal_written": "Registrer ny karakter på den skriftlige oppgaven",
    "pending.appeal_oral": "Registrer ny muntlig justering",
    "pending.appeal_oral_schedule": "Sett tid for ny muntlig eksamen",
    "pending.appeal_commission_grades": "Sensorene i klagekommisjonen gir hver sin karakter",
    "pending.appeal_commission_decision": "Klagekommisjonen fastsetter karakteren",
    "pending.appeal_further": "Videre vurdering: karakteren avviker med to eller flere trinn",
    "pending.resit_written": "Registrer karakteren på den skriftlige oppgaven ved ny eksamen",
    "pending.resit_oral": "Registrer den muntlige justeringen ved ny eksamen",
    # an old sentence OLD_TEXTS does not know: shown as it was stored rather than hidden
    "pending.stored_text": "{text}",
}

# for old results only (see above): each English sentence the views gave, its code and its parameter's name
OLD_TEXTS: list[tuple[re.Pattern[str], str, tuple[str, ...]]] = [
    (re.compile(r"^confirm the selection$"), "pending.confirm_selection", ()),
    (re.compile(r"^publish the results$"), "pending.publish_results", ()),
    (re.compile(r"^approve or return work requirement (\d+)$"), "pending.requirement", ("number",)),
    (re.compile(r"^decide the individual assessment of (.+)$"), "pending.assessment", ("participant",)),
    (re.compile(r"^grade the written assignment$"), "pending.written_grade", ()),
    (re.compile(r"^register the oral adjustments$"), "pending.oral", ()),
    (re.compile(r"^assign the new examiners$"), "pending.appeal_examiners", ()),
    (re.compile(r"^register the new written grade$"), "pending.appeal_written", ()),
    (re.compile(r"^register the new oral adjustment$"), "pending.appeal_oral", ()),
    (re.compile(r"^register the re-sit's written grade$"), "pending.resit_written", ()),
    (re.compile(r"^register the re-sit's oral adjustment$"), "pending.resit_oral", ()),
]


def old_pending(text: str) -> dict[str, object]:
    """A pending action given as text: a code without parameters (the end-of-year steps' PENDING tables), or the
    English sentence an older version gave, with its code and parameters."""
    if text in PENDING:
        return {"code": text, "params": {}}
    for pattern, code, names in OLD_TEXTS:
        match = pattern.match(text)
        if match:
            values = dict(zip(names, match.groups(), strict=True))
            return {"code": code, "params": {k: int(v) if k == "number" else v for k, v in values.items()}}
    return {"code": "pending.stored_text", "params": {"text": text}}
