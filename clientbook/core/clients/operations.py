"""Operations: every write to a book. Each validates first, then writes in one transaction, or not at all.

The form, the CLI and (later) import call these same functions, so "invalid input writes nothing" and "every
edit is kept in the change history" hold on every path. Each takes the staff member acting (`actor`) and
records one change set (:mod:`.history`) with the typed old and new value of every field it wrote, so the
history reads in words and every action can be undone (:mod:`.undo`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Final, TypeVar

import peewee as pw

from clientbook.core import clock
from clientbook.core.clients.queries import (
    LISTED_MAX,
    Duplicate,
    Duplicates,
    draft_of,
    get_client,
    likely_duplicates,
    reach_of,
)
from clientbook.core.db import database
from clientbook.core.drafts import ClientDraft
from clientbook.core.edits import Moved, Reading, apply_edit
from clientbook.core.errors import NotFound, ValidationError
from clientbook.core.history import Recorder, change_set, last_writer
from clientbook.core.models import ChangeSet, Client, ContactPerson, Setting, Staff, utc_naive
from clientbook.core.slugs import unique_slug
from clientbook.core.sql import lock_row, update_row
from clientbook.core.text import digits, fold
from clientbook.core.validation import CleanClient, validate_client, validate_staff_name
from clientbook.core.who import OWNER_KEY, book_owner, find_staff

_SLUG_RETRIES: Final = 5

M = TypeVar("M", bound=pw.Model)


def add_staff(name: str, *, actor: Staff | None = None) -> Staff:
    """Add a staff member (a colleague who can be point-person)."""
    clean = validate_staff_name(name)
    with change_set(actor, "staff.add", f"Added staff member {clean}") as record:
        return _insert_with_slug(record, Staff, clean, "staff", {"name": clean, "created_at": stored_now()})


def ensure_owner(name: str) -> Staff:
    """The book's owner, created as its first staff member on first run; `name` is used only then."""
    with database.atomic():
        existing = book_owner()
        if existing is not None:
            return existing
        owner = add_staff(name)
        # An upsert both dialects speak (SQLite's REPLACE is not PostgreSQL's).
        Setting.insert(key=OWNER_KEY, value=str(owner.id)).on_conflict(
            conflict_target=[Setting.key], update={Setting.value: str(owner.id)}
        ).execute()
        return owner


class LikelyDuplicate(ValidationError):
    """Another client is reached at the same email or phone: saving needs the user's say-so.

    `errors` names each field with the clients it matches (`email: matches an existing client: Alice
    Anders (alice-anders)`); `duplicates` holds them for a form to list.
    """

    def __init__(self, duplicates: tuple[Duplicate, ...]) -> None:
        super().__init__(duplicate_errors(duplicates))
        self.duplicates = duplicates


def duplicate_errors(same_reach: tuple[Duplicate, ...]) -> dict[str, str]:
    """Per field, the existing clients with the same email or phone, in words."""
    grouped = Duplicates(same_reach=same_reach).by_field()
    return {
        field: ("matches an existing client: " if len(found) == 1 else "matches existing clients: ")
        + ", ".join(described_duplicate(d) for d in found[:LISTED_MAX])
        + (f" and {len(found) - LISTED_MAX:,} more" if len(found) > LISTED_MAX else "")
        for field, found in grouped.items()
    }


def described_duplicate(duplicate: Duplicate) -> str:
    """`Alice Anders (alice-anders, archived), contact Dalia Okafor`."""
    notes = [duplicate.slug] + (["archived"] if duplicate.archived else [])
    via = f", contact {duplicate.contact}" if duplicate.contact else ""
    return f"{duplicate.name} ({', '.join(notes)}){via}"


def _refuse_new_duplicates(clean: CleanClient, before: CleanClient | None, client_id: int | None) -> None:
    """Raise :class:`LikelyDuplicate` for an email or phone another client has, unless the record already
    matched it before this edit (an unchanged match never blocks a save)."""
    if before is not None and reach_of(before) == reach_of(clean):
        return  # no email or phone changed: nothing new can match (and nothing is read)
    kept = (
        {(d.field, d.client_id) for d in likely_duplicates(before, exclude_id=client_id).same_reach}
        if before is not None
        else set()
    )
    found = likely_duplicates(clean, exclude_id=client_id).same_reach
    new = tuple(d for d in found if (d.field, d.client_id) not in kept)
    if new:
        raise LikelyDuplicate(new)


def create_client(
    draft: ClientDraft, *, actor: Staff, phone_region: str, allow_duplicate: bool = False
) -> Client:
    """Validate `draft` and add the client; raises :class:`ValidationError` having written nothing.

    A client reached at another's email or phone raises :class:`LikelyDuplicate` unless `allow_duplicate`;
    a shared name alone never stops it (two people may share a name).
    """
    clean = validate_client(draft, phone_region=phone_region)
    if not allow_duplicate:
        _refuse_new_duplicates(clean, None, None)
    with change_set(actor, "client.create", f"Added client {clean.name}") as record:
        staff = _resolve_people(clean)
        now = stored_now()
        client = _insert_with_slug(
            record,
            Client,
            clean.name,
            "client",
            dict(_client_columns(clean, staff), created_at=now, updated_at=now),
        )
        record.about(client.id)
        _write_contacts(record, client, clean)
        refresh_search_text(client)
    return client


