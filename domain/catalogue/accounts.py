"""The accounts' refusals: a user name, a password, what a role is bound to, an examiner's groups, a sign-in through
OpenID Connect (store/accounts.py). The command line's options keep their names (`--municipality KOMMUNENUMMER`):
the operator types them so."""

REFUSALS: dict[str, str] = {
    # the account's own rules (store/accounts.py check, check_external)
    "account.bad_username": (
        "Brukernavnet '{username}': 2–64 tegn av a–z, 0–9, '.', '_' eller '-', først en bokstav eller et siffer "
        "(et kallenavn, ikke en e-postadresse)"
    ),
    "account.password_too_short": "Passordet må ha minst {min_length} tegn",
    "account.municipality_required": "Rollen kommune: --municipality KOMMUNENUMMER må oppgis",
    "account.unknown_municipality": (
        "--municipality: kommunenummer {number} er ikke i registeret (ukjent eller utgått kommunenummer)"
    ),
    "account.municipality_only_for_municipality": "Rollen {role:label}: --municipality gjelder bare rollen kommune",
    "account.participant_required": (
        "Rollen deltaker: --participant DELTAKER-ID (kull-K.gruppe-ID.deltaker-N) må oppgis"
    ),
    "account.participant_only_for_participant": "Rollen {role:label}: --participant gjelder bare rollen deltaker",
    "account.bad_email": "E-postadressen er ikke gyldig: skriv den som navn@domene.no",
    "account.external_only_for_examiner": "Rollen {role:label}: --external gjelder bare rollen sensor",
    # the stored accounts (store/accounts.py Accounts)
    "account.exists": "Brukeren '{username}' finnes allerede",
    "account.unknown": "Ingen konto '{username}'",
    "account.no_local_account": "Ingen lokal konto '{username}'",
    "account.no_examiner": "Ingen sensorkonto '{username}'",
    "account.on_appeal_commission": (
        "'{username}' sitter i klagekommisjonen for et medlem av gruppen og kan ikke også være gruppens sensor"
    ),
    "account.no_teacher": "Ingen faglærerkonto '{username}'",
    # a sign-in through OpenID Connect
    "account.other_identity": "Brukeren '{username}' tilhører en annen OpenID Connect-identitet",
    "account.local_account_exists": "Brukeren '{username}' er en lokal konto med passord og tas ikke over",
}
