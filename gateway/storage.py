"""What the web app and the command line read and keep beside the workflows: the read model's database and its
records, the register of people, the uploaded and generated documents and the letters. They take it from here, not
from the store or the activities (tests/test_imports.py); the gateway is the one layer below them."""

from __future__ import annotations

from activities.documents import Documents, documents_key
from activities.letters import LetterPage, LetterView, PeopleLookup, cohort_letters, cohort_letters_page, person_letters
from store import end_of_year as end_of_year_store
from store import explanations as explanations_store
from store.db import (
    SchemaBehind,
    create_schema,
    make_engine,
    make_session_factory,
    schema_state,
    upgrade_schema,
    write_whole,
)
from store.end_of_year import AppealRecord, ResitRecord
from store.people import People, register_key
from store.tables import AuditRecord, CohortRecord, GroupRecord
from store.uploads import UPLOAD_MAX_BYTES, Uploads

__all__ = [
    "UPLOAD_MAX_BYTES",
    "AppealRecord",
    "AuditRecord",
    "CohortRecord",
    "Documents",
    "GroupRecord",
    "LetterPage",
    "LetterView",
    "People",
    "PeopleLookup",
    "ResitRecord",
    "SchemaBehind",
    "Uploads",
    "cohort_letters",
    "cohort_letters_page",
    "create_schema",
    "documents_key",
    "end_of_year_store",
    "explanations_store",
    "make_engine",
    "make_session_factory",
    "write_whole",
    "person_letters",
    "register_key",
    "schema_state",
    "upgrade_schema",
]
