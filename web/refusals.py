"""A refusal as a person reads it beside a form: in Norwegian, like the rest of the page.

The workflows, the rules and the gateway give their reasons in English, and the command line, the API and the audit
trail keep those. The pages say each of them in Norwegian through this table: one pattern per message the code can
give (tests/web/test_refusals.py finds every message in the source and fails on one this table does not know).
A message this table does not know is shown as it is rather than hidden.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from domain.exam import reason_nb
from web.labels import label

Words = Callable[[re.Match[str]], str]


def _low(code: str) -> str:
    return label(code).lower()


def _say(template: str, *labelled: int) -> Words:
    """`template` with {1}, {2}, ... for the message's values; the numbered ones in `labelled` as Norwegian words."""

    def words(match: re.Match[str]) -> str:
        values = [match[0], *(_low(v) if i in labelled else v for i, v in enumerate(match.groups(), 1))]
        return template.format(*values)

    return words


_V = "((?:(?!; ).)+?)"  # a value inside a message; "; " parts a message into several (each is matched alone)
_TABLE: list[tuple[str, Words]] = [
    # attendance, written and oral (domain/exam.py, domain/grading.py, workflows/group_actions.py)
    (rf"the plan has {_V} gatherings, not gathering {_V}", _say("planen har {1} samlinger, ikke samling {2}")),
    (rf"gathering {_V} has {_V} days, not day {_V}", _say("samling {1} har {2} dager, ikke dag {3}")),
    (rf"gathering {_V} has not started yet", _say("samling {1} har ikke startet ennå")),
    ("the grades are already computed", _say("karakterene er allerede beregnet")),
    (rf"{_V} is already marked as not having taken part", _say("{1} er allerede registrert som ikke deltakende")),
    (
        "a participant can only be replaced before the first gathering",
        _say("en deltaker kan bare erstattes før første samling"),
    ),
    ("replacement: this person is already in the group", _say("erstatning: personen er allerede med i gruppen")),
    (
        "replacement: the group must keep participants from at least 2 different sectors",
        _say("erstatning: gruppen må fortsatt ha deltakere fra minst 2 ulike sektorer"),
    ),
    (rf"the group has no exam: {_V}", lambda m: "gruppen har ikke eksamen: " + reason_nb(m[1])),
    ("the written assignment is already submitted", _say("den skriftlige oppgaven er allerede levert")),
    ("the written deadline has passed", _say("fristen for den skriftlige oppgaven er passert")),
    (
        "the written assignment has not been submitted; nothing to grade",
        _say("den skriftlige oppgaven er ikke levert; det er ingenting å sette karakter på"),
    ),
    (
        rf"the written assignment is already graded \({_V}\)",
        _say("den skriftlige oppgaven har allerede karakter ({1})"),
    ),
    (
        "the written assignment has no grade yet; the oral adjusts it",
        _say("den skriftlige oppgaven har ikke karakter ennå; den muntlige eksamenen justerer den"),
    ),
    ("the oral adjustments are already registered", _say("de muntlige justeringene er allerede registrert")),
    ("give one adjustment for each examined student", _say("gi én justering for hver student som er eksaminert")),
    (rf"missing: {_V}", _say("mangler: {1}")),
    (rf"given more than once: {_V}", _say("gitt mer enn én gang: {1}")),
    ("does not sit the oral exam", _say("går ikke opp til muntlig eksamen")),
    (
        "a written F is final and has no oral adjustment",
        _say("F på den skriftlige oppgaven er endelig og justeres ikke"),
    ),
    (
        rf"the oral may move the grade at most {_V} step\(s\), not {_V}",
        _say("den muntlige eksamenen kan flytte karakteren høyst {1} trinn, ikke {2}"),
    ),
    (rf"{_V} cannot be moved {_V} step\(s\)", _say("{1} kan ikke flyttes {2} trinn")),
    (
        rf"the group is not in the programme \(outcome: {_V}\)",
        _say("gruppen er ikke i gang med studiet (utfall: {1})", 1),
    ),
    (
        "the results are published; the group's record is closed",
        _say("resultatene er publisert; gruppens saksmappe er lukket"),
    ),
    (rf"{_V} is not an active member of this group", _say("{1} er ikke et aktivt medlem av gruppen")),
    # a cohort plan handed in as a file (domain/plan.py); the field names are the file's own
    (rf"the plan has {_V} gatherings, this one {_V}", _say("planen skal ha {1} samlinger, denne har {2}")),
    (rf"a gathering lasts {_V}-{_V} days, not {_V}", _say("en samling varer {1}–{2} dager, ikke {3}")),
    ("ends before it starts", _say("slutter før den starter")),
    (rf"{_V} gathering days in total, this plan has {_V}", _say("{1} samlingsdager i alt, denne planen har {2}")),
    (rf"the plan has {_V} work requirements, this one {_V}", _say("planen skal ha {1} arbeidskrav, denne har {2}")),
    (rf"at least 1 municipality place, not {_V}", _say("minst 1 plass, ikke {1}")),
    (rf"cannot be negative \({_V}\)", _say("kan ikke være negativ ({1})")),
    (
        "every reminder is a positive time before the event",
        _say("hver påminnelse må være en positiv tid før hendelsen"),
    ),
    ("must come after the first gathering starts", _say("må komme etter at første samling starter")),
    ("must come after the last gathering starts", _say("må komme etter at siste samling starter")),
    (rf"must come after {_V}", _say("må komme etter {1}")),
    (rf"overlaps gathering {_V}", _say("overlapper samling {1}")),
    # the cohort (workflows/cohort.py)
    (rf"no application {_V} in cohort {_V}", _say("ingen søknad {1} på kull {2}")),
    (
        rf"cohort: this is cohort {_V}, the application is for {_V}",
        _say("kull: dette er kull {1}, søknaden gjelder {2}"),
    ),
    (rf"the application deadline {_V} has passed", _say("søknadsfristen {1} er passert")),
    (
        rf"no selection waiting for confirmation \(cohort stage: {_V}\)",
        _say("ingen trekning venter på bekreftelse (kullets fase: {1})", 1),
    ),
    (
        "a group can withdraw once the selection is confirmed and until results are published",
        _say("en gruppe kan gi fra seg plassen fra utvalget er bekreftet til resultatene er publisert"),
    ),
    (
        rf"application {_V} holds no place to give up \(outcome: {_V}\)",
        _say("søknad {1} har ingen plass å gi fra seg (utfall: {2})", 2),
    ),
    (
        rf"results can be published once, while the cohort runs \(stage: {_V}\)",
        _say("resultatene kan publiseres én gang, mens kullet pågår (fase: {1})", 1),
    ),
    (rf"groups not yet graded: {_V}", _say("grupper som ikke har fått karakter ennå: {1}")),
    (
        rf"cohort {_V} has already run; its workflow {_V} is closed",
        _say("kull {1} er allerede gjennomført; {2} er lukket"),
    ),
    # participants (workflows/participant.py)
    (
        rf"no individual assessment pending: the track is already {_V}",
        _say("ingen individuell vurdering venter: sporet er allerede {1}", 1),
    ),
    ("track: decide 'student' or 'course'", _say("spor: velg student eller kursdeltaker")),
    ("the participant has already withdrawn", _say("deltakeren har allerede trukket seg")),
    ("results published", _say("resultatene er publisert")),
    # why a participation ended (workflows/group.py, activities/grades.py), shown on the participant's page
    ("the group gave up its place", _say("gruppen ga fra seg plassen")),
    ("replaced before the first gathering", _say("erstattet før første samling")),
    ("no exam", _say("ingen eksamen")),
    (rf"grade {_V}", _say("karakter {1}")),
    (
        "valid absence from the oral: a postponed exam follows",
        _say("gyldig fravær fra den muntlige eksamenen: utsatt eksamen følger"),
    ),
    ("an absent student has no oral adjustment", _say("en student med gyldig fravær har ingen muntlig justering")),
    (rf"the participation has ended \({_V}\)", lambda m: f"deltakelsen er avsluttet ({norwegian(m[1])})"),
    # appeals (domain/appeals.py, workflows/appeal.py)
    (
        "the result of an appeal is final: this person has already appealed",
        _say("resultatet av en klage er endelig: personen har allerede klaget"),
    ),
    (
        "a course participant gets no grade and has nothing to appeal",
        _say("en kursdeltaker får ikke karakter og har ingenting å klage på"),
    ),
    ("there is no grade to appeal", _say("det er ingen karakter å klage på")),
    ("the results have not been released yet", _say("resultatene er ikke publisert ennå")),
    (rf"the appeal deadline has passed: it was {_V}", _say("klagefristen er passert: den var {1}")),
    ("name at least one new examiner", _say("oppgi minst én ny sensor")),
    (rf"at most {_V} examiners, not {_V}", _say("høyst {1} sensorer, ikke {2}")),
    ("an examiner is named twice", _say("en sensor er oppgitt to ganger")),
    (
        rf"{_V} graded the written work first; an appeal needs new examiners",
        _say("{1} satte den første karakteren; en klage trenger nye sensorer"),
    ),
    (
        rf"the written grade changed from {_V} to {_V}: a new oral adjustment is required",
        _say("den skriftlige karakteren er endret fra {1} til {2}: en ny muntlig justering må registreres"),
    ),
    (
        "the new written grade is registered: the examiners can no longer be changed",
        _say("den nye skriftlige karakteren er registrert: sensorene kan ikke lenger endres"),
    ),
    (
        rf"the new written grade is already registered \({_V}\)",
        _say("den nye skriftlige karakteren er allerede registrert ({1})"),
    ),
    ("register the new written grade first", _say("registrer den nye skriftlige karakteren først")),
    (
        "the result of an appeal is final: this appeal is decided",
        _say("resultatet av en klage er endelig: klagen er avgjort"),
    ),
    ("assign the new examiners first", _say("oppnevn de nye sensorene først")),
    (rf"{_V} is not an examiner of this appeal \({_V}\)", _say("{1} er ikke sensor for denne klagen ({2})")),
    # release per group (workflows/cohort.py)
    (
        rf"results are released while the cohort runs \(stage: {_V}\)",
        _say("resultater publiseres mens kullet pågår (fase: {1})", 1),
    ),
    (
        rf"application {_V} is not in the programme \(outcome: {_V}\)",
        _say("søknad {1} er ikke med i programmet (utfall: {2})", 2),
    ),
    (rf"the results of group {_V} are already released", _say("resultatene for gruppe {1} er allerede publisert")),
    (rf"group {_V} is not graded yet", _say("gruppe {1} har ikke fått karakter ennå")),
    # re-sits (domain/resits.py, workflows/resit.py, gateway/resits.py)
    (
        "a course participant gets no grade and sits no exam",
        _say("en kursdeltaker får ikke karakter og tar ikke eksamen"),
    ),
    (
        "there is no exam result: a re-sit follows a failed exam or a valid absence from the oral",
        _say(
            "det finnes ikke noe eksamensresultat: ny eksamen forutsetter en ikke bestått eksamen "
            "eller gyldig fravær fra den muntlige"
        ),
    ),
    (
        rf"the exam is passed \({_V}\): a re-sit is for a failed exam",
        _say("eksamen er bestått ({1}): ny eksamen er for den som ikke har bestått"),
    ),
    (
        "an appeal of this grade is not decided yet: wait for its result",
        _say("en klage på denne karakteren er ikke avgjort ennå: vent på resultatet"),
    ),
    ("a re-sit is already registered and not decided", _say("ny eksamen er allerede registrert og ikke avgjort")),
    (
        rf"the exam has been attempted {_V} times: at most {_V} attempts",
        _say("eksamen er forsøkt {1} ganger: høyst {2} forsøk"),
    ),
    (
        rf"a postponed exam keeps the written grade {_V}: register its oral adjustment",
        _say("utsatt eksamen beholder den skriftlige karakteren {1}: registrer den muntlige justeringen"),
    ),
    (rf"the re-sit period {_V} ends before it starts", _say("perioden {1} slutter før den begynner")),
    (rf"the re-sit period {_V} ended {_V}", _say("perioden {1} ble avsluttet {2}")),
    (rf"a written {_V} needs its oral adjustment", _say("en skriftlig {1} trenger sin muntlige justering")),
    (
        rf"the re-sit's written grade is already registered \({_V}\)",
        _say("den skriftlige karakteren på ny eksamen er allerede registrert ({1})"),
    ),
    (
        "register the re-sit's written grade first; the oral adjusts it",
        _say("registrer den skriftlige karakteren på ny eksamen først; den muntlige justerer den"),
    ),
    (
        "this re-sit is decided: register a new re-sit for another attempt",
        _say("denne nye eksamenen er avgjort: registrer en ny for et nytt forsøk"),
    ),
    (
        rf"the plan of cohort {_V} sets no re-sit period: name the later cohort whose exam period the re-sit joins",
        _say("planen for kull {1} har ingen periode for ny eksamen: oppgi det senere kullet der eksamen skal tas"),
    ),
    (rf"there is no cohort {_V}", _say("det finnes ikke noe kull {1}")),
    (
        rf"cohort {_V}'s exams are not later than cohort {_V}'s",
        _say("eksamen for kull {1} er ikke senere enn eksamen for kull {2}"),
    ),
    (
        rf"attempt: a re-sit is attempt 2 or later, not {_V}",
        _say("forsøk: ny eksamen er forsøk 2 eller senere, ikke {1}"),
    ),
    ("there is no re-sit waiting for a grade", _say("det er ingen ny eksamen som venter på karakter")),
    # identifiers, texts and fields (workflows/ids.py, workflows/messages.py, domain/text.py, domain/errors.py)
    (
        rf"cohort: '{_V}' must be 1-32 letters, digits, '-' or '_'",
        _say("kull: '{1}' må være 1–32 bokstaver, sifre, '-' eller '_'"),
    ),
    ("must not be empty", _say("kan ikke være tomt")),
    (rf"at most {_V} characters, got {_V}", _say("høyst {1} tegn, her {2}")),
    (
        rf"contains {_V} at character {_V}; only {_V} is allowed",
        _say("inneholder {1} ved tegn {2}; bare {3} er tillatt"),
    ),
    ("is required", _say("må fylles ut")),
    ("is not a known field", _say("er ikke et kjent felt")),
    (rf"'{_V}' is not a whole number", _say("'{1}' er ikke et helt tall")),
    (rf"unknown action {_V}", _say("ukjent handling {1}")),
    # the gateway and the web app (gateway/*.py, web/*.py)
    (rf"no workflow {_V}", _say("fant ingen sak {1}")),
    (rf"{_V} has ended; it takes no more actions", _say("{1} er avsluttet og tar ikke imot flere handlinger")),
    (
        rf"'{_V}' is not a participant workflow id \(kull-C\.gruppe-ID\.deltaker-N\)",
        _say("'{1}' er ikke en deltaker-ID (kull-K.gruppe-ID.deltaker-N)"),
    ),
    (
        rf"'{_V}' is not a person ID \(p and 20 hexadecimal digits\)",
        _say("'{1}' er ikke en person-ID (p og 20 heksadesimale sifre)"),
    ),
    (
        rf"{_V} is not in the register \(never registered, or erased\)",
        _say("{1} er ikke i registeret (aldri registrert, eller slettet)"),
    ),
    (
        rf"{_V} is still in a running programme: workflow {_V} is running; erase once it has ended "
        r"\(or after withdrawal, when it has closed\)",
        _say(
            "{1} er fortsatt med i et studium som pågår ({2}); slett når det er avsluttet (eller lukket etter trekking)"
        ),
    ),
    (rf"Role {_V} may not do this", _say("rollen {1} har ikke lov til dette", 1)),
    (rf"Not signed in: {_V}", _say("ikke innlogget")),
    ("No session: sign in again", _say("ingen økt: logg inn på nytt")),
    (
        r"The form has expired or did not come from this site \(CSRF\); reload the page and try again",
        _say("skjemaet er utløpt eller kom ikke fra denne siden (CSRF); last siden på nytt og prøv igjen"),
    ),
    # the innovation project (domain/project.py)
    (rf"named twice: {_V}", _say("oppgitt to ganger: {1}")),
    # a document handed in (store/uploads.py)
    (rf"at most {_V} MB", _say("høyst {1} MB")),
    ("the file is empty", _say("filen er tom")),
    # accounts (store/accounts.py; most of these come from `starter.py user add`)
    (rf"no examiner account '{_V}'", _say("ingen sensorkonto '{1}'")),
    (rf"no local account '{_V}'", _say("ingen lokal konto '{1}'")),
    (rf"user '{_V}' belongs to another OpenID Connect identity", _say("brukeren '{1}' tilhører en annen identitet")),
    (rf"user '{_V}' already exists", _say("brukeren '{1}' finnes allerede")),
    (
        rf"user name '{_V}': 2-64 of a-z, 0-9, '.', '_' or '-', starting with a letter or digit "
        r"\(a handle, not an e-mail address\)",
        _say(
            "brukernavnet '{1}': 2–64 tegn av a–z, 0–9, '.', '_' eller '-', først en bokstav eller et siffer "
            "(ikke en e-postadresse)"
        ),
    ),
    (rf"password: at least {_V} characters", _say("passord: minst {1} tegn")),
    (
        "role municipality: --municipality KOMMUNENUMMER is required",
        _say("rollen kommune: --municipality KOMMUNENUMMER må oppgis"),
    ),
    (
        rf"role {_V}: --municipality is only for role municipality",
        _say("rollen {1}: --municipality gjelder bare rollen kommune", 1),
    ),
    (
        r"role participant: --participant PARTICIPANT_ID \(kull-C\.gruppe-ID\.deltaker-N\) is required",
        _say("rollen deltaker: --participant DELTAKER-ID (kull-K.gruppe-ID.deltaker-N) må oppgis"),
    ),
    (
        rf"role {_V}: --participant is only for role participant",
        _say("rollen {1}: --participant gjelder bare rollen deltaker", 1),
    ),
    # the most general forms last, so that a more particular one above is found first
    (rf"{_V} {_V} named twice", _say("{1} {2} er oppgitt to ganger")),
    (rf"{_V} is not {_V}", _say("{1} er ikke {2}")),
]
_PATTERNS = [(re.compile(f"^{pattern}$", re.DOTALL), words) for pattern, words in _TABLE]
_FIELD = re.compile(r"^([\w.+-]+): (.+)$", re.DOTALL)  # "feedback: ..." or "kull-2022.gruppe-1804.deltaker-2: ..."
_FIELDS = {
    "partners": "partnere",
    "title": "tittel",
    "problem": "problemstilling",
    "drivers": "drivere",
    "barriers": "barrierer",
    "document": "dokument",
    "feedback": "tilbakemelding",
    "reason": "begrunnelse",
    "track": "spor",
    "deadline": "frist",
}


