"""The register of people and what is handed in: privacy requests (gateway/privacy.py), participant IDs named by
hand (gateway/people.py) and uploaded documents (store/uploads.py)."""

REFUSALS: dict[str, str] = {
    # a person's data, asked for or erased (gateway/privacy.py)
    "privacy.not_person_id": "'{value}' er ikke en person-ID (p og 20 heksadesimale sifre)",
    "privacy.not_in_register": "{person} er ikke i registeret (aldri registrert, eller slettet)",
    "privacy.still_running": (
        "{person} er fortsatt med i et studium som pågår ({workflow}); slett når det er avsluttet "
        "(eller lukket etter trekking)"
    ),
    # a document handed in (store/uploads.py)
    "upload.too_large": "Dokument: høyst {megabytes} MB",
    "upload.empty": "Dokument: filen er tom",
}
