"""What is owed to clients (care principles 4, 5, 6, 8, 9): promises, concerns, key dates, each client's
contact cadence and reply target, snoozing a neglected client with a reason, and done follow-ups."""

from __future__ import annotations

from typing import Any

import peewee as pw


def up(migrator: Any, db: pw.Database) -> None:
    class Base(pw.Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Staff(Base):
        pass

    class Client(Base):
        pass

    class Interaction(Base):
        pass

    class Promise(Base):
        client = pw.ForeignKeyField(Client, backref="promises", on_delete="RESTRICT")
        made_by = pw.ForeignKeyField(Staff, on_delete="RESTRICT")
        what = pw.CharField(constraints=[pw.Check("length(trim(what)) > 0")])
        due = pw.DateField()
        status = pw.CharField(
            default="open", constraints=[pw.Check("status IN ('open', 'kept', 'broken', 'renegotiated')")]
        )
        interaction = pw.ForeignKeyField(Interaction, null=True, on_delete="SET NULL")
        closed_at = pw.DateTimeField(null=True)
        kept_on_time = pw.BooleanField(null=True)
        created_at = pw.DateTimeField()

        class Meta:
            indexes = ((("status", "due"), False), (("client", "status"), False))

    class Concern(Base):
        client = pw.ForeignKeyField(Client, backref="concerns", on_delete="RESTRICT")
        words = pw.TextField(constraints=[pw.Check("length(trim(words)) > 0")])
        severity = pw.CharField(constraints=[pw.Check("severity IN ('low', 'medium', 'high')")])
        owner = pw.ForeignKeyField(Staff, on_delete="RESTRICT")
        raised_at = pw.DateTimeField()
        acknowledged_at = pw.DateTimeField(null=True)
        apology_at = pw.DateTimeField(null=True)
        remedy = pw.TextField(default="")
        resolved_at = pw.DateTimeField(null=True)
        client_confirmed = pw.BooleanField(default=False)
        checkin_on = pw.DateField(null=True)
        checkin_done_at = pw.DateTimeField(null=True)

        class Meta:
            indexes = ((("resolved_at", "severity"), False), (("client", "resolved_at"), False))

    class KeyDate(Base):
        client = pw.ForeignKeyField(Client, backref="key_dates", on_delete="CASCADE")
        label = pw.CharField(constraints=[pw.Check("length(trim(label)) > 0")])
        on = pw.DateField()
        yearly = pw.BooleanField(default=True)

    db.create_tables([Promise, Concern, KeyDate])
    migrator.migrate(
        migrator.add_column("client", "cadence_days", pw.IntegerField(null=True)),
        migrator.add_column("client", "reply_target_hours", pw.IntegerField(null=True)),
        migrator.add_column("client", "care_snoozed_until", pw.DateField(null=True)),
        # Nullable on purpose: adding a NOT NULL column makes SQLite rebuild the table, dropping its triggers.
        migrator.add_column("client", "care_snooze_reason", pw.CharField(null=True)),
        migrator.add_column("interaction", "follow_up_done_at", pw.DateTimeField(null=True)),
        # Follow-ups due: open ones (done_at null) by day, without reading a million interactions.
        migrator.add_index("interaction", ("follow_up_done_at", "follow_up"), False),
    )
