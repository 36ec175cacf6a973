"""The benchmark's books, and what is measured in the benchmark's own process: durable saves, fsync, and a
page of the client list through peewee against the same SQL through sqlite3.

Everything here goes through the core as the app and the CLI do, on the book opened by :func:`seed_book`
(the current book of this thread).
"""

from __future__ import annotations

import dataclasses
import logging
import os
import random
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, Final

from clientbook.bench.seeding import fill_demo_book
from clientbook.core import clock
from clientbook.core.clients.operations import update_client
from clientbook.core.clients.queries import ClientFilter, client_page, draft_of, get_client
from clientbook.core.db import database, open_database
from clientbook.core.log.operations import refresh_last_contact
from clientbook.core.models import Client, Interaction, Staff, utc_naive
from clientbook.core.who import book_owner
from clientbook.ui.widgets.virtual_table import PAGE

BUSY_INTERACTIONS: Final = 1_000
RARE_TAG: Final = "benchmark"
"""Given to the busy client only, so `client list --search benchmark` matches one client in the book."""
SAVES: Final = 20
FSYNCS: Final = 20
PAGE_READS: Final = 30


@dataclass(frozen=True)
class SeededBook:
    path: Path
    seed_s: float
    """Opening the new book and filling it with the demo generator, as `clientbook demo` does."""
    busy_client: int
    """First in the client list, with exactly :data:`BUSY_INTERACTIONS` interactions."""
    clients: int
    interactions: int
    """Counted in the book once it is ready, the busy client's extra interactions included."""


def seed_book(path: Path, *, clients: int, interactions: int, you: str, phone_region: str) -> SeededBook:
    """Make the book at `path` (left open for this thread): demo data, then the busy client.

    `you` (the settings' owner) joins the demo staff, as `clientbook demo` does, so the app and the CLI
    sign in with the user's own settings."""
    start = time.perf_counter()
    open_database(path)
    fill_demo_book(clients, interactions=interactions, you=you)
    seed_s = time.perf_counter() - start
    busy = make_busy_client(phone_region=phone_region)
    return SeededBook(
        path=path,
        seed_s=seed_s,
        busy_client=busy,
        clients=Client.select().count(),
        interactions=Interaction.select().count(),
    )


def make_busy_client(*, phone_region: str) -> int:
    """Give the first client of the list :data:`BUSY_INTERACTIONS` interactions, in one bulk insert.

    Outbound messages and notes, and inbound ones already acknowledged, spread over the last 400 days: a
    long history that leaves no message waiting, so the care queue is the demo's own.
    """
    first = client_page(ClientFilter(), offset=0, limit=1)
    if not first:
        raise ValueError("the book has no current client to give a history to")
    client = get_client(first[0].id)
    have = Interaction.select().where(Interaction.client == client.id).count()
    rng = random.Random(10)
    now = clock.now()
    stamp = utc_naive(now)
    staff_id = client.point_person.id
    rows: list[dict[str, Any]] = []
    for _ in range(max(BUSY_INTERACTIONS - have, 0)):
        at = utc_naive(now - timedelta(minutes=rng.randint(60, 400 * 24 * 60))).replace(second=0)
        direction = rng.choice(("inbound", "outbound", "outbound", "internal"))
        inbound = direction == "inbound"
        rows.append(
            {
                "client": client.id,
                "at": at,
                "at_zone": "Europe/London",
                "channel": {"inbound": "email", "outbound": "call", "internal": "note"}[direction],
                "direction": direction,
                "summary": f"Benchmark history: {direction}",
                "handled_by": staff_id,
                "awaiting": False,
                "acknowledged_at": at + timedelta(hours=2) if inbound else None,
                "acknowledged_by": staff_id if inbound else None,
                "created_by": staff_id,
                "created_at": stamp,
                "updated_at": stamp,
            }
        )
    with database.atomic():
        for start in range(0, len(rows), 200):
            Interaction.insert_many(rows[start : start + 200]).execute()
        refresh_last_contact(client.id)
    # Through the core, as an edit in the app would: the rare term `client list --search` looks for.
    owner = _owner()
    draft = draft_of(client.id)
    tags = ", ".join(t for t in (draft.tags, RARE_TAG) if t)
    update_client(client.id, dataclasses.replace(draft, tags=tags), actor=owner, phone_region=phone_region)
    return int(client.id)


