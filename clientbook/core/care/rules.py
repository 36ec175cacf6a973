"""The edges of the care rules, each decided in one place (no database access here).

The care queue, the log, the client list, the brief and the writes all ask these functions, so a message
is overdue on every screen at the same minute and a key date shows in the brief exactly when it shows on the
care screen. Queries that must filter in SQL for speed compare against the bounds these functions give
(:func:`cadence_cutoff`, :func:`key_dates_horizon`), never against a constant of their own.

- **Reply target**: an inbound message is overdue once it has waited *longer* than the target (the client's
  own, else the default): at exactly 24 hours it is not yet, a minute later it is.
- **Cadence**: a client needs care once its last contact is *older* than its cadence: contacted exactly 7
  days ago on a 7-day cadence is not yet, a minute more is. SQL asks the same of the stored `care_due`
  (last contact plus cadence, kept by triggers): `care_due < now` (see :mod:`clientbook.core.care.due`).
- **Due days** (follow-ups, check-ins, promises, checklist steps): listed from their day on; overdue only
  once the day has passed. A promise kept on its due day was kept on time.
- **Snooze**: quiet up to and including its last day (`until`); the client is back the day after (this one
  is only ever asked of SQL, in :func:`clientbook.core.care.queries.care_queue`).
- **Key dates**: shown from today up to and including `ahead` days from today.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta


def reply_target(client_hours: int | None, default_hours: int) -> timedelta:
    """How long a message may wait: the client's own reply target, else the default."""
    return timedelta(hours=client_hours or default_hours)


def reply_overdue(arrived: datetime, now: datetime, client_hours: int | None, default_hours: int) -> bool:
    """A message that arrived at `arrived` has waited longer than its reply target by `now`."""
    return now - arrived > reply_target(client_hours, default_hours)


def cadence_cutoff(now: datetime, days: int) -> datetime:
    """A client whose last contact is before this instant is past a cadence of `days`."""
    return now - timedelta(days=days)


def past_cadence(since: datetime, now: datetime, days: int) -> bool:
    """Last contact at `since` is older than a cadence of `days` by `now`."""
    return since < cadence_cutoff(now, days)


def is_due(due: date, today: date) -> bool:
    """Listed as due: its day is today or has passed."""
    return due <= today


def past_due(due: date, today: date) -> bool:
    """Overdue: the due day has passed (what is due today is due, not overdue)."""
    return due < today


def key_dates_horizon(today: date, ahead: int) -> date:
    """The last day the key dates ahead reach: `ahead` days from `today`."""
    return today + timedelta(days=ahead)


def next_occurrence(day: date, yearly: bool, today: date) -> date | None:
    """The next time a key date comes round (today included), or None for a one-off already past.

    A yearly 29 February falls on 1 March in a year without one.
    """
    if not yearly:
        return day if day >= today else None
    for year in (today.year, today.year + 1):
        try:
            candidate = day.replace(year=year)
        except ValueError:  # 29 February in a year without one
            candidate = date(year, 3, 1)
        if candidate >= today:
            return candidate
    return None


def key_date_ahead(next_on: date | None, today: date, ahead: int) -> bool:
    """A key date's next occurrence is within the key dates shown (today up to `ahead` days on)."""
    return next_on is not None and today <= next_on <= key_dates_horizon(today, ahead)
