"""A register of people held in memory, for tests of the letters: the same `get_many` as `store.people.People`,
without the encryption that is that module's own business."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Person:
    name: str
    email: str


class Register:
    def __init__(self) -> None:
        self.people: dict[str, Person] = {}
        self.lookups = 0

    def add(self, name: str, email: str) -> str:
        person_id = "p" + hashlib.sha256(email.encode()).hexdigest()[:20]
        self.people[person_id] = Person(name, email)
        return person_id

    def erase(self, person_id: str) -> None:
        del self.people[person_id]

    async def get_many(self, person_ids: Iterable[str]) -> dict[str, Person]:
        self.lookups += 1
        return {i: self.people[i] for i in person_ids if i in self.people}
