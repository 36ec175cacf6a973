"""The edges of the care rules, one function each (care_rules): both sides of every limit."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from clientbook.core.care.rules import (
    cadence_cutoff,
    is_due,
    key_date_ahead,
    key_dates_horizon,
    next_occurrence,
    past_cadence,
    past_due,
    reply_overdue,
    reply_target,
)

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
TODAY = date(2026, 11, 23)
MINUTE = timedelta(minutes=1)


@pytest.mark.parametrize(
    ("waited", "overdue"),
    [
        (timedelta(hours=24) - MINUTE, False),
        (timedelta(hours=24), False),
        (timedelta(hours=24) + MINUTE, True),
    ],
)
def test_a_reply_is_overdue_one_minute_past_the_target_not_before(waited: timedelta, overdue: bool) -> None:
    assert reply_overdue(NOW - waited, NOW, None, 24) is overdue


@pytest.mark.parametrize(
    ("waited", "overdue"), [(timedelta(hours=4) - MINUTE, False), (timedelta(hours=4) + MINUTE, True)]
)
def test_a_clients_own_reply_target_replaces_the_default(waited: timedelta, overdue: bool) -> None:
    assert reply_target(4, 24) == timedelta(hours=4)
    assert reply_target(None, 24) == timedelta(hours=24)
    assert reply_overdue(NOW - waited, NOW, 4, 24) is overdue
    assert reply_overdue(NOW - timedelta(hours=30), NOW, 48, 24) is False  # a longer target of its own


@pytest.mark.parametrize(
    ("ago", "late"),
    [(timedelta(days=7) - MINUTE, False), (timedelta(days=7), False), (timedelta(days=7) + MINUTE, True)],
)
def test_a_cadence_is_past_once_the_last_contact_is_older_than_it(ago: timedelta, late: bool) -> None:
    assert cadence_cutoff(NOW, 7) == NOW - timedelta(days=7)
    assert past_cadence(NOW - ago, NOW, 7) is late


@pytest.mark.parametrize(
    ("due", "listed", "overdue"),
    [
        (TODAY + timedelta(days=1), False, False),
        (TODAY, True, False),
        (TODAY - timedelta(days=1), True, True),
    ],
)
def test_a_due_day_is_due_on_the_day_and_overdue_only_once_it_has_passed(
    due: date, listed: bool, overdue: bool
) -> None:
    assert is_due(due, TODAY) is listed
    assert past_due(due, TODAY) is overdue


@pytest.mark.parametrize(
    ("days_ahead", "shown"), [(-1, False), (0, True), (1, True), (14, True), (15, False)]
)
def test_key_dates_show_from_today_to_exactly_n_days_ahead(days_ahead: int, shown: bool) -> None:
    assert key_dates_horizon(TODAY, 14) == date(2026, 12, 7)
    assert key_date_ahead(TODAY + timedelta(days=days_ahead), TODAY, 14) is shown
    assert key_date_ahead(None, TODAY, 14) is False


def test_a_key_date_comes_round_today_included() -> None:
    assert next_occurrence(TODAY, False, TODAY) == TODAY  # a one-off today is still ahead
    assert next_occurrence(TODAY - timedelta(days=1), False, TODAY) is None
    assert next_occurrence(date(1990, 11, 23), True, TODAY) == TODAY  # a birthday today is today
    assert next_occurrence(date(1990, 11, 22), True, TODAY) == date(2027, 11, 22)
    assert next_occurrence(date(1990, 1, 2), True, TODAY) == date(2027, 1, 2)
    assert next_occurrence(date(2000, 2, 29), True, date(2027, 3, 1)) == date(2027, 3, 1)
    assert next_occurrence(date(2000, 2, 29), True, date(2027, 3, 2)) == date(2028, 2, 29)
