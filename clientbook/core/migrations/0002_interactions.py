"""The interaction log: channels (a table, so more can be added without a code change) and interactions,
with what awaits a reply, full-text search over summaries and details, and the indexes the log pages by.
"""

from __future__ import annotations

from typing import Any

import peewee as pw

from clientbook.core.store.dialect import on_postgres

CHANNELS = (
    ("call", "Call", "☎", 1),
    ("email", "Email", "✉", 2),
    ("meeting", "Meeting", "◎", 3),
    ("message", "Message", "✆", 4),
    ("note", "Note", "✎", 5),
)

# Word search over summary and details for a million interactions: FTS5 with diacritics folded, kept by
# triggers from the interaction table's own columns.
INTERACTION_SEARCH = (
    "CREATE VIRTUAL TABLE interaction_search USING fts5("
    "summary, details, content='interaction', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER interaction_search_insert AFTER INSERT ON interaction BEGIN "
    "INSERT INTO interaction_search(rowid, summary, details) VALUES (new.id, new.summary, new.details); END",
    "CREATE TRIGGER interaction_search_delete AFTER DELETE ON interaction BEGIN "
    "INSERT INTO interaction_search(interaction_search, rowid, summary, details) "
    "VALUES ('delete', old.id, old.summary, old.details); END",
    "CREATE TRIGGER interaction_search_update AFTER UPDATE OF summary, details ON interaction BEGIN "
    "INSERT INTO interaction_search(interaction_search, rowid, summary, details) "
    "VALUES ('delete', old.id, old.summary, old.details); "
    "INSERT INTO interaction_search(rowid, summary, details) VALUES (new.id, new.summary, new.details); END",
)

# On PostgreSQL: a word index over the same text, diacritics folded as FTS5's `remove_diacritics` does (the
# `simple` configuration: no language's stemming, as unicode61), built from the table's own columns.
# `unaccent()` is not immutable (it reads a dictionary), so an index cannot use it; the wrapper names its
# dictionary and may be.
INTERACTION_SEARCH_POSTGRES = (
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE FUNCTION clientbook_unaccent(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT "
    "AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$",
    "CREATE INDEX interaction_search_words ON interaction "
    "USING gin (to_tsvector('simple', clientbook_unaccent(summary || ' ' || details)))",
)


def up(migrator: Any, db: pw.Database) -> None:
    class Base(pw.Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Staff(Base):
        pass

    class Client(Base):
        pass

    class Channel(Base):
        key = pw.CharField(primary_key=True)
        label = pw.CharField(constraints=[pw.Check("length(trim(label)) > 0")])
        icon = pw.CharField(default="·")
        position = pw.IntegerField(default=0)
        active = pw.BooleanField(default=True)

    class Interaction(Base):
        client = pw.ForeignKeyField(Client, backref="interactions", on_delete="RESTRICT")
        at = pw.DateTimeField()
        at_zone = pw.CharField()
        channel = pw.ForeignKeyField(Channel, field=Channel.key, column_name="channel", on_delete="RESTRICT")
        direction = pw.CharField(constraints=[pw.Check("direction IN ('inbound', 'outbound', 'internal')")])
        summary = pw.CharField(constraints=[pw.Check("length(trim(summary)) > 0")])
        details = pw.TextField(default="")
        handled_by = pw.ForeignKeyField(Staff, on_delete="RESTRICT")
        follow_up = pw.DateField(null=True)
        mood = pw.CharField(null=True, constraints=[pw.Check("mood IN ('upset', 'neutral', 'happy')")])
        awaiting = pw.BooleanField(default=False)
        answered_by = pw.ForeignKeyField("self", null=True, on_delete="SET NULL")
        acknowledged_at = pw.DateTimeField(null=True)
        acknowledged_by = pw.ForeignKeyField(Staff, null=True, on_delete="SET NULL")
        created_by = pw.ForeignKeyField(Staff, null=True, on_delete="SET NULL")
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()

        class Meta:
            indexes = (
                (("client", "at", "id"), False),
                (("at", "id"), False),
                (("awaiting", "at", "id"), False),
                (("handled_by", "at"), False),
                (("channel", "at", "id"), False),
                (("direction", "at", "id"), False),
            )

    db.create_tables([Channel, Interaction])
    Channel.insert_many(
        [{"key": k, "label": label, "icon": icon, "position": p} for k, label, icon, p in CHANNELS]
    ).execute()
    for statement in INTERACTION_SEARCH_POSTGRES if on_postgres(db) else INTERACTION_SEARCH:
        db.execute_sql(statement)  # type: ignore[no-untyped-call]
