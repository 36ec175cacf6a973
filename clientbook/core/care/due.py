"""The stage cadences the book's `care_due` values were computed with, kept equal to the user's settings.

Each client's `care_due` (the instant its contact cadence runs out) is written by triggers (migration 0006)
from the book's `cadence.<stage>` settings rows. Those rows copy the settings file's `[cadence]` table: when
the two differ (a first run, or the user changed a cadence), :func:`use_cadence` writes the new rows and has
the triggers compute every client again, in one transaction, before the care queue reads. That costs about
half a second at 100,000 clients, once per change of settings; every other read is an index range.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from clientbook.core.store.plain import PlainSql
from clientbook.core.values import utc_naive

PREFIX = "cadence."


def stored_cadence(sql: PlainSql) -> dict[str, int]:
    """The stage cadences (days) the book's `care_due` values follow; a stage without one is absent."""
    rows = sql.rows("SELECT key, value FROM setting WHERE key LIKE ?", (PREFIX + "%",))
    return {key.removeprefix(PREFIX): int(value) for key, value in rows if value.isdigit()}


def wanted(cadence: Mapping[str, int | None]) -> dict[str, int]:
    """`cadence` (stage -> days, None or 0 for never) as the rows it should be stored as."""
    return {stage: days for stage, days in cadence.items() if days}


def use_cadence(sql: PlainSql, cadence: Mapping[str, int | None]) -> bool:
    """Make the book's `care_due` values follow `cadence`; True when they had to be computed again."""
    if stored_cadence(sql) == wanted(cadence):
        return False
    with sql.transaction():
        sql.run("DELETE FROM setting WHERE key LIKE ?", (PREFIX + "%",))
        for stage, days in wanted(cadence).items():
            sql.run("INSERT INTO setting (key, value) VALUES (?, ?)", (PREFIX + stage, str(days)))
        recompute_care_due(sql)
    return True


def recompute_care_due(sql: PlainSql) -> None:
    """Have the triggers compute every client's `care_due` again (after a bulk insert without them, or a
    change of cadence): writing a column they watch, unchanged, fires them for each row."""
    sql.run("UPDATE client SET stage = stage")


def care_due_text(now: datetime) -> str:
    """`now` as `care_due` is stored (naive UTC text to the millisecond), so SQLite compares like with like.

    A client needs care once `care_due < care_due_text(now)`: its last contact plus its cadence is before
    now, which is :func:`clientbook.core.care.rules.past_cadence` (last contact older than the cadence).
    """
    moment = utc_naive(now)
    return f"{moment:%Y-%m-%d %H:%M:%S}.{moment.microsecond // 1000:03d}"
