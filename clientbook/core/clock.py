"""The one clock the core reads, so tests can stop time.

Every "now" in clientbook comes from :func:`now`; tests call :func:`freeze` to make dates deterministic
(screenshots, "3 d ago", due dates) without patching the standard library.
"""

from __future__ import annotations

from datetime import UTC, datetime

_frozen: datetime | None = None


def now() -> datetime:
    """The current instant, timezone-aware in UTC, without microseconds (stored times compare cleanly)."""
    if _frozen is not None:
        return _frozen
    return datetime.now(UTC).replace(microsecond=0)


def freeze(instant: datetime | None) -> None:
    """Stop the clock at `instant` (aware), or start it again with None."""
    global _frozen  # noqa: PLW0603 - a single process-wide clock is the point
    if instant is not None and instant.tzinfo is None:
        raise ValueError("freeze() needs an aware datetime")
    _frozen = instant.astimezone(UTC) if instant is not None else None
