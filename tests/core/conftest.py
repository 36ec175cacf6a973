"""The core's tests run on both kinds of book: every test that asks for `book` (or `owner`) runs once on a
SQLite file and once on a new database of the throwaway PostgreSQL server `.ci/run` starts (where there is
none, the run says so once, in its summary). A test of what only a SQLite file has (its header, its locks,
its modes) is marked `sqlite_only`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from clientbook.core.db import OpenedBook, close_database, open_database
from tests.conftest import BACKENDS


@pytest.fixture(params=BACKENDS)
def book(request: pytest.FixtureRequest, book_path: Path) -> Iterator[OpenedBook]:
    """A new, real book, open for this thread: a SQLite file, or a PostgreSQL database of its own."""
    if request.param == "postgres":
        marker = request.node.get_closest_marker("sqlite_only")
        if marker is not None:
            pytest.skip(f"SQLite only: {marker.args[0]}")
        opened = open_database(request.getfixturevalue("postgres_book_url"))
    else:
        opened = open_database(book_path)
    yield opened
    close_database()
