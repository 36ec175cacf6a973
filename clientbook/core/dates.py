"""Unambiguous dates and times: every moment is shown with its weekday, day, month name and year.

Care principle 7: "7:30" was am to one side and pm to the other. Nothing in clientbook prints a bare time or
a numeric date that could be read two ways, and the parser refuses what could be: a bare `7:30` is answered
with "am or pm?", `11/12` with a request for the month's name. The same parser serves every date field of the
forms and the CLI.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Final, Literal
from zoneinfo import ZoneInfo

from clientbook.core.text import shown


def local(moment: datetime, zone: str) -> datetime:
    """`moment` (aware) seen in the IANA zone `zone`."""
    return moment.astimezone(ZoneInfo(zone))


def format_moment(moment: datetime, zone: str) -> str:
    """`Tue 24 Nov 2026, 19:30` in `zone`: weekday, day, month name, year and 24-hour time."""
    seen = local(moment, zone)
    return f"{format_date(seen.date())}, {seen:%H:%M}"


def format_day(moment: datetime, zone: str) -> str:
    """`Tue 24 Nov 2026` in `zone`."""
    return format_date(local(moment, zone).date())


def format_date(day: date) -> str:
    """`Tue 1 Dec 2026`: the one form the CLI prints a day in (weekday, day, month name, year)."""
    return f"{day:%a} {day.day} {day:%b %Y}"


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
    """`2026-11-24T19:30:00Z` for JSON output, or None. Always a four-digit year, as ISO 8601 asks
    (`strftime("%Y")` writes year 1 as `1`)."""
    if moment is None:
        return None
    moment = moment.astimezone(UTC) if moment.tzinfo is not None else moment
    # Fields, not strftime: the CLI writes one per row of a 100,000-client list, and this is twice as fast.
    return (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"
        f"T{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}Z"
    )


# Parsing ---------------------------------------------------------------------------------------------------

MONTHS: Final = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
WEEKDAYS: Final = {
    name: number
    for number, names in enumerate(
        (
            ("mon", "monday"),
            ("tue", "tues", "tuesday"),
            ("wed", "wednesday"),
            ("thu", "thur", "thurs", "thursday"),
            ("fri", "friday"),
            ("sat", "saturday"),
            ("sun", "sunday"),
        )
    )
    for name in names
}
UNITS: Final = {
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes"), timedelta(minutes=1)),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), timedelta(hours=1)),
    **dict.fromkeys(("d", "day", "days"), timedelta(days=1)),
    **dict.fromkeys(("w", "wk", "wks", "week", "weeks"), timedelta(weeks=1)),
}
FIRST_YEAR: Final = 1900
LAST_YEAR: Final = 2999
"""The years a date may fall in: wide enough for any birthday or contract, narrow enough that a slip like
`0026-11-24` or `in 99999 weeks` is refused rather than saved."""
_YEARS: Final = f"dates run from {FIRST_YEAR} to {LAST_YEAR}"
Prefer = Literal["past", "future"]

# ASCII only: \d would also match "²" and other scripts' digits, which int() refuses.
_TIME = re.compile(r"^(\d{1,2})(?::(\d{2})|\.(\d{2})(?=a|p))?(am|pm|a\.m\.|p\.m\.)?$", re.ASCII)
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$", re.ASCII)
_NUMERIC_DATE = re.compile(r"^\d{1,4}[/.]\d{1,2}(?:[/.]\d{1,4})?$", re.ASCII)
_RELATIVE = re.compile(r"^(?:in (\d+) ?([a-z]+)|(\d+) ?([a-z]+) ago)$", re.ASCII)
# More digits than this cannot be a count a person means (and int() refuses past 4,300 digits).
_MAX_AMOUNT_DIGITS: Final = 7
_YEAR = re.compile(r"^\d{4}$", re.ASCII)
_DAY = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?$", re.ASCII)


class DateProblem(ValueError):
    """What the user typed is not an unambiguous date or time; the message says what to type instead."""


@dataclass
class _Parts:
    day: date | None = None
    time: tuple[int, int] | None = None
    utc: bool = False
    weekday: int | None = None


def _tokens(text: str) -> list[str]:
    text = text.strip().lower().replace(",", " ")
    # "7 pm" -> "7pm", "2026-11-24t19:30" -> "2026-11-24 19:30"
    text = re.sub(r"(\d)\s+(am|pm|a\.m\.|p\.m\.)(?=\s|$)", r"\1\2", text)
    text = re.sub(r"^(\d{4}-\d{1,2}-\d{1,2})t", r"\1 ", text)
    return text.split()


def _time_of(token: str, *, clock24: bool) -> tuple[int, int] | None:
    """(hour, minute) for a time token, None if the token is not a time; DateProblem if it is a bad one.

    `clock24` says the time stands beside an ISO date, whose convention (ISO 8601) is the 24-hour clock.
    """
    if token == "noon":
        return 12, 0
    if token == "midnight":
        return 0, 0
    match = _TIME.match(token)
    if match is None or (match.group(2) is None and match.group(4) is None):
        return None
    hour_text, colon_minutes, dot_minutes, meridiem = match.groups()
    hour, minute = int(hour_text), int(colon_minutes or dot_minutes or 0)
    if minute > 59:
        raise DateProblem(f"{shown(token)}: minutes go up to 59")
    if meridiem:
        if not 1 <= hour <= 12:
            raise DateProblem(f"{shown(token)}: with am or pm the hour is 1 to 12")
        return (hour % 12) + (12 if meridiem.startswith("p") else 0), minute
    if hour > 23:
        raise DateProblem(f"{shown(token)}: the hour goes up to 23")
    # Care principle 7: a bare 7:30 was am to one side and pm to the other.
    if 1 <= hour <= 12 and not hour_text.startswith("0") and not clock24:
        raise DateProblem("am or pm?")
    return hour, minute


def _year_for(month: int, day: int, today: date, prefer: Prefer) -> int:
    """The year that puts day/month nearest to today, leaning to `prefer` when it is half a year away."""
    candidates = []
    for year in (today.year - 1, today.year, today.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    if not candidates:
        raise DateProblem(f"there is no {day} {_month_name(month)}")
    lean = 1 if prefer == "future" else -1
    best = min(candidates, key=lambda d: (abs((d - today).days), -lean * (d - today).days))
    return best.year


def _month_name(month: int) -> str:
    return date(2000, month, 1).strftime("%b")


def _check_year(day: date) -> date:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise DateProblem(_YEARS)
    return day


def _make_date(year: int, month: int, day: int) -> date:
    if not 1 <= month <= 12:
        raise DateProblem(f"there is no month {month}: months run from 1 to 12")
    try:
        made = date(year, month, day)
    except ValueError:
        raise DateProblem(f"there is no {day} {_month_name(month)} {year}") from None
    return _check_year(made)


def _month_day(tokens: list[str], i: int, today: date, prefer: Prefer) -> tuple[date, int]:
    """Read `24 nov [2026]` or `nov 24 [2026]` from tokens[i]; returns the day and the last index read."""
    following = tokens[i + 1] if i + 1 < len(tokens) else ""
    if tokens[i] in MONTHS:
        month = MONTHS[tokens[i]]
        day_match = _DAY.match(following)
        if day_match is None:
            raise DateProblem(f"which day of {_month_name(month)}?")
    else:
        day_match, month = _DAY.match(tokens[i]), MONTHS[following]
    assert day_match is not None
    day, i = int(day_match.group(1)), i + 1
    after = tokens[i + 1] if i + 1 < len(tokens) else ""
    if _YEAR.match(after):
        return _make_date(int(after), month, day), i + 1
    return _make_date(_year_for(month, day, today, prefer), month, day), i


def _parse_parts(tokens: list[str], today: date, prefer: Prefer) -> _Parts:
    parts = _Parts()
    clock24 = any(_ISO_DATE.match(token) for token in tokens)
    i = 0

    def set_day(day: date) -> None:
        if parts.day is not None:
            raise DateProblem("two dates given")
        parts.day = day

    while i < len(tokens):
        token = tokens[i]
        following = tokens[i + 1] if i + 1 < len(tokens) else ""
        if token in ("utc", "z", "gmt+0"):
            parts.utc = True
        elif token in ("today", "tonight"):
            set_day(today)
        elif token == "yesterday":
            set_day(today - timedelta(days=1))
        elif token == "tomorrow":
            set_day(today + timedelta(days=1))
        elif token in ("last", "next") and following in WEEKDAYS:
            # "next mon" on a Monday is a week away, and "last mon" a week ago.
            target = WEEKDAYS[following]
            if token == "next":
                set_day(today + timedelta(days=(target - today.weekday()) % 7 or 7))
            else:
                set_day(today - timedelta(days=(today.weekday() - target) % 7 or 7))
            i += 1
        elif token in WEEKDAYS:
            # A weekday beside a date is checked against it; alone it means the nearest such day.
            parts.weekday = WEEKDAYS[token]
        elif match := _ISO_DATE.match(token):
            set_day(_make_date(int(match.group(1)), int(match.group(2)), int(match.group(3))))
        elif _NUMERIC_DATE.match(token):
            raise DateProblem(
                f"{shown(token)} reads differently in different countries: write 24 Nov or 2026-11-24"
            )
        elif token in MONTHS or (_DAY.match(token) and following in MONTHS):
            day, i = _month_day(tokens, i, today, prefer)
            set_day(day)
        else:
            time = _time_of(token, clock24=clock24)
            if time is None:
                raise _not_understood(token)
            if parts.time is not None:
                raise DateProblem("two times given")
            parts.time = time
        i += 1
    if parts.weekday is not None:
        parts.day = _weekday(parts.weekday, parts.day, today, prefer)
    return parts


def _not_understood(token: str) -> DateProblem:
    """Why a token is not a date or time; for a bare hour, a form to type that the reader accepts."""
    if token.isascii() and token.isdigit() and len(token) <= 2:
        hour = int(token)
        if 1 <= hour <= 12:
            return DateProblem("am or pm?")
        if hour <= 23:
            return DateProblem(f"write the time as {hour:02d}:00")
        return DateProblem(f"{shown(token)}: the hour goes up to 23")
    return DateProblem(f"did not understand {shown(token)}")


def _weekday(weekday: int, day: date | None, today: date, prefer: Prefer) -> date:
    """A weekday alone is the nearest such day (today included) in the preferred direction; beside a date it
    must match it."""
    if day is None:
        if prefer == "future":
            return today + timedelta(days=(weekday - today.weekday()) % 7)
        return today - timedelta(days=(today.weekday() - weekday) % 7)
    if day.weekday() != weekday:
        named = date(2026, 11, 23 + weekday)  # a Monday, plus the weekday's number
        raise DateProblem(f"{day.day} {day:%b %Y} is a {day:%A}, not a {named:%A}")
    return day


@dataclass(frozen=True)
class _Offset:
    """`in 3 hours`, `2 days ago`: how far, and whether on the clock (minutes, hours) or the calendar."""

    delta: timedelta
    on_clock: bool


def _relative(tokens: list[str]) -> _Offset | None:
    match = _RELATIVE.match(" ".join(tokens))
    if match is None:
        return None
    amount, unit = (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))
    if unit not in UNITS:
        raise DateProblem(f"did not understand {shown(unit)} (use minutes, hours, days or weeks)")
    if len(amount.lstrip("0")) > _MAX_AMOUNT_DIGITS:
        raise DateProblem(f"{shown(amount, 12)} {unit} is too far: {_YEARS}")
    try:
        delta = UNITS[unit] * int(amount)
    except OverflowError:
        raise DateProblem(f"too far: {_YEARS}") from None
    sign = 1 if match.group(1) else -1
    return _Offset(delta=sign * delta, on_clock=UNITS[unit] < timedelta(days=1))


def _shift_instant(now: datetime, offset: _Offset, zone: str) -> datetime:
    """Minutes and hours are arithmetic on the instant: `in 1 hour` is 60 minutes later whatever the clocks
    do (aware datetimes in one zone add on the wall clock, so the sum is taken in UTC)."""
    try:
        moment = (now.astimezone(UTC) + offset.delta).astimezone(ZoneInfo(zone))
    except OverflowError:
        raise DateProblem(f"too far: {_YEARS}") from None
    _check_year(moment.date())
    return moment


def _shift_day(today: date, offset: _Offset) -> date:
    """Days and weeks are arithmetic on the calendar date."""
    try:
        return _check_year(today + offset.delta)
    except OverflowError:
        raise DateProblem(f"too far: {_YEARS}") from None


def _localise(day: date, time: tuple[int, int], zone: str) -> datetime:
    """The instant a wall-clock time names in `zone`; refused where DST makes it not exist or happen twice."""
    tz = ZoneInfo(zone)
    wall = datetime(day.year, day.month, day.day, time[0], time[1])
    first, second = wall.replace(tzinfo=tz, fold=0), wall.replace(tzinfo=tz, fold=1)
    if first.utcoffset() != second.utcoffset():
        earlier, later = sorted((first, second), key=lambda moment: moment.astimezone(UTC))
        round_trip = earlier.astimezone(UTC).astimezone(tz).replace(tzinfo=None)
        if round_trip != wall:
            raise DateProblem(
                f"{time[0]:02d}:{time[1]:02d} does not exist on {format_date(day)} in {zone} "
                "(clocks go forward)"
            )
        # Each suggestion is a whole date and time, so it means the same moment whenever it is typed.
        raise DateProblem(
            f"{time[0]:02d}:{time[1]:02d} happens twice on {format_date(day)} in {zone} (clocks go back): "
            f"give it in UTC, '{earlier.astimezone(UTC):%Y-%m-%d %H:%M} UTC' or "
            f"'{later.astimezone(UTC):%Y-%m-%d %H:%M} UTC'"
        )
    return first


def parse_moment(text: str, *, zone: str, now: datetime, prefer: Prefer = "past") -> datetime:
    """An instant from what a person typed (`today 14:00`, `24 Nov 7:30pm`, `2026-11-24 19:30`, `now`...).

    Times are read in `zone` (an IANA name) unless followed by `UTC`. `in 2 hours` and `90 min ago` count
    real minutes from now; `in 2 days` and `1 week ago` keep the wall time on another calendar day (refused
    if that time does not exist or happens twice there). Refuses with :class:`DateProblem`: a bare `7:30`
    ("am or pm?"), numeric dates that read differently by country (`11/12`), a weekday that does not match
    its date, wall times that DST skips or repeats, and years outside 1900-2999. Returns an aware datetime
    in `zone`.
    """
    tokens = _tokens(text)
    if not tokens:
        raise DateProblem("required")
    local_now = now.astimezone(ZoneInfo(zone)).replace(second=0, microsecond=0)
    if tokens == ["now"]:
        return local_now
    offset = _relative(tokens)
    if offset is not None:
        if offset.on_clock:
            return _shift_instant(local_now, offset, zone)
        return _localise(_shift_day(local_now.date(), offset), (local_now.hour, local_now.minute), zone)
    parts = _parse_parts(tokens, local_now.date(), prefer)
    if parts.time is None:
        raise DateProblem("add a time, e.g. 14:00 or 2pm" if parts.day else "not a date or time")
    day = parts.day or local_now.date()
    if parts.utc:
        try:
            return datetime(day.year, day.month, day.day, *parts.time, tzinfo=UTC).astimezone(ZoneInfo(zone))
        except OverflowError:
            raise DateProblem(_YEARS) from None
    return _localise(day, parts.time, zone)


def parse_day(text: str, *, zone: str, now: datetime, prefer: Prefer = "future") -> date:
    """A calendar day (`tomorrow`, `fri`, `24 Nov`, `2026-11-24`, `in 3 days`): follow-ups, due dates.

    `in 36 hours` is the day 36 real hours from now falls on; `in 3 days` three calendar days on.
    """
    tokens = _tokens(text)
    if not tokens:
        raise DateProblem("required")
    local_now = now.astimezone(ZoneInfo(zone))
    offset = _relative(tokens)
    if offset is not None:
        if offset.on_clock:
            return _shift_instant(local_now, offset, zone).date()
        return _shift_day(local_now.date(), offset)
    parts = _parse_parts(tokens, local_now.date(), prefer)
    if parts.time is not None:
        raise DateProblem("a day, without a time")
    if parts.day is None:
        raise DateProblem("not a date")
    return parts.day


def format_wait(since: datetime, now: datetime) -> str:
    """How long something has waited: `25 min`, `3 h`, `1 d 4 h`, `12 d`."""
    minutes = max(0, int((now - since).total_seconds() // 60))
    if minutes < 60:
        return f"{minutes} min"
    hours, days = minutes // 60, minutes // (60 * 24)
    if days == 0:
        return f"{hours} h"
    if days < 7 and hours % 24:
        return f"{days} d {hours % 24} h"
    return f"{days} d"


def format_short(moment: datetime, zone: str, now: datetime) -> str:
    """`Sun 22 Nov 09:00` this year, `22 Nov 2025 09:00` another year: still a weekday or year, never bare."""
    seen, today = local(moment, zone), local(now, zone)
    if seen.year == today.year:
        return f"{seen:%a} {seen.day} {seen:%b %H:%M}"
    return f"{seen.day} {seen:%b %Y %H:%M}"