def update_client(
    client_id: int,
    draft: ClientDraft,
    *,
    actor: Staff,
    phone_region: str,
    base: ClientDraft | None = None,
    new_slug: bool = False,
    allow_duplicate: bool = False,
) -> Client:
    """Validate `draft` and write the fields that differ from the client's, one change set for the edit.

    `base` is what the user started from (the form as it was filled): then only the fields the user changed
    from it are written, over the client as it is now, and a field someone else changed meanwhile to
    something else is refused as an :class:`~clientbook.core.edits.EditConflict` (see :mod:`.edits`).
    Without it, `draft` is the whole client as it should be.

    Contact people keep their ids: a draft contact with an id updates that person, one without is added,
    and those no longer in the draft are removed. The slug stays as it is unless `new_slug` asks for one
    made from the (new) name.
    """
    return apply_edit(
        draft,
        base,
        read=lambda: Reading(draft_of(client_id), last_change(client_id)),
        write=lambda wanted, reading: _write_edit(
            client_id,
            wanted,
            reading,
            actor=actor,
            phone_region=phone_region,
            new_slug=new_slug,
            allow_duplicate=allow_duplicate,
        ),
        who=lambda fields: last_writer("client", client_id, fields) or _last_actor(client_id),
    )


def _write_edit(
    client_id: int,
    draft: ClientDraft,
    read: Reading,
    *,
    actor: Staff,
    phone_region: str,
    new_slug: bool,
    allow_duplicate: bool,
) -> Client:
    now, token = read.draft, read.token
    clean = validate_client(draft, phone_region=phone_region)
    client = get_client(client_id)
    if not allow_duplicate:
        try:
            previous: CleanClient | None = validate_client(now, phone_region=phone_region)
        except ValidationError:
            previous = None  # a record from before a rule existed: judge the edit on its own
        _refuse_new_duplicates(clean, previous, client_id)
    # Read before the transaction: it then holds the write lock only while it writes.
    staff = _resolve_people(clean)
    columns = _client_columns(clean, staff)
    del columns["search_text"]  # derived: recomputed below from the fields and contacts
    with change_set(actor, "client.edit", f"Edited client {clean.name}", client_id=client_id) as record:
        lock_row(Client, client_id)
        if last_change(client_id, other_than=int(record.change_set.id)) != token:
            raise Moved
        if new_slug:
            columns["slug"] = unique_slug(
                clean.name, Client.slug, fallback="client", exclude_id=client.id, keep=client.slug
            )
        before = record.count
        record.update(client, **columns)
        contacts = _write_contacts(record, client, clean)
        if record.count > before:
            record.update(client, updated_at=stored_now())
        refresh_search_text(client, contacts)
    return client


def last_change(client_id: int, *, other_than: int = 0) -> int:
    """The id of the latest change set recorded on the client (0 for none): it moves with every write."""
    query = ChangeSet.select(pw.fn.MAX(ChangeSet.id)).where(
        (ChangeSet.client == client_id) & (ChangeSet.id != other_than)
    )
    return int(query.scalar() or 0)


def _last_actor(client_id: int) -> str:
    """Who made the latest change set on the client (for a clash's message); empty when unknown."""
    found = (
        ChangeSet.select(Staff.name)
        .join(Staff, on=(ChangeSet.actor == Staff.id))
        .where(ChangeSet.client == client_id)
        .order_by(ChangeSet.id.desc())
        .limit(1)
        .tuples()
    )
    row = found.first()
    return str(row[0]) if row else ""


def archive_client(client_id: int, *, actor: Staff) -> Client:
    """Hide a client from the everyday list; nothing about it is deleted."""
    return _set_archived(client_id, actor=actor, archived=True)


def unarchive_client(client_id: int, *, actor: Staff) -> Client:
    """Bring an archived client back to the list."""
    return _set_archived(client_id, actor=actor, archived=False)


def _set_archived(client_id: int, *, actor: Staff, archived: bool) -> Client:
    client = get_client(client_id)
    verb = "Archived" if archived else "Brought back"
    with change_set(actor, "client.archive", f"{verb} {client.name}", client_id=client_id) as record:
        if (client.archived_at is not None) == archived:
            return client
        now = stored_now()
        record.update(client, archived_at=now if archived else None, updated_at=now)
    return client


def stored_now() -> datetime:
    """Now, as the tables store it (naive UTC)."""
    return utc_naive(clock.now())


