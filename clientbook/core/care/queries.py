"""The care queue: everything owed to clients today, in one place (care principle 10).

Sections, each in the order a person should work through it: messages awaiting a reply (oldest first),
follow-ups and concern check-ins due, promises due, open concerns (most severe first), clients past their
contact cadence (longest neglected first), checklist steps due, and key dates coming up.

**Overdue** means: a message waiting longer than the reply target, or a follow-up, check-in, promise or
checklist step past its due day, or a client past its cadence. What is merely due today is listed, not
overdue. Open concerns and key dates are never "overdue": they are listed for attention.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Final

from clientbook.core.care.due import care_due_text, use_cadence
from clientbook.core.care.rules import (
    key_date_ahead,
    next_occurrence,
    past_due,
    reply_overdue,
)
from clientbook.core.dates import format_wait, local
from clientbook.core.store.plain import PlainSql
from clientbook.core.values import PromiseStatus, Severity, from_stored, stored_day

SECTION_MAX = 500
"""Items listed per section at most; a section's count stops there too (shown as `500+`)."""
SHOWN_PER_SECTION: Final = 100
"""The items a section lists on the care screen (`clientbook today` lists up to :data:`SECTION_MAX`, fewer
with `--limit`); each section counts on to :data:`SECTION_MAX` whatever it lists."""
OWED = (PromiseStatus.OPEN.value, PromiseStatus.RENEGOTIATED.value)
"""The statuses of a promise still owed (kept and broken ones are closed)."""


class Kind(StrEnum):
    REPLY = "reply"
    FOLLOW_UP = "follow-up"
    CHECKIN = "check-in"
    PROMISE = "promise"
    CONCERN = "concern"
    NEGLECT = "needs care"
    STEP = "step"
    KEY_DATE = "key date"


SECTIONS: tuple[tuple[str, tuple[Kind, ...]], ...] = (
    ("Awaiting reply", (Kind.REPLY,)),
    ("Follow-ups due", (Kind.FOLLOW_UP, Kind.CHECKIN)),
    ("Promises due", (Kind.PROMISE,)),
    ("Concerns open", (Kind.CONCERN,)),
    ("Needs care (past cadence)", (Kind.NEGLECT,)),
    ("Checklist steps due", (Kind.STEP,)),
    ("Key dates ahead", (Kind.KEY_DATE,)),
)
KEY_DATES_TITLE = SECTIONS[-1][0]


@dataclass(frozen=True)
class CarePolicy:
    """The rules the queue applies, from the settings (the CLI and the app build it)."""

    reply_target_hours: int = 24
    cadence: Mapping[str, int | None] = field(default_factory=dict)
    key_dates_ahead: int = 14


@dataclass(frozen=True)
class CareItem:
    """One thing owed: what kind, to which client, why it is listed, and whether it is overdue."""

    kind: Kind
    ref: int
    """The id of what it is about: interaction, concern, promise, client, checklist step or key date."""
    client_id: int
    client_slug: str
    client_name: str
    point_person: str
    text: str
    when: str
    overdue: bool
    severity: str = ""


@dataclass(frozen=True)
class CareSection:
    title: str
    items: tuple[CareItem, ...]
    total: int
    """How many there are, counted up to :data:`SECTION_MAX` (a count that never reads a whole table)."""
    capped: bool = False
    """There are more than `total`: say `500+`."""

    @property
    def count_text(self) -> str:
        """`12`, `1,204` or `500+`."""
        return f"{self.total:,}+" if self.capped else f"{self.total:,}"


@dataclass(frozen=True)
class CareQueue:
    sections: tuple[CareSection, ...]
    today: date

    @property
    def total(self) -> int:
        return sum(section.total for section in self.sections)

    @property
    def capped(self) -> bool:
        """Some section has more than it counted: the total is at least :attr:`total`."""
        return any(section.capped for section in self.sections)

    @property
    def count_text(self) -> str:
        """`12`, or `2,500+` when a section stopped counting."""
        return f"{self.total:,}{'+' if self.capped else ''}"

    @property
    def overdue_text(self) -> str:
        """How many listed lines are overdue, `+` when some section lists fewer than it holds."""
        partial = any(len(section.items) < section.total or section.capped for section in self.sections)
        return f"{self.overdue:,}{'+' if partial else ''}"

    @property
    def overdue(self) -> int:
        return sum(1 for section in self.sections for item in section.items if item.overdue)

    def items(self) -> list[CareItem]:
        return [item for section in self.sections for item in section.items]


def _day_text(day: date, today: date) -> str:
    if day == today:
        return "due today"
    if day < today:
        return f"{(today - day).days} d late"
    return f"in {(day - today).days} d, {day:%a} {day.day} {day:%b}"


