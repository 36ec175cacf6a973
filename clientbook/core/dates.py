"""Unambiguous dates and times: every moment is shown with its weekday, day, month name and year.

Care principle 7: "7:30" was am to one side and pm to the other. Nothing in clientbook prints a bare time or
a numeric date that could be read two ways. (Parsing what users type arrives with the interaction log.)
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo


def local(moment: datetime, zone: str) -> datetime:
    """`moment` (aware) seen in the IANA zone `zone`."""
    return moment.astimezone(ZoneInfo(zone))


def format_moment(moment: datetime, zone: str) -> str:
    """`Tue 24 Nov 2026, 19:30` in `zone`: weekday, day, month name, year and 24-hour time."""
    seen = local(moment, zone)
    return f"{seen:%a} {seen.day} {seen:%b %Y, %H:%M}"


def format_day(moment: datetime, zone: str) -> str:
    """`Tue 24 Nov 2026` in `zone`."""
    seen = local(moment, zone)
    return f"{seen:%a} {seen.day} {seen:%b %Y}"


def ago(moment: datetime | None, now: datetime, zone: str) -> str:
    """How long ago `moment` was, for a list column: `today`, `yesterday`, `3 d ago`, `5 wk ago`..."""
    if moment is None:
        return "never"
    days = (local(now, zone).date() - local(moment, zone).date()).days
    if days < 0:
        return "ahead"
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 14:
        return f"{days} d ago"
    if days < 70:
        return f"{days // 7} wk ago"
    if days < 730:
        return f"{days // 30} mo ago"
    return f"{days // 365} y ago"


def iso_utc(moment: datetime | None) -> str | None:
    """`2026-11-24T19:30:00Z` for JSON output, or None."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment is not None else None
