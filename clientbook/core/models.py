"""The tables of a client book, as peewee models bound to the deferred database in :mod:`.db`.

Peewee validates nothing (`null=False` happily stores `''`), so every rule lives in :mod:`.validation` and
each required text column is backed by a CHECK constraint in the migration that creates it. Times are stored
as naive UTC datetimes; the core converts at its edges.

Schema changes never happen here alone: each one is a numbered script in :mod:`.migrations`, which freezes
its own copy of the tables it touches.
"""

from __future__ import annotations

from typing import Any

import peewee as pw

from clientbook.core.db import database
from clientbook.core.values import (
    ClientKind,
    Direction,
    Mood,
    PromiseStatus,
    Severity,
    Stage,
    from_stored,
    utc_naive,
)

# The enumerations and time helpers live in .values (peewee-free) and are the tables' as much as these.
__all__ = [
    "BaseModel",
    "ChangeSet",
    "Channel",
    "Checklist",
    "ChecklistStep",
    "Client",
    "ClientKind",
    "Concern",
    "ContactPerson",
    "Direction",
    "FieldChange",
    "Interaction",
    "KeyDate",
    "Mood",
    "Process",
    "ProcessStep",
    "ProcessVersion",
    "Promise",
    "PromiseStatus",
    "Setting",
    "Severity",
    "Staff",
    "Stage",
    "from_stored",
    "tuples_of",
    "utc_naive",
]


class BaseModel(pw.Model):
    class Meta:
        database = database
        legacy_table_names = False


class Setting(BaseModel):
    """Facts about the book itself (who its owner is), as key/value text."""

    key = pw.CharField(primary_key=True)
    value = pw.TextField()


class Staff(BaseModel):
    """Someone who looks after clients: the owner, and in a team, colleagues."""

    id = pw.AutoField()
    name = pw.CharField()
    slug = pw.CharField(unique=True)
    email = pw.CharField(default="")
    active = pw.BooleanField(default=True)
    created_at = pw.DateTimeField()

    @classmethod
    def active_ones(cls) -> pw.ModelSelect[Staff]:
        """Staff who can be made point-person, by name."""
        return cls.select().where(cls.active == True).order_by(pw.fn.lower(cls.name))  # noqa: E712


class Client(BaseModel):
    """A client of the business, with one named point-person (care principle 1)."""

    id = pw.AutoField()
    slug = pw.CharField(unique=True)
    name = pw.CharField()
    kind = pw.CharField(default=ClientKind.PERSON.value)
    point_person = pw.ForeignKeyField(Staff, backref="clients", on_delete="RESTRICT", index=False)
    backup_person = pw.ForeignKeyField(Staff, null=True, backref="backup_clients", on_delete="SET NULL")
    stage = pw.CharField(default=Stage.LEAD.value)
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
    # Kept by the interaction log: the latest inbound or outbound interaction, never a record edit.
    last_contact_at = pw.DateTimeField(null=True)
    # Care: this client's own contact cadence and reply target (None: the stage's / the settings'), and a
    # snooze of "needs care" with the reason for it.
    cadence_days = pw.IntegerField(null=True)
    reply_target_hours = pw.IntegerField(null=True)
    care_snoozed_until = pw.DateField(null=True)
    care_snooze_reason = pw.CharField(null=True, default="")
    # When the client's contact cadence runs out (last contact or creation, plus its cadence); None without
    # one. Written only by SQLite triggers (migration 0006), so no write path can forget it.
    care_due = pw.DateTimeField(null=True)
    # Folded copies for sorting and searching; written by operations, never typed by anyone.
    sort_name = pw.CharField()
    search_text = pw.TextField()

    class Meta:
        indexes = (
            (("archived_at", "sort_name", "id"), False),
            (("archived_at", "last_contact_at", "id"), False),
            (("point_person", "sort_name"), False),
            (("archived_at", "care_due"), False),
        )

    @classmethod
    def current(cls) -> pw.ModelSelect[Client]:
        """Clients not archived."""
        return cls.select().where(cls.archived_at.is_null())

    @property
    def tag_list(self) -> list[str]:
        return [tag for tag in self.tags.split(",") if tag]