# The reads ----------------------------------------------------------------------------------------------
#
# Each section is one range of an index: its first `limit` rows, and a count (up to SECTION_MAX) only when
# the read filled its limit. The SQL is written out, not built by peewee: the queue is read at every visit of
# the care screen and by every `clientbook today`, and building these joins was most of the Python in both.


@dataclass(frozen=True)
class _Read:
    """One section's statement: what it selects, from which joins, on which condition, in what order."""

    columns: str
    joins: str
    where: str
    params: tuple[object, ...]
    order: str

    def theirs(self, staff_id: int | None, *also: str) -> _Read:
        """Only what is `staff_id`'s: their clients, and what they handled, promised or own (`also`)."""
        if staff_id is None:
            return self
        owners = " OR ".join(("c.point_person_id = ?", *(f"{column} = ?" for column in also)))
        return replace(
            self, where=f"{self.where} AND ({owners})", params=(*self.params, *[staff_id] * (1 + len(also)))
        )

    def first(self, sql: PlainSql, limit: int | None) -> list[tuple[Any, ...]]:
        """The first `limit` rows; every row when `limit` is None."""
        order = f" ORDER BY {self.order}" if self.order else ""
        # No `LIMIT -1` for "all": SQLite reads it so, PostgreSQL refuses it.
        cap, params = (" LIMIT ?", (*self.params, limit)) if limit is not None else ("", self.params)
        return sql.rows(f"SELECT {self.columns} FROM {self.joins} WHERE {self.where}{order}{cap}", params)

    def total(self, sql: PlainSql, read: int, limit: int) -> int:
        """How many rows there are, counting no further than one past :data:`SECTION_MAX`: `read`, when a
        read of up to `limit` rows found fewer (it found them all; a count would only say so again)."""
        if read < limit:
            return read
        counted = sql.value(
            f"SELECT COUNT(*) FROM (SELECT 1 FROM {self.joins} WHERE {self.where} LIMIT ?) AS found",
            (*self.params, SECTION_MAX + 1),
        )
        return int(counted)


CLIENT_COLUMNS: Final = "c.id, c.slug, c.name, s.name"
"""The client columns every section's rows end with: id, slug, name, point-person's name."""
POINT_PERSON: Final = "JOIN staff AS s ON c.point_person_id = s.id"
SEVERITY_ORDER: Final = (
    f"CASE k.severity WHEN '{Severity.HIGH.value}' THEN 0 WHEN '{Severity.MEDIUM.value}' THEN 1 ELSE 2 END"
)
"""Most severe first."""


def care_queue(
    sql: PlainSql,
    policy: CarePolicy,
    *,
    now: datetime,
    zone: str,
    staff_id: int | None = None,
    limit: int = SECTION_MAX,
) -> CareQueue:
    """Everything owed as of `now` (days counted in `zone`); `staff_id` keeps only that person's share.

    Each section lists its first `limit` items and counts up to :data:`SECTION_MAX`: every read is one range
    of an index, so the queue costs the same at 100 clients and at 100,000. `sql` is the book's connection
    (:func:`clientbook.core.db.plain` in the app, :func:`clientbook.core.store.plain.open_plain` for a
    command); the queue may first bring the stored cadences up to `policy` (see :func:`_neglected`).
    """
    today = local(now, zone).date()
    limit = max(0, min(limit, SECTION_MAX))
    found: dict[Kind, tuple[list[CareItem], int]] = {
        Kind.REPLY: _replies(sql, policy, now, staff_id, limit),
        Kind.FOLLOW_UP: _follow_ups(sql, today, staff_id, limit),
        Kind.CHECKIN: _checkins(sql, today, staff_id, limit),
        Kind.PROMISE: _promises(sql, today, staff_id, limit),
        Kind.CONCERN: _concerns(sql, now, staff_id, limit),
        Kind.NEGLECT: _neglected(sql, policy, now, today, staff_id=staff_id, limit=limit),
        Kind.STEP: _steps(sql, today, staff_id, limit),
        Kind.KEY_DATE: _key_dates(sql, policy, today, staff_id, limit),
    }
    sections = []
    for title, kinds in SECTIONS:
        items = [item for kind in kinds for item in found[kind][0]][: limit or None]
        total = sum(found[kind][1] for kind in kinds)
        if total:
            capped = total > SECTION_MAX
            sections.append(
                CareSection(title=title, items=tuple(items), total=min(total, SECTION_MAX), capped=capped)
            )
    return CareQueue(sections=tuple(sections), today=today)


def owes(queue: CareQueue) -> bool:
    """Whether `queue` holds anything owed today (key dates ahead are reminders, not owed)."""
    return any(section.total for section in queue.sections if section.title != KEY_DATES_TITLE)


