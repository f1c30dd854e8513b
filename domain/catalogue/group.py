"""The group's refusals: attendance, members, the written assignment, the oral exam, the project
(workflows/group*.py, domain/grading.py, domain/project.py)."""

REFUSALS: dict[str, str] = {}
