"""Change sets: every user action recorded as data, the history screens read and undo runs on.

A write opens one change set (`with change_set(actor, "promise.keep", "Kept promise ...") as record:`) and
makes its changes through the :class:`Recorder`, which writes only the fields that change and keeps each
one's typed old and new value (JSON; ids for references). Inserted and deleted rows are kept whole, so a
deletion can be taken back with the same ids. Derived columns (search text, sort keys, last contact) are not
recorded: the code that maintains them runs again after an undo (:mod:`.undo`).

Nothing here formats for a screen beyond words: :func:`describe` turns a change set into lines such as
`Stage: lead → active`, shared by the TUI and the CLI.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any, Final, TypeVar

import peewee as pw

from clientbook.core import clock
from clientbook.core.dates import format_date, format_moment
from clientbook.core.db import database
from clientbook.core.edits import Moved
from clientbook.core.models import (
    ChangeSet,
    Channel,
    Checklist,
    ChecklistStep,
    Client,
    Concern,
    ContactPerson,
    FieldChange,
    Interaction,
    KeyDate,
    Process,
    ProcessStep,
    ProcessVersion,
    Promise,
    Staff,
    from_stored,
    utc_naive,
)
from clientbook.core.sql import insert_model, insert_row, lock_row, update_row

M = TypeVar("M", bound=pw.Model)

WHOLE_ROW: Final = "*"
LEGACY: Final = "legacy"
UNDO: Final = "undo"
# Kept by the code that writes the row, or derived from other columns: never history, never undone.
UNRECORDED: Final = frozenset({"updated_at", "search_text", "sort_name", "last_contact_at", "completed_at"})

MODELS: Final[dict[str, type[pw.Model]]] = {
    model._meta.table_name: model
    for model in (
        Client,
        ContactPerson,
        Staff,
        Interaction,
        Promise,
        Concern,
        KeyDate,
        Checklist,
        ChecklistStep,
        Process,
        ProcessVersion,
        ProcessStep,
    )
}


def encode(value: object) -> Any:
    """A column value as JSON-able data: ids for rows, ISO text for times and days."""
    if isinstance(value, pw.Model):
        return _pk(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return (value if value.tzinfo is None else utc_naive(value)).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _pk(row: pw.Model) -> int:
    key: Any = row._meta.primary_key
    return int(getattr(row, key.name))


def decode(model: type[pw.Model], name: str, value: Any) -> Any:
    """A recorded value as the column takes it again."""
    if value is None:
        return None
    field = model._meta.fields.get(name)
    if isinstance(field, pw.DateTimeField) and isinstance(value, str):
        return datetime.fromisoformat(value)
    if isinstance(field, pw.DateField) and isinstance(value, str):
        return date.fromisoformat(value)
    return value


def _dump(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def load(text: str | None) -> Any:
    """A recorded value back from its JSON (None stays None)."""
    return None if text is None else json.loads(text)


def row_image(row: pw.Model) -> dict[str, Any]:
    """Every stored column of a row (foreign keys as ids), as recorded for an insert or a deletion."""
    data: dict[str, Any] = row.__data__
    return {name: encode(data.get(name)) for name in row._meta.sorted_field_names}


class Recorder:
    """Writes rows for one change set and records what each write changed."""

    def __init__(self, change_set: ChangeSet) -> None:
        self.change_set = change_set
        self.count = 0

    def about(self, client_id: int) -> None:
        """Say which client this action is about, once the client exists (a new client's id)."""
        ChangeSet.update(client=client_id).where(ChangeSet.id == self.change_set.id).execute()

    def _note(self, table: str, record_id: int, field: str, old: Any, new: Any) -> None:
        row = {
            "change_set": self.change_set.id,
            "table": table,
            "record_id": record_id,
            "field": field,
            "old": _dump(old),
            "new": _dump(new),
        }
        insert_row(FieldChange, row)
        self.count += 1

    def insert(self, model: type[M], **columns: object) -> M:
        """Create a row (the model's defaults for the columns not given) and record it whole."""
        row = model(**columns)
        insert_model(row)
        self._note(model._meta.table_name, int(_pk(row)), WHOLE_ROW, None, row_image(row))
        return row

    def restore(self, model: type[M], image: Mapping[str, Any]) -> None:
        """Put back a deleted row with its own id."""
        values = {name: decode(model, name, value) for name, value in image.items()}
        model.insert(**values).execute()
        self._note(model._meta.table_name, int(image["id"]), WHOLE_ROW, None, dict(image))

    def update(self, row: M, **columns: object) -> M:
        """Write the columns that differ from the row's, record each, and update the row object."""
        data: dict[str, Any] = row.__data__
        table = row._meta.table_name
        changed: dict[str, object] = {}
        for name, value in columns.items():
            old, new = encode(data.get(name)), encode(value)
            if old == new:
                continue
            changed[name] = value
            if name not in UNRECORDED:
                self._note(table, int(_pk(row)), name, old, new)
        if changed:
            update_row(type(row), _pk(row), changed)
            for name, value in changed.items():
                setattr(row, name, value)
        return row

    def delete(self, row: pw.Model) -> None:
        """Delete a row, recording it whole so undo can put it back."""
        image = row_image(row)
        model = type(row)
        model.delete().where(model._meta.primary_key == _pk(row)).execute()
        self._note(model._meta.table_name, int(_pk(row)), WHOLE_ROW, image, None)


@contextmanager
def change_set(
    actor: Staff | None,
    action: str,
    summary: str,
    *,
    client_id: int | None = None,
    undoes: ChangeSet | None = None,
) -> Iterator[Recorder]:
    """One user action, in one transaction: the writes made through the recorder, or none of them.

    A change set that changed nothing leaves no trace, so re-saving an unchanged form adds no history.
    """
    with database.atomic():
        created = ChangeSet(
            actor=actor,
            at=utc_naive(clock.now()),
            action=action,
            summary=one_line(summary),
            client=client_id,
            undoes=undoes,
        )
        insert_model(created)
        recorder = Recorder(created)
        yield recorder
        if recorder.count == 0:
            created.delete_instance()


def last_write(table: str, record_id: int) -> int:
    """The id of the latest change set that wrote a field of this row (0 for none): a token that moves with
    every write to it, for an edit to tell whether the row changed since it read it (see :mod:`.edits`)."""
    query = FieldChange.select(pw.fn.MAX(FieldChange.change_set)).where(
        (FieldChange.table == table) & (FieldChange.record_id == record_id)
    )
    return int(query.scalar() or 0)


def hold_unchanged(model: type[pw.Model], record_id: int, token: int) -> None:
    """Inside an edit's transaction: hold the row (:func:`~clientbook.core.sql.lock_row`), and raise
    :class:`~clientbook.core.edits.Moved` if it was written since the edit read it at `token`."""
    lock_row(model, record_id)
    if last_write(model._meta.table_name, record_id) != token:
        raise Moved


def last_writer(table: str, record_id: int, fields: Sequence[str] = ()) -> str:
    """The name of who last wrote one of `fields` of this row (any field, when none of them was ever
    written or none is named); empty when unknown."""
    for named in (tuple(fields), ()) if fields else ((),):
        condition = (FieldChange.table == table) & (FieldChange.record_id == record_id)
        if named:
            condition &= FieldChange.field.in_(named)
        found = (
            FieldChange.select(Staff.name)
            .join(ChangeSet, on=(FieldChange.change_set == ChangeSet.id))
            .join(Staff, on=(ChangeSet.actor == Staff.id))
            .where(condition)
            .order_by(FieldChange.change_set.desc())
            .limit(1)
            .tuples()
            .first()
        )
        if found:
            return str(found[0])
    return ""


def one_line(text: str, limit: int = 200) -> str:
    """Text for a summary: one line, cut with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def quoted(text: str, limit: int = 60) -> str:
    """A user's text inside a summary (`“Invoice question”`), cut to a readable length."""
    return f"“{one_line(text, limit)}”"


# Reading the history back, in words -------------------------------------------------------------------

LABELS: Final[dict[str, dict[str, str]]] = {
    "client": {
        "name": "Name",
        "slug": "Slug",
        "kind": "Kind",
        "point_person": "Point-person",
        "backup_person": "Backup person",
        "stage": "Stage",
        "email": "Email",
        "phone": "Phone",
        "phone_e164": "",
        "company": "Company",
        "timezone": "Time zone",
        "tags": "Tags",
        "notes": "Notes",
        "archived_at": "Archived",
        "cadence_days": "Contact every (days)",
        "reply_target_hours": "Reply within (hours)",
        "care_snoozed_until": "Needs care snoozed until",
        "care_snooze_reason": "Snooze reason",
    },
    "contact_person": {
        "name": "Contact name",
        "role": "Contact role",
        "email": "Contact email",
        "phone": "Contact phone",
        "phone_e164": "",
        "is_primary": "Primary contact",
        "position": "",
    },
    "interaction": {
        "client": "Client",
        "at": "When",
        "at_zone": "",
        "channel": "Channel",
        "direction": "Direction",
        "summary": "Summary",
        "details": "Details",
        "handled_by": "Handled by",
        "follow_up": "Follow-up",
        "mood": "Mood",
        "awaiting": "Awaiting reply",
        "answered_by": "Answered by",
        "acknowledged_at": "Acknowledged",
        "acknowledged_by": "",
        "follow_up_done_at": "Follow-up done",
    },
    "promise": {
        "what": "Promise",
        "due": "Due",
        "status": "Status",
        "made_by": "Made by",
        "closed_at": "",
        "kept_on_time": "Kept on time",
        "interaction": "",
    },
    "concern": {
        "words": "Concern",
        "severity": "Severity",
        "owner": "Owner",
        "acknowledged_at": "Acknowledged",
        "apology_at": "Apology given",
        "remedy": "Remedy",
        "resolved_at": "Resolved",
        "client_confirmed": "Client confirmed",
        "checkin_on": "Check-in",
        "checkin_done_at": "Check-in done",
    },
    "key_date": {"label": "Key date", "on": "On", "yearly": "Every year"},
    "checklist_step": {"done_at": "Done", "done_by": "", "done_note": "Note"},
    "process": {
        "name": "Name",
        "description": "Description",
        "current_version": "Version",
        "retired_at": "Retired",
        "name_key": "",
    },
}
# Columns holding a moment that reads better as yes/no with its date ("Archived: no → yes, Tue 1 Dec").
_FLAGS: Final = {
    "archived_at",
    "acknowledged_at",
    "apology_at",
    "resolved_at",
    "retired_at",
    "done_at",
    "follow_up_done_at",
    "checkin_done_at",
}
_THINGS: Final = {
    "client": "client",
    "contact_person": "contact person",
    "interaction": "interaction",
    "promise": "promise",
    "concern": "concern",
    "key_date": "key date",
    "checklist": "checklist",
    "checklist_step": "checklist step",
    "process": "process",
}


def thing(table: str) -> str:
    """A table's rows in words (`key date`)."""
    return _THINGS.get(table, table.replace("_", " "))


def label(table: str, field: str) -> str:
    """A field's name in words; empty for bookkeeping columns not worth a line."""
    if field == WHOLE_ROW:
        return thing(table).capitalize()
    return LABELS.get(table, {}).get(field, field.replace("_", " ").capitalize())


@dataclass(frozen=True)
class ChangeSetRow:
    """One action in a history: `lines` says what changed, one field a line, in words."""

    id: int
    at: datetime
    actor: str
    action: str
    summary: str
    lines: tuple[str, ...]
    undone: bool
    is_undo: bool


class _Words:
    """Turns recorded values into words, looking names up once per history read."""

    def __init__(self, zone: str) -> None:
        self.zone = zone
        self._names: dict[tuple[str, int], str] = {}

    def name(self, model: type[pw.Model], ident: int) -> str:
        key = (model._meta.table_name, ident)
        if key not in self._names:
            row = model.get_or_none(model._meta.primary_key == ident)
            self._names[key] = str(getattr(row, "name", getattr(row, "summary", ""))) if row else f"#{ident}"
        return self._names[key]

    def value(self, table: str, field: str, value: Any) -> str:
        model = MODELS.get(table)
        column = model._meta.fields.get(field) if model else None
        if field in _FLAGS:
            if value is None:
                return "no"
            moment = from_stored(decode(model, field, value)) if model else None
            return f"yes, {format_moment(moment, self.zone)}" if moment else "yes"
        if value is None or value == "":
            return "none"
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(column, pw.ForeignKeyField):
            target = column.rel_model
            if target is Channel:
                return str(value)
            return self.name(target, int(value))
        if isinstance(column, pw.DateTimeField):
            moment = from_stored(decode(model, field, value)) if model else None
            return format_moment(moment, self.zone) if moment else str(value)
        if isinstance(column, pw.DateField):
            return format_date(date.fromisoformat(str(value)))
        if table == "client" and field == "tags":
            return str(value).replace(",", ", ")
        return one_line(str(value), 60)

    def line(self, table: str, field: str, old: Any, new: Any) -> str | None:
        if field == WHOLE_ROW:
            image = new if old is None else old
            title = next(
                (image[k] for k in ("name", "summary", "what", "words", "label", "title") if image.get(k)),
                "",
            )
            verb = "added" if old is None else "removed"
            return f"{thing(table).capitalize()} {verb}" + (f": {one_line(str(title), 60)}" if title else "")
        name = label(table, field)
        if not name:
            return None
        return f"{name}: {self.value(table, field, old)} → {self.value(table, field, new)}"


def _EXPLAINED_BY_FIELDS(action: str) -> bool:  # noqa: N802 (reads as a rule)
    """Edits and undos list the fields they changed; other actions are told by their summary alone."""
    return action.endswith(".edit") or action == UNDO


def _rows(query: pw.ModelSelect[ChangeSet], zone: str, *, legacy_text: bool = True) -> list[ChangeSetRow]:
    sets = list(query)
    if not sets:
        return []
    items: dict[int, list[FieldChange]] = {}
    ids = [s.id for s in sets]
    for change in FieldChange.select().where(FieldChange.change_set.in_(ids)).order_by(FieldChange.id):
        items.setdefault(change.change_set_id, []).append(change)
    actors = {s.id: s.name for s in Staff.select(Staff.id, Staff.name)}
    words = _Words(zone)
    rows: list[ChangeSetRow] = []
    for change_set in sets:
        lines: list[str] = []
        for change in items.get(change_set.id, []):
            old, new = load(change.old), load(change.new)
            if change_set.action == LEGACY:
                lines.append(f"{change.field}: {old or 'none'} → {new or 'none'}")
                continue
            if not _EXPLAINED_BY_FIELDS(change_set.action):
                continue  # "Acknowledged “Invoice question”" says it all; its fields would repeat it
            line = words.line(change.table, change.field, old, new)
            if line is not None:
                lines.append(line)
        rows.append(
            ChangeSetRow(
                id=change_set.id,
                at=from_stored(change_set.at) or datetime.min,
                actor=actors.get(change_set.actor_id or 0, ""),
                action=change_set.action,
                summary=change_set.summary,
                lines=tuple(lines),
                undone=change_set.undone_by_id is not None,
                is_undo=change_set.undoes_id is not None,
            )
        )
    return rows


def client_history(client_id: int, *, zone: str, limit: int = 200) -> list[ChangeSetRow]:
    """Every action about one client (its record, interactions, promises...), newest first."""
    query = ChangeSet.select().where(ChangeSet.client == client_id).order_by(ChangeSet.id.desc()).limit(limit)
    return _rows(query, zone)


def record_history(table: str, record_id: int, *, zone: str, limit: int = 100) -> list[ChangeSetRow]:
    """The actions that wrote one record (an interaction, a promise...), newest first."""
    ids = FieldChange.select(FieldChange.change_set).where(
        (FieldChange.table == table) & (FieldChange.record_id == record_id)
    )
    query = ChangeSet.select().where(ChangeSet.id.in_(ids)).order_by(ChangeSet.id.desc()).limit(limit)
    return _rows(query, zone)


def recent_history(actor_id: int | None, *, zone: str, limit: int = 20) -> list[ChangeSetRow]:
    """The latest actions (one person's, or everyone's), newest first."""
    query = ChangeSet.select().order_by(ChangeSet.id.desc()).limit(limit)
    if actor_id is not None:
        query = query.where(ChangeSet.actor == actor_id)
    return _rows(query, zone)
