"""Queries: every read the screens and the CLI make, returning plain frozen rows, never live models.

The client list is built for 100,000 clients: :func:`client_page` reads one window of rows at a time (by
keyset after a known row when scrolling on, by offset when jumping), :func:`count_clients` counts matches,
and search matches folded text with `LIKE` (wildcards escaped, values bound as parameters), so quotes and
operators in what the user types are only ever text.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Final

import peewee as pw

from clientbook.core import sql
from clientbook.core.care import rules as care_rules
from clientbook.core.clients.search import (
    SELECTIVE,
    TRIGRAM,
    indexed_terms,
    search_terms,
    short_terms,
)
from clientbook.core.errors import NotFound
from clientbook.core.models import (
    Client,
    Concern,
    ContactPerson,
    Interaction,
    Staff,
    from_stored,
    tuples_of,
)
from clientbook.core.references import REFERENCE_MAX, reference
from clientbook.core.sql import among, unindexed
from clientbook.core.text import fold, shown

if TYPE_CHECKING:
    # Only an edit (drafts, rules) or a client's page (history) needs these: a list or search, which is
    # what scripts run most, never loads them (see clientbook.cli.main on start-up).
    from clientbook.core.drafts import ClientDraft
    from clientbook.core.history import ChangeSetRow
    from clientbook.core.validation import CleanClient

LISTED_MAX: Final = 10
"""How many matches an ambiguous reference lists before saying how many more there are."""


class ClientSort(StrEnum):
    NAME = "name"
    LAST_CONTACT = "last-contact"


@dataclass(frozen=True)
class ClientFilter:
    """What the client list shows: the search box, the stage and point-person filters, archived or not."""

    search: str = ""
    stage: str = ""
    point_person_id: int | None = None
    include_archived: bool = False
    sort: ClientSort = ClientSort.NAME


@dataclass(frozen=True)
class ClientRow:
    """One line of the client list."""

    id: int
    slug: str
    name: str
    company: str
    stage: str
    point_person: str
    last_contact_at: datetime | None
    reach: str
    archived: bool
    sort_name: str
    awaiting: int = 0
    """Inbound messages awaiting a reply."""
    oldest_awaiting_at: datetime | None = None
    """When the longest-waiting of them arrived."""
    reply_target_hours: int | None = None
    """The client's own reply target, if it has one."""
    checklist: str = ""
    """Progress of the open checklist due soonest: `3/7 New client onboarding`."""
    at_risk: bool = False
    """An open high-severity concern: the client is at risk of leaving."""

    def reply_overdue(self, now: datetime, default_hours: int) -> bool:
        """The longest-waiting message awaiting a reply is past the client's reply target (or the default)."""
        return self.oldest_awaiting_at is not None and care_rules.reply_overdue(
            self.oldest_awaiting_at, now, self.reply_target_hours, default_hours
        )


@dataclass(frozen=True)
class ContactRow:
    name: str
    role: str
    email: str
    phone: str
    is_primary: bool
    id: int = 0


