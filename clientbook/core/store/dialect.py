"""Which SQL dialect a peewee database speaks, for the few places that must write it differently.

Kept tiny on purpose: the migrations ask it which of their two spellings to run (a migration freezes its own
SQL, so it cannot borrow the current code's), and the store's reads ask it which statement to build.
"""

from __future__ import annotations

import peewee as pw


def on_postgres(db: pw.Database) -> bool:
    """Whether `db` is a PostgreSQL book (team mode) rather than a SQLite file."""
    return isinstance(db, pw.PostgresqlDatabase)