def _replies(
    sql: PlainSql, policy: CarePolicy, now: datetime, staff_id: int | None, limit: int
) -> tuple[list[CareItem], int]:
    read = _Read(
        columns=f"i.id, i.summary, i.at, c.reply_target_hours, {CLIENT_COLUMNS}",
        joins=f"interaction AS i JOIN client AS c ON i.client_id = c.id {POINT_PERSON}",
        # `awaiting = ?`, not the bare column: only the comparison can use the (awaiting, at, id) index.
        where=f"i.awaiting = ? AND {sql.unindexed('c.archived_at')} IS NULL",
        params=(True,),
        order="i.at, i.id",
    ).theirs(staff_id, "i.handled_by_id")
    items = []
    for ident, summary, at, target, client_id, slug, name, person in read.first(sql, limit):
        moment = from_stored(at)
        assert moment is not None
        items.append(
            CareItem(
                Kind.REPLY,
                ident,
                client_id,
                slug,
                name,
                person,
                summary,
                f"waiting {format_wait(moment, now)}",
                overdue=reply_overdue(moment, now, target, policy.reply_target_hours),
            )
        )
    return items, read.total(sql, len(items), limit)


def _due(
    sql: PlainSql,
    kind: Kind,
    read: _Read,
    today: date,
    text: Callable[[tuple[Any, ...]], str],
    *,
    limit: int,
) -> tuple[list[CareItem], int]:
    """Items for a section of things due by a day: rows are (id, _, day, ..., then the client columns).

    Listed when due today or before; overdue only when the day has passed.
    """
    items = []
    for row in read.first(sql, limit):
        day = stored_day(row[2])
        client_id, slug, name, person = row[-4:]
        items.append(
            CareItem(
                kind,
                row[0],
                client_id,
                slug,
                name,
                person,
                text(row),
                _day_text(day, today),
                overdue=past_due(day, today),
            )
        )
    return items, read.total(sql, len(items), limit)


def _follow_ups(sql: PlainSql, today: date, staff_id: int | None, limit: int) -> tuple[list[CareItem], int]:
    read = _Read(
        columns=f"i.id, i.summary, i.follow_up, {CLIENT_COLUMNS}",
        joins=f"interaction AS i JOIN client AS c ON i.client_id = c.id {POINT_PERSON}",
        where="i.follow_up IS NOT NULL AND i.follow_up <= ? AND i.follow_up_done_at IS NULL"
        f" AND {sql.unindexed('c.archived_at')} IS NULL",
        params=(today,),
        order="i.follow_up, i.id",
    ).theirs(staff_id, "i.handled_by_id")
    return _due(sql, Kind.FOLLOW_UP, read, today, lambda row: f"Follow up: {row[1]}", limit=limit)


def _checkins(sql: PlainSql, today: date, staff_id: int | None, limit: int) -> tuple[list[CareItem], int]:
    read = _Read(
        columns=f"k.id, k.words, k.checkin_on, {CLIENT_COLUMNS}",
        joins=f"concern AS k JOIN client AS c ON k.client_id = c.id {POINT_PERSON}",
        where="k.checkin_on IS NOT NULL AND k.checkin_on <= ? AND k.checkin_done_at IS NULL",
        params=(today,),
        order="k.checkin_on, k.id",
    ).theirs(staff_id, "k.owner_id")
    return _due(sql, Kind.CHECKIN, read, today, lambda row: f'Check in after "{_short(row[1])}"', limit=limit)


def _promises(sql: PlainSql, today: date, staff_id: int | None, limit: int) -> tuple[list[CareItem], int]:
    read = _Read(
        columns=f"p.id, p.what, p.due, maker.name, {CLIENT_COLUMNS}",
        joins=f"promise AS p JOIN client AS c ON p.client_id = c.id {POINT_PERSON}"
        " JOIN staff AS maker ON p.made_by_id = maker.id",
        where="p.status IN (?, ?) AND p.due <= ?",
        params=(*OWED, today),
        order="p.due, p.id",
    ).theirs(staff_id, "p.made_by_id")
    return _due(sql, Kind.PROMISE, read, today, lambda row: f"{row[1]} (promised by {row[3]})", limit=limit)


