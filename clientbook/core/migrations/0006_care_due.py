"""Care at any size: each client's `care_due`, the instant its contact cadence runs out, kept by triggers.

The neglect section of the care queue ("needs care, past cadence") used to compare every client's last
contact with its stage's cadence, which at 100,000 clients is a scan and a sort on every visit. Now it is one
range of the `(archived_at, care_due)` index. `care_due` is written by SQLite itself, in the statement that
changes what it depends on (last contact, creation, stage, the client's own cadence), so every path in (the
app, the CLI, undo, import, the demo's bulk insert) keeps it right. The stage cadences it uses are the book's
`cadence.<stage>` settings rows, which :func:`clientbook.core.care_due.use_cadence` keeps equal to the
user's settings file (recomputing every client, once, when they change).
"""

from __future__ import annotations

from typing import Any

import peewee as pw


def cadence_of(row: str) -> str:
    """SQL for the cadence in days that applies to client `row` (`new` in a trigger): its own, else its
    stage's from the settings rows; NULL or 0 when it has none."""
    return (
        f"COALESCE(NULLIF({row}.cadence_days, 0), "
        f"(SELECT CAST(value AS INTEGER) FROM setting WHERE key = 'cadence.' || {row}.stage))"
    )


def care_due_of(row: str) -> str:
    """SQL for client `row`'s care-due instant: last contact (or creation) plus its cadence, as naive UTC text
    to the millisecond (`YYYY-MM-DD HH:MM:SS.SSS`); NULL when no cadence applies."""
    days = cadence_of(row)
    return (
        f"CASE WHEN {days} > 0 THEN strftime('%Y-%m-%d %H:%M:%f', "
        f"COALESCE({row}.last_contact_at, {row}.created_at), '+' || {days} || ' days') END"
    )


CARE_DUE_TRIGGERS = (
    "CREATE TRIGGER client_care_due_insert AFTER INSERT ON client BEGIN "
    f"UPDATE client SET care_due = {care_due_of('new')} WHERE id = new.id; END",
    "CREATE TRIGGER client_care_due_update "
    "AFTER UPDATE OF last_contact_at, created_at, stage, cadence_days ON client BEGIN "
    f"UPDATE client SET care_due = {care_due_of('new')} WHERE id = new.id; END",
)


def up(migrator: Any, db: pw.Database) -> None:
    migrator.migrate(
        migrator.add_column("client", "care_due", pw.DateTimeField(null=True)),
        migrator.add_index("client", ("archived_at", "care_due"), False),
    )
    for statement in CARE_DUE_TRIGGERS:
        db.execute_sql(statement)  # type: ignore[no-untyped-call]
    # The stage cadences are not known here (they live in the user's settings): the first care read fills
    # them in and computes every client's value (see clientbook.core.care_due).