def _resolve_people(clean: CleanClient) -> dict[str, Staff | None]:
    """Staff named by slug in a clean draft; an unknown one is a validation error on its field."""
    errors: dict[str, str] = {}
    people: dict[str, Staff | None] = {"point_person": None, "backup_person": None}
    for field in people:
        ref = getattr(clean, field)
        if not ref:
            continue
        try:
            people[field] = find_staff(ref)
        except NotFound as error:
            errors[field] = str(error)
    point, backup = people["point_person"], people["backup_person"]
    if point is not None and backup is not None and point.id == backup.id:
        # Validation compares the references as typed; `pat` and `pat-owner` name one person too.
        errors["backup_person"] = "must be someone other than the point-person"
    if errors:
        raise ValidationError(errors)
    return people


def _client_columns(clean: CleanClient, staff: Mapping[str, Staff | None]) -> dict[str, object]:
    return {
        "name": clean.name,
        "kind": clean.kind.value,
        "point_person": staff["point_person"],
        "backup_person": staff["backup_person"],
        "stage": clean.stage.value,
        "email": clean.email,
        "phone": clean.phone,
        "phone_e164": clean.phone_e164,
        "company": clean.company,
        "timezone": clean.timezone,
        "tags": ",".join(clean.tags),
        "notes": clean.notes,
        "cadence_days": clean.cadence_days,
        "reply_target_hours": clean.reply_target_hours,
        "sort_name": fold(clean.name),
        "search_text": "",
    }


def _insert_with_slug(
    record: Recorder, model: type[M], name: str, fallback: str, columns: dict[str, object]
) -> M:
    """Insert a row with a fresh unique slug, trying again if another writer took the slug meanwhile."""
    for _ in range(_SLUG_RETRIES):
        slug = unique_slug(name, model.slug, fallback=fallback)  # type: ignore[attr-defined]
        try:
            with database.atomic():
                return record.insert(model, slug=slug, **columns)
        except pw.IntegrityError:
            if model.get_or_none(model.slug == slug) is None:  # type: ignore[attr-defined]
                raise  # not a slug collision: let it surface
    raise ValidationError({"name": "could not find a free slug; try again"})


def _write_contacts(record: Recorder, client: Client, clean: CleanClient) -> list[ContactPerson]:
    """Bring the client's contact people in line with the clean draft, keeping each one's id; the contacts
    as they now are, in :meth:`ContactPerson.of` order."""
    existing = {c.id: c for c in ContactPerson.select().where(ContactPerson.client == client.id)}
    kept: set[int] = set()
    now: list[ContactPerson] = []
    for position, contact in enumerate(clean.contacts):
        columns: dict[str, object] = {
            "position": position,
            "name": contact.name,
            "role": contact.role,
            "email": contact.email,
            "phone": contact.phone,
            "phone_e164": contact.phone_e164,
            "is_primary": contact.is_primary,
        }
        row = existing.get(contact.id) if contact.id is not None else None
        if row is None:
            now.append(record.insert(ContactPerson, client=client.id, **columns))
        else:
            kept.add(row.id)
            now.append(record.update(row, **columns))
    for ident, row in existing.items():
        if ident not in kept:
            record.delete(row)
    return sorted(now, key=lambda c: (not c.is_primary, c.position))


def remove_contact(contact_id: int, *, actor: Staff) -> None:
    """Remove one contact person from an organisation (kept in the history, so it can be undone)."""
    contact = ContactPerson.get_or_none(ContactPerson.id == contact_id)
    if contact is None:
        raise NotFound(f"no contact person {contact_id}")
    client = get_client(contact.client_id)
    summary = f"Removed contact person {contact.name} from {client.name}"
    with change_set(actor, "contact.delete", summary, client_id=client.id) as record:
        record.delete(contact)
        refresh_search_text(client)


def build_search_text(texts: Iterable[str]) -> str:
    """The folded text search-as-you-type matches; phone numbers also as bare digits (`020 79` -> 02079)."""
    parts: list[str] = []
    for text in texts:
        if not text:
            continue
        parts.append(fold(text))
        if sum(ch.isdigit() for ch in text) >= 6:
            parts.append(digits(text))
    return "\n".join(parts)


def search_text_of(client: Client, contacts: Iterable[ContactPerson]) -> str:
    """Search text from a client's names, company, emails, phones and tags, and those of its contacts."""
    texts = [client.name, client.company, client.email, client.phone, client.phone_e164, client.tags]
    for contact in contacts:
        texts += [contact.name, contact.role, contact.email, contact.phone, contact.phone_e164]
    return build_search_text(texts)


def refresh_search_text(client: Client, contacts: Iterable[ContactPerson] | None = None) -> None:
    """Recompute the folded sort name and search text of a client from its fields and contact people
    (`contacts`, in :meth:`ContactPerson.of` order, when the caller has just written them; else read)."""
    people = ContactPerson.of(client.id) if contacts is None else contacts
    sort_name, search_text = fold(client.name), search_text_of(client, people)
    changed = {
        field: value
        for field, value in (("sort_name", sort_name), ("search_text", search_text))
        if getattr(client, field, None) != value
    }
    # Only what changed: writing the search text, even unchanged, rewrites its trigram index entries (dozens
    # of pages for one save).
    if changed:
        client.sort_name, client.search_text = sort_name, search_text
        update_row(Client, client.id, changed)
