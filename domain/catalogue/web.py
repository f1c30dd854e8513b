"""The web app's own refusals: signing in, the role, the session and the form, the codec (web/auth.py,
web/security.py, web/actions.py, web/end_of_year.py, web/routes/*.py)."""

REFUSALS: dict[str, str] = {
    # who is asking (web/auth.py, web/security.py, web/routes/api.py)
    "web.not_signed_in": "Ikke innlogget: send et tilgangstoken (bearer) fra /api/token",
    "web.role_forbidden": "Rollen {role:label} har ikke lov til dette",
    "web.no_session": "Ingen økt: logg inn på nytt",
    "web.csrf": "Skjemaet er utløpt eller kom ikke fra denne siden (CSRF); last siden på nytt og prøv igjen",
    "web.too_many_sign_ins": "For mange mislykkede innlogginger: vent et minutt og prøv igjen",
    "web.wrong_credentials": "Feil brukernavn eller passord",
    # applying on the web (gateway/applying.py, web/routes/applying.py)
    "apply.closed": "Kull {cohort} tar ikke imot søknader nå: søknadsfristen er ute eller kullet finnes ikke",
    "apply.not_yours": "Kontoen din er ikke kontaktperson for kommunenummer {number}",
    "apply.link_unusable": "Lenken er brukt, utløpt eller ugyldig. Registrer deg på nytt fra søknadssiden.",
    "apply.passwords_differ": "Passordene er ikke like",
    # the Temporal UI's codec (web/routes/codec.py); the reason names key ids, never the payload
    "web.codec_json_required": "Send application/json",
    "web.codec_not_payloads": "Ikke et payloads-dokument: {reason}",
    "web.codec_altered": "Kan ikke dekode: innholdet ble endret etter at det ble forseglet",
    "web.codec_cannot_decode": "Kan ikke dekode: {reason}",
}

# an HTTP error the framework raises by itself (an unknown page, a method a route does not take), said in place of
# its English reason phrase
HTTP_STATUS: dict[int, str] = {
    400: "Forespørselen kan ikke leses",
    404: "Fant ikke siden",
    405: "Siden tar ikke imot denne typen forespørsel",
    413: "Forespørselen er for stor",
    415: "Innholdet har en type siden ikke tar imot",
}
