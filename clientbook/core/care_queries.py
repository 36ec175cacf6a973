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
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Final, TypeVar

import peewee as pw

from clientbook.core.care_due import care_due_text, use_cadence
from clientbook.core.care_rules import (
    key_date_ahead,
    next_occurrence,
    past_due,
    reply_overdue,
)
from clientbook.core.dates import format_wait, local
from clientbook.core.errors import NotFound
from clientbook.core.models import (
    Checklist,
    ChecklistStep,
    Client,
    Concern,
    Interaction,
    KeyDate,
    Process,
    Promise,
    PromiseStatus,
    Severity,
    Staff,
    from_stored,
    tuples_of,
)
from clientbook.core.sql import current

if TYPE_CHECKING:
    # Only an edit needs them: `clientbook today`, which runs often, never loads the drafts.
    from clientbook.core.drafts import ConcernDraft, PromiseDraft

M = TypeVar("M", bound=pw.Model)
SECTION_MAX = 500
SHOWN_PER_SECTION: Final = 100
"""The items a section lists on the care screen and in `clientbook today` (which lists up to
:data:`SECTION_MAX` with `--limit`); each section counts on to :data:`SECTION_MAX` whatever it lists."""
"""Items listed per section at most; a section's count stops there too (shown as `500+`)."""
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


def _mine(query: pw.ModelSelect[M], staff_id: int | None, *extra: pw.Field) -> pw.ModelSelect[M]:
    """Only what is `staff_id`'s: their clients, and what they handled, promised or own."""
    if staff_id is None:
        return query
    condition = Client.point_person == staff_id
    for column in extra:
        condition = condition | (column == staff_id)
    return query.where(condition)


