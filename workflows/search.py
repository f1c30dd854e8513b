"""Search attributes: cohort, stage and kommunenumre, never names. Registered on the embedded server at its start,
and by the worker on any server that lacks them (worker.ensure_search_attributes)."""

from __future__ import annotations

from temporalio.common import SearchAttributeKey

COHORT = SearchAttributeKey.for_keyword("NisCohort")
STAGE = SearchAttributeKey.for_keyword("NisStage")
KOMMUNENUMMER = SearchAttributeKey.for_keyword_list("NisKommunenummer")

# name -> type, as `temporal server start-dev --search-attribute NAME=TYPE` takes them
DEFINITIONS = {"NisCohort": "Keyword", "NisStage": "Keyword", "NisKommunenummer": "KeywordList"}
