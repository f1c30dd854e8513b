"""The work requirements' refusals (domain/requirements.py)."""

REFUSALS = {
    "requirement.not_awaiting_submission": "Arbeidskrav {number} er {status:label}; det er ingenting å levere",
    "requirement.deadline_passed": "Arbeidskrav {number}: fristen {deadline:time} er passert",
    "requirement.not_submitted_to_approve": (
        "Arbeidskrav {number} er {status:label}, ikke levert; det kan ikke godkjennes"
    ),
    "requirement.not_submitted_to_return": (
        "Arbeidskrav {number} er {status:label}, ikke levert; det kan ikke sendes tilbake"
    ),
    "requirement.feedback_missing": "Et arbeidskrav som ikke godkjennes, må ha en tilbakemelding",
    "requirement.no_extension": "Arbeidskrav {number} er {status:label}; ny frist er ikke mulig",
    "requirement.extension_not_later": (
        "Arbeidskrav {number}: den nye fristen må være senere enn den gjeldende fristen og enn nå"
    ),
    "requirement.extension_after_orals": (
        "Arbeidskrav {number}: den nye fristen {deadline:time} er etter siste muntlige eksamen; "
        "seneste tillatte frist er {latest:time}"
    ),
}
