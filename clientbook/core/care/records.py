"""Promises, concerns and key dates as lists (the CLI's `promise list`, the client's detail), each staff
member's record of promises kept, and the drafts an edit of a promise or a concern starts from.

Apart from the care queue (:mod:`.care_queries`), which is plain SQL so that `clientbook today` runs without
peewee; these are peewee queries over the models.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

import peewee as pw

from clientbook.core.care.queries import OWED
from clientbook.core.care.rules import next_occurrence
from clientbook.core.errors import NotFound
from clientbook.core.models import (
    Client,
    Concern,
    KeyDate,
    Promise,
    PromiseStatus,
    Severity,
    Staff,
    tuples_of,
)
from clientbook.core.values import from_stored, stored_day

if TYPE_CHECKING:
    # Only an edit needs them.
    from clientbook.core.drafts import ConcernDraft, PromiseDraft

SEVERITY_ORDER = pw.Case(Concern.severity, ((Severity.HIGH.value, 0), (Severity.MEDIUM.value, 1)), 2)
"""Most severe first (the order the care queue lists concerns in, too)."""


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
        PromiseRow(ident, slug, name, what, maker, stored_day(due), status)
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
            ident,
            slug,
            label,
            stored_day(on),
            bool(yearly),
            next_occurrence(stored_day(on), bool(yearly), today),
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
        due=stored_day(promise.due).isoformat(),
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
