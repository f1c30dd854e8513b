"""The end of the year's refusals: a participant's own actions, appeals and re-sits (workflows/participant.py,
workflows/appeal.py, workflows/resit.py, domain/appeals.py, domain/resits.py, gateway/after_release.py,
gateway/appeals.py, gateway/resits.py)."""

REFUSALS: dict[str, str] = {}
