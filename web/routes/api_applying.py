"""The API's door for applications: `POST /api/cohorts/{cohort}/applications` with the command line's application
file as its body, by a municipality contact whose account speaks for every municipality in it.

201 with the application's ID and state; 403 for a municipality not theirs; 409 after the deadline or when one of
its municipalities has applied; 422 naming each broken field (`problems`: code, parameters and the field). Nothing
is recorded unless it is 201.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Request, Response, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from gateway.accounts import Account, Role
from gateway.applying import Applying
from web.auth import require

router = APIRouter(prefix="/api", tags=["api"])
MunicipalityContact = Annotated[Account, Depends(require(Role.MUNICIPALITY))]


class ApplicationReceived(BaseModel):
    id: str  # kommunenumre joined by '+'
    state: str  # the cohort's outcome for it: 'applied' until the selection
    group_workflow_id: str | None


@router.post("/cohorts/{cohort}/applications", status_code=status.HTTP_201_CREATED, response_model=ApplicationReceived)
async def apply(request: Request, cohort: str, account: MunicipalityContact, body: Annotated[Any, Body()]) -> Response:
    applying: Applying = request.app.state.applying
    checked = await applying.check(account, cohort, body)
    if checked.application is None:
        problems = [
            {**problem.dump(), "field": field, "text": problem.text()}
            for field, found in checked.problems.items()
            for problem in found
        ]
        detail = "; ".join(problem["text"] for problem in problems)
        return JSONResponse({"detail": detail, "problems": problems}, checked.status)
    result = await applying.submit(account, checked.application)  # a late refusal: 409 (web.app's handler)
    received = ApplicationReceived(
        id=result.application_id, state="applied", group_workflow_id=result.group_workflow_id
    )
    return JSONResponse(received.model_dump(), status.HTTP_201_CREATED)
