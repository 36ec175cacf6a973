"""Who can read what clientbook writes: its folders are 0700 and its files 0600 whatever the umask, and a book
the owner opens loses any permission for group and others (never gaining one)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from clientbook.core.clients.operations import ensure_owner
from clientbook.core.db import close_database, open_database
from clientbook.core.store.book_file import MIGRATIONS_DIR
from clientbook.demo import fill_demo_book
from clientbook.settings import save_settings


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def side_files(book: Path) -> list[Path]:
    return [book.with_name(book.name + suffix) for suffix in ("-wal", "-shm")]


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    """The umask most systems give users, under which an unguarded clientbook made everything 0644."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)
    close_database()


def test_a_new_book_its_side_files_and_folders_are_private(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir(mode=0o755)
    book = home / "data" / "clientbook" / "clientbook.db"
    open_database(book)
    ensure_owner("Pat Owner")  # a write: SQLite makes -wal and -shm by now
    assert all(p.exists() for p in side_files(book))
    assert {p.name: oct(mode(p)) for p in [book, *side_files(book)]} == {
        "clientbook.db": "0o600",
        "clientbook.db-wal": "0o600",
        "clientbook.db-shm": "0o600",
    }
    assert oct(mode(book.parent)) == oct(mode(book.parent.parent)) == "0o700"
    assert oct(mode(home)) == "0o755"  # a folder clientbook did not make keeps its mode


def test_side_files_made_later_by_another_connection_are_private(tmp_path: Path) -> None:
    """SQLite deletes -wal and -shm when the last connection closes and makes them again on the next one (a
    thread worker's, the watcher's), giving them the book's own mode: so the book's mode is what counts."""
    book = tmp_path / "book.db"
    open_database(book)
    close_database()
    assert not any(p.exists() for p in side_files(book))
    other = sqlite3.connect(book)
    other.execute("INSERT INTO setting (key, value) VALUES ('a', 'b')")
    other.commit()
    assert [oct(mode(p)) for p in side_files(book)] == ["0o600", "0o600"]
    other.close()


def test_a_backup_before_migrating_is_private(book_path: Path, tmp_path: Path) -> None:
    migrations = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, migrations, ignore=shutil.ignore_patterns("__pycache__"))
    open_database(book_path, migrations_dir=migrations)
    close_database()
    (migrations / "0099_more.py").write_text(
        "def up(migrator, db):\n    db.execute_sql('CREATE TABLE more (id INTEGER PRIMARY KEY)')\n"
    )
    opened = open_database(book_path, migrations_dir=migrations)
    assert opened.backup is not None and oct(mode(opened.backup)) == "0o600"


def test_the_demo_book_is_private(tmp_path: Path) -> None:
    demo = tmp_path / "demo.db"
    open_database(demo)
    fill_demo_book(3, interactions=5)
    assert oct(mode(demo)) == "0o600"


def test_a_new_settings_file_and_its_folder_are_private(tmp_path: Path) -> None:
    path = tmp_path / "config" / "clientbook" / "settings.toml"
    save_settings({"timezone": "Europe/London"}, path)
    assert (oct(mode(path)), oct(mode(path.parent))) == ("0o600", "0o700")


def test_an_existing_settings_file_keeps_its_mode(tmp_path: Path) -> None:
    """The settings hold no client data, and a mode the user chose is theirs: only new files are 0600."""
    path = tmp_path / "settings.toml"
    path.write_text('owner = "Pat"\n')
    path.chmod(0o640)
    save_settings({"timezone": "Europe/London"}, path)
    assert oct(mode(path)) == "0o640" and 'timezone = "Europe/London"' in path.read_text()


def test_an_existing_readable_book_is_made_private_once(tmp_path: Path) -> None:
    book = tmp_path / "book.db"
    open_database(book)
    ensure_owner("Pat Owner")
    holder = sqlite3.connect(book)  # keeps -wal and -shm in place, as another clientbook would
    holder.execute("SELECT 1 FROM staff").fetchall()
    close_database()
    for path in [book, *side_files(book)]:
        path.chmod(0o644)

    opened = open_database(book)
    assert [oct(mode(p)) for p in [book, *side_files(book)]] == ["0o600"] * 3
    assert opened.made_private == (book, *side_files(book))
    close_database()
    assert open_database(book).made_private == ()  # said once: nothing to do the next time
    holder.close()


def test_making_private_never_adds_a_permission(tmp_path: Path) -> None:
    book = tmp_path / "book.db"
    open_database(book)
    close_database()
    book.chmod(0o604)  # the owner may not execute or be given anything: only others lose their read
    opened = open_database(book)
    assert oct(mode(book)) == "0o600" and opened.made_private == (book,)


def test_clientbooks_own_folder_is_made_private_but_no_other(tmp_path: Path) -> None:
    own = tmp_path / "data"
    own.mkdir(mode=0o755)
    elsewhere = tmp_path / "documents"
    elsewhere.mkdir(mode=0o755)
    opened = open_database(own / "clientbook.db", private_folder=own)
    assert oct(mode(own)) == "0o700" and opened.made_private == (own,)
    close_database()
    opened = open_database(elsewhere / "book.db", private_folder=own)
    assert oct(mode(elsewhere)) == "0o755" and opened.made_private == ()


def test_a_book_owned_by_someone_else_is_not_changed(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root, to give the book to another user")
    book = tmp_path / "book.db"
    open_database(book)
    close_database()
    book.chmod(0o644)
    os.chown(book, 65534, 65534)
    opened = open_database(book)
    assert oct(mode(book)) == "0o644" and opened.made_private == ()


def test_backups_left_by_an_older_clientbook_are_made_private(book_path: Path) -> None:
    open_database(book_path)
    close_database()
    old = book_path.with_name("book.db.before-0002_interactions.bak")
    old.write_bytes(book_path.read_bytes())
    old.chmod(0o644)
    unrelated = book_path.with_name("notes.txt")
    unrelated.write_text("mine")
    unrelated.chmod(0o644)
    assert open_database(book_path).made_private == (old,)
    assert (oct(mode(old)), oct(mode(unrelated))) == ("0o600", "0o644")
