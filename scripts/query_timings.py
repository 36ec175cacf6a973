"""Time the reads behind each screen on a real book: `python scripts/query_timings.py BOOK.db`.

Make a large book first (`clientbook demo --clients 100000 --path /tmp/big.db`: 100,000 clients and a
million interactions). Each read runs five times; the median is printed. These are the figures README.md's
Performance section quotes; the benchmark with budgets for every screen builds on them.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from clientbook.core import clock
from clientbook.core.care_queries import CarePolicy, care_queue
from clientbook.core.db import open_database
from clientbook.core.log_queries import InteractionFilter, count_interactions, interaction_page
from clientbook.core.models import Interaction
from clientbook.core.queries import ClientFilter, ClientSort, client_page, count_clients
from clientbook.settings import DEFAULT_CADENCE

RUNS = 5


def median_ms(read: Callable[[], object]) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        read()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    book = Path(sys.argv[1])
    open_database(book)
    clients, interactions = count_clients(ClientFilter(include_archived=True)), Interaction.select().count()
    print(f"{book}: {clients:,} clients, {interactions:,} interactions\n")
    by_name, by_contact = ClientFilter(), ClientFilter(sort=ClientSort.LAST_CONTACT)
    first = client_page(by_name, offset=0, limit=100)
    log, awaiting = InteractionFilter(), InteractionFilter(awaiting_only=True)
    first_log = interaction_page(log, offset=0, limit=100)
    busiest = InteractionFilter(client_id=first_log[0].client_id)
    week = InteractionFilter(since=(clock.now() - timedelta(days=7)).date())
    policy = CarePolicy(cadence=dict(DEFAULT_CADENCE))
    reads: dict[str, Callable[[], object]] = {
        "clients: count": lambda: count_clients(by_name),
        "clients: first page by name": lambda: client_page(by_name, offset=0, limit=100),
        "clients: first page by last contact": lambda: client_page(by_contact, offset=0, limit=100),
        "clients: next page (keyset)": lambda: client_page(by_name, offset=0, limit=100, after=first[-1]),
        "clients: jump to the middle (offset)": lambda: client_page(by_name, offset=clients // 2, limit=100),
        "clients: search 'ali' (count + page)": lambda: (
            count_clients(ClientFilter(search="ali")),
            client_page(ClientFilter(search="ali"), offset=0, limit=100),
        ),
        "clients: search 'zz' (count + page, scan)": lambda: (
            count_clients(ClientFilter(search="zz")),
            client_page(ClientFilter(search="zz"), offset=0, limit=100),
        ),
        "log: count": lambda: count_interactions(log),
        "log: first page": lambda: interaction_page(log, offset=0, limit=100),
        "log: next page (keyset)": lambda: interaction_page(log, offset=0, limit=100, after=first_log[-1]),
        "log: awaiting reply (count + page)": lambda: (
            count_interactions(awaiting),
            interaction_page(awaiting, offset=0, limit=100),
        ),
        "log: search 'invoice' (count + page)": lambda: (
            count_interactions(InteractionFilter(search="invoice")),
            interaction_page(InteractionFilter(search="invoice"), offset=0, limit=100),
        ),
        "log: channel 'call' (page)": lambda: interaction_page(
            InteractionFilter(channel="call"), offset=0, limit=100
        ),
        "log: last 7 days (count + page)": lambda: (
            count_interactions(week),
            interaction_page(week, offset=0, limit=100),
        ),
        "care: the whole queue (every section)": lambda: care_queue(policy, now=clock.now(), zone="UTC"),
        "care: one person's share (mine)": lambda: care_queue(
            policy, now=clock.now(), zone="UTC", staff_id=1
        ),
        "timeline: one client (count + page)": lambda: (
            count_interactions(busiest),
            interaction_page(busiest, offset=0, limit=100),
        ),
    }
    width = max(len(name) for name in reads)
    for name, read in reads.items():
        print(f"{name:<{width}}  {median_ms(read):8.1f} ms")


if __name__ == "__main__":
    main()