@dataclass(frozen=True)
class ClientDetail:
    """Everything the client detail screen shows."""

    id: int
    slug: str
    name: str
    kind: str
    stage: str
    point_person: str
    point_person_slug: str
    backup_person: str
    email: str
    phone: str
    company: str
    timezone: str
    tags: tuple[str, ...]
    notes: str
    created_at: datetime
    updated_at: datetime
    archived_at: datetime | None
    last_contact_at: datetime | None
    contacts: tuple[ContactRow, ...] = field(default_factory=tuple)
    history: tuple[ChangeSetRow, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class StaffRow:
    id: int
    slug: str
    name: str


def _where(flt: ClientFilter, *, selective: bool = True) -> pw.ColumnBase | None:
    conditions: list[pw.ColumnBase] = []
    if not flt.include_archived:
        conditions.append(Client.archived_at.is_null())
    if flt.stage:
        conditions.append(Client.stage == flt.stage)
    if flt.point_person_id is not None:
        conditions.append(Client.point_person == flt.point_person_id)
    terms, _ = search_terms(flt.search)
    if terms:
        conditions.append(_matching(terms, selective=selective))
    if not conditions:
        return None
    combined = conditions[0]
    for condition in conditions[1:]:
        combined = combined & condition
    return combined


def _matching(terms: list[str], *, selective: bool = True) -> pw.ColumnBase:
    """Clients whose search text contains every term (AND), wherever it appears.

    Terms of three or more characters go through the trigram index. A trigram index cannot answer one or two
    letters, so a search of only short terms finds names that *start* with the first (`al` finds Alice), by
    the sorted-name index; further short terms are checked by a scan of what is left, with peewee's
    contains(), which escapes `%` and `_` so they match literally. Terms reach SQLite as bound parameters,
    quoted as FTS5 strings or GLOB-escaped, so quotes and operators typed by the user are only text.

    `selective` False (many matches) makes the id only a membership test (`+id`), so SQLite walks the sort
    index in order and stops after a page, instead of reading every match and sorting them.
    """
    indexed = indexed_terms(terms)
    short = short_terms(terms)
    condition: pw.ColumnBase | None = None
    if indexed:
        ids = sql.fragment(sql.dialect().client_matches(indexed))
        ident: pw.Node = Client.id if selective else unindexed(Client.id)
        condition = pw.Expression(ident, pw.OP.IN, ids)
    else:
        condition = sql.fragment(sql.dialect().starts_with(sql.COLUMN, short.pop(0)), Client.sort_name)
    for term in short:
        scan = Client.search_text.contains(term)
        condition = condition & scan
    assert condition is not None
    return condition


def _filtered(
    query: pw.ModelSelect[Client], flt: ClientFilter, *, selective: bool = True
) -> pw.ModelSelect[Client]:
    condition = _where(flt, selective=selective)
    return query.where(condition) if condition is not None else query


def count_clients(flt: ClientFilter) -> int:
    """How many clients the filter matches; a search is counted from the search index's matches, joined to
    their clients (a search that matches nobody costs nothing, whatever the size of the book)."""
    terms, _ = search_terms(flt.search)
    indexed = indexed_terms(terms)
    dialect = sql.dialect()
    if not indexed or dialect.CLIENT_SEARCH_TABLE is None:
        return int(_filtered(Client.select(pw.fn.COUNT(Client.id)), flt).scalar() or 0)
    search = pw.Table(dialect.CLIENT_SEARCH_TABLE)
    _, condition, params = dialect.client_match_source(indexed)
    query = (
        Client.select(pw.fn.COUNT(Client.id))
        .from_(search)
        .join(Client, on=(Client.id == search.c.rowid))
        .where(sql.fragment((condition, params)))
    )
    # The other filters, and the short words, which with a long one are checked as "contains" (as in
    # `_matching`), never as a name's start.
    rest = _where(dataclasses.replace(flt, search=""))
    for term in terms:
        if len(term) < TRIGRAM:
            contains = Client.search_text.contains(term)
            rest = contains if rest is None else rest & contains
    return int((query.where(rest) if rest is not None else query).scalar() or 0)


@dataclass(frozen=True)
class ClientKey:
    """Where a row sits in the list's order: enough to read the rows after or before it (keyset paging)."""

    id: int
    sort_name: str
    last_contact_at: datetime | None


def _ordering(flt: ClientFilter, *, backward: bool = False) -> list[pw.Ordering]:
    if flt.sort is ClientSort.LAST_CONTACT:
        # Most recent first; never-contacted last.
        if backward:
            return [sql.nulls_first(Client.last_contact_at), Client.id.asc()]
        return [sql.nulls_last(Client.last_contact_at), Client.id.desc()]
    if backward:
        return [Client.sort_name.desc(), Client.id.desc()]
    return [Client.sort_name.asc(), Client.id.asc()]


def _after(flt: ClientFilter, row: ClientKey) -> pw.Expression:
    """Rows that come after `row` in the filter's order (keyset paging)."""
    if flt.sort is ClientSort.LAST_CONTACT:
        if row.last_contact_at is None:
            return Client.last_contact_at.is_null() & (Client.id < row.id)
        stored = row.last_contact_at.replace(tzinfo=None)
        return (
            (Client.last_contact_at < stored)
            | ((Client.last_contact_at == stored) & (Client.id < row.id))
            | Client.last_contact_at.is_null()
        )
    return (Client.sort_name > row.sort_name) | ((Client.sort_name == row.sort_name) & (Client.id > row.id))


def _before(flt: ClientFilter, row: ClientKey) -> pw.Expression:
    """Rows that come before `row` in the filter's order (keyset paging backwards)."""
    if flt.sort is ClientSort.LAST_CONTACT:
        if row.last_contact_at is None:
            return Client.last_contact_at.is_null(False) | (Client.id > row.id)
        stored = row.last_contact_at.replace(tzinfo=None)
        return (Client.last_contact_at > stored) | ((Client.last_contact_at == stored) & (Client.id > row.id))
    return (Client.sort_name < row.sort_name) | ((Client.sort_name == row.sort_name) & (Client.id < row.id))


def key_of(row: ClientRow) -> ClientKey:
    return ClientKey(row.id, row.sort_name, row.last_contact_at)


def _key_at(flt: ClientFilter, position: int, *, backward: bool, selective: bool) -> ClientKey | None:
    """The row at `position` counted from the start (or from the end, `backward`), read from the sort index
    alone: no join and no other column, so skipping 50,000 rows reads only index pages."""
    # Only the sort's own columns, so the list's index answers alone (it holds them, and the id).
    by_contact = flt.sort is ClientSort.LAST_CONTACT
    column = Client.last_contact_at if by_contact else Client.sort_name
    query = _filtered(Client.select(Client.id, column), flt, selective=selective)
    rows = tuples_of(query.order_by(*_ordering(flt, backward=backward)).offset(position).limit(1))
    if not rows:
        return None
    ident, value = rows[0]
    if by_contact:
        return ClientKey(int(ident), "", from_stored(value))
    return ClientKey(int(ident), str(value), None)


def client_page(
    flt: ClientFilter,
    *,
    offset: int,
    limit: int,
    after: ClientRow | ClientKey | None = None,
    before: ClientRow | ClientKey | None = None,
    matches: int | None = None,
) -> list[ClientRow]:
    """`limit` rows of the list, in its order.

    Following `after` or preceding `before` (keyset: fast anywhere); otherwise from `offset`. `matches`, the
    count when known, makes jumps cheap: an offset in the second half is found from the end (`end` reads the
    last page as the first one backwards), and a search with few matches is read from the search index.
    """
    selective = matches is None or matches < SELECTIVE
    if after is None and before is None and offset > 0:
        if matches is not None and offset + limit >= matches:
            return _rows(flt, limit=max(matches - offset, 0), backward=True, selective=selective)
        if matches is not None and offset > matches // 2:
            before = _key_at(flt, matches - offset - limit - 1, backward=True, selective=selective)
            if before is None:
                return []
        else:
            after = _key_at(flt, offset - 1, backward=False, selective=selective)
            if after is None:
                return []
    if before is not None:
        ahead = before if isinstance(before, ClientKey) else key_of(before)
        return _rows(flt, limit=limit, backward=True, beyond=_before(flt, ahead), selective=selective)
    behind = None if after is None else after if isinstance(after, ClientKey) else key_of(after)
    return _rows(flt, limit=limit, beyond=_after(flt, behind) if behind else None, selective=selective)


def _rows(
    flt: ClientFilter,
    *,
    limit: int,
    backward: bool = False,
    beyond: pw.Expression | None = None,
    selective: bool = True,
) -> list[ClientRow]:
    """Up to `limit` rows past `beyond`, in the list's order (read backwards, then turned round)."""
    query = _filtered(
        Client.select(
            Client.id,
            Client.slug,
            Client.name,
            Client.company,
            Client.stage,
            Staff.name,
            Client.last_contact_at,
            Client.email,
            Client.phone,
            Client.archived_at,
            Client.sort_name,
            Client.reply_target_hours,
        )
        .join(Staff, on=(Client.point_person == Staff.id))
        .order_by(*_ordering(flt, backward=backward)),
        flt,
        selective=selective,
    )
    if beyond is not None:
        query = query.where(beyond)
    rows = tuples_of(query.limit(limit))
    if backward:
        rows.reverse()
    via_contact = _primary_reach([row[0] for row in rows if not (row[7] or row[8])])
    ids = [row[0] for row in rows]
    waiting = awaiting_counts(ids)
    progress = checklist_progress(ids)
    risky = at_risk(ids)
    return [
        ClientRow(
            id=row[0],
            slug=row[1],
            name=row[2],
            company=row[3],
            stage=row[4],
            point_person=row[5],
            last_contact_at=from_stored(row[6]),
            reach=row[7] or row[8] or via_contact.get(row[0], ""),
            archived=row[9] is not None,
            sort_name=row[10],
            awaiting=waiting.get(row[0], (0, None))[0],
            oldest_awaiting_at=waiting.get(row[0], (0, None))[1],
            reply_target_hours=row[11],
            checklist=progress.get(row[0], ""),
            at_risk=row[0] in risky,
        )
        for row in rows
    ]


def _primary_reach(client_ids: list[int]) -> dict[int, str]:
    """How each of these clients (organisations with no email or phone of their own) is reached: their
    primary contact's email, else phone."""
    if not client_ids:
        return {}
    primaries = ContactPerson.select(ContactPerson.client, ContactPerson.email, ContactPerson.phone).where(
        among(ContactPerson.client, client_ids) & ContactPerson.is_primary
    )
    return {client_id: email or phone for client_id, email, phone in tuples_of(primaries)}


def awaiting_counts(client_ids: list[int]) -> dict[int, tuple[int, datetime | None]]:
    """For each of these clients with messages awaiting a reply: how many, and when the oldest arrived."""
    if not client_ids:
        return {}
    query = (
        Interaction.select(Interaction.client, pw.fn.COUNT(Interaction.id), pw.fn.MIN(Interaction.at))
        .where((Interaction.awaiting == True) & among(Interaction.client, client_ids))  # noqa: E712
        .group_by(Interaction.client)
    )
    return {
        int(client_id): (int(count), from_stored(oldest)) for client_id, count, oldest in tuples_of(query)
    }


def slug_completion(prefix: str) -> str | None:
    """The first current client's slug that starts with `prefix` (for completing a slug as it is typed)."""
    prefix = prefix.strip().lower()
    if not prefix or len(prefix) > REFERENCE_MAX:
        return None
    row = (
        Client.select(Client.slug)
        .where(Client.slug.startswith(prefix) & Client.archived_at.is_null())
        .order_by(Client.slug)
        .first()
    )
    return row.slug if row else None


def at_risk(client_ids: list[int]) -> set[int]:
    """Which of these clients have an open high-severity concern (shown as at risk everywhere)."""
    if not client_ids:
        return set()
    query = Concern.select(Concern.client).where(
        among(Concern.client, client_ids) & Concern.resolved_at.is_null() & (Concern.severity == "high")
    )
    return {int(row[0]) for row in tuples_of(query)}


def checklist_progress(client_ids: list[int]) -> dict[int, str]:
    """For each of these clients with an open checklist: `3/7 New client onboarding` (the one due soonest)."""
    from clientbook.core.processes.queries import ChecklistFilter, checklist_page  # noqa: PLC0415 - a cycle

    if not client_ids:
        return {}
    progress: dict[int, str] = {}
    for row in checklist_page(
        ChecklistFilter(client_ids=tuple(client_ids)), offset=0, limit=len(client_ids) * 5
    ):
        progress.setdefault(row.client_id, f"{row.progress} {row.process_name}")
    return progress


def get_client(client_id: int) -> Client:
    """The client with this id, or :class:`NotFound`."""
    client = Client.get_or_none(Client.id == client_id)
    if client is None:
        raise NotFound(f"no client with id {client_id}")
    return client


def find_client(ref: str) -> Client:
    """The client whose slug is `ref`, or the only one whose slug starts with it.

    Raises :class:`NotFound` (on the field `client`) when none does, or when the prefix fits several: then
    the message lists their slugs (at most :data:`LISTED_MAX`, and how many more).
    """
    ref = reference(ref, "client", field="client")
    if not ref:
        raise NotFound("no client given", field="client")
    exact = Client.get_or_none(Client.slug == ref)
    if exact is not None:
        return exact
    matching = Client.select().where(Client.slug.startswith(ref.lower()))
    matches = list(matching.order_by(Client.slug).limit(LISTED_MAX + 1))
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise NotFound(f"no client with slug {shown(ref)}", field="client")
    total = matching.count() if len(matches) > LISTED_MAX else len(matches)
    names = ", ".join(m.slug for m in matches[:LISTED_MAX])
    more = f" and {total - LISTED_MAX:,} more" if total > LISTED_MAX else ""
    raise NotFound(f"{shown(ref)} matches {total:,} clients: {names}{more}", field="client")


@dataclass(frozen=True)
class Duplicate:
    """An existing client that a new or edited one may duplicate, and what matched."""

    client_id: int
    slug: str
    name: str
    field: str
    """The field of the client being saved that matched: `email`, `phone`, `contacts.2.email`, `name`."""
    matched: str
    """What matched, as stored on the existing client: the email, the phone number as typed, the name."""
    contact: str = ""
    """When it matched one of the existing organisation's contact people: that person's name."""
    archived: bool = False


@dataclass(frozen=True)
class Duplicates:
    """What :func:`likely_duplicates` found: `same_reach` should stop a save until the user confirms;
    `same_name` is only worth a warning (two clients may share a name)."""

    same_reach: tuple[Duplicate, ...] = ()
    same_name: tuple[Duplicate, ...] = ()

    def by_field(self) -> dict[str, tuple[Duplicate, ...]]:
        """The `same_reach` matches grouped by the field that matched, in the order found."""
        grouped: dict[str, list[Duplicate]] = {}
        for duplicate in self.same_reach:
            grouped.setdefault(duplicate.field, []).append(duplicate)
        return {field: tuple(found) for field, found in grouped.items()}


def reach_of(clean: CleanClient) -> list[tuple[str, str, str]]:
    """(field, kind, value) for every email and E.164 phone of `clean` and its contact people."""
    reach = [("email", "email", clean.email), ("phone", "phone", clean.phone_e164)]
    for number, contact in enumerate(clean.contacts, start=1):
        reach.append((f"contacts.{number}.email", "email", contact.email))
        reach.append((f"contacts.{number}.phone", "phone", contact.phone_e164))
    return [(field, kind, value) for field, kind, value in reach if value]


def likely_duplicates(clean: CleanClient, *, exclude_id: int | None) -> Duplicates:
    """Existing clients that `clean` (validated, about to be saved) may be a second record of.

    Same reach (blocking: ask before saving): an email (any case) or a phone number (by its E.164 form) of
    the client or of one of its contact people equals an existing client's own, or one of an existing
    organisation's contact people's. Same name (a warning only; two people may share a name): the folded
    name (:func:`~clientbook.core.text.fold`: case and accents ignored) equals an existing client's.

    Archived clients count (they are flagged `archived`); `exclude_id` is the client being edited, which
    never duplicates itself. Each existing client appears at most once per field that matched, in the order
    of the fields (email, phone, then each contact's), and for each field by name.
    """
    found: list[Duplicate] = []
    not_self = (Client.id != exclude_id) if exclude_id is not None else None
    for matching, kind, value in reach_of(clean):
        own = pw.fn.lower(Client.email) == value.lower() if kind == "email" else Client.phone_e164 == value
        via = (
            pw.fn.lower(ContactPerson.email) == value.lower()
            if kind == "email"
            else ContactPerson.phone_e164 == value
        )
        columns = (Client.id, Client.slug, Client.name, Client.archived_at)
        direct = Client.select(*columns, Client.email, Client.phone).where(own)
        through = (
            ContactPerson.select(*columns, ContactPerson.email, ContactPerson.phone, ContactPerson.name)
            .join(Client, on=(ContactPerson.client == Client.id))
            .where(via)
        )
        if not_self is not None:
            direct, through = direct.where(not_self), through.where(not_self)
        seen: set[int] = set()
        rows = [(*row, "") for row in tuples_of(direct)] + list(tuples_of(through))
        for ident, slug, name, archived_at, email, phone, contact in sorted(rows, key=lambda r: (r[2], r[0])):
            if ident in seen:
                continue
            seen.add(ident)
            matched = email if kind == "email" else phone
            found.append(Duplicate(ident, slug, name, matching, matched, contact, archived_at is not None))
    named = Client.select(Client.id, Client.slug, Client.name, Client.archived_at).where(
        Client.sort_name == fold(clean.name)
    )
    if not_self is not None:
        named = named.where(not_self)
    same_name = tuple(
        Duplicate(ident, slug, name, "name", name, archived=archived_at is not None)
        for ident, slug, name, archived_at in tuples_of(named.order_by(Client.id))
    )
    return Duplicates(same_reach=tuple(found), same_name=same_name)


def staff_rows() -> list[StaffRow]:
    """Active staff, by name (the choices for point-person)."""
    return [StaffRow(s.id, s.slug, s.name) for s in Staff.active_ones()]


def client_detail(client_id: int, zone: str = "UTC", *, history: int = 200) -> ClientDetail:
    """One client with its contacts and its latest `history` actions (newest first, times in `zone`)."""
    client = get_client(client_id)
    contacts = tuple(
        ContactRow(c.name, c.role, c.email, c.phone, c.is_primary, c.id) for c in ContactPerson.of(client_id)
    )
    from clientbook.core.history import client_history  # noqa: PLC0415 - see the imports

    changes = tuple(client_history(client_id, zone=zone, limit=history))
    backup = client.backup_person
    return ClientDetail(
        id=client.id,
        slug=client.slug,
        name=client.name,
        kind=client.kind,
        stage=client.stage,
        point_person=client.point_person.name,
        point_person_slug=client.point_person.slug,
        backup_person=backup.name if backup else "",
        email=client.email,
        phone=client.phone,
        company=client.company,
        timezone=client.timezone,
        tags=tuple(client.tag_list),
        notes=client.notes,
        created_at=from_stored(client.created_at) or datetime.min,
        updated_at=from_stored(client.updated_at) or datetime.min,
        archived_at=from_stored(client.archived_at),
        last_contact_at=from_stored(client.last_contact_at),
        contacts=contacts,
        history=changes,
    )


def draft_of(client_id: int) -> ClientDraft:
    """A draft holding the client as it is, for an edit form or a CLI edit to change."""
    from clientbook.core.drafts import ClientDraft, ContactDraft  # noqa: PLC0415 - see the imports

    client = get_client(client_id)
    backup = client.backup_person
    return ClientDraft(
        name=client.name,
        kind=client.kind,
        point_person=client.point_person.slug,
        backup_person=backup.slug if backup else "",
        stage=client.stage,
        email=client.email,
        phone=client.phone,
        company=client.company,
        timezone=client.timezone,
        tags=", ".join(client.tag_list),
        notes=client.notes,
        contacts=tuple(
            ContactDraft(c.name, c.role, c.email, c.phone, c.is_primary, c.id)
            for c in ContactPerson.of(client_id)
        ),
        cadence_days=str(client.cadence_days or ""),
        reply_target_hours=str(client.reply_target_hours or ""),
    )