class ContactPerson(BaseModel):
    """Someone at an organisation-client whom the business deals with; one may be primary."""

    id = pw.AutoField()
    client = pw.ForeignKeyField(Client, backref="contacts", on_delete="CASCADE")
    position = pw.IntegerField(default=0)
    name = pw.CharField()
    role = pw.CharField(default="")
    email = pw.CharField(default="")
    phone = pw.CharField(default="")
    phone_e164 = pw.CharField(default="")
    is_primary = pw.BooleanField(default=False)
    client_id: int

    @classmethod
    def of(cls, client_id: int) -> pw.ModelSelect[ContactPerson]:
        """The contacts of one client, primary first, then as the user ordered them."""
        return cls.select().where(cls.client == client_id).order_by(cls.is_primary.desc(), cls.position)


class ChangeSet(BaseModel):
    """One user action (an edit, a tick, a deletion...): who, when, what, in words; undo works on these.

    Its :class:`FieldChange` rows hold the typed old and new values of every field it wrote. An undo is a
    change set too (`undoes` names the one it took back, which gets `undone_by`), so history never forgets.
    """

    id = pw.AutoField()
    actor = pw.ForeignKeyField(Staff, null=True, on_delete="SET NULL", index=False)
    at = pw.DateTimeField()
    action = pw.CharField()
    summary = pw.CharField()
    # The client the action was about, so a client's history is one indexed read.
    client = pw.ForeignKeyField(Client, null=True, on_delete="SET NULL", backref="change_sets", index=False)
    undoes = pw.ForeignKeyField("self", null=True, on_delete="SET NULL", backref="undo_sets")
    undone_by = pw.ForeignKeyField("self", null=True, on_delete="SET NULL", index=False)
    actor_id: int | None
    client_id: int | None
    undoes_id: int | None
    undone_by_id: int | None

    class Meta:
        indexes = ((("client", "id"), False), (("actor", "id"), False))


class FieldChange(BaseModel):
    """One field of one row written by a change set: old and new as JSON (ids for references).

    `field` is `*` for a whole row: `new` holds the row a change set inserted, `old` the row it deleted.
    """

    id = pw.AutoField()
    change_set = pw.ForeignKeyField(ChangeSet, backref="changes", on_delete="CASCADE")
    table = pw.CharField()
    record_id = pw.IntegerField()
    field = pw.CharField()
    old = pw.TextField(null=True)
    new = pw.TextField(null=True)
    change_set_id: int

    class Meta:
        indexes = ((("table", "record_id", "change_set"), False), (("change_set",), False))


class Channel(BaseModel):
    """How an interaction happened (call, email...); a table, so a business can add its own."""

    key = pw.CharField(primary_key=True)
    label = pw.CharField()
    icon = pw.CharField(default="·")
    position = pw.IntegerField(default=0)
    active = pw.BooleanField(default=True)

    @classmethod
    def in_order(cls) -> pw.ModelSelect[Channel]:
        return cls.select().where(cls.active == True).order_by(cls.position, cls.key)  # noqa: E712


