"""A slug or name typed to pick a record (`client show ali`, `--by sam`), checked before it is looked up."""

from __future__ import annotations

from typing import Final

from clientbook.core.errors import NotFound

REFERENCE_MAX: Final = 200
"""The longest slug or name a look-up accepts: longer than any a record can have (names stop at 200), and
short enough that SQLite's LIKE never meets a pattern too long for it (50,000 bytes)."""


def reference(ref: str, what: str, *, field: str = "") -> str:
    """`ref` trimmed, or :class:`NotFound` (naming the limit) when it is too long to name any `what`."""
    ref = ref.strip()
    if len(ref) > REFERENCE_MAX:
        raise NotFound(
            f"no {what} has a name or slug that long "
            f"(at most {REFERENCE_MAX} characters; this has {len(ref):,})",
            field=field,
        )
    return ref