def _owner() -> Staff:
    owner = book_owner()
    if owner is None:
        raise ValueError("the benchmark book has no owner")
    return owner


@dataclass(frozen=True)
class Saves:
    """ms for each durable save: the write (BEGIN to the durable COMMIT) and the whole edit around it."""

    write_ms: list[float]
    edit_ms: list[float]


def durable_saves(client_id: int, *, phone_region: str, rounds: int = SAVES) -> Saves:
    """`rounds` edits of the client's notes through the core, the draft read before the clock starts.

    Two figures each: the whole edit (validation, the duplicate check, the write), and the write alone, from
    the moment SQLite is told `BEGIN` to the return of the `COMMIT` (the change set and its field changes
    included, `synchronous=full`): what the save budget holds to fsync + 1 ms, since it is what grows with
    the pages each index adds.
    """
    owner = _owner()
    began: list[float] = []
    connection = database.connection()

    def traced(statement: str) -> None:
        if statement.startswith("BEGIN"):
            began.append(time.perf_counter())

    write_ms: list[float] = []
    edit_ms: list[float] = []
    connection.set_trace_callback(traced)
    try:
        for number in range(rounds):
            draft = dataclasses.replace(draft_of(client_id), notes=f"Benchmark save {number}")
            began.clear()
            start = time.perf_counter()
            update_client(client_id, draft, actor=owner, phone_region=phone_region)
            end = time.perf_counter()
            edit_ms.append((end - start) * 1000)
            write_ms.append((end - began[0]) * 1000 if began else edit_ms[-1])
    finally:
        connection.set_trace_callback(None)
    return Saves(write_ms, edit_ms)


def fsync_times(folder: Path, rounds: int = FSYNCS) -> list[float]:
    """ms for each of `rounds` writes of one 4 KiB page (a WAL frame's size) and its fsync, in `folder`: what
    a durable commit cannot avoid on this disk."""
    path = folder / "fsync-probe"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    times: list[float] = []
    try:
        for number in range(rounds):
            start = time.perf_counter()
            os.pwrite(descriptor, bytes([number]) * 4096, 0)
            os.fsync(descriptor)
            times.append((time.perf_counter() - start) * 1000)
    finally:
        os.close(descriptor)
        path.unlink()
    return times


class _Statements(logging.Handler):
    """Collects the (sql, params) peewee logs for each statement it runs."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.seen: list[tuple[str, tuple[Any, ...]]] = []

    def emit(self, record: logging.LogRecord) -> None:
        if isinstance(record.msg, tuple) and len(record.msg) == 2:
            sql, params = record.msg
            self.seen.append((str(sql), tuple(params or ())))


@contextmanager
def _statements() -> Iterator[_Statements]:
    logger = logging.getLogger("peewee")
    handler = _Statements()
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def page_reads(path: Path, rounds: int = PAGE_READS) -> tuple[list[float], list[float]]:
    """ms to read the client list's first page (:data:`PAGE` rows) through the core with peewee, and to run
    the very statements peewee ran for it (caught from its log) through sqlite3, fetching every row."""
    with _statements() as caught:
        client_page(ClientFilter(), offset=0, limit=PAGE)
    statements = list(caught.seen)
    through_peewee = []
    for _ in range(rounds):
        start = time.perf_counter()
        client_page(ClientFilter(), offset=0, limit=PAGE)
        through_peewee.append((time.perf_counter() - start) * 1000)
    connection = sqlite3.connect(path)
    through_sqlite = []
    try:
        for _ in range(rounds):
            start = time.perf_counter()
            for sql, params in statements:
                connection.execute(sql, params).fetchall()
            through_sqlite.append((time.perf_counter() - start) * 1000)
    finally:
        connection.close()
    return through_peewee, through_sqlite
