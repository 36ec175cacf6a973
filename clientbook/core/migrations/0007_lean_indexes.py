"""Fewer, smaller indexes, so a save writes few pages: every index of a table is written by every insert.

Dropped: indexes that are the leading part of another (`interaction(client_id)` beside `interaction(client_id,
at, id)`, and the same for channel, handled_by, the client's point-person, the change set's client and
actor); the log's direction index (a third of all rows match any direction, so the time index finds a page as
fast); and foreign-key indexes on columns only ever cleared when a staff member is deleted (acknowledged_by,
created_by, undone_by), which clientbook never does (staff are made inactive).

Made partial (only the rows they serve, a few thousand of a million): what awaits a reply, by time (the
queue) and by client (the list's counts), and open follow-ups by day.

Added: what the duplicate check before every client save looks up (an email in any case, a phone number in
E.164, a folded name, on clients and on contact people). Without them each save read all 100,000 clients
(0.8 s); with them it is a few index probes.
"""

from __future__ import annotations

from typing import Any

import peewee as pw

from clientbook.core.store.dialect import on_postgres

DROPPED = (
    "interaction_client_id",
    "interaction_channel",
    "interaction_handled_by_id",
    "interaction_acknowledged_by_id",
    "interaction_created_by_id",
    "interaction_awaiting_at_id",
    "interaction_direction_at_id",
    "interaction_follow_up_done_at_follow_up",
    "client_point_person_id",
    "change_set_actor_id",
    "change_set_client_id",
    "change_set_undone_by_id",
)
ADDED = (
    'CREATE INDEX "interaction_awaiting_at" ON "interaction" ("at", "id") WHERE "awaiting" = 1',
    'CREATE INDEX "interaction_awaiting_client" ON "interaction" ("client_id") WHERE "awaiting" = 1',
    'CREATE INDEX "interaction_follow_up_open" ON "interaction" ("follow_up", "id") '
    'WHERE "follow_up_done_at" IS NULL AND "follow_up" IS NOT NULL',
    'CREATE INDEX "client_email_key" ON "client" (lower("email"))',
    'CREATE INDEX "client_phone_e164" ON "client" ("phone_e164")',
    'CREATE INDEX "client_sort_name" ON "client" ("sort_name")',
    'CREATE INDEX "contact_person_email_key" ON "contact_person" (lower("email"))',
    'CREATE INDEX "contact_person_phone_e164" ON "contact_person" ("phone_e164")',
)

# PostgreSQL's booleans are not integers: the partial indexes name the flag itself.
ADDED_POSTGRES = tuple(statement.replace('"awaiting" = 1', '"awaiting"') for statement in ADDED)

# PostgreSQL only, and here because this is the last migration written before team books existed: every
# statement that writes a table of the book notifies `clientbook_changes` (once per transaction, as
# PostgreSQL folds equal notifications), so each open app reads its screen again (clientbook.core.watch).
# SQLite needs nothing: each connection sees the file's data version change.
NOTIFIED = (
    "setting", "staff", "client", "contact_person", "channel", "interaction", "process", "process_version",
    "process_step", "checklist", "checklist_step", "promise", "concern", "key_date", "change_set",
    "field_change",
)  # fmt: skip
CHANGE_NOTICES = (
    "CREATE FUNCTION clientbook_changed() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN PERFORM pg_notify('clientbook_changes', ''); RETURN NULL; END $$",
    *(
        f'CREATE TRIGGER "{table}_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}" '
        "FOR EACH STATEMENT EXECUTE FUNCTION clientbook_changed()"
        for table in NOTIFIED
    ),
)


def up(migrator: Any, db: pw.Database) -> None:
    for name in DROPPED:
        db.execute_sql(f'DROP INDEX IF EXISTS "{name}"')  # type: ignore[no-untyped-call]
    for statement in (*ADDED_POSTGRES, *CHANGE_NOTICES) if on_postgres(db) else ADDED:
        db.execute_sql(statement)  # type: ignore[no-untyped-call]