def norwegian(reason: str) -> str:
    """The reason in Norwegian: the whole message if the table knows it, else each '; ' part, else a 'field: '
    prefix kept (or named in Norwegian) and the rest in Norwegian. Starts with a capital, as a sentence does."""
    text, _ = _translated(reason)
    return text[:1].upper() + text[1:]


def known(reason: str) -> bool:
    """Whether the table knows every part of the reason (the test that keeps it complete asks this)."""
    return _translated(reason)[1]


def _translated(reason: str) -> tuple[str, bool]:
    for pattern, words in _PATTERNS:
        match = pattern.match(reason)
        if match:
            return words(match), True
    exam_reason = reason_nb(reason)  # why a group or a member has no exam (domain/exam.py says each in Norwegian)
    if exam_reason != reason:
        return exam_reason, True
    parts = reason.split("; ")
    if len(parts) > 1:
        said = [_translated(part) for part in parts]
        return "; ".join(text for text, _ in said), all(complete for _, complete in said)
    field = _FIELD.match(reason)
    if field:
        rest, complete = _translated(field[2])
        return f"{_FIELDS.get(field[1], field[1])}: {rest}", complete
    return reason, False


# What an accepted action's audit entry says (workflows' `_record` details), for the log on the pages. Only the
# words the workflow writes are translated; free text it carries (feedback, a reason) is shown as it was written.
_DETAILS: list[tuple[re.Pattern[str], Words]] = [
    (re.compile(r"^requirement (\d+)$"), _say("arbeidskrav {1}")),
    (re.compile(r"^requirement (\d+): with a document$"), _say("arbeidskrav {1}: med dokument")),
    (re.compile(r"^requirement (\d+): (.*)$", re.DOTALL), _say("arbeidskrav {1}: {2}")),
    (re.compile(r"^with a document$"), _say("med dokument")),
    (re.compile(r"^gathering (\d+) day (\d+): (\d+) present$"), _say("samling {1} dag {2}: {3} til stede")),
    (re.compile(r"^([\d+]+): accepted$"), _say("{1}: godtatt")),
    (re.compile(r"^([\d+]+): refused$"), _say("{1}: avvist")),
    (re.compile(r"^seed (.+)$"), _say("trekningsfrø {1}")),
    (re.compile(r"^(\d+) groups$"), _say("{1} grupper")),
    (re.compile(r"^(\d+) partners$"), _say("{1} partnere")),
]


def detail(text: str) -> str:
    """An accepted action's audit detail in Norwegian where the workflow wrote the words; else as it is."""
    for pattern, words in _DETAILS:
        match = pattern.match(text)
        if match:
            return words(match)
    return text
