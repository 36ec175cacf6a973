"""Undo: take back a user's own last action by applying the inverse of its change set.

Undo is itself a change set (action `undo`, naming the one it takes back), so the history shows both and
nothing is forgotten. It is refused, with the reason, when a later action that still stands wrote any of
the same fields (undo that one first), when the row no longer holds what the action left (changed outside
the history), and for history carried over from before undo existed. Pressing it again goes one action
further back: undos themselves and actions already undone are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import peewee as pw

from clientbook.core.clients.operations import refresh_search_text
from clientbook.core.dates import format_moment
from clientbook.core.errors import ValidationError
from clientbook.core.history import (
    LEGACY,
    MODELS,
    UNDO,
    WHOLE_ROW,
    change_set,
    decode,
    encode,
    label,
    load,
    thing,
)
from clientbook.core.log.operations import refresh_last_contact
from clientbook.core.models import (
    ChangeSet,
    ChecklistStep,
    Client,
    ContactPerson,
    FieldChange,
    Interaction,
    Staff,
    from_stored,
)
from clientbook.core.processes.operations import refresh_completion


class CannotUndo(ValidationError):
    """The action cannot be taken back now; the message says why and what to do."""

    def __init__(self, message: str) -> None:
        super().__init__({"undo": message})
        self.message = message


@dataclass(frozen=True)
class Undone:
    """What an undo took back: the action's summary in words."""

    change_set_id: int
    summary: str


def last_undoable(actor: Staff) -> ChangeSet | None:
    """The newest action of `actor` that still stands (not an undo, not undone, not legacy history)."""
    found: ChangeSet | None = (
        ChangeSet.select()
        .where(
            (ChangeSet.actor == actor.id)
            & ChangeSet.undone_by.is_null()
            & ChangeSet.undoes.is_null()
            & (ChangeSet.action != LEGACY)
        )
        .order_by(ChangeSet.id.desc())
        .first()
    )
    return found


def undo_last(actor: Staff, *, zone: str = "UTC") -> Undone:
    """Undo `actor`'s newest action that still stands; raises :class:`CannotUndo` with the reason."""
    target = last_undoable(actor)
    if target is None:
        raise CannotUndo("nothing of yours to undo")
    return undo(target.id, actor=actor, zone=zone)


def undo(change_set_id: int, *, actor: Staff, zone: str = "UTC") -> Undone:
    """Apply the inverse of one change set, as a new change set, in one transaction."""
    target = ChangeSet.get_or_none(ChangeSet.id == change_set_id)
    if target is None:
        raise CannotUndo(f"no action {change_set_id} in the history")
    if target.action == LEGACY:
        raise CannotUndo("that change was made before undo existed")
    if target.undoes_id is not None:
        raise CannotUndo("that was an undo itself")
    if target.undone_by_id is not None:
        raise CannotUndo("that action was already undone")
    items = list(FieldChange.select().where(FieldChange.change_set == target.id).order_by(FieldChange.id))
    _refuse_conflicts(target, items, zone)
    client_id = target.client_id
    try:
        return _apply_inverse(target, items, actor, client_id)
    except pw.IntegrityError:
        # e.g. a process version that a checklist started since is built on: the rows still hold.
        raise CannotUndo(
            f"something added since depends on what “{target.summary}” made; nothing was undone"
        ) from None


def _apply_inverse(
    target: ChangeSet, items: list[FieldChange], actor: Staff, client_id: int | None
) -> Undone:
    with change_set(actor, UNDO, f"Undid: {target.summary}", client_id=client_id, undoes=target) as record:
        touched: dict[str, set[int]] = {}
        for item in reversed(items):
            model = MODELS[item.table]
            old, new = load(item.old), load(item.new)
            touched.setdefault(item.table, set()).add(item.record_id)
            _note_related(touched, item.table, item.field, old, new)
            row = model.get_or_none(model._meta.primary_key == item.record_id)
            if item.field == WHOLE_ROW and old is None:
                if row is not None:
                    record.delete(row)
            elif item.field == WHOLE_ROW:
                record.restore(model, old)
            elif row is not None:
                record.update(row, **{item.field: decode(model, item.field, old)})
        ChangeSet.update(undone_by=record.change_set.id).where(ChangeSet.id == target.id).execute()
        _refresh_derived(touched)
    return Undone(target.id, target.summary)


