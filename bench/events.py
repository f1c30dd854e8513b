"""History events per participant-year: every workflow of one cohort (by its search attribute), its history length
summed by workflow type, divided by the participants started. Run it against a server that holds a finished demo
year (`make demo` leaves it in .data/; start `temporal server start-dev --db-filename .data/temporal.sqlite3`).

    TEMPORAL_ADDRESS=127.0.0.1:7233 .venv/bin/python bench/events.py [--cohort 2022] [--namespace default]
"""

from __future__ import annotations

import argparse
import asyncio
import os
from collections import defaultdict

from temporalio.client import Client


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cohort", default="2022")
    parser.add_argument("--namespace", default=os.environ.get("NIS_TEMPORAL_NAMESPACE", "default"))
    args = parser.parse_args()
    address = os.environ.get("TEMPORAL_ADDRESS", "127.0.0.1:7233")
    client = await Client.connect(address, namespace=args.namespace)
    events: dict[str, list[int]] = defaultdict(list)
    async for execution in client.list_workflows(f'NisCohort = "{args.cohort}"'):
        events[execution.workflow_type].append(execution.history_length)
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


if __name__ == "__main__":
    asyncio.run(main())