class Interaction(BaseModel):
    """A call, email, meeting, message or note with a client, at a UTC instant entered in a named zone.

    An inbound interaction is `awaiting` a reply until a later outbound one answers it (`answered_by`) or
    someone acknowledges it; `awaiting` is kept by the operations so the queue is one indexed read.
    """

    id = pw.AutoField()
    client = pw.ForeignKeyField(Client, backref="interactions", on_delete="RESTRICT", index=False)
    at = pw.DateTimeField()
    at_zone = pw.CharField()
    channel = pw.ForeignKeyField(
        Channel, field=Channel.key, column_name="channel", on_delete="RESTRICT", index=False
    )
    direction = pw.CharField()
    summary = pw.CharField()
    details = pw.TextField(default="")
    handled_by = pw.ForeignKeyField(Staff, on_delete="RESTRICT", index=False)
    follow_up = pw.DateField(null=True)
    mood = pw.CharField(null=True)
    awaiting = pw.BooleanField(default=False)
    answered_by = pw.ForeignKeyField("self", null=True, on_delete="SET NULL", backref="answers")
    acknowledged_at = pw.DateTimeField(null=True)
    acknowledged_by = pw.ForeignKeyField(Staff, null=True, on_delete="SET NULL", index=False)
    follow_up_done_at = pw.DateTimeField(null=True)
    created_by = pw.ForeignKeyField(Staff, null=True, on_delete="SET NULL", index=False)
    created_at = pw.DateTimeField()
    updated_at = pw.DateTimeField()
    # The raw foreign-key values peewee provides beside each relation (its stubs do not declare them).
    client_id: int
    channel_id: str
    answered_by_id: int | None

    class Meta:
        indexes = (
            (("client", "at", "id"), False),
            (("at", "id"), False),
            (("handled_by", "at"), False),
            (("channel", "at", "id"), False),
            # And partial ones (migration 0007): awaiting by time and by client, open follow-ups by day.
        )


class Process(BaseModel):
    """A documented process (care principle 2): a named template whose steps live in versions.

    Editing a process adds a :class:`ProcessVersion`; `current_version` is the one new checklists copy.
    `name_key` (the name case-folded) keeps names unique however they are capitalised.
    """

    id = pw.AutoField()
    name = pw.CharField()
    name_key = pw.CharField(unique=True)
    slug = pw.CharField(unique=True)
    description = pw.TextField(default="")
    current_version = pw.IntegerField(default=1)
    retired_at = pw.DateTimeField(null=True)
    created_at = pw.DateTimeField()
    updated_at = pw.DateTimeField()


class ProcessVersion(BaseModel):
    """One version of a process: its name and description then, and (through steps) what it asked."""

    id = pw.AutoField()
    process = pw.ForeignKeyField(Process, backref="versions", on_delete="CASCADE")
    version = pw.IntegerField()
    name = pw.CharField()
    description = pw.TextField(default="")
    created_at = pw.DateTimeField()
    created_by = pw.ForeignKeyField(Staff, null=True, on_delete="SET NULL")
    process_id: int

    class Meta:
        indexes = ((("process", "version"), True),)


class ProcessStep(BaseModel):
    """A step of a process version: what to do, how (a note), and when (days after the start)."""

    id = pw.AutoField()
    version = pw.ForeignKeyField(ProcessVersion, backref="steps", on_delete="CASCADE")
    position = pw.IntegerField()
    title = pw.CharField()
    note = pw.TextField(default="")
    due_days = pw.IntegerField(null=True)


class Checklist(BaseModel):
    """A process applied to a client: its steps are copied, so later edits to the process never touch it."""

    id = pw.AutoField()
    client = pw.ForeignKeyField(Client, backref="checklists", on_delete="RESTRICT")
    process = pw.ForeignKeyField(Process, on_delete="RESTRICT")
    version = pw.ForeignKeyField(ProcessVersion, on_delete="RESTRICT")
    started_on = pw.DateField()
    started_by = pw.ForeignKeyField(Staff, null=True, on_delete="SET NULL")
    completed_at = pw.DateTimeField(null=True)
    created_at = pw.DateTimeField()
    client_id: int
    process_id: int
    version_id: int

    class Meta:
        indexes = ((("completed_at", "client"), False), (("client", "process"), False))


