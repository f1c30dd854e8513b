"""History events per participant-year: every workflow of one cohort (by its search attribute), its history length
summed by workflow type, divided by the participants started. Run it against a server that holds a finished demo
year (`make demo` leaves it in .data/; start `temporal server start-dev --db-filename .data/temporal.sqlite3`).
`--by-cause` reads every history and says where the events go: per workflow type, each event type (an update by its
name, an activity by its type, a timer, a signal by its name), per participant-year, the biggest first.

    TEMPORAL_ADDRESS=127.0.0.1:7233 .venv/bin/python bench/events.py [--cohort 2022] [--namespace default] [--by-cause]
"""

from __future__ import annotations

import argparse
import asyncio
import os
from collections import Counter, defaultdict
from collections.abc import Sequence

from temporalio.api.enums.v1 import EventType
from temporalio.api.history.v1 import HistoryEvent
from temporalio.client import Client


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cohort", default="2022")
    parser.add_argument("--namespace", default=os.environ.get("NIS_TEMPORAL_NAMESPACE", "default"))
    parser.add_argument("--by-cause", action="store_true", help="read every history: where its events go")
    parser.add_argument("--top", type=int, default=12, help="with --by-cause: the causes shown per workflow type")
    args = parser.parse_args()
    address = os.environ.get("TEMPORAL_ADDRESS", "127.0.0.1:7233")
    client = await Client.connect(address, namespace=args.namespace)
    events: dict[str, list[int]] = defaultdict(list)
    causes: dict[str, Counter[str]] = defaultdict(Counter)
    async for execution in client.list_workflows(f'NisCohort = "{args.cohort}"'):
        events[execution.workflow_type].append(execution.history_length)
        if args.by_cause:
            history = await client.get_workflow_handle(execution.id, run_id=execution.run_id).fetch_history()
            causes[execution.workflow_type].update(_causes(history.events))
    participants = len(events.get("ParticipantWorkflow", []))
    if not participants:
        raise SystemExit(f"no participants of cohort {args.cohort} on {address}")
    total = sum(sum(lengths) for lengths in events.values())
    print(f"cohort {args.cohort} on {address}: {participants} participants started")
    print(f"{'workflow type':<22}{'runs':>6}{'events':>9}{'avg/run':>9}{'per p-y':>9}")
    for kind, lengths in sorted(events.items()):
        print(
            f"{kind:<22}{len(lengths):>6}{sum(lengths):>9}{sum(lengths) / len(lengths):>9.1f}"
            f"{sum(lengths) / participants:>9.1f}"
        )
    print(f"{'total':<22}{sum(map(len, events.values())):>6}{total:>9}{'':>9}{total / participants:>9.1f}")
    print(f"events per participant-year: {total / participants:.1f}")
    for kind, counted in sorted(causes.items()):
        print(f"\n{kind}: where its events go, per participant-year")
        for cause, count in counted.most_common(args.top):
            print(f"  {cause:<60}{count:>7}{count / participants:>9.1f}")


def _causes(events: Sequence[HistoryEvent]) -> Counter[str]:
    """Each event by its type; an update, an activity and a timer's events by what they were for (the activity's
    and the timer's later events by the event that scheduled or started them)."""
    named: dict[int, str] = {}
    counted: Counter[str] = Counter()
    for event in events:
        kind = EventType.Name(event.event_type).removeprefix("EVENT_TYPE_")
        what = ""
        if event.HasField("workflow_execution_update_accepted_event_attributes"):
            what = event.workflow_execution_update_accepted_event_attributes.accepted_request.input.name
            named[event.event_id] = what
        elif event.HasField("workflow_execution_update_completed_event_attributes"):
            what = named.get(event.workflow_execution_update_completed_event_attributes.accepted_event_id, "")
        elif event.HasField("activity_task_scheduled_event_attributes"):
            what = event.activity_task_scheduled_event_attributes.activity_type.name
            named[event.event_id] = what
        elif event.HasField("activity_task_started_event_attributes"):
            what = named.get(event.activity_task_started_event_attributes.scheduled_event_id, "")
        elif event.HasField("activity_task_completed_event_attributes"):
            what = named.get(event.activity_task_completed_event_attributes.scheduled_event_id, "")
        elif event.HasField("workflow_execution_signaled_event_attributes"):
            what = event.workflow_execution_signaled_event_attributes.signal_name
        counted[f"{kind} {what}".strip()] += 1
    return counted


if __name__ == "__main__":
    asyncio.run(main())