def _concerns(sql: PlainSql, now: datetime, staff_id: int | None, limit: int) -> tuple[list[CareItem], int]:
    read = _Read(
        columns=f"k.id, k.words, k.severity, k.raised_at, k.acknowledged_at, k.remedy, {CLIENT_COLUMNS}",
        joins=f"concern AS k JOIN client AS c ON k.client_id = c.id {POINT_PERSON}",
        where="k.resolved_at IS NULL",
        params=(),
        order=f"{SEVERITY_ORDER}, k.raised_at, k.id",
    ).theirs(staff_id, "k.owner_id")
    items = []
    for ident, words, severity, raised, acknowledged, remedy, client_id, slug, name, person in read.first(
        sql, limit
    ):
        raised_at = from_stored(raised)
        assert raised_at is not None
        state = (
            "not acknowledged" if acknowledged is None else "acknowledged" + ("" if remedy else ", no remedy")
        )
        items.append(
            CareItem(
                Kind.CONCERN,
                ident,
                client_id,
                slug,
                name,
                person,
                f'"{_short(words)}"',
                f"{state} · raised {format_wait(raised_at, now)} ago",
                overdue=False,
                severity=severity,
            )
        )
    return items, read.total(sql, len(items), limit)


def _neglected(
    sql: PlainSql, policy: CarePolicy, now: datetime, today: date, *, staff_id: int | None, limit: int
) -> tuple[list[CareItem], int]:
    """Clients past their contact cadence, the most overdue first: one range of the `care_due` index.

    `care_due` (last contact, or creation when never contacted, plus the cadence that applies) is kept by
    triggers; :func:`~clientbook.core.care.due.use_cadence` first makes the stored stage cadences the
    policy's, so a changed setting is honoured on the next read.
    """
    use_cadence(sql, policy.cadence)
    read = _Read(
        columns="c.id, c.slug, c.name, s.name, c.stage, COALESCE(c.last_contact_at, c.created_at),"
        " COALESCE(c.cadence_days, 0)",
        joins=f"client AS c {POINT_PERSON}",
        # A snooze lasts up to and including its last day: the client is back the day after.
        where="c.archived_at IS NULL AND c.care_due < ?"
        " AND (c.care_snoozed_until IS NULL OR c.care_snoozed_until < ?)",
        params=(care_due_text(now), today),
        order="c.care_due, c.id",
    ).theirs(staff_id)
    items = []
    for client_id, slug, name, person, stage, contacted, own in read.first(sql, limit):
        moment = from_stored(contacted)
        assert moment is not None
        days = own or policy.cadence.get(stage) or 0
        items.append(
            CareItem(
                Kind.NEGLECT,
                client_id,
                client_id,
                slug,
                name,
                person,
                f"{stage} · cadence {days} d",
                f"last contact {format_wait(moment, now)} ago",
                overdue=True,
            )
        )
    return items, read.total(sql, len(items), limit)


def _steps(sql: PlainSql, today: date, staff_id: int | None, limit: int) -> tuple[list[CareItem], int]:
    read = _Read(
        columns=f"t.id, t.title, t.due_on, p.name, {CLIENT_COLUMNS}",
        joins="checklist_step AS t JOIN checklist AS l ON t.checklist_id = l.id"
        " JOIN process AS p ON l.process_id = p.id"
        f" JOIN client AS c ON l.client_id = c.id {POINT_PERSON}",
        where="t.done_at IS NULL AND t.due_on IS NOT NULL AND t.due_on <= ? AND l.completed_at IS NULL"
        f" AND {sql.unindexed('c.archived_at')} IS NULL",
        params=(today,),
        order="t.due_on, t.id",
    ).theirs(staff_id)
    return _due(sql, Kind.STEP, read, today, lambda row: f"{row[3]} · {row[1]}", limit=limit)


def _key_dates(
    sql: PlainSql, policy: CarePolicy, today: date, staff_id: int | None, limit: int
) -> tuple[list[CareItem], int]:
    read = _Read(
        columns=f'd.id, d.label, d."on", d.yearly, {CLIENT_COLUMNS}',
        joins=f"key_date AS d JOIN client AS c ON d.client_id = c.id {POINT_PERSON}",
        # Archived clients' dates are left out through the small archived set (the archived_at index), not
        # a join condition: with one, SQLite walks 100,000 clients to find a few key dates.
        where="d.client_id NOT IN (SELECT id FROM client WHERE archived_at IS NOT NULL)",
        params=(),
        order="",
    ).theirs(staff_id)
    found = []
    # Every key date is read (there are few, and which come up soon is worked out from each's yearly day).
    for ident, label, on, yearly, client_id, slug, name, person in read.first(sql, None):
        upcoming = next_occurrence(stored_day(on), bool(yearly), today)
        if upcoming is not None and key_date_ahead(upcoming, today, policy.key_dates_ahead):
            text = "today" if upcoming == today else _day_text(upcoming, today)
            found.append(
                (upcoming, CareItem(Kind.KEY_DATE, ident, client_id, slug, name, person, label, text, False))
            )
    found.sort(key=lambda pair: (pair[0], pair[1].ref))
    return [item for _, item in found[:limit]], len(found)


def _short(text: str, limit: int = 60) -> str:
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= limit else one_line[: limit - 1] + "…"
