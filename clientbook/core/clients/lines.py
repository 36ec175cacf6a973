"""`clientbook client list`: every client a search matches, streamed in name order, in plain SQL.

Written as SQL on the driver's connection (:mod:`clientbook.core.store.plain`) rather than through peewee:
scripts run it more than any other command, and on a book that opens as it is it answers without importing
peewee (60 ms of its 150 ms budget). It finds what the list screen finds (:mod:`.client_search`).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import NamedTuple

from clientbook.core.clients.search import (
    LIKE_ESCAPE,
    SELECTIVE,
    indexed_terms,
    like_anywhere,
    search_terms,
    short_terms,
)
from clientbook.core.store.plain import PlainSql
from clientbook.core.values import from_stored


class ClientLine(NamedTuple):
    """A client as `clientbook client list` prints it: the list screen's row without its care columns.

    A NamedTuple, not a frozen dataclass like the other rows: the CLI makes one per client, 100,000 in a
    row, and a tuple is made several times faster.
    """

    id: int
    slug: str
    name: str
    company: str
    stage: str
    point_person: str
    last_contact_at: datetime | None
    reach: str
    """The email, else the phone, else (an organisation) its primary contact's."""
    archived: bool
    sort_name: str


COLUMNS = (
    "c.id, c.slug, c.name, c.company, c.stage, st.name, c.last_contact_at, c.email, c.phone, c.archived_at,"
    " c.sort_name"
)
CONTAINS = f"c.search_text LIKE ? ESCAPE '{LIKE_ESCAPE}'"


def client_lines(
    sql: PlainSql, *, search: str = "", include_archived: bool = False, page: int = 1_000
) -> Iterator[ClientLine]:
    """Every client `search` matches (archived ones too if asked), in name order, as the caller takes them:
    read `page` at a time, so memory stays flat however many there are (the CLI streams 100,000).

    Each page follows the last by a row-value keyset, `(sort_name, id) > (?, ?)`, one range of the sort
    index however deep. A search with few matches (under :data:`SELECTIVE`, by a probe of the search index)
    is read from the search index's rows and sorted; SQLite would otherwise walk the whole sort index testing
    each client (65 ms for a name matching 163 of 100,000, against 11). One with many walks the sort index,
    testing each client's id against the matches.
    """
    terms, _ = search_terms(search)
    indexed = indexed_terms(terms)
    conditions: list[str] = [] if include_archived else ["c.archived_at IS NULL"]
    params: list[object] = []
    short = short_terms(terms)
    source = "client AS c"
    if indexed and _fewer_matches(sql, indexed, SELECTIVE):
        source, condition, made = sql.client_match_source(indexed)
        conditions.append(condition)
        params.extend(made)
    elif indexed:
        matches, made = sql.client_matches(indexed)
        conditions.append(f"{sql.unindexed('c.id')} IN {matches}")
        params.extend(made)
    elif short:
        condition, made = sql.starts_with("c.sort_name", short.pop(0))
        conditions.append(condition)
        params.extend(made)
    for term in short:
        conditions.append(CONTAINS)
        params.append(like_anywhere(term))
    select = f"SELECT {COLUMNS} FROM {source} JOIN staff AS st ON c.point_person_id = st.id"
    last: ClientLine | None = None
    while True:
        where = list(conditions)
        bound = list(params)
        if last is not None:
            where.append("(c.sort_name, c.id) > (?, ?)")
            bound.extend((last.sort_name, last.id))
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        rows = sql.rows(f"{select}{clause} ORDER BY c.sort_name, c.id LIMIT ?", (*bound, page))
        via_contact = _primary_reach(sql, [row[0] for row in rows if not (row[7] or row[8])])
        for ident, slug, name, company, stage, person, contact, email, phone, archived, sort_name in rows:
            reach = email or phone or via_contact.get(ident, "")
            last = ClientLine(
                ident,
                slug,
                name,
                company,
                stage,
                person,
                from_stored(contact),
                reach,
                archived is not None,
                sort_name,
            )
            yield last
        if len(rows) < page:
            return


def _fewer_matches(sql: PlainSql, indexed: list[str], most: int) -> bool:
    """Whether the search index holds fewer than `most` clients matching these terms (it stops counting
    there, so a common term costs no more than a rare one)."""
    return int(sql.value(*sql.client_match_count(indexed, most))) < most


def _primary_reach(sql: PlainSql, client_ids: list[int]) -> dict[int, str]:
    """How each of these clients (organisations with no email or phone of their own) is reached: their
    primary contact's email, else phone."""
    if not client_ids:
        return {}
    among, ids = sql.among("client_id", client_ids)
    rows = sql.rows(
        f"SELECT client_id, email, phone FROM contact_person WHERE is_primary = ? AND {among}", (True, *ids)
    )
    return {client_id: email or phone for client_id, email, phone in rows}
