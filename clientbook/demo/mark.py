"""Telling a demo book from a user's own, so `clientbook demo --replace` never removes a real book.

Only the standard library: the check runs before any book is opened.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Final

DEMO_KEY: Final = "demo_book"
"""Set in a demo book's `setting` table, so `clientbook demo` knows a file it may replace."""


def is_demo_book(path: Path) -> bool:
    """Whether the file at `path` is a demo book (marked, or a `demo.db` from before the mark); read-only."""
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=1)
    except sqlite3.Error:
        return False
    try:
        row = connection.execute("SELECT value FROM setting WHERE key = ?", (DEMO_KEY,)).fetchone()
    except sqlite3.Error:
        return False
    finally:
        connection.close()
    return row is not None or path.name == "demo.db"
