"""Numbered schema migrations, run in order by :func:`clientbook.core.db.open_database`.

Each script freezes its own copy of the tables it creates, so later changes to :mod:`..models` never change
what an old migration does. Files are shipped in the wheel; the runner is given this folder's path.

Add columns as nullable: peewee makes a new NOT NULL column on SQLite by rebuilding the table, which drops
its triggers (the client search index is kept by triggers). The models may still default to a value.
"""
