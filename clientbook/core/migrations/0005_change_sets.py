"""The change history becomes data: one change set per user action, with typed old and new values per field.

The old `change` table held display text ("yes", names joined into one string) and no grouping, so nothing
could be undone from it. Its rows are carried over as change sets of action `legacy` (shown in the history,
never undone), grouped by who, when and which record, and the table is dropped.
"""

from __future__ import annotations

import json
from typing import Any

import peewee as pw

# Which client a legacy record belongs to, so its history shows on the client's detail.
_CLIENT_OF = {
    "interaction": "SELECT client_id FROM interaction WHERE id = ?",
    "promise": "SELECT client_id FROM promise WHERE id = ?",
    "concern": "SELECT client_id FROM concern WHERE id = ?",
    "checklist": "SELECT client_id FROM checklist WHERE id = ?",
}


def up(migrator: Any, db: pw.Database) -> None:
    class Base(pw.Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Staff(Base):
        pass

    class Client(Base):
        pass

    class ChangeSet(Base):
        actor = pw.ForeignKeyField(Staff, null=True, on_delete="SET NULL")
        at = pw.DateTimeField()
        action = pw.CharField(constraints=[pw.Check("length(action) > 0")])
        summary = pw.CharField()
        client = pw.ForeignKeyField(Client, null=True, on_delete="SET NULL")
        undoes = pw.ForeignKeyField("self", null=True, on_delete="SET NULL")
        undone_by = pw.ForeignKeyField("self", null=True, on_delete="SET NULL")

        class Meta:
            indexes = ((("client", "id"), False), (("actor", "id"), False))

    class FieldChange(Base):
        change_set = pw.ForeignKeyField(ChangeSet, on_delete="CASCADE")
        table = pw.CharField()
        record_id = pw.IntegerField()
        field = pw.CharField()
        old = pw.TextField(null=True)
        new = pw.TextField(null=True)

        class Meta:
            indexes = ((("table", "record_id", "change_set"), False), (("change_set",), False))

    db.create_tables([ChangeSet, FieldChange])
    if "change" not in db.get_tables():
        return
    rows = db.execute_sql(  # type: ignore[no-untyped-call]
        'SELECT "table", record_id, field, old, new, changed_by_id, changed_at FROM "change" ORDER BY id'
    ).fetchall()
    groups: dict[tuple[Any, ...], list[tuple[Any, ...]]] = {}
    for table, record_id, field, old, new, by, at in rows:
        groups.setdefault((by, at, table, record_id), []).append((field, old, new))
    for (by, at, table, record_id), changes in groups.items():
        client_id = record_id if table == "client" else None
        if table in _CLIENT_OF:
            found = db.execute_sql(_CLIENT_OF[table], (record_id,)).fetchone()  # type: ignore[no-untyped-call]
            client_id = found[0] if found else None
        fields = [field for field, _, _ in changes]
        summary = f"Created {table}" if fields == ["created"] else f"Changed {table}: {', '.join(fields)}"
        change_set = ChangeSet.create(
            actor=by, at=at, action="legacy", summary=summary[:200], client=client_id
        )
        for field, old, new in changes:
            FieldChange.create(
                change_set=change_set,
                table=table,
                record_id=record_id,
                field=field,
                old=None if old is None else json.dumps(old),
                new=None if new is None else json.dumps(new),
            )
    db.execute_sql('DROP TABLE "change"')  # type: ignore[no-untyped-call]
