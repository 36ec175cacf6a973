"""What a demo book owes its clients: running checklists, promises, concerns and key dates.

Checklists are written as rows (a few hundred checklists, a few thousand steps: through the core's commands
they took most of the demo's time), copying the process's current steps exactly as
:func:`~clientbook.core.processes.operations.start_checklist` does; their completion is derived afterwards,
with the other derived values. Promises, concerns and key dates are few, so they go through the core's own
commands, rules and history included.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Final

from clientbook.core.care.operations import acknowledge_concern, add_concern, add_key_date, add_promise
from clientbook.core.drafts import ConcernDraft, PromiseDraft
from clientbook.core.models import ClientKind, Staff, Stage
from clientbook.core.processes.queries import find_process
from clientbook.demo.bulk import insert_rows
from clientbook.demo.words import CONCERNS, PROMISES

CHECKLISTS_MAX: Final = 300
"""Checklists in all, half onboarding and half post-sale care."""
PLANS: Final = {Stage.ONBOARDING.value: "new-client-onboarding", Stage.POST_SALE.value: "post-sale-care"}
"""The process each stage's clients are going through."""
SKIPPED_STEP: Final = 0.08
"""The chance that a step already due has not been ticked yet (the rest of the checklist waits on it)."""
OWED_MAX: Final = 40
"""Promises made; a quarter as many concerns raised, and as many birthdays."""
_FIRST_CLIENTS: Final = "SELECT id FROM client NOT INDEXED "
"""The first clients by id that match: in rowid order, a scan stops at the limit (an index on another
column would make SQLite read and sort every match first)."""
STEP_COLUMNS: Final = ("checklist_id", "position", "title", "note", "due_on", "done_at", "done_by_id")


def start_checklists(
    connection: sqlite3.Connection, rng: random.Random, staff_ids: Sequence[int], now: datetime, stamp: str
) -> None:
    """Onboarding clients run onboarding, post-sale clients post-sale care, the steps due ticked in order.

    `stamp` is `now` as stored. Completion is left to :func:`complete_checklists`.
    """
    today = now.date()
    for stage, slug in PLANS.items():
        process = find_process(slug)
        (version_id,) = connection.execute(
            "SELECT id FROM process_version WHERE process_id = ? AND version = ?",
            (process.id, process.current_version),
        ).fetchone()
        steps = connection.execute(
            "SELECT position, title, note, due_days FROM process_step WHERE version_id = ? ORDER BY position",
            (version_id,),
        ).fetchall()
        chosen = connection.execute(
            _FIRST_CLIENTS + "WHERE stage = ? AND archived_at IS NULL ORDER BY id LIMIT ?",
            (stage, CHECKLISTS_MAX // 2),
        ).fetchall()
        rows: list[tuple[object, ...]] = []
        for (client_id,) in chosen:
            start = today - timedelta(days=rng.randint(0, 30))
            actor = staff_ids[int(rng.random() * len(staff_ids))]
            checklist_id = connection.execute(
                "INSERT INTO checklist (client_id, process_id, version_id, started_on, started_by_id, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (client_id, process.id, version_id, start.isoformat(), actor, stamp),
            ).lastrowid
            ticking = True
            for position, title, note, due_days in steps:
                due = start + timedelta(days=due_days) if due_days is not None else None
                # Ticked in order: once a step waits, the rest wait too.
                ticking = ticking and due is not None and due <= today and rng.random() >= SKIPPED_STEP
                rows.append(
                    (
                        checklist_id,
                        position,
                        title,
                        note,
                        due.isoformat() if due else None,
                        stamp if ticking else None,
                        actor if ticking else None,
                    )
                )
        insert_rows(connection, "checklist_step", STEP_COLUMNS, rows, constants={"done_note": ""})


def complete_checklists(connection: sqlite3.Connection, stamp: str) -> None:
    """Mark complete, at `stamp`, every checklist with no open step (the rule of
    :func:`~clientbook.core.processes.operations.refresh_completion`, for all checklists in one statement)."""
    connection.execute(
        "UPDATE checklist SET completed_at = ? WHERE completed_at IS NULL AND NOT EXISTS "
        "(SELECT 1 FROM checklist_step WHERE checklist_id = checklist.id AND done_at IS NULL)",
        (stamp,),
    )


def owe_things(
    connection: sqlite3.Connection, rng: random.Random, staff: Sequence[Staff], now: datetime
) -> None:
    """A few promises (some due, some late), concerns and birthdays, as a real book has, through the core."""
    active = [
        slug
        for (slug,) in connection.execute(
            "SELECT slug FROM client NOT INDEXED WHERE archived_at IS NULL AND stage = ? ORDER BY id LIMIT ?",
            (Stage.ACTIVE.value, OWED_MAX + OWED_MAX // 4),
        )
    ]
    for slug in active[:OWED_MAX]:
        due = (now + timedelta(days=rng.randint(-4, 10))).date().isoformat()
        maker = rng.choice(staff)
        add_promise(PromiseDraft(slug, rng.choice(PROMISES), maker.slug, due), actor=maker, zone="UTC")
    for slug in active[OWED_MAX:]:
        words, severity = rng.choice(CONCERNS)
        concern = add_concern(ConcernDraft(slug, words, severity), actor=staff[0])
        if rng.random() < 0.5:
            acknowledge_concern(concern.id, actor=staff[0], apology=True)
    people = connection.execute(
        _FIRST_CLIENTS + "WHERE kind = ? ORDER BY id LIMIT ?", (ClientKind.PERSON.value, OWED_MAX)
    )
    for (client_id,) in people.fetchall():
        birthday = (now + timedelta(days=rng.randint(0, 365))).date().isoformat()  # yearly: the year is moot
        add_key_date(client_id, "Birthday", birthday, yearly=True, actor=staff[0], zone="UTC")
