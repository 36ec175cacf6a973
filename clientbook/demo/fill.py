"""Filling a new book with the demo: staff, clients, their log, and what is owed, fast at any size.

The order matters for speed. The interaction log is planned first (:mod:`.interactions`), so each client row
is written once, its last contact known; clients, contact people and interactions then go in one
transaction with durability relaxed and the indexes, triggers and full-text indexes built after
(:mod:`.bulk`); the checklists follow in the same transaction, and :func:`_derive` refreshes what is kept
from other rows while durability is still relaxed. Promises, concerns and key dates are few, and go through
the core's commands afterwards, with every setting and check a normal open has.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any, Final, cast

from clientbook.core import clock
from clientbook.core.care.due import recompute_care_due, use_cadence
from clientbook.core.clients.operations import add_staff, ensure_owner
from clientbook.core.db import database
from clientbook.core.models import BaseModel, Client, ContactPerson, Interaction, Setting
from clientbook.core.store.plain import PlainSql
from clientbook.demo.bulk import DeferredIndexes, insert_rows, quoted, relaxed
from clientbook.demo.care import complete_checklists, owe_things, start_checklists
from clientbook.demo.clients import CLIENT_COLUMNS, CONTACT_COLUMNS, client_batches
from clientbook.demo.interactions import (
    MADE,
    VARYING,
    Templates,
    interaction_texts,
    plan,
    write_interactions,
)
from clientbook.demo.mark import DEMO_KEY
from clientbook.demo.pools import Stamps, minute_of
from clientbook.demo.search import side_search
from clientbook.demo.words import STAFF
from clientbook.settings import DEFAULT_CADENCE

BULK_TABLES: Final = ("client", "contact_person", "interaction")
"""The tables written with their indexes built after."""
SIDE_BUILT: Final = ("interaction", "client")
"""The content tables whose full-text indexes are built on the side, each on its own thread."""
ZONE: Final = "Europe/London"
"""The zone every demo interaction was entered in."""
DAYS_BACK: Final = 902
"""The oldest stored time in a demo book (a client made 900 days and a day ago) is within this many days."""


def fill_demo_book(clients: int, *, interactions: int | None = None, seed: int = 7, you: str = "") -> int:
    """Add the demo staff, `clients` sample clients and `interactions` interactions (default: ten per
    client) to the open, new book; returns the clients added.

    `you` (the settings `owner`) joins the staff, so the demo opens with the user's own settings. The same
    seed on the same clock gives the same book. A book that already has clients is refused with ValueError:
    the fill drops indexes and relaxes durability, which is only right for a book nobody uses yet.
    """
    if Client.select().exists():
        raise ValueError("the demo fills a new book, and this one already has clients")
    rng = random.Random(seed)
    now = clock.now()
    owner = ensure_owner(STAFF[0])
    Setting.replace(key=DEMO_KEY, value="1").execute()  # type: ignore[no-untyped-call]
    staff = [owner] + [add_staff(name) for name in STAFF[1:]]
    if you.strip() and you.strip().casefold() not in {name.casefold() for name in STAFF}:
        add_staff(you)
    connection = cast("sqlite3.Connection", database.connection())
    stamps = Stamps((now - timedelta(days=DAYS_BACK)).date(), (now + timedelta(days=1)).date())
    staff_ids = [member.id for member in staff]
    total = clients * 10 if interactions is None else interactions
    _write_bulk(connection, rng, clients, total, staff_ids=staff_ids, stamps=stamps, now=now)
    with database.atomic():  # a few dozen commands, with every setting and check a normal open has
        owe_things(connection, rng, staff, now)
    return clients


def _write_bulk(
    connection: sqlite3.Connection,
    rng: random.Random,
    clients: int,
    total: int,
    *,
    staff_ids: list[int],
    stamps: Stamps,
    now: datetime,
) -> None:
    """Write the clients, their contact people, `total` interactions and the checklists in one relaxed
    transaction, with indexes, triggers and full-text indexes built once the rows are in, and derive what is
    kept from them."""
    templates = Templates.of(staff_ids)
    log = plan(rng, clients, total, templates=templates, now=now)
    stamp = stamps.text(minute_of(now), now.second)
    searched: list[str] = []  # each client's search text, by id from 1, for the side build
    client_defaults = _defaults(Client, CLIENT_COLUMNS)
    contact_defaults = _defaults(ContactPerson, CONTACT_COLUMNS)
    fixed = {"at_zone": ZONE, "created_at": stamp, "updated_at": stamp}
    # Deferred, not the book's usual BEGIN IMMEDIATE: that takes a write lock on every attached database,
    # and the side build's threads go on writing theirs until this thread copies from them.
    transaction = database.atomic("DEFERRED")
    with relaxed(connection), side_search(connection, SIDE_BUILT) as side, transaction:
        in_order = [c for c in _columns(connection, "interaction") if c not in VARYING]
        deferred = DeferredIndexes.drop(connection, BULK_TABLES, in_order={"interaction": in_order})
        for batch in client_batches(
            rng, clients, staff_ids=staff_ids, now=now, last_contacts=log.last_contact, stamps=stamps
        ):
            insert_rows(connection, "client", CLIENT_COLUMNS, batch.clients, constants=client_defaults)
            insert_rows(
                connection, "contact_person", CONTACT_COLUMNS, batch.contacts, constants=contact_defaults
            )
            searched += (row[-1] for row in batch.clients)
        # The full-text indexes are built on other threads, from the client rows just written and the plan,
        # while this one writes the interactions and sorts the other indexes.
        built = side.start(
            deferred.searches,
            {
                "interaction": (("id", "summary", "details"), lambda: interaction_texts(log, templates)),
                "client": (("id", "search_text"), lambda: enumerate(searched, 1)),
            },
        )
        write_interactions(
            connection, log, templates, constants=_defaults(Interaction, (*MADE, *fixed)) | fixed
        )
        deferred.build_indexes()
        side.copy_in()
        deferred.rebuild_searches(except_for=built)
        deferred.make_triggers()
        start_checklists(connection, rng, staff_ids, now, stamp)
        _derive(connection, stamp)


def _derive(connection: sqlite3.Connection, stamp: str) -> None:
    """Refresh, for the whole book at once, the values the core keeps from other rows; `stamp` is now.

    Checklist completion is derived here. Each client's last contact and each message's awaiting flag,
    reply and acknowledgement are made with the rows instead (see :mod:`.interactions`), where they cost
    nothing. A value the core maintains on every write belongs here too, as one bulk statement: each
    client's `care_due` (its triggers were made after the rows went in), for the default cadences; a user
    whose settings say otherwise gets theirs on the first care read.
    """
    complete_checklists(connection, stamp)
    sql = PlainSql(connection)
    if not use_cadence(sql, DEFAULT_CADENCE):
        recompute_care_due(sql)


def _defaults(model: type[BaseModel], given: Iterable[str]) -> dict[str, Any]:
    """The model's own default for each column the generator does not fill (`''` where the core would
    write `''`, rather than NULL), so a column a migration adds gets what a normal insert gives it."""
    skip = set(given)
    defaults: dict[str, Any] = {}
    for field in model._meta.sorted_fields:
        if field.column_name in skip or field.primary_key or field.default is None or callable(field.default):
            continue
        defaults[field.column_name] = field.db_value(field.default)
    return defaults


def _columns(connection: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in connection.execute(f"PRAGMA main.table_info({quoted(table)})")]
