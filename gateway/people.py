"""From the file a municipality hands in to what a workflow may carry: people into the register, IDs onward.

An application (or a replacement) names people. The gateway registers each of them, unconfirmed, decides each
participant's track from their years (`domain.admission.track`), and sends the workflow only person IDs, sectors
and tracks (`ApplicationFacts`, `Enrolment`). The workflow checks the rules it can check on those facts; the
gateway then keeps the people (accepted) or lets them go (refused). How that is made safe:

- **A retry never duplicates.** A person's ID is an HMAC of cohort and e-mail, so registering the same file again
  hits the same rows (`People.register` is an upsert), and the update is sent with an ID made from the facts
  (`update_id`), so Temporal answers a repeated update with the first one's outcome instead of running it again:
  the same application handed in twice is one application, accepted or refused once. (Temporal remembers update
  IDs per workflow run; the cohort carries the answers to its latest 64 updates into its next run
  (workflows/answered.py). An older repeat is refused as "already applied" and its unconfirmed people are
  discarded: people the first attempt confirmed stay, but a first attempt that crashed before confirming loses its
  people then. Hand a crashed application in again soon.)
- **A refused application leaves no one behind but its contact.** On a refusal the gateway deletes the
  application's people that are still unconfirmed. When the cohort workflow refused it, it queued a letter to the
  contact saying why; the contact's name and e-mail stay (unconfirmed) so the letter reaches them, and the sweep
  removes them later. A person already confirmed by another accepted application (same cohort and e-mail) is
  never deleted nor rewritten by a refused one.
- **Acceptance restores.** On acceptance the gateway registers the people again as confirmed, together with their
  enrolments, in one transaction (`People.enrol`): a row that a concurrent refusal naming the same person (or the
  sweep) deleted in the meantime comes back from the file.
- **A crash in between** (after registering, before the outcome is known) leaves unconfirmed rows. Handing in the
  same file again heals it: the update ID returns the first outcome and the step above runs. Rows nobody comes
  back for are deleted by `People.sweep(SWEEP_AFTER)`, which the gateway runs before each application it registers
  (the worker needs no extra job for it). The outcome of an update that timed out is unknown, so the gateway
  deletes nothing then.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from domain.admission import track
from domain.models import Application, ApplicationFacts, Enrolment, Participant
from store.people import Enrolled, People, PersonData
from workflows.ids import group_workflow_id, participant_workflow_id

SWEEP_AFTER = timedelta(days=7)  # longer than any retry of a crashed application is likely to take


def contact_data(application: Application) -> PersonData:
    return PersonData(name=application.contact.name, email=application.contact.email, kind="contact")


def participant_data(participant: Participant) -> PersonData:
    return PersonData(
        name=participant.name,
        email=participant.email,
        kind="participant",
        role=participant.role,
        sector=participant.sector,
        education_years=participant.education_years,
        experience_years=participant.experience_years,
    )


async def register_application(people: People, application: Application) -> ApplicationFacts:
    """Register the contact and every participant (unconfirmed) and return what the cohort workflow gets.
    A contact who is also a participant is one person: registered once, with the participant's data."""
    persons = [participant_data(p) for p in application.participants]
    if not _contact_participates(application):
        persons.append(contact_data(application))
    ids = await people.register_many(application.cohort, persons)
    participants = [
        Enrolment(person_id=person_id, sector=p.sector, track=track(p))
        for person_id, p in zip(ids, application.participants, strict=False)
    ]
    return ApplicationFacts(
        cohort=application.cohort,
        municipalities=list(application.municipalities),
        contact=people.person_id(application.cohort, application.contact.email),
        participants=participants,
    )


async def register_participant(people: People, cohort: str, participant: Participant) -> Enrolment:
    person_id = await people.register(cohort, participant_data(participant))
    return Enrolment(person_id=person_id, sector=participant.sector, track=track(participant))


def person_ids(facts: ApplicationFacts) -> list[str]:
    return list(dict.fromkeys([facts.contact, *(p.person_id for p in facts.participants)]))


def enrolled(application: Application, group_id: str) -> list[Enrolled]:
    """Who the accepted application enrols where: participants are numbered in the order the file names them."""
    participants = [
        Enrolled(
            person=participant_data(p),
            group_workflow_id=group_id,
            participant_workflow_id=participant_workflow_id(group_id, number),
        )
        for number, p in enumerate(application.participants, 1)
    ]
    if _contact_participates(application):
        return participants
    return [Enrolled(person=contact_data(application), group_workflow_id=group_id), *participants]


def _contact_participates(application: Application) -> bool:
    return any(p.email == application.contact.email for p in application.participants)


def group_of(application: Application) -> str:
    return group_workflow_id(application.cohort, application.id)


def update_id(action: str, *facts: object) -> str:
    """The same facts give the same update ID: Temporal runs a repeated update once and repeats its outcome."""
    digest = hashlib.sha256("\x1f".join(str(f) for f in facts).encode()).hexdigest()[:32]
    return f"{action}-{digest}"