class ChecklistStep(BaseModel):
    """One step of a running checklist, ticked with who, when and an optional short note."""

    id = pw.AutoField()
    checklist = pw.ForeignKeyField(Checklist, backref="steps", on_delete="CASCADE")
    position = pw.IntegerField()
    title = pw.CharField()
    note = pw.TextField(default="")
    due_on = pw.DateField(null=True)
    done_at = pw.DateTimeField(null=True)
    done_by = pw.ForeignKeyField(Staff, null=True, on_delete="SET NULL")
    done_note = pw.CharField(default="")
    checklist_id: int

    class Meta:
        indexes = ((("done_at", "due_on"), False),)


class Promise(BaseModel):
    """Something promised to a client (care principle 5): what, by whom, due when; kept or broken."""

    id = pw.AutoField()
    client = pw.ForeignKeyField(Client, backref="promises", on_delete="RESTRICT")
    made_by = pw.ForeignKeyField(Staff, on_delete="RESTRICT")
    what = pw.CharField()
    due = pw.DateField()
    status = pw.CharField(default=PromiseStatus.OPEN.value)
    interaction = pw.ForeignKeyField(Interaction, null=True, on_delete="SET NULL")
    closed_at = pw.DateTimeField(null=True)
    kept_on_time = pw.BooleanField(null=True)
    created_at = pw.DateTimeField()
    client_id: int
    made_by_id: int
    interaction_id: int | None

    class Meta:
        indexes = ((("status", "due"), False), (("client", "status"), False))


class Concern(BaseModel):
    """A complaint or a mistake (care principle 6), in the client's words, owned until resolved."""

    id = pw.AutoField()
    client = pw.ForeignKeyField(Client, backref="concerns", on_delete="RESTRICT")
    words = pw.TextField()
    severity = pw.CharField()
    owner = pw.ForeignKeyField(Staff, on_delete="RESTRICT")
    raised_at = pw.DateTimeField()
    acknowledged_at = pw.DateTimeField(null=True)
    apology_at = pw.DateTimeField(null=True)
    remedy = pw.TextField(default="")
    resolved_at = pw.DateTimeField(null=True)
    client_confirmed = pw.BooleanField(default=False)
    checkin_on = pw.DateField(null=True)
    checkin_done_at = pw.DateTimeField(null=True)
    client_id: int
    owner_id: int

    class Meta:
        indexes = ((("resolved_at", "severity"), False), (("client", "resolved_at"), False))


class KeyDate(BaseModel):
    """A date that matters to a client (birthday, renewal), yearly or once."""

    id = pw.AutoField()
    client = pw.ForeignKeyField(Client, backref="key_dates", on_delete="CASCADE")
    label = pw.CharField()
    on = pw.DateField()
    yearly = pw.BooleanField(default=True)
    client_id: int


def tuples_of(query: pw.ModelSelect[Any]) -> list[tuple[Any, ...]]:
    """The rows of `query` as plain tuples, each value as its field gives it (times, days, flags).

    Fetched in one go, and converted only where the stored form is not already the value: peewee's own
    `.tuples()` fetches a row at a time and calls a converter on every column (`int` on an int, `str` on a
    str), which was most of the Python behind a page of the client list or the whole care queue."""
    wrapper = query.tuples().execute()
    cursor = wrapper.cursor
    rows: list[tuple[Any, ...]] = cursor.fetchall()
    cursor.close()
    if not rows:
        return rows
    wrapper.initialize()  # peewee's converters for the columns, worked out from the cursor's description
    needed = [
        (index, convert)
        for index, (convert, field) in enumerate(zip(wrapper.converters, wrapper.fields, strict=True))
        if convert is not None and not _stored_as_is(field)
    ]
    if not needed:
        return rows
    converted: list[tuple[Any, ...]] = []
    for row in rows:
        values = list(row)
        for index, convert in needed:
            values[index] = convert(values[index])
        converted.append(tuple(values))
    return converted


def _stored_as_is(field: pw.Field | None) -> bool:
    """Whether the driver already hands back a value of `field` as the value: numbers and text."""
    if isinstance(field, pw.ForeignKeyField):
        field = field.rel_field
    return isinstance(field, pw.IntegerField | pw.CharField | pw.TextField)
