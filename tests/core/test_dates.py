"""The date and time parser (care principle 7: nothing ambiguous gets in) and unambiguous formatting."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from clientbook.core.dates import DateProblem, ago, format_moment, parse_day, parse_moment

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # a Monday
LONDON = "Europe/London"


def read(text: str, zone: str = LONDON, **kwargs: object) -> str:
    return format_moment(parse_moment(text, zone=zone, now=NOW, **kwargs), zone)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-24 19:30", "Tue 24 Nov 2026, 19:30"),
        ("2026-11-24T19:30", "Tue 24 Nov 2026, 19:30"),
        ("24 Nov 7:30pm", "Tue 24 Nov 2026, 19:30"),
        ("24 november 7.30 pm", "Tue 24 Nov 2026, 19:30"),
        ("Nov 24 2pm", "Tue 24 Nov 2026, 14:00"),
        ("24th Nov 2025 09:15", "Mon 24 Nov 2025, 09:15"),
        ("today 14:00", "Mon 23 Nov 2026, 14:00"),
        ("14:00 today", "Mon 23 Nov 2026, 14:00"),
        ("yesterday 9am", "Sun 22 Nov 2026, 09:00"),
        ("tomorrow 12pm", "Tue 24 Nov 2026, 12:00"),
        ("tomorrow 12am", "Tue 24 Nov 2026, 00:00"),
        ("now", "Mon 23 Nov 2026, 10:00"),
        ("07:30", "Mon 23 Nov 2026, 07:30"),
        ("0:45", "Mon 23 Nov 2026, 00:45"),
        ("noon", "Mon 23 Nov 2026, 12:00"),
        ("Tue 24 Nov 2026, 19:30", "Tue 24 Nov 2026, 19:30"),
        ("fri 3pm", "Fri 20 Nov 2026, 15:00"),
        ("mon 8am", "Mon 23 Nov 2026, 08:00"),
        ("last mon 9am", "Mon 16 Nov 2026, 09:00"),
        ("next mon 9am", "Mon 30 Nov 2026, 09:00"),
        ("in 3 hours", "Mon 23 Nov 2026, 13:00"),
        ("2 days ago", "Sat 21 Nov 2026, 10:00"),
        ("45 min ago", "Mon 23 Nov 2026, 09:15"),
        ("2026-10-25 00:30 UTC", "Sun 25 Oct 2026, 01:30"),
        ("2026-11-24 10:30", "Tue 24 Nov 2026, 10:30"),  # beside an ISO date, the 24-hour clock
        ("11.59pm", "Mon 23 Nov 2026, 23:59"),
    ],
)
def test_accepted_forms(text: str, expected: str) -> None:
    assert read(text) == expected


@pytest.mark.parametrize("text", ["7:30", "10:00", "12:30", "7", "1:05", "today 7:30", "24 Nov 9:00"])
def test_a_bare_morning_or_evening_hour_asks_am_or_pm(text: str) -> None:
    with pytest.raises(DateProblem, match=r"^am or pm\?$"):
        parse_moment(text, zone=LONDON, now=NOW)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "required"),
        ("   ", "required"),
        ("11/12", "reads differently in different countries"),
        ("11.12", "reads differently in different countries"),
        ("11/12/2026 10am", "reads differently in different countries"),
        ("24 Nov", "add a time"),
        ("Mon 24 Nov 2026 19:30", "24 Nov 2026 is a Tuesday, not a Monday"),
        ("31 Feb 10am", "there is no 31 Feb"),
        ("2026-02-30 10:00", "there is no 30 Feb 2026"),
        ("25:00", "the hour goes up to 23"),
        ("10:75", "minutes go up to 59"),
        ("13pm", "the hour is 1 to 12"),
        ("19", "write the time as 19:00"),
        ("soonish", "did not understand 'soonish'"),
        ("in 3 fortnights", "did not understand 'fortnights'"),
        ("today tomorrow 10am", "two dates given"),
        ("10am 11am", "two times given"),
        ("'; DROP TABLE", "did not understand"),
    ],
)
def test_refused_forms_say_why(text: str, message: str) -> None:
    with pytest.raises(DateProblem, match=message):
        parse_moment(text, zone=LONDON, now=NOW)


def test_times_are_read_in_the_given_zone() -> None:
    moment = parse_moment("today 14:00", zone="America/New_York", now=NOW)
    assert moment.astimezone(UTC) == datetime(2026, 11, 23, 19, 0, tzinfo=UTC)
    assert str(moment.tzinfo) == "America/New_York"


def test_today_is_the_day_in_the_users_zone() -> None:
    late = datetime(2026, 11, 23, 23, 30, tzinfo=UTC)  # already Tuesday in Sydney
    assert parse_moment("today 9am", zone="Australia/Sydney", now=late).date() == date(2026, 11, 24)


def test_a_time_skipped_by_dst_is_refused() -> None:
    with pytest.raises(DateProblem, match="01:30 does not exist on Sun 29 Mar 2026 in Europe/London"):
        parse_moment("2026-03-29 01:30", zone=LONDON, now=NOW)
    with pytest.raises(DateProblem, match="does not exist"):
        parse_moment("2026-03-08 2:30am", zone="America/New_York", now=NOW)


def test_a_time_repeated_by_dst_is_refused_with_both_answers() -> None:
    both = r"happens twice .* '2026-10-25 00:30 UTC' or '2026-10-25 01:30 UTC'"
    with pytest.raises(DateProblem, match=both):
        parse_moment("2026-10-25 01:30", zone=LONDON, now=NOW)


def test_each_answer_a_repeated_time_suggests_is_accepted_and_means_that_moment() -> None:
    # Asked a week later, the suggestion still names the same instant: it carries its date.
    later = NOW + timedelta(days=7)
    with pytest.raises(DateProblem) as refused:
        parse_moment("2026-10-25 01:30", zone=LONDON, now=NOW)
    suggestions = re.findall(r"'([^']+ UTC)'", str(refused.value))
    moments = [parse_moment(text, zone=LONDON, now=later) for text in suggestions]
    assert [m.astimezone(UTC) for m in moments] == [
        datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
        datetime(2026, 10, 25, 1, 30, tzinfo=UTC),
    ]


def test_a_year_less_date_is_the_nearest_one() -> None:
    assert parse_day("2 Jan", zone=LONDON, now=NOW) == date(2027, 1, 2)
    assert parse_day("20 Nov", zone=LONDON, now=NOW) == date(2026, 11, 20)
    assert parse_day("1 Mar", zone=LONDON, now=NOW) == date(2027, 3, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", date(2026, 11, 23)),
        ("tomorrow", date(2026, 11, 24)),
        ("fri", date(2026, 11, 27)),
        ("mon", date(2026, 11, 23)),
        ("next mon", date(2026, 11, 30)),
        ("in 3 days", date(2026, 11, 26)),
        ("in 2 weeks", date(2026, 12, 7)),
        ("2026-12-01", date(2026, 12, 1)),
        ("1 dec", date(2026, 12, 1)),
    ],
)
def test_days_for_follow_ups(text: str, expected: date) -> None:
    assert parse_day(text, zone=LONDON, now=NOW) == expected


def test_a_day_field_refuses_a_time() -> None:
    with pytest.raises(DateProblem, match="a day, without a time"):
        parse_day("tomorrow 3pm", zone=LONDON, now=NOW)


def test_ago_reads_naturally() -> None:
    assert ago(None, NOW, LONDON) == "never"
    assert ago(NOW - timedelta(hours=2), NOW, LONDON) == "today"
    assert ago(NOW - timedelta(days=1), NOW, LONDON) == "yesterday"
    assert ago(NOW - timedelta(days=3), NOW, LONDON) == "3 d ago"
    assert ago(NOW - timedelta(days=30), NOW, LONDON) == "4 wk ago"
    assert ago(NOW - timedelta(days=400), NOW, LONDON) == "13 mo ago"


ZONES = st.sampled_from(["Europe/London", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "UTC"])
INSTANTS = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2040, 12, 31)).map(
    lambda moment: moment.replace(second=0, microsecond=0, tzinfo=UTC)
)


@given(instant=INSTANTS, zone=ZONES)
def test_an_iso_local_time_reads_back_as_the_same_instant(instant: datetime, zone: str) -> None:
    local = instant.astimezone(ZoneInfo(zone))
    shown = f"{local:%Y-%m-%d %H:%M}"
    repeated = local.replace(fold=1 - local.fold).astimezone(UTC) != instant
    try:
        assert parse_moment(shown, zone=zone, now=NOW) == instant
    except DateProblem as problem:
        # Only a wall time that DST repeats may be refused, and then it says so.
        assert repeated and "happens twice" in str(problem)


@given(hour=st.integers(1, 12), minute=st.integers(0, 59))
def test_every_bare_ambiguous_hour_is_refused(hour: int, minute: int) -> None:
    with pytest.raises(DateProblem, match=r"am or pm\?"):
        parse_moment(f"{hour}:{minute:02d}", zone=LONDON, now=NOW)


@given(hour=st.integers(0, 23), minute=st.integers(0, 59), zone=ZONES)
def test_zero_padded_24_hour_times_are_taken_as_written(hour: int, minute: int, zone: str) -> None:
    local = NOW.astimezone(ZoneInfo(zone))
    assume(local.date() == date(2026, 11, 23))
    moment = parse_moment(f"2026-11-23 {hour:02d}:{minute:02d}", zone=zone, now=NOW)
    assert (moment.hour, moment.minute) == (hour, minute)


@given(text=st.text(max_size=40))
def test_any_text_parses_or_is_refused_with_a_message(text: str) -> None:
    try:
        parse_moment(text, zone=LONDON, now=NOW)
    except DateProblem as problem:
        assert str(problem)


def test_short_moments_keep_a_weekday_or_a_year() -> None:
    from clientbook.core.dates import format_short, format_wait

    assert format_short(datetime(2026, 11, 22, 9, 0, tzinfo=UTC), LONDON, NOW) == "Sun 22 Nov 09:00"
    assert format_short(datetime(2025, 11, 22, 9, 0, tzinfo=UTC), LONDON, NOW) == "22 Nov 2025 09:00"
    assert format_wait(NOW - timedelta(minutes=25), NOW) == "25 min"
    assert format_wait(NOW - timedelta(hours=28), NOW) == "1 d 4 h"
    assert format_wait(NOW - timedelta(days=12, hours=3), NOW) == "12 d"
