"""Documented processes (care principle 2): versioned templates of ordered steps, and the checklists made
when one is applied to a client. Ships the two starter processes a small service business needs.

A checklist copies its steps, so editing a process (which makes a new version) never changes a checklist
that is already running.
"""

from __future__ import annotations

import datetime
from typing import Any

import peewee as pw

STARTERS = (
    (
        "New client onboarding",
        "new-client-onboarding",
        "From yes to a confident start: the client always knows who looks after them and what happens next.",
        (
            ("Send a welcome email", "Say thank you, introduce their point-person and what happens next.", 0),
            ("Agree how and when to keep in touch", "Preferred channel, best times, who else to copy.", 1),
            ("Hold the kickoff call", "Goals, scope, timeline, and what you need from them.", 3),
            (
                "Send the kickoff summary in writing",
                "Decisions, dates and next steps, so nothing is assumed.",
                4,
            ),
            (
                "Set up the client's records",
                "Contacts, notes and key dates in clientbook; files in one place.",
                5,
            ),
            (
                "Send the first progress update",
                "Even when there is little to report: silence worries clients.",
                10,
            ),
            ("Two-week check-in", "Ask plainly: is everything as you expected? Log what they say.", 14),
        ),
    ),
    (
        "Post-sale care",
        "post-sale-care",
        "After delivery the relationship continues: check-ins so the client never feels abandoned.",
        (
            ("Send a thank-you note", "Personal, short, and sent by their point-person.", 0),
            (
                "Check they have everything they need",
                "Files, access, instructions; offer a short walkthrough.",
                3,
            ),
            ("14-day check-in", "How is it going in real use? Anything to fix or explain?", 14),
            ("Ask for feedback", "What went well, what could have been better. Log the answers.", 30),
            ("90-day check-in", "Still working for them? Anything new they need help with?", 90),
        ),
    ),
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

    class Process(Base):
        name = pw.CharField(constraints=[pw.Check("length(trim(name)) > 0")])
        name_key = pw.CharField(unique=True)
        slug = pw.CharField(unique=True, constraints=[pw.Check("length(trim(slug)) > 0")])
        description = pw.TextField(default="")
        current_version = pw.IntegerField(default=1)
        retired_at = pw.DateTimeField(null=True)
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()

    class ProcessVersion(Base):
        process = pw.ForeignKeyField(Process, backref="versions", on_delete="CASCADE")
        version = pw.IntegerField()
        name = pw.CharField()
        description = pw.TextField(default="")
        created_at = pw.DateTimeField()
        created_by = pw.ForeignKeyField(Staff, null=True, on_delete="SET NULL")

        class Meta:
            indexes = ((("process", "version"), True),)

    class ProcessStep(Base):
        version = pw.ForeignKeyField(ProcessVersion, backref="steps", on_delete="CASCADE")
        position = pw.IntegerField()
        title = pw.CharField(constraints=[pw.Check("length(trim(title)) > 0")])
        note = pw.TextField(default="")
        due_days = pw.IntegerField(null=True)

    class Checklist(Base):
        client = pw.ForeignKeyField(Client, backref="checklists", on_delete="RESTRICT")
        process = pw.ForeignKeyField(Process, on_delete="RESTRICT")
        version = pw.ForeignKeyField(ProcessVersion, on_delete="RESTRICT")
        started_on = pw.DateField()
        started_by = pw.ForeignKeyField(Staff, null=True, on_delete="SET NULL")
        completed_at = pw.DateTimeField(null=True)
        created_at = pw.DateTimeField()

        class Meta:
            indexes = ((("completed_at", "client"), False), (("client", "process"), False))

    class ChecklistStep(Base):
        checklist = pw.ForeignKeyField(Checklist, backref="steps", on_delete="CASCADE")
        position = pw.IntegerField()
        title = pw.CharField()
        note = pw.TextField(default="")
        due_on = pw.DateField(null=True)
        done_at = pw.DateTimeField(null=True)
        done_by = pw.ForeignKeyField(Staff, null=True, on_delete="SET NULL")
        done_note = pw.CharField(default="")

        class Meta:
            indexes = ((("done_at", "due_on"), False),)

    db.create_tables([Process, ProcessVersion, ProcessStep, Checklist, ChecklistStep])
    now = datetime.datetime.now(datetime.UTC).replace(tzinfo=None, microsecond=0)
    for name, slug, description, steps in STARTERS:
        process = Process.create(
            name=name,
            name_key=name.casefold(),
            slug=slug,
            description=description,
            created_at=now,
            updated_at=now,
        )
        version = ProcessVersion.create(
            process=process, version=1, name=name, description=description, created_at=now
        )
        for position, (title, note, due_days) in enumerate(steps):
            ProcessStep.create(version=version, position=position, title=title, note=note, due_days=due_days)