def _refuse_conflicts(target: ChangeSet, items: list[FieldChange], zone: str) -> None:
    """Refuse when a later action that still stands wrote the same fields, or a row no longer matches."""
    records = {(item.table, item.record_id) for item in items}
    for table, record_id in records:
        fields = {item.field for item in items if (item.table, item.record_id) == (table, record_id)}
        later = (
            FieldChange.select(FieldChange, ChangeSet)
            .join(ChangeSet)
            .where(
                (FieldChange.table == table)
                & (FieldChange.record_id == record_id)
                & (ChangeSet.id > target.id)
                & ChangeSet.undone_by.is_null()
                & ChangeSet.undoes.is_null()
            )
            .order_by(ChangeSet.id.desc())
        )
        for change in later:
            if WHOLE_ROW in fields or change.field == WHOLE_ROW or change.field in fields:
                other: ChangeSet = change.change_set
                who = Staff.get_or_none(Staff.id == other.actor_id)
                when = from_stored(other.at)
                by = f" by {who.name}" if who else ""
                at = f", {format_moment(when, zone)}" if when else ""
                what = label(table, change.field) if change.field != WHOLE_ROW else thing(table)
                raise CannotUndo(
                    f"a later change touched the same {what.lower()}: “{other.summary}”{by}{at}; "
                    "undo that first"
                )
    for item in items:
        model = MODELS[item.table]
        row = model.get_or_none(model._meta.primary_key == item.record_id)
        new = load(item.new)
        if item.field == WHOLE_ROW:
            exists_now = row is not None
            if exists_now != (new is not None):
                state = "is back" if exists_now else "is gone"
                raise CannotUndo(f"the {thing(item.table)} {state} since; nothing was undone")
        elif row is None:
            raise CannotUndo(f"the {thing(item.table)} is gone since; nothing was undone")
        elif encode(row.__data__.get(item.field)) != new:
            raise CannotUndo(
                f"the {label(item.table, item.field).lower() or item.field} changed since; nothing was undone"
            )


def _note_related(touched: dict[str, set[int]], table: str, field: str, old: Any, new: Any) -> None:
    """Remember the clients and checklists whose derived values an undone row affects."""
    for image in (old, new):
        if not isinstance(image, dict):
            continue
        if table in ("interaction", "contact_person") and image.get("client"):
            touched.setdefault(f"{table}.client", set()).add(int(image["client"]))
        if table == "checklist_step" and image.get("checklist"):
            touched.setdefault("checklist", set()).add(int(image["checklist"]))
    if table == "interaction" and field == "client":
        # An interaction moved between clients: both clients' last contact changes.
        touched.setdefault("interaction.client", set()).update(int(v) for v in (old, new) if v is not None)


def _refresh_derived(touched: dict[str, set[int]]) -> None:
    """Recompute what is derived from the rows an undo wrote (search text, last contact, completion)."""
    clients = set(touched.get("client", set())) | touched.get("contact_person.client", set())
    for contact_id in touched.get("contact_person", set()):
        contact = ContactPerson.get_or_none(ContactPerson.id == contact_id)
        if contact is not None:
            clients.add(contact.client_id)
    for client_id in clients:
        client = Client.get_or_none(Client.id == client_id)
        if client is not None:
            refresh_search_text(client)
    contacted = set(touched.get("interaction.client", set()))
    for interaction_id in touched.get("interaction", set()):
        interaction = Interaction.get_or_none(Interaction.id == interaction_id)
        if interaction is not None:
            contacted.add(interaction.client_id)
    for client_id in contacted:
        if Client.get_or_none(Client.id == client_id) is not None:
            refresh_last_contact(client_id)
    checklists = set(touched.get("checklist", set()))
    for step_id in touched.get("checklist_step", set()):
        step = ChecklistStep.get_or_none(ChecklistStep.id == step_id)
        if step is not None:
            checklists.add(step.checklist_id)
    for checklist_id in checklists:
        refresh_completion(checklist_id)
