"""The date reader at its edges: daylight-saving arithmetic, and all it cannot read refused, never a crash.

Hours and minutes count real time from now (`in 1 hour` is 60 minutes later even when the clocks go back);
days and weeks move along the calendar and keep the wall time, and then the wall-time checks apply.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from clientbook.core.dates import DateProblem, format_moment, iso_utc, parse_day, parse_moment

ZONES = ("Europe/London", "America/New_York", "Australia/Sydney", "Australia/Lord_Howe", "America/Santiago")


def changes(zone: str, year: int = 2026) -> Iterator[tuple[datetime, timedelta]]:
    """Each instant in `year` at which `zone`'s offset changes, with the change (+ forward, - back)."""
    tz = ZoneInfo(zone)
    moment = datetime(year, 1, 1, tzinfo=UTC)
    step = timedelta(minutes=30)
    while moment.year == year:
        before, after = moment.astimezone(tz).utcoffset(), (moment + step).astimezone(tz).utcoffset()
        assert before is not None and after is not None
        if before != after:
            yield moment + step, after - before
        moment += step


CHANGES = [(zone, at, shift) for zone in ZONES for at, shift in changes(zone)]


def test_every_zone_under_test_changes_its_clocks_twice() -> None:
    assert len(CHANGES) == 2 * len(ZONES)
    assert {shift > timedelta(0) for _, _, shift in CHANGES} == {True, False}


CLOCK_FORMS = [
    ("in 1 hour", timedelta(hours=1)),
    ("in 3 hours", timedelta(hours=3)),
    ("in 2 h", timedelta(hours=2)),
    ("in 45 min", timedelta(minutes=45)),
    ("in 90 minutes", timedelta(minutes=90)),
    ("1 hour ago", -timedelta(hours=1)),
    ("3 hrs ago", -timedelta(hours=3)),
    ("90 min ago", -timedelta(minutes=90)),
    ("30 m ago", -timedelta(minutes=30)),
]


@pytest.mark.parametrize(("zone", "change", "shift"), CHANGES, ids=str)
@pytest.mark.parametrize(("text", "delta"), CLOCK_FORMS, ids=[t for t, _ in CLOCK_FORMS])
def test_hours_and_minutes_count_real_time_across_a_clock_change(
    zone: str, change: datetime, shift: timedelta, text: str, delta: timedelta
) -> None:
    # Stand on the side of the change from which `delta` crosses it.
    now = change - timedelta(minutes=30) if delta > timedelta(0) else change + timedelta(minutes=30)
    moment = parse_moment(text, zone=zone, now=now)
    assert moment.astimezone(UTC) == now + delta
    assert moment.tzinfo == ZoneInfo(zone)


@pytest.mark.parametrize(("zone", "change", "shift"), CHANGES, ids=str)
def test_a_day_from_noon_is_noon_on_the_next_calendar_day_however_long_that_day_is(
    zone: str, change: datetime, shift: timedelta
) -> None:
    tz = ZoneInfo(zone)
    day_before = (change - timedelta(hours=24)).astimezone(tz).date()
    noon = datetime(day_before.year, day_before.month, day_before.day, 12, tzinfo=tz)
    later = parse_moment("in 1 day", zone=zone, now=noon)
    assert later.replace(tzinfo=None) == datetime(
        day_before.year, day_before.month, day_before.day, 12
    ) + timedelta(days=1)
    assert later.astimezone(UTC) - noon.astimezone(UTC) == timedelta(days=1) - shift
    back = parse_moment("1 day ago", zone=zone, now=later)
    assert back.astimezone(UTC) == noon.astimezone(UTC)
    week = parse_moment("in 1 week", zone=zone, now=noon)
    assert week.astimezone(tz).hour == 12
    assert (week.astimezone(tz).date() - day_before).days == 7


def test_a_day_that_lands_on_a_skipped_wall_time_is_refused() -> None:
    # 01:30 on Sat 28 Mar; in London 01:30 on Sun 29 Mar does not happen.
    now = datetime(2026, 3, 28, 1, 30, tzinfo=UTC)
    with pytest.raises(DateProblem, match="does not exist on Sun 29 Mar 2026"):
        parse_moment("in 1 day", zone="Europe/London", now=now)


def test_a_day_that_lands_on_a_repeated_wall_time_is_refused_with_both_answers() -> None:
    now = datetime(2026, 10, 24, 0, 30, tzinfo=UTC)  # 01:30 BST on Sat 24 Oct
    with pytest.raises(DateProblem, match="happens twice"):
        parse_moment("in 1 day", zone="Europe/London", now=now)


