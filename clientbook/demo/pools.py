"""What a demo book repeats, made once: people, companies, phone numbers, tag sets, shares, stored-time text.

A demo of 100,000 clients draws from about 1,100 names and 400 companies. Folding, slugging and formatting
each of those once, instead of once a row, is most of what makes the generator fast: a row is then a few
table lookups, each picked with one `random()`. Every search-text fragment is made by the core's own
:func:`~clientbook.core.clients.operations.build_search_text`,
so a demo client's search text is what the core would
write for it (a test compares the two).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import permutations
from typing import Final

from clientbook.core.clients.operations import build_search_text
from clientbook.core.slugs import base_slug
from clientbook.core.text import fold
from clientbook.demo.words import COMPANY_KINDS, COMPANY_WORDS, FIRST, LAST, STAGE_WEIGHTS, TAGS

EPOCH: Final = datetime(1970, 1, 1)


@dataclass(frozen=True, slots=True)
class Person:
    """A name a client or a contact person can have, with what is derived from it."""

    name: str
    sort_name: str
    """The folded name: the sort key, and the first line of a search text."""
    slug: str
    """The slug the name gives when no other client has it."""
    handle: str
    """The part of an email address before the `@` (`zoe.nunez`)."""


@dataclass(frozen=True, slots=True)
class Company:
    """A company a client works at, or an organisation-client itself."""

    name: str
    sort_name: str
    slug: str
    domain: str
    """Its made-up email domain (`bluefernstudio.example`; `.example` is reserved, nobody's real domain)."""


@dataclass(frozen=True, slots=True)
class Phone:
    """A UK number from Ofcom's drama range (020 7946 0000-0999): valid, and nobody's real number."""

    shown: str
    e164: str
    search: str
    """The search-text lines of both forms (folded, and as bare digits)."""


def _handle(first: str, last: str) -> str:
    return fold(first).replace(" ", "") + "." + fold(last).replace(" ", "").replace("'", "")


def people() -> tuple[Person, ...]:
    """Every first name with every last name."""
    return tuple(
        Person(
            f"{first} {last}",
            fold(f"{first} {last}"),
            base_slug(f"{first} {last}", "client"),
            _handle(first, last),
        )
        for first in FIRST
        for last in LAST
    )


def companies() -> tuple[Company, ...]:
    """Every company word with every kind of business (`Blue Fern Studio`)."""
    named = (f"{word} {kind}" for word in COMPANY_WORDS for kind in COMPANY_KINDS)
    return tuple(
        Company(
            name,
            fold(name),
            base_slug(name, "client"),
            base_slug(name, "example").replace("-", "") + ".example",
        )
        for name in named
    )


def phones() -> tuple[Phone, ...]:
    """The thousand numbers of the drama range, the n-th client getting number n modulo 1000."""
    made = []
    for number in range(1000):
        local = f"0{number:03d}"
        shown, e164 = f"+44 20 7946 {local}", f"+44207946{local}"
        made.append(Phone(shown, e164, build_search_text([shown, e164])))
    return tuple(made)


def tag_sets() -> tuple[str, ...]:
    """Stored tag lists, each as often as the demo wants it: no tag, one, or two (each a third of clients).

    Every tag, and every ordered pair of tags, appears the same number of times within its third, so one
    uniform pick from this tuple is the whole draw.
    """
    n = len(TAGS)
    pairs = [",".join(sorted(pair)) for pair in permutations(TAGS, 2)]
    return ("",) * (n * (n - 1)) + tuple(tag for tag in TAGS for _ in range(n - 1)) + tuple(pairs)


def stage_shares() -> tuple[str, ...]:
    """Stage values, each repeated by its weight: one uniform pick is a weighted draw."""
    return tuple(stage.value for stage, weight in STAGE_WEIGHTS for _ in range(weight))


def minute_of(moment: datetime) -> int:
    """Whole minutes from the Unix epoch to an aware `moment` (seconds dropped)."""
    return int((moment.astimezone(UTC).replace(tzinfo=None) - EPOCH).total_seconds()) // 60


class Stamps:
    """The tables' text for whole-minute times (`2026-11-23 10:00:00`, naive UTC), by lookup, not strftime.

    Covers the days from `first` to `last`; minutes are counted from the Unix epoch (:func:`minute_of`).
    """

    def __init__(self, first: date, last: date) -> None:
        self.first_day: Final = (first - EPOCH.date()).days
        count = (last - first).days + 1
        self.days: Final = tuple((first + timedelta(days=n)).isoformat() + " " for n in range(count))
        self.times: Final = tuple(f"{hour:02d}:{minute:02d}:" for hour in range(24) for minute in range(60))

    def text(self, minute: int, seconds: int = 0) -> str:
        day, in_day = divmod(minute, 1440)
        return f"{self.days[day - self.first_day]}{self.times[in_day]}{seconds:02d}"
