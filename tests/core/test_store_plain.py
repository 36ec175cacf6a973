"""Opening a book for plain SQL (`core/store/plain.py`) and signing in through it (`core/who.py`).

The plain route must open exactly the books the careful way would open without doing anything, refuse what
it would refuse with the same line, and hand everything else to it (returning None) untouched.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from clientbook.core.clients.operations import add_staff
from clientbook.core.db import OpenedBook, close_database, open_database, plain
from clientbook.core.errors import NotFound
from clientbook.core.models import Staff
from clientbook.core.store.book_file import MIGRATION_TABLE, DatabaseProblem
from clientbook.core.store.plain import open_plain
from clientbook.core.who import find_person, owner_person, sign_in_person


@pytest.mark.sqlite_only("a book file opened without peewee")
def test_an_up_to_date_book_opens_and_reads_the_same_rows(book: OpenedBook, owner: Staff) -> None:
    opened = open_plain(book.location)
    assert opened is not None
    try:
        assert owner_person(opened.sql) == owner_person(plain())
        assert opened.sql.value("SELECT name FROM staff WHERE id = ?", (owner.id,)) == owner.name
        assert opened.notices() == ()
    finally:
        opened.close()


def test_what_needs_the_careful_way_is_handed_to_it_untouched(tmp_path: Path) -> None:
    missing = tmp_path / "new" / "book.db"
    assert open_plain(missing) is None
    assert not missing.parent.exists()  # nothing made: creating is the careful way's
    empty = tmp_path / "empty.db"
    empty.touch()
    assert open_plain(empty) is None
    assert empty.read_bytes() == b""
    assert open_plain("postgresql://pat@host/book") is None


@pytest.mark.sqlite_only("a book file opened without peewee")
def test_a_book_missing_a_migration_goes_the_careful_way(book_path: Path, book: OpenedBook) -> None:
    close_database()
    with sqlite3.connect(book_path) as connection:
        connection.execute(
            f"DELETE FROM {MIGRATION_TABLE} WHERE name = (SELECT max(name) FROM {MIGRATION_TABLE})"
        )
    connection.close()
    assert open_plain(book_path) is None


def test_a_file_that_is_no_book_is_refused_with_the_careful_ways_line(tmp_path: Path) -> None:
    text = tmp_path / "notes.db"
    text.write_text("not a database", encoding="utf-8")
    with pytest.raises(DatabaseProblem, match="not a SQLite file"):
        open_plain(text)
    fifo = tmp_path / "fifo.db"
    os.mkfifo(fifo)
    with pytest.raises(DatabaseProblem, match="not a regular file"):
        open_plain(fifo)
    foreign = tmp_path / "foreign.db"
    with sqlite3.connect(foreign) as connection:
        connection.execute("CREATE TABLE notes (body TEXT)")
    connection.close()
    assert open_plain(foreign) is None  # the careful way refuses it, naming why
    with pytest.raises(DatabaseProblem, match="not a clientbook book"):
        open_database(foreign)


@pytest.mark.sqlite_only("file modes")
def test_a_book_others_could_read_is_made_private_and_says_so(book_path: Path, book: OpenedBook) -> None:
    close_database()
    book_path.chmod(0o644)
    opened = open_plain(book_path)
    assert opened is not None
    opened.close()
    assert stat.S_IMODE(book_path.stat().st_mode) == 0o600
    assert opened.notices() == (f"other users could read {book_path}: now only you can",)


def test_signing_in_finds_staff_by_slug_prefix_and_name_and_nothing_by_wildcards(
    book: OpenedBook, owner: Staff
) -> None:
    sam = add_staff("Sam Rivera", actor=owner)
    add_staff("Sasha Kim", actor=owner)
    sql = plain()
    assert find_person(sql, "SAM RIVERA").id == sam.id
    assert find_person(sql, "sam").id == sam.id
    with pytest.raises(NotFound, match="matches several"):
        find_person(sql, "sa")
    for typed in ("s_m", "s%", "%"):  # LIKE's wildcards are only themselves in a typed prefix
        with pytest.raises(NotFound, match="no staff member"):
            find_person(sql, typed)
    assert sign_in_person(sql, "") == owner_person(sql)
    with pytest.raises(NotFound, match="add one with"):
        sign_in_person(sql, "nobody")


def test_a_new_book_has_nobody_to_sign_in_as(tmp_path: Path) -> None:
    open_database(tmp_path / "book.db")
    assert sign_in_person(plain(), "Pat") is None
