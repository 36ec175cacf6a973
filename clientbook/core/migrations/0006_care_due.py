"""Care at any size: each client's `care_due`, the instant its contact cadence runs out, kept by triggers.

The neglect section of the care queue ("needs care, past cadence") used to compare every client's last
contact with its stage's cadence, which at 100,000 clients is a scan and a sort on every visit. Now it is one
range of the `(archived_at, care_due)` index. `care_due` is written by SQLite itself, in the statement that
changes what it depends on (last contact, creation, stage, the client's own cadence), so every path in (the
app, the CLI, undo, import, the demo's bulk insert) keeps it right. The stage cadences it uses are the book's
`cadence.<stage>` settings rows, which :func:`clientbook.core.care.due.use_cadence` keeps equal to the
user's settings file (recomputing every client, once, when they change); a book starts with the defaults.
"""

from __future__ import annotations

from typing import Any

import peewee as pw

from clientbook.core.store.dialect import on_postgres


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

# On PostgreSQL one row trigger, before the write, sets the value in the row being written.
CARE_DUE_POSTGRES = (
    "CREATE FUNCTION client_care_due() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "DECLARE days integer; BEGIN "
    "days := COALESCE(NULLIF(NEW.cadence_days, 0), "
    "(SELECT CAST(value AS integer) FROM setting WHERE key = 'cadence.' || NEW.stage)); "
    "NEW.care_due := CASE WHEN days > 0 THEN "
    "COALESCE(NEW.last_contact_at, NEW.created_at) + make_interval(days => days) END; "
    "RETURN NEW; END $$",
    "CREATE TRIGGER client_care_due "
    "BEFORE INSERT OR UPDATE OF last_contact_at, created_at, stage, cadence_days ON client "
    "FOR EACH ROW EXECUTE FUNCTION client_care_due()",
)


DEFAULT_CADENCE = {"lead": 7, "onboarding": 7, "active": 30, "post-sale": 14, "dormant": 90}
"""The settings file's default stage cadences when this migration was written (a frozen copy): a book starts
with them, so a user on the defaults never has a read compute them; other settings take over on the first
care read."""


def up(migrator: Any, db: pw.Database) -> None:
    migrator.migrate(
        migrator.add_column("client", "care_due", pw.DateTimeField(null=True)),
        migrator.add_index("client", ("archived_at", "care_due"), False),
    )
    postgres = on_postgres(db)
    for statement in CARE_DUE_POSTGRES if postgres else CARE_DUE_TRIGGERS:
        db.execute_sql(statement)  # type: ignore[no-untyped-call]
    insert = (
        "INSERT INTO setting (key, value) VALUES (%s, %s) ON CONFLICT DO NOTHING"
        if postgres
        else "INSERT OR IGNORE INTO setting (key, value) VALUES (?, ?)"
    )
    for stage, days in DEFAULT_CADENCE.items():
        db.execute_sql(insert, (f"cadence.{stage}", str(days)))  # type: ignore[no-untyped-call]
    # Every existing client's value, once (a new book has none): writing a watched column fires the trigger.
    db.execute_sql("UPDATE client SET stage = stage")  # type: ignore[no-untyped-call]