def care_queue(
    policy: CarePolicy,
    *,
    now: datetime,
    zone: str,
    staff_id: int | None = None,
    limit: int = SECTION_MAX,
) -> CareQueue:
    """Everything owed as of `now` (days counted in `zone`); `staff_id` keeps only that person's share.

    Each section lists its first `limit` items and counts up to :data:`SECTION_MAX`: every read is one range
    of an index, so the queue costs the same at 100 clients and at 100,000.
    """
    today = local(now, zone).date()
    limit = max(0, min(limit, SECTION_MAX))
    found: dict[Kind, tuple[list[CareItem], int]] = {
        Kind.REPLY: _replies(policy, now, staff_id, limit),
        Kind.FOLLOW_UP: _follow_ups(today, staff_id, limit),
        Kind.CHECKIN: _checkins(today, staff_id, limit),
        Kind.PROMISE: _promises(today, staff_id, limit),
        Kind.CONCERN: _concerns(now, staff_id, limit),
        Kind.NEGLECT: _neglected(policy, now, today, staff_id, limit),
        Kind.STEP: _steps(today, staff_id, limit),
        Kind.KEY_DATE: _key_dates(policy, today, staff_id, limit),
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


def _total(query: pw.ModelSelect[M], read: int, limit: int) -> int:
    """How many rows `query` has (counting no further than :data:`SECTION_MAX`): `read`, when a read of up to
    `limit` rows found fewer (it found them all, and a count would only say so again), else counted."""
    return read if read < limit else _capped_count(query)


def _capped_count(query: pw.ModelSelect[M]) -> int:
    """How many rows `query` has, counting no further than one past :data:`SECTION_MAX`."""
    return int(query.order_by().limit(SECTION_MAX + 1).count())


def _client_columns() -> tuple[pw.Field, ...]:
    return (Client.id, Client.slug, Client.name, Staff.name)


def _replies(
    policy: CarePolicy, now: datetime, staff_id: int | None, limit: int
) -> tuple[list[CareItem], int]:
    query = (
        Interaction.select(
            Interaction.id, Interaction.summary, Interaction.at, Client.reply_target_hours, *_client_columns()
        )
        .join(Client, on=(Interaction.client == Client.id))
        .join(Staff, on=(Client.point_person == Staff.id))
        # `awaiting = 1`, not the bare column: only the comparison can use the (awaiting, at, id) index.
        .where((Interaction.awaiting == True) & current(Client.archived_at))  # noqa: E712
        .order_by(Interaction.at, Interaction.id)
    )
    query = _mine(query, staff_id, Interaction.handled_by)
    items = []
    for ident, summary, at, target, client_id, slug, name, person in tuples_of(query.limit(limit)):
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
    return items, _total(query, len(items), limit)


def _due(
    kind: Kind,
    query: pw.ModelSelect[M],
    today: date,
    text: Callable[[tuple[Any, ...]], str],
    limit: int,
) -> tuple[list[CareItem], int]:
    """Items for a section of things due by a day: rows are (id, _, day, ..., then the client columns).

    Listed when due today or before; overdue only when the day has passed.
    """
    items = []
    for row in tuples_of(query.limit(limit)):
        day = _as_date(row[2])
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
    return items, _total(query, len(items), limit)


def _follow_ups(today: date, staff_id: int | None, limit: int) -> tuple[list[CareItem], int]:
    query = (
        Interaction.select(Interaction.id, Interaction.summary, Interaction.follow_up, *_client_columns())
        .join(Client, on=(Interaction.client == Client.id))
        .join(Staff, on=(Client.point_person == Staff.id))
        .where(
            Interaction.follow_up.is_null(False)
            & (Interaction.follow_up <= today)
            & Interaction.follow_up_done_at.is_null()
            & current(Client.archived_at)
        )
        .order_by(Interaction.follow_up, Interaction.id)
    )
    query = _mine(query, staff_id, Interaction.handled_by)
    return _due(Kind.FOLLOW_UP, query, today, lambda row: f"Follow up: {row[1]}", limit)


def _checkins(today: date, staff_id: int | None, limit: int) -> tuple[list[CareItem], int]:
    query = (
        Concern.select(Concern.id, Concern.words, Concern.checkin_on, *_client_columns())
        .join(Client, on=(Concern.client == Client.id))
        .join(Staff, on=(Client.point_person == Staff.id))
        .where(
            Concern.checkin_on.is_null(False)
            & (Concern.checkin_on <= today)
            & Concern.checkin_done_at.is_null()
        )
        .order_by(Concern.checkin_on, Concern.id)
    )
    query = _mine(query, staff_id, Concern.owner)
    return _due(Kind.CHECKIN, query, today, lambda row: f'Check in after "{_short(row[1])}"', limit)


def _promises(today: date, staff_id: int | None, limit: int) -> tuple[list[CareItem], int]:
    Maker = Staff.alias("maker")  # noqa: N806 - a table alias reads as a table
    query = (
        Promise.select(Promise.id, Promise.what, Promise.due, Maker.name, *_client_columns())
        .join(Client, on=(Promise.client == Client.id))
        .join(Staff, on=(Client.point_person == Staff.id))
        .switch(Promise)
        .join(Maker, on=(Promise.made_by == Maker.id))
        .where(Promise.status.in_(OWED) & (Promise.due <= today))
        .order_by(Promise.due, Promise.id)
    )
    query = _mine(query, staff_id, Promise.made_by)
    return _due(Kind.PROMISE, query, today, lambda row: f"{row[1]} (promised by {row[3]})", limit)


SEVERITY_ORDER = pw.Case(Concern.severity, ((Severity.HIGH.value, 0), (Severity.MEDIUM.value, 1)), 2)


def _concerns(now: datetime, staff_id: int | None, limit: int) -> tuple[list[CareItem], int]:
    query = (
        Concern.select(
            Concern.id,
            Concern.words,
            Concern.severity,
            Concern.raised_at,
            Concern.acknowledged_at,
            Concern.remedy,
            *_client_columns(),
        )
        .join(Client, on=(Concern.client == Client.id))
        .join(Staff, on=(Client.point_person == Staff.id))
        .where(Concern.resolved_at.is_null())
        .order_by(SEVERITY_ORDER, Concern.raised_at)
    )
    query = _mine(query, staff_id, Concern.owner)
    items = []
    for ident, words, severity, raised, acknowledged, remedy, client_id, slug, name, person in tuples_of(
        query.limit(limit)
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
    return items, _total(query, len(items), limit)


def _neglected(
    policy: CarePolicy, now: datetime, today: date, staff_id: int | None, limit: int
) -> tuple[list[CareItem], int]:
    """Clients past their contact cadence, the most overdue first: one range of the `care_due` index.

    `care_due` (last contact, or creation when never contacted, plus the cadence that applies) is kept by
    triggers; :func:`~clientbook.core.care_due.use_cadence` first makes the stored stage cadences the
    policy's, so a changed setting is honoured on the next read.
    """
    use_cadence(policy.cadence)
    since = pw.fn.COALESCE(Client.last_contact_at, Client.created_at)
    cadence = pw.fn.COALESCE(pw.fn.NULLIF(Client.cadence_days, 0), 0)
    query = (
        Client.select(Client.id, Client.slug, Client.name, Staff.name, Client.stage, since, cadence)
        .join(Staff, on=(Client.point_person == Staff.id))
        .where(
            Client.archived_at.is_null()
            & (Client.care_due < pw.Value(care_due_text(now), converter=False))
            # A snooze lasts up to and including its last day: the client is back the day after.
            & (Client.care_snoozed_until.is_null() | (Client.care_snoozed_until < today))
        )
        .order_by(Client.care_due, Client.id)
    )
    query = _mine(query, staff_id)
    items = []
    for client_id, slug, name, person, stage, contacted, own in tuples_of(query.limit(limit)):
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
    return items, _total(query, len(items), limit)


def _steps(today: date, staff_id: int | None, limit: int) -> tuple[list[CareItem], int]:
    query = (
        ChecklistStep.select(
            ChecklistStep.id, ChecklistStep.title, ChecklistStep.due_on, Process.name, *_client_columns()
        )
        .join(Checklist, on=(ChecklistStep.checklist == Checklist.id))
        .join(Process, on=(Checklist.process == Process.id))
        .switch(Checklist)
        .join(Client, on=(Checklist.client == Client.id))
        .join(Staff, on=(Client.point_person == Staff.id))
        .where(
            ChecklistStep.done_at.is_null()
            & ChecklistStep.due_on.is_null(False)
            & (ChecklistStep.due_on <= today)
            & Checklist.completed_at.is_null()
            & current(Client.archived_at)
        )
        .order_by(ChecklistStep.due_on, ChecklistStep.id)
    )
    query = _mine(query, staff_id)
    return _due(Kind.STEP, query, today, lambda row: f"{row[3]} · {row[1]}", limit)


def _key_dates(
    policy: CarePolicy, today: date, staff_id: int | None, limit: int
) -> tuple[list[CareItem], int]:
    query = (
        KeyDate.select(KeyDate.id, KeyDate.label, KeyDate.on, KeyDate.yearly, *_client_columns())
        .join(Client, on=(KeyDate.client == Client.id))
        .join(Staff, on=(Client.point_person == Staff.id))
    )
    # Archived clients' dates are left out through the small archived set (the archived_at index), not a
    # join condition: with one, SQLite walks 100,000 clients to find a few key dates.
    archived = Client.select(Client.id).where(Client.archived_at.is_null(False))
    query = _mine(query, staff_id).where(KeyDate.client.not_in(archived))
    found = []
    for ident, label, on, yearly, client_id, slug, name, person in tuples_of(query):
        upcoming = next_occurrence(_as_date(on), bool(yearly), today)
        if upcoming is not None and key_date_ahead(upcoming, today, policy.key_dates_ahead):
            text = "today" if upcoming == today else _day_text(upcoming, today)
            found.append(
                (upcoming, CareItem(Kind.KEY_DATE, ident, client_id, slug, name, person, label, text, False))
            )
    found.sort(key=lambda pair: (pair[0], pair[1].ref))
    return [item for _, item in found[:limit]], len(found)


def _as_date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _short(text: str, limit: int = 60) -> str:
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= limit else one_line[: limit - 1] + "…"


@dataclass(frozen=True)
class PromiseRow:
    id: int
    client_slug: str
    client_name: str
    what: str
    made_by: str
    due: date
    status: str


@dataclass(frozen=True)
class ConcernRow:
    id: int
    client_slug: str
    client_name: str
    words: str
    severity: str
    owner: str
    raised_at: datetime
    acknowledged: bool
    apology: bool
    remedy: str
    resolved: bool
    client_confirmed: bool


def promise_rows(*, client_id: int | None = None, owed_only: bool = True) -> list[PromiseRow]:
    """Promises, soonest due first; only those still owed unless `owed_only` is False."""
    query = (
        Promise.select(
            Promise.id, Client.slug, Client.name, Promise.what, Staff.name, Promise.due, Promise.status
        )
        .join(Client, on=(Promise.client == Client.id))
        .switch(Promise)
        .join(Staff, on=(Promise.made_by == Staff.id))
        .order_by(Promise.due, Promise.id)
    )
    if owed_only:
        query = query.where(Promise.status.in_(OWED))
    if client_id is not None:
        query = query.where(Promise.client == client_id)
    return [
        PromiseRow(ident, slug, name, what, maker, _as_date(due), status)
        for ident, slug, name, what, maker, due, status in tuples_of(query)
    ]


def concern_rows(*, client_id: int | None = None, open_only: bool = True) -> list[ConcernRow]:
    """Concerns, most severe and oldest first."""
    query = (
        Concern.select(
            Concern.id,
            Client.slug,
            Client.name,
            Concern.words,
            Concern.severity,
            Staff.name,
            Concern.raised_at,
            Concern.acknowledged_at,
            Concern.apology_at,
            Concern.remedy,
            Concern.resolved_at,
            Concern.client_confirmed,
        )
        .join(Client, on=(Concern.client == Client.id))
        .switch(Concern)
        .join(Staff, on=(Concern.owner == Staff.id))
        .order_by(SEVERITY_ORDER, Concern.raised_at)
    )
    if open_only:
        query = query.where(Concern.resolved_at.is_null())
    if client_id is not None:
        query = query.where(Concern.client == client_id)
    rows = []
    for (
        ident,
        slug,
        name,
        words,
        severity,
        owner,
        raised,
        ack,
        apology,
        remedy,
        resolved,
        confirmed,
    ) in tuples_of(query):
        raised_at = from_stored(raised)
        assert raised_at is not None
        rows.append(
            ConcernRow(
                ident,
                slug,
                name,
                words,
                severity,
                owner,
                raised_at,
                ack is not None,
                apology is not None,
                remedy,
                resolved is not None,
                bool(confirmed),
            )
        )
    return rows


@dataclass(frozen=True)
class StaffRecord:
    """How reliably someone keeps their promises: kept on time out of all closed."""

    name: str
    kept_on_time: int
    closed: int


def promise_records() -> list[StaffRecord]:
    """Each staff member's record of promises kept on time (care principle 5)."""
    query = (
        Promise.select(
            Staff.name,
            pw.fn.SUM(pw.Case(None, ((Promise.kept_on_time == True, 1),), 0)),  # noqa: E712
            pw.fn.COUNT(Promise.id),
        )
        .join(Staff, on=(Promise.made_by == Staff.id))
        .where(Promise.status.in_([PromiseStatus.KEPT.value, PromiseStatus.BROKEN.value]))
        .group_by(Staff.id)
        .order_by(Staff.name)
    )
    return [StaffRecord(name, int(kept or 0), int(closed)) for name, kept, closed in tuples_of(query)]


@dataclass(frozen=True)
class KeyDateRow:
    id: int
    client_slug: str
    label: str
    on: date
    yearly: bool
    next_on: date | None


def key_date_rows(*, client_id: int | None = None, today: date) -> list[KeyDateRow]:
    """Key dates, soonest next occurrence first (one-offs already past last)."""
    query = KeyDate.select(KeyDate.id, Client.slug, KeyDate.label, KeyDate.on, KeyDate.yearly).join(
        Client, on=(KeyDate.client == Client.id)
    )
    if client_id is not None:
        query = query.where(KeyDate.client == client_id)
    rows = [
        KeyDateRow(
            ident, slug, label, _as_date(on), bool(yearly), next_occurrence(_as_date(on), bool(yearly), today)
        )
        for ident, slug, label, on, yearly in tuples_of(query)
    ]
    return sorted(rows, key=lambda r: (r.next_on is None, r.next_on or r.on, r.id))


def promise_draft(promise_id: int) -> PromiseDraft:
    """A draft holding the promise as it is (its due day in ISO), for an edit to change."""
    from clientbook.core.drafts import PromiseDraft  # noqa: PLC0415 - see the imports

    promise = Promise.get_or_none(Promise.id == promise_id)
    if promise is None:
        raise NotFound(f"no promise {promise_id}")
    return PromiseDraft(
        client=promise.client.slug,
        what=promise.what,
        made_by=promise.made_by.slug,
        due=_as_date(promise.due).isoformat(),
    )


def concern_draft(concern_id: int) -> ConcernDraft:
    """A draft holding the concern as it is, for an edit to change."""
    from clientbook.core.drafts import ConcernDraft  # noqa: PLC0415 - see the imports

    concern = Concern.get_or_none(Concern.id == concern_id)
    if concern is None:
        raise NotFound(f"no concern {concern_id}")
    return ConcernDraft(
        client=concern.client.slug, words=concern.words, severity=concern.severity, owner=concern.owner.slug
    )
