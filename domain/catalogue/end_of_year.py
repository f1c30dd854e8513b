"""The end of the year's refusals: a participant's own actions, appeals and re-sits (workflows/participant.py and
the end_of_year packages of domain/, workflows/ and gateway/, web/end_of_year.py)."""

REFUSALS: dict[str, str] = {
    # the participant's own record (workflows/participant.py) and who the gateway finds (gateway/end_of_year/common.py)
    "participant.no_assessment_pending": "Ingen individuell vurdering venter; sporet er allerede {track:label}",
    "participant.assessment_needs_track": "Den individuelle vurderingen må ende med student eller kursdeltaker",
    "participant.already_withdrawn": "Deltakeren har allerede trukket seg",
    "participant.results_published": "Resultatene er publisert, og deltakelsen er avsluttet",
    "participant.ended": "Deltakelsen er avsluttet og kan ikke endres",
    "participant.not_member_of_group": "Deltakeren {participant} står ikke på gruppens liste",
    # who may appeal (domain/end_of_year/appeals.py, gateway/end_of_year/appeal.py)
    "appeal.already_appealed": "Personen har allerede klaget, og resultatet av en klage er endelig",
    "appeal.course_participant": "En kursdeltaker får ikke karakter og har ingenting å klage på",
    "appeal.no_grade": "Det er ingen karakter å klage på",
    "appeal.no_written_grade": "Det er ingen skriftlig karakter å klage på",
    "appeal.not_released": "Resultatene er ikke publisert ennå",
    "appeal.deadline_passed": "Klagefristen {deadline:time} er passert",
    "appeal.received_in_future": "Mottatt-datoen {received:date} er fram i tid; oppgi dagen klagen kom inn",
    "appeal.received_before_release": (
        "Mottatt-datoen {received:date} er før resultatet ble publisert {released:date}; oppgi dagen klagen kom inn"
    ),
    "appeal.received_late": "Klagen ble mottatt {received:date}, etter klagefristen {deadline:time}",
    # an appeal of a re-sit's grade (domain/end_of_year/appeals.py resit_appeal_refusal)
    "appeal.no_decided_attempt": "Det er ingen avgjort ny eksamen (forsøk {attempt}) å klage på",
    "appeal.attempt_appealed": (
        "Personen har allerede klaget på karakteren på forsøk {attempt}, og resultatet av en klage er endelig"
    ),
    "appeal.later_attempt": (
        "Forsøk {later} er allerede meldt opp; karakteren på forsøk {attempt} kan ikke lenger påklages"
    ),
    # the new examiners and the new assessment (domain/end_of_year/appeals.py, workflows/end_of_year/appeal.py,
    # gateway/end_of_year/appeal.py: they are examiner accounts)
    "appeal.too_many_examiners": "Høyst {most} sensorer kan oppnevnes, ikke {named}",
    "appeal.examiner_named_twice": "Samme sensor er oppgitt mer enn én gang: {examiners}",
    "appeal.examiners_graded_first": (
        "{examiners} satte den første karakteren; en klage skal vurderes av nye sensorer"
    ),
    "appeal.not_examiner_account": "{examiners} er ikke brukernavnet til en sensorkonto",
    "appeal.accounts_unavailable": "Sensorenes kontoer kan ikke slås opp uten databasen",
    "appeal.examiners_locked": "Kommisjonen har begynt å gi karakterer; sensorene kan ikke lenger byttes",
    "appeal.examiners_missing": "De nye sensorene må oppnevnes først",
    "appeal.not_examiner": "{actor} er ikke sensor for denne klagen (sensorene er {examiners})",
    "appeal.written_first": "Den nye skriftlige karakteren må registreres før den muntlige justeringen",
    "appeal.new_oral_required": (
        "Den skriftlige karakteren er endret fra {before} til {after}; en ny muntlig justering må registreres"
    ),
    "appeal.new_oral_not_due": "Klagen venter ikke på en ny muntlig eksamen",
    "appeal.new_oral_not_scheduled": (
        "Tid og sted for den nye muntlige eksamenen er ikke satt; justeringen kan registreres når den er satt"
    ),
    "appeal.decided": "Klagen er avgjort, og resultatet av en klage er endelig",
    # the commission (domain/end_of_year/commission.py, workflows/end_of_year/appeal.py)
    "appeal.commission_too_small": "En klagekommisjon skal ha minst {least} sensorer, ikke {named}",
    "appeal.commission_no_external": "Minst én av sensorene i klagekommisjonen skal være ekstern",
    "appeal.commission_graded_already": "{actor} har allerede gitt sin karakter ({grade})",
    "appeal.commission_waiting": "Alle sensorene i kommisjonen må gi sin karakter først; venter på {examiners}",
    "appeal.commission_grade_outside": (
        "Kommisjonens karakter {grade} ligger utenfor karakterene sensorene ga ({given})"
    ),
    "appeal.commission_decided": "Kommisjonen har allerede fastsatt karakteren",
    "appeal.not_commission": "{actor} sitter ikke i klagekommisjonen og er ikke studieadministrasjonen",
    "appeal.no_further_assessment": "Klagen venter ikke på en videre vurdering",
    # withdrawal (domain/end_of_year/appeals.py, workflows/end_of_year/appeal.py)
    "appeal.withdrawn": "Klagen er trukket tilbake; karakteren står som før",
    "appeal.not_own": "En deltaker kan bare klage, og trekke en klage, på sin egen karakter",
    "appeal.decided_not_withdrawable": "Klagen er avgjort og kan ikke lenger trekkes tilbake",
    # who may sit again (domain/end_of_year/resits.py, gateway/end_of_year/resit.py)
    "resit.course_participant": "En kursdeltaker får ikke karakter og tar ikke eksamen",
    "resit.not_released": "Resultatene er ikke publisert ennå",
    "resit.no_result": (
        "Det finnes ikke noe eksamensresultat; ny eksamen forutsetter en eksamen som ikke er bestått, "
        "gyldig fravær fra den muntlige eksamenen, eller en skriftlig oppgave gruppen ikke leverte innen fristen"
    ),
    "resit.passed": "Eksamen er bestått ({grade}); ny eksamen er for den som ikke har bestått",
    "resit.appeal_pending": "En klage på denne karakteren er ikke avgjort ennå; vent på resultatet av klagen",
    "resit.already_registered": "Ny eksamen er allerede registrert og ikke avgjort",
    "resit.attempts_used": "Eksamen er forsøkt {attempts} ganger; høyst {most} forsøk er tillatt",
    # the re-sit's period (domain/end_of_year/resits.py, gateway/end_of_year/resit.py)
    "resit.period_reversed": "Perioden {period} slutter før den begynner",
    "resit.period_ended": "Perioden {period} ble avsluttet {end:time}",
    "resit.no_period": (
        "Planen for kull {cohort} har ingen periode for ny eksamen; oppgi det senere kullet der eksamen skal tas"
    ),
    "resit.no_such_cohort": "Det finnes ikke noe kull {cohort}",
    "resit.cohort_not_later": "Eksamen for kull {later} er ikke senere enn eksamen for kull {cohort}",
    # the re-sit's grades (domain/end_of_year/resits.py, workflows/end_of_year/resit.py, web/end_of_year.py)
    "resit.postponed_keeps_written": (
        "Utsatt eksamen beholder den skriftlige karakteren {grade}; registrer den muntlige justeringen"
    ),
    "resit.written_already_registered": "Den skriftlige karakteren på ny eksamen er allerede registrert ({grade})",
    "resit.written_first": (
        "Registrer den skriftlige karakteren på ny eksamen først; den muntlige eksamenen justerer den"
    ),
    "resit.oral_required": "Den skriftlige karakteren {grade} må ha en muntlig justering",
    "resit.decided": "Denne nye eksamenen er avgjort; registrer en ny eksamen for et nytt forsøk",
    "resit.none_waiting": "Det er ingen ny eksamen som venter på karakter",
    # a begrunnelse (domain/end_of_year/explanations.py, workflows/end_of_year/explanation.py,
    # gateway/end_of_year/explanation.py)
    "explanation.already_asked": "Det er allerede bedt om begrunnelse for denne karakteren",
    "explanation.course_participant": "En kursdeltaker får ikke karakter og har ingen karakter å få begrunnet",
    "explanation.no_grade": "Det er ingen karakter å begrunne",
    "explanation.not_released": "Resultatene er ikke publisert ennå",
    "explanation.deadline_passed": "Fristen for å be om begrunnelse, {deadline:time}, er passert",
    "explanation.received_in_future": "Mottatt-datoen {received:date} er fram i tid; oppgi dagen kravet kom inn",
    "explanation.received_before_release": (
        "Mottatt-datoen {received:date} er før resultatet ble publisert {released:date}; oppgi dagen kravet kom inn"
    ),
    "explanation.received_late": ("Kravet om begrunnelse ble mottatt {received:date}, etter fristen {deadline:time}"),
    "explanation.already_given": "Begrunnelsen er allerede gitt",
    "explanation.not_examiner": (
        "{actor} er ikke sensor for gruppen og kan ikke skrive begrunnelsen (sensorene er {examiners})"
    ),
    "explanation.text_missing": "Skriv begrunnelsen før du sender den",
    "explanation.text_too_long": "Begrunnelsen kan ha høyst {most} tegn, ikke {length}",
    "explanation.none_asked": "Det er ikke bedt om begrunnelse for denne karakteren",
    "explanation.not_own": "Du kan bare be om begrunnelse for din egen karakter",
    "explanation.not_recorded": "Kravet om begrunnelse er ikke lagret i databasen ennå; prøv igjen om litt",
    # the documents after release (cli/end_of_year.py)
    "documents.no_database": "Karakterutskrifter og kursbevis krever databasen",
    "documents.no_register": "Karakterutskrifter og kursbevis navngir personen og krever personregisteret",
    "documents.unknown_code": "Ingen dokumenter har verifiseringskoden {verification}",
    "statistics.no_cohort": "Databasen har ikke noe kull {cohort}",
}