def test_the_issue_examples_across_london_changes() -> None:
    london = "Europe/London"
    back = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert parse_moment("in 1 hour", zone=london, now=back).astimezone(UTC) == back + timedelta(hours=1)
    # 01:30 BST plus an hour is 01:30 GMT: the second 01:30 of that night, not 02:30.
    assert format_moment(parse_moment("in 1 hour", zone=london, now=back), london) == "Sun 25 Oct 2026, 01:30"
    spring = datetime(2026, 3, 29, 0, 0, tzinfo=UTC)
    assert parse_moment("in 3 hours", zone=london, now=spring).astimezone(UTC) == spring + timedelta(hours=3)
    after = datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert parse_moment("90 min ago", zone=london, now=after).astimezone(UTC) == after - timedelta(minutes=90)


def test_a_day_counted_in_hours_is_the_day_that_real_time_reaches() -> None:
    # 22:30 on Sat 24 Oct in London; 25 real hours later is 22:30 GMT... on Sun 25 Oct, after the hour back.
    now = datetime(2026, 10, 24, 21, 30, tzinfo=UTC)
    assert parse_day("in 25 hours", zone="Europe/London", now=now) == date(2026, 10, 25)
    assert parse_day("in 3 days", zone="Europe/London", now=now) == date(2026, 10, 27)


NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-13-01 10:00", "there is no month 13"),
        ("2026-0-01 10:00", "there is no month 0"),
        ("2026-00-10 10:00", "there is no month 0"),
        ("2026-02-30 10:00", "there is no 30 Feb 2026"),
        ("in 999999999 days", "too far"),
        ("in 9999999 weeks", "too far"),
        ("999999 days ago", "dates run from 1900 to 2999"),
        ("in " + "9" * 5000 + " days", "too far"),
        ("9" * 5000, "did not understand"),
        ("2026-11-24 " + "1" * 3000, "did not understand"),
        ("0001-01-01 00:30", "dates run from 1900 to 2999"),
        ("0001-01-01 00:30 utc", "dates run from 1900 to 2999"),
        ("9999-12-31 23:59", "dates run from 1900 to 2999"),
        ("9999-12-31 23:59 utc", "dates run from 1900 to 2999"),
        ("in 2 fortnights", "did not understand 'fortnights'"),
        ("24", "the hour goes up to 23"),
        ("99", "the hour goes up to 23"),
        ("12345", "did not understand '12345'"),
    ],
)
@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Pacific/Pago_Pago", "Europe/London"])
def test_what_the_reader_cannot_read_is_refused_with_a_reason(zone: str, text: str, message: str) -> None:
    with pytest.raises(DateProblem, match=re.escape(message)):
        parse_moment(text, zone=zone, now=NOW)


@pytest.mark.parametrize("text", ["2026-13-01", "in 999999999 days", "0001-01-01", "9999-12-31", "8" * 4400])
def test_a_day_the_reader_cannot_read_is_refused(text: str) -> None:
    with pytest.raises(DateProblem):
        parse_day(text, zone="Pacific/Kiritimati", now=NOW)


@pytest.mark.parametrize("number", range(100))
def test_a_bare_number_is_refused_with_a_suggestion_that_the_reader_accepts(number: int) -> None:
    for text in (str(number), f"{number:02d}"):
        with pytest.raises(DateProblem) as refused:
            parse_moment(text, zone="Europe/London", now=NOW)
        suggested = re.search(r"write the time as (\S+)", str(refused.value))
        if suggested:
            assert parse_moment(suggested.group(1), zone="Europe/London", now=NOW).hour == number


def test_the_years_at_both_ends_are_read() -> None:
    assert parse_day("1900-01-01", zone="Pacific/Kiritimati", now=NOW) == date(1900, 1, 1)
    assert parse_day("2999-12-31", zone="Pacific/Pago_Pago", now=NOW) == date(2999, 12, 31)


def test_json_times_always_have_a_four_digit_year() -> None:
    assert iso_utc(datetime(1, 1, 1, 12, 1, 15, tzinfo=UTC)) == "0001-01-01T12:01:15Z"
    assert iso_utc(datetime(999, 3, 4, 5, 6, 7)) == "0999-03-04T05:06:07Z"
    seen_in_sydney = datetime(2026, 11, 24, 6, 30, tzinfo=ZoneInfo("Australia/Sydney"))
    assert iso_utc(seen_in_sydney) == "2026-11-23T19:30:00Z"
