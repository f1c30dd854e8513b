"""Answering an offer of a place and giving it up on the municipality's own word (domain/offers.py,
workflows/cohort_offers.py)."""

REFUSALS: dict[str, str] = {
    "offer.no_open_offer": "Det er ikke noe tilbud om plass å svare på (utfall: {outcome:label})",
    "offer.already_answered": "Tilbudet er allerede besvart ({answer:label})",
    "offer.deadline_passed": "Svarfristen {deadline:time} er passert",
    "offer.no_place": "Det er ingen plass å gi fra seg (utfall: {outcome:label})",
    "offer.first_gathering_begun": (
        "Første samling startet {start:time}; nå kan bare studieadministrasjonen trekke gruppen"
    ),
}
