"""The values the tables store, without peewee: the words of each enumerated column and the stored form of
a time (naive UTC).

Apart from :mod:`.models` so that the plain-SQL reads (:mod:`clientbook.core.store.plain`) and what
formats their rows use them without loading peewee.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum


class Stage(StrEnum):
    """Where a client stands with the business; each stage will carry its own contact cadence."""

    LEAD = "lead"
    ONBOARDING = "onboarding"
    ACTIVE = "active"
    POST_SALE = "post-sale"
    DORMANT = "dormant"
    FORMER = "former"


class ClientKind(StrEnum):
    """A person, or an organisation reached through its contact people."""

    PERSON = "person"
    ORGANISATION = "organisation"


class Direction(StrEnum):
    """Which way an interaction went; an inbound one awaits a reply (care principle 4)."""

    INBOUND = "inbound"
    OUTBOUND = "outbound"
    INTERNAL = "internal"


class Mood(StrEnum):
    UPSET = "upset"
    NEUTRAL = "neutral"
    HAPPY = "happy"


class PromiseStatus(StrEnum):
    OPEN = "open"
    KEPT = "kept"
    BROKEN = "broken"
    RENEGOTIATED = "renegotiated"
    """Still owed, by a new due day agreed with the client (the old one is in the history)."""


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


def utc_naive(moment: datetime) -> datetime:
    """An aware datetime as the naive UTC value the tables store."""
    if moment.tzinfo is None:
        raise ValueError("expected an aware datetime")
    return moment.astimezone(UTC).replace(tzinfo=None)


def from_stored(moment: datetime | str | None) -> datetime | None:
    """A stored naive-UTC value (SQLite may hand back text) as an aware UTC datetime."""
    if moment is None:
        return None
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment.replace(tzinfo=UTC)


def stored_date(value: object) -> date | None:
    """A stored day (SQLite hands back its ISO text; a time, to its day) as a date; None stays None."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def stored_day(value: object) -> date:
    """:func:`stored_date` of a column that always holds a day."""
    day = stored_date(value)
    if day is None:
        raise ValueError("expected a stored day, found NULL")
    return day
