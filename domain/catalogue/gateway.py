"""The gateway's refusals: who acts (an account and its role, for every channel) and a workflow that is not there
or has ended (gateway/admin.py, gateway/commands.py)."""

REFUSALS: dict[str, str] = {
    # who acts: the signed-in account, or the command line's configured one (--as, NIS_ACCOUNT)
    "gateway.no_account": (
        "Si hvem som handler: --as BRUKERNAVN eller NIS_ACCOUNT (en konto fra `starter.py user add`)"
    ),
    "gateway.unknown_account": "Ingen konto '{username}': opprett den med `starter.py user add`",
    "gateway.role_forbidden": "Rollen {role:label} kan ikke gi kommandoen {command}",
    # the workflow the command is for
    "gateway.no_workflow": "Fant ingen sak {workflow_id}",
    "gateway.workflow_ended": "Saken {workflow_id} er avsluttet og tar ikke imot flere handlinger",
    "gateway.no_answer": (
        "Temporal svarte ikke om {workflow_id} tok imot handlingen ({status}); se etter før du prøver igjen"
    ),
    "gateway.cohort_already_ran": "Kull {cohort} er allerede kjørt; saken {workflow_id} er avsluttet",
}
