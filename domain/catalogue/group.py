"""The group's refusals: attendance, members, the written assignment, the oral exam, the project
(workflows/group*.py, domain/grading.py, domain/project.py)."""

REFUSALS: dict[str, str] = {
    # the group's record (workflows/group_actions.py)
    "group.not_in_programme": "Gruppen er ikke i gang med studiet (utfall: {outcome:label})",
    "group.results_published": "Resultatene er publisert, og gruppens saksmappe er lukket",
    "group.not_active_member": "Deltakeren {participant} er ikke et aktivt medlem av gruppen",
    # members
    "group.grades_already_computed": "Karakterene er allerede beregnet",
    "group.already_non_participating": "Deltakeren {participant} er allerede registrert som ikke deltakende",
    "group.replacement_after_first_gathering": "En deltaker kan bare erstattes før første samling",
    "group.replacement_already_member": "Den nye deltakeren er allerede med i gruppen",
    "group.replacement_sectors": "Etter erstatningen må gruppen fortsatt ha deltakere fra minst 2 ulike sektorer",
    # attendance (domain/exam.py)
    "group.attendance_no_such_gathering": "Planen har {gatherings} samlinger, ikke samling {gathering}",
    "group.attendance_no_such_day": "Samling {gathering} har {days} dager, ikke dag {day}",
    "group.attendance_not_started": "Samling {gathering} har ikke startet ennå",
    "group.attendance_not_members": "Ikke aktive medlemmer av gruppen: {participants}",
    # supervision (domain/supervision.py)
    "group.supervision_in_future": "Veiledningsmøtet {day} har ikke funnet sted ennå",
    "group.supervision_before_admission": "Veiledningsmøtet {day} er før gruppen ble tatt opp",
    "group.supervision_nobody": "Kryss av minst én deltaker som var til stede på veiledningsmøtet",
    "group.supervision_not_members": "Ikke aktive medlemmer av gruppen: {participants}",
    "group.supervision_too_many": "Gruppen har allerede {most} veiledningsmøter registrert; det er det meste",
    # the written assignment
    "group.no_exam": "Gruppen har ikke eksamen: {reason}",
    "group.written_already_submitted": "Den skriftlige oppgaven er allerede levert",
    "group.written_deadline_passed": "Fristen for den skriftlige oppgaven, {deadline:time}, er passert",
    "group.written_not_submitted": "Den skriftlige oppgaven er ikke levert; det er ingenting å sette karakter på",
    "group.written_already_graded": "Den skriftlige oppgaven har allerede karakter ({grade})",
    # the oral exam
    "group.oral_before_written_grade": (
        "Den skriftlige oppgaven har ikke karakter ennå; den muntlige eksamenen justerer den"
    ),
    "group.oral_already_registered": "De muntlige justeringene er allerede registrert",
    # the oral's time and place (domain/orals.py)
    "group.oral_place_missing": "Stedet for den muntlige eksamenen mangler",
    "group.oral_place_too_long": "Stedet for den muntlige eksamenen kan ha høyst {most} tegn",
    "group.oral_slot_outside_period": (
        "Tidspunktet {start:time} er utenfor perioden for muntlig eksamen ({oral_start:time} til {oral_end:time})"
    ),
    "group.oral_slot_past": "Tidspunktet {start:time} har allerede vært",
    "group.oral_not_examined": "Går ikke opp til muntlig eksamen: {participants}",
    "group.oral_adjustment_refused": "Muntlig justering kan ikke registreres for {participants}",
    "group.oral_adjustments_missing": "Muntlig justering mangler for {participants}",
    "group.oral_adjustments_repeated": "Muntlig justering er gitt mer enn én gang for {participants}",
    # an oral adjustment of a written grade (domain/grading.py; the group's oral, a re-sit's, an appeal's)
    "grading.written_f_final": "F på den skriftlige oppgaven er endelig og justeres ikke",
    "grading.beyond_step_limit": (
        "Den muntlige eksamenen kan flytte karakteren høyst {limit} trinn, ikke {adjustment:+d}"
    ),
    "grading.beyond_scale": "Karakteren {grade} kan ikke flyttes {adjustment:+d} trinn",
}
