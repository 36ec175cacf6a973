"""Reads of the interaction log: the log screen's pages, a client's timeline, what awaits a reply.

Built for a million interactions: pages are read by keyset (newest first, or oldest first for the awaiting
queue), and word search goes through the FTS5 index on summaries and details.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import peewee as pw

from clientbook.core import sql
from clientbook.core.care.rules import reply_overdue
from clientbook.core.dates import local
from clientbook.core.db import database
from clientbook.core.drafts import InteractionDraft
from clientbook.core.errors import NotFound
from clientbook.core.history import ChangeSetRow, record_history
from clientbook.core.models import Channel, Client, Interaction, Staff, from_stored, tuples_of
from clientbook.core.sql import among
from clientbook.core.text import capped_words
from clientbook.core.values import stored_date

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class ChannelRow:
    key: str
    label: str
    icon: str


@dataclass(frozen=True)
class InteractionFilter:
    """What the log shows. `since`/`until` are days in `zone`, both included."""

    client_id: int | None = None
    channel: str = ""
    direction: str = ""
    staff_id: int | None = None
    since: date | None = None
    until: date | None = None
    search: str = ""
    awaiting_only: bool = False
    zone: str = "UTC"


@dataclass(frozen=True)
class InteractionRow:
    """One line of the log or of a client's timeline."""

    id: int
    at: datetime
    at_zone: str
    client_id: int
    client_slug: str
    client_name: str
    client_timezone: str
    channel: str
    icon: str
    direction: str
    summary: str
    handled_by: str
    follow_up: date | None
    mood: str
    awaiting: bool
    acknowledged: bool
    answered_by: int | None
    has_details: bool
    client_reply_target: int | None = None
    """The client's own reply target in hours, if it has one."""

    def overdue(self, now: datetime, default_hours: int) -> bool:
        """Awaiting a reply for longer than the client's reply target (or the default)."""
        return self.awaiting and reply_overdue(self.at, now, self.client_reply_target, default_hours)


@dataclass(frozen=True)
class InteractionDetail:
    row: InteractionRow
    details: str
    answered_by_summary: str
    answers: tuple[InteractionRow, ...] = ()
    history: tuple[ChangeSetRow, ...] = field(default_factory=tuple)


def channels() -> list[ChannelRow]:
    return [ChannelRow(c.key, c.label, c.icon) for c in Channel.in_order()]


def channel_keys() -> list[str]:
    return [c.key for c in Channel.in_order()]


def search_words(search: str) -> tuple[list[str], int]:
    """The words a log search uses (runs of letters and digits, a dozen at most), and how many were cut."""
    return capped_words(_WORD.findall(search))


def _bounds(day: date, zone: str) -> datetime:
    return datetime.combine(day, time(), tzinfo=ZoneInfo(zone)).astimezone(UTC).replace(tzinfo=None)


def _where(flt: InteractionFilter) -> list[pw.Expression]:
    conditions: list[pw.Expression] = []
    if flt.client_id is not None:
        conditions.append(Interaction.client == flt.client_id)
    if flt.channel:
        conditions.append(Interaction.channel == flt.channel)
    if flt.direction:
        conditions.append(Interaction.direction == flt.direction)
    if flt.staff_id is not None:
        conditions.append(Interaction.handled_by == flt.staff_id)
    if flt.since is not None:
        conditions.append(Interaction.at >= _bounds(flt.since, flt.zone))
    if flt.until is not None:
        conditions.append(Interaction.at < _bounds(flt.until + timedelta(days=1), flt.zone))
    if flt.awaiting_only:
        conditions.append(Interaction.awaiting == True)  # noqa: E712
    words, _ = search_words(flt.search)
    if words:
        # Only runs of letters and digits become terms, so quotes, operators and search syntax are never
        # passed on.
        ids = sql.fragment(sql.dialect().interaction_matches(words))
        conditions.append(Interaction.id.in_(ids))
    return conditions


def _select(flt: InteractionFilter) -> pw.ModelSelect[Interaction]:
    query = (
        Interaction.select(
            Interaction.id,
            Interaction.at,
            Interaction.at_zone,
            Client.id,
            Client.slug,
            Client.name,
            Client.timezone,
            Channel.key,
            Channel.icon,
            Interaction.direction,
            Interaction.summary,
            Staff.name,
            Interaction.follow_up,
            Interaction.mood,
            Interaction.awaiting,
            Interaction.acknowledged_at,
            Interaction.answered_by,
            Interaction.details != "",
            Client.reply_target_hours,
        )
        .join(Client, on=(Interaction.client == Client.id))
        .switch(Interaction)
        .join(Channel, on=(Interaction.channel == Channel.key))
        .switch(Interaction)
        .join(Staff, on=(Interaction.handled_by == Staff.id))
    )
    for condition in _where(flt):
        query = query.where(condition)
    return query


