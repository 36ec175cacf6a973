"""The first schema: the book's settings, staff, clients with their contact people, change history, search.

Every required text column carries a CHECK constraint, so even a write that bypassed validation cannot store
an empty name.
"""

from __future__ import annotations

from typing import Any

import peewee as pw

from clientbook.core.store.dialect import on_postgres


def _required(column: str) -> pw.SQL | pw.NodeList:
    return pw.Check(f"length(trim({column})) > 0")


def up(migrator: Any, db: pw.Database) -> None:
    class Base(pw.Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Setting(Base):
        key = pw.CharField(primary_key=True)
        value = pw.TextField()

    class Staff(Base):
        name = pw.CharField(constraints=[_required("name")])
        slug = pw.CharField(unique=True, constraints=[_required("slug")])
        email = pw.CharField(default="")
        active = pw.BooleanField(default=True)
        created_at = pw.DateTimeField()

    class Client(Base):
        slug = pw.CharField(unique=True, constraints=[_required("slug")])
        name = pw.CharField(constraints=[_required("name")])
        kind = pw.CharField(default="person", constraints=[pw.Check("kind IN ('person', 'organisation')")])
        point_person = pw.ForeignKeyField(Staff, backref="clients", on_delete="RESTRICT")
        backup_person = pw.ForeignKeyField(Staff, null=True, backref="backup_clients", on_delete="SET NULL")
        stage = pw.CharField(
            default="lead",
            constraints=[
                pw.Check("stage IN ('lead', 'onboarding', 'active', 'post-sale', 'dormant', 'former')")
            ],
        )
        email = pw.CharField(default="")
        phone = pw.CharField(default="")
        phone_e164 = pw.CharField(default="")
        company = pw.CharField(default="")
        timezone = pw.CharField(default="")
        tags = pw.CharField(default="")
        notes = pw.TextField(default="")
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()
        archived_at = pw.DateTimeField(null=True)
        last_contact_at = pw.DateTimeField(null=True)
        sort_name = pw.CharField()
        search_text = pw.TextField()

        class Meta:
            indexes = (
                (("archived_at", "sort_name", "id"), False),
                (("archived_at", "last_contact_at", "id"), False),
                (("point_person", "sort_name"), False),
            )

    class ContactPerson(Base):
        client = pw.ForeignKeyField(Client, backref="contacts", on_delete="CASCADE")
        position = pw.IntegerField(default=0)
        name = pw.CharField(constraints=[_required("name")])
        role = pw.CharField(default="")
        email = pw.CharField(default="")
        phone = pw.CharField(default="")
        phone_e164 = pw.CharField(default="")
        is_primary = pw.BooleanField(default=False)

    class Change(Base):
        table = pw.CharField()
        record_id = pw.IntegerField()
        field = pw.CharField()
        old = pw.TextField(null=True)
        new = pw.TextField(null=True)
        changed_by = pw.ForeignKeyField(Staff, null=True, on_delete="SET NULL")
        changed_at = pw.DateTimeField()

        class Meta:
            indexes = ((("table", "record_id", "changed_at"), False),)

    db.create_tables([Setting, Staff, Client, ContactPerson, Change])
    for statement in CLIENT_SEARCH_POSTGRES if on_postgres(db) else CLIENT_SEARCH:
        db.execute_sql(statement)  # type: ignore[no-untyped-call]


# Search-as-you-type over 100,000 clients: a trigram index answers "contains" in milliseconds where a scan of
# the client table takes ~200 ms. External content (the client table's own search_text), kept by triggers.
CLIENT_SEARCH = (
    "CREATE VIRTUAL TABLE client_search USING fts5("
    "search_text, content='client', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER client_search_insert AFTER INSERT ON client BEGIN "
    "INSERT INTO client_search(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER client_search_delete AFTER DELETE ON client BEGIN "
    "INSERT INTO client_search(client_search, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER client_search_update AFTER UPDATE OF search_text ON client BEGIN "
    "INSERT INTO client_search(client_search, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO client_search(rowid, search_text) VALUES (new.id, new.search_text); END",
)

# The same on PostgreSQL: a trigram index of the same column (pg_trgm, a trusted extension any database owner
# may create), which `LIKE '%text%'` uses; nothing to keep in step, the index is on the table itself.
CLIENT_SEARCH_POSTGRES = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX client_search_trigram ON client USING gin (search_text gin_trgm_ops)",
)