def count_interactions(flt: InteractionFilter) -> int:
    query = Interaction.select(pw.fn.COUNT(Interaction.id))
    for condition in _where(flt):
        query = query.where(condition)
    return int(query.scalar() or 0)


def interaction_page(
    flt: InteractionFilter,
    *,
    offset: int,
    limit: int,
    after: InteractionRow | None = None,
    before: InteractionRow | None = None,
    matches: int | None = None,
) -> list[InteractionRow]:
    """Newest first, or oldest first when only awaiting messages are shown (the longest wait leads).

    Following `after` or preceding `before` (keyset, fast anywhere); otherwise from `offset`. With `matches`
    (the count), an offset in the second half is found from the end, so `end` on a million rows reads the
    last page as the first one backwards.
    """
    if after is None and before is None and offset > 0:
        if matches is not None and offset + limit >= matches:
            return _page(flt, limit=max(matches - offset, 0), backward=True)
        if matches is not None and offset > matches // 2:
            key = _key_at(flt, matches - offset - limit - 1, backward=True)
            if key is None:
                return []
            return _page(flt, limit=limit, backward=True, beyond=_beyond(flt, key, True))
        key = _key_at(flt, offset - 1, backward=False)
        return [] if key is None else _page(flt, limit=limit, beyond=_beyond(flt, key, False))
    if before is not None:
        return _page(flt, limit=limit, backward=True, beyond=_beyond(flt, (before.at, before.id), True))
    beyond = _beyond(flt, (after.at, after.id), False) if after is not None else None
    return _page(flt, limit=limit, beyond=beyond)


def _newest_first(flt: InteractionFilter, backward: bool) -> bool:
    """The log reads newest first, the awaiting queue oldest first; `backward` turns either round."""
    return flt.awaiting_only == backward


def _beyond(flt: InteractionFilter, key: tuple[datetime, int], backward: bool) -> pw.Expression:
    """Rows past `key` (its time and id) in the direction read."""
    at = key[0].astimezone(UTC).replace(tzinfo=None)
    if _newest_first(flt, backward):
        return (Interaction.at < at) | ((Interaction.at == at) & (Interaction.id < key[1]))
    return (Interaction.at > at) | ((Interaction.at == at) & (Interaction.id > key[1]))


def _ordered(
    query: pw.ModelSelect[Interaction], flt: InteractionFilter, backward: bool
) -> pw.ModelSelect[Interaction]:
    if _newest_first(flt, backward):
        return query.order_by(Interaction.at.desc(), Interaction.id.desc())
    return query.order_by(Interaction.at, Interaction.id)


def _key_at(flt: InteractionFilter, position: int, *, backward: bool) -> tuple[datetime, int] | None:
    """The time and id of the row at `position` (from the end when `backward`), read from the (at, id)
    index alone: skipping half a million rows reads index pages, not rows and joins."""
    query = Interaction.select(Interaction.at, Interaction.id)
    for condition in _where(flt):
        query = query.where(condition)
    rows = tuples_of(_ordered(query, flt, backward).offset(position).limit(1))
    if not rows:
        return None
    at = from_stored(rows[0][0])
    assert at is not None
    return at, int(rows[0][1])


def _page(
    flt: InteractionFilter, *, limit: int, backward: bool = False, beyond: pw.Expression | None = None
) -> list[InteractionRow]:
    query = _ordered(_select(flt), flt, backward)
    if beyond is not None:
        query = query.where(beyond)
    rows = [_row(values) for values in tuples_of(query.limit(limit))]
    if backward:
        rows.reverse()
    return rows


def interaction_pages(flt: InteractionFilter, *, size: int = 1_000) -> Iterator[list[InteractionRow]]:
    """Every interaction `flt` matches, in :func:`interaction_page`'s order, a page of `size` at a time as the
    caller takes them, so memory stays flat (the CLI streams a million).

    Each page follows the last by a row-value keyset, `(at, id) < (?, ?)`, which SQLite answers with a range
    of the `(at, id)` index however deep; the equivalent OR that :func:`interaction_page` writes is scanned
    from the newest interaction for every page (a millionth row took 300 ms to reach). Rows come straight
    off the cursor, without peewee's per-value conversion, which took longer than SQLite's own reading.
    """
    oldest_first = flt.awaiting_only
    order = [Interaction.at.asc(), Interaction.id.asc()]
    if not oldest_first:
        order = [Interaction.at.desc(), Interaction.id.desc()]
    last: InteractionRow | None = None
    while True:
        query = _select(flt).order_by(*order)
        if last is not None:
            key = pw.Tuple(Interaction.at, Interaction.id)
            seen = pw.Tuple(last.at.astimezone(UTC).replace(tzinfo=None), last.id)
            query = query.where(key > seen if oldest_first else key < seen)
        page = [_row(values) for values in database.execute(query.limit(size)).fetchall()]
        if page:
            yield page
        if len(page) < size:
            return
        last = page[-1]


def _row(values: tuple[object, ...]) -> InteractionRow:
    (
        ident,
        at,
        zone,
        client_id,
        slug,
        name,
        client_zone,
        channel,
        icon,
        direction,
        summary,
        handler,
        follow_up,
        mood,
        awaiting,
        acknowledged_at,
        answered_by,
        has_details,
        reply_target,
    ) = values
    stored_at = from_stored(at)  # type: ignore[arg-type]
    assert stored_at is not None
    return InteractionRow(
        id=int(ident),  # type: ignore[call-overload]
        at=stored_at,
        at_zone=str(zone),
        client_id=int(client_id),  # type: ignore[call-overload]
        client_slug=str(slug),
        client_name=str(name),
        client_timezone=str(client_zone or ""),
        channel=str(channel),
        icon=str(icon),
        direction=str(direction),
        summary=str(summary),
        handled_by=str(handler),
        follow_up=stored_date(follow_up),
        mood=str(mood or ""),
        awaiting=bool(awaiting),
        acknowledged=acknowledged_at is not None,
        answered_by=int(answered_by) if answered_by is not None else None,  # type: ignore[call-overload]
        has_details=bool(has_details),
        client_reply_target=int(reply_target) if reply_target is not None else None,  # type: ignore[call-overload]
    )


def awaiting_replies(client_id: int, *, before: datetime | None = None) -> list[InteractionRow]:
    """The client's inbound messages awaiting a reply, oldest first (only those before `before`, if given)."""
    rows = interaction_page(InteractionFilter(client_id=client_id, awaiting_only=True), offset=0, limit=500)
    return [row for row in rows if before is None or row.at <= before]


def interaction_details(ids: list[int]) -> dict[int, str]:
    """The details text of each of these interactions (rows carry only whether there are any)."""
    found: dict[int, str] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        query = Interaction.select(Interaction.id, Interaction.details).where(among(Interaction.id, chunk))
        found.update({int(ident): str(text) for ident, text in tuples_of(query)})
    return found


def interaction_detail(interaction_id: int, zone: str = "UTC") -> InteractionDetail:
    """One interaction with its details, what answered it or what it answered, and its change history."""
    rows = [_row(v) for v in tuples_of(_select(InteractionFilter()).where(Interaction.id == interaction_id))]
    if not rows:
        raise NotFound(f"no interaction {interaction_id}")
    interaction = Interaction.get_by_id(interaction_id)
    answered_by = interaction.answered_by
    answered = (
        _select(InteractionFilter()).where(Interaction.answered_by == interaction_id).order_by(Interaction.at)
    )
    answers = [_row(values) for values in tuples_of(answered)]
    history = tuple(record_history("interaction", interaction_id, zone=zone))
    return InteractionDetail(
        row=rows[0],
        details=interaction.details,
        answered_by_summary=answered_by.summary if answered_by else "",
        answers=tuple(answers),
        history=history,
    )


def interaction_draft(interaction_id: int, zone: str) -> InteractionDraft:
    """A draft holding the interaction as it is, its time written in `zone` on the 24-hour clock."""
    interaction = Interaction.get_or_none(Interaction.id == interaction_id)
    if interaction is None:
        raise NotFound(f"no interaction {interaction_id}")
    at = from_stored(interaction.at)
    assert at is not None
    return InteractionDraft(
        client=interaction.client.slug,
        when=f"{local(at, zone):%Y-%m-%d %H:%M}",
        channel=interaction.channel_id,
        direction=interaction.direction,
        summary=interaction.summary,
        details=interaction.details,
        handled_by=interaction.handled_by.slug,
        follow_up=interaction.follow_up.isoformat() if interaction.follow_up else "",
        mood=interaction.mood or "",
    )
