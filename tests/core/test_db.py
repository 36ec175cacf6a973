"""Opening books: new, existing, and every file a user could point clientbook at by mistake."""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import peewee as pw
import pytest

from clientbook.core.clients.operations import create_client, ensure_owner
from clientbook.core.db import close_database, open_database
from clientbook.core.drafts import ClientDraft
from clientbook.core.history import client_history
from clientbook.core.models import Client
from clientbook.core.store.book_file import APPLICATION_ID, MIGRATIONS_DIR, DatabaseProblem, explain


def shipped_migrations(tmp_path: Path) -> Path:
    """A copy of the shipped migrations folder, to which a test can add a "future" migration."""
    folder = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, folder, ignore=shutil.ignore_patterns("__pycache__"))
    return folder


@pytest.fixture(autouse=True)
def closed() -> Iterator[None]:
    yield
    close_database()


def test_a_new_book_is_created_with_its_folders_and_schema(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "book.db"
    opened = open_database(path)
    every = tuple(sorted(p.stem for p in MIGRATIONS_DIR.glob("[0-9]*.py")))
    assert opened.created and opened.migrated == every and every[0] == "0001_initial"
    assert path.exists() and Client.select().count() == 0
    mode = sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_reopening_applies_nothing(book_path: Path) -> None:
    open_database(book_path)
    close_database()
    again = open_database(book_path)
    assert not again.created and again.migrated == () and again.backup is None


def test_reopening_a_current_book_does_not_load_the_migration_runner(book_path: Path) -> None:
    """The quick check that the schema is current is what every CLI command meets; the runner is for
    change."""
    open_database(book_path)
    close_database()
    script = (
        "import sys; from clientbook.core.db import open_database;"
        f"b = open_database({str(book_path)!r});"
        "print('playhouse.migrations' in sys.modules, 'slugify' in sys.modules, b.migrated)"
    )
    shown = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert shown.split() == ["False", "False", "()"]


def test_a_book_missing_a_migration_still_gets_it(book_path: Path, tmp_path: Path) -> None:
    open_database(book_path)
    close_database()
    folder = shipped_migrations(tmp_path)
    future = "def up(migrator, db):\n    db.execute_sql('CREATE TABLE later (x)')\n"
    (folder / "0999_future.py").write_text(future)
    again = open_database(book_path, migrations_dir=folder)
    assert again.migrated == ("0999_future",) and again.backup is not None
    assert "later" in again.db.get_tables()


def test_a_file_that_is_not_sqlite_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(b"my precious notes\n" * 100)
    with pytest.raises(DatabaseProblem, match="not a clientbook database"):
        open_database(path)
    assert path.read_bytes() == b"my precious notes\n" * 100


def test_someone_elses_sqlite_file_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    other = sqlite3.connect(path)
    other.execute("CREATE TABLE recipes (name TEXT)")
    other.commit()
    other.close()
    before = path.read_bytes()
    with pytest.raises(DatabaseProblem, match="not a clientbook book"):
        open_database(path)
    assert path.read_bytes() == before


def test_a_book_from_a_newer_clientbook_is_refused_and_untouched(book_path: Path) -> None:
    open_database(book_path)
    close_database()
    raw = sqlite3.connect(book_path)
    raw.execute("INSERT INTO schema_migration (name, applied) VALUES ('0099_future', '2027-01-01')")
    raw.commit()
    raw.close()
    before = book_path.read_bytes()
    with pytest.raises(DatabaseProblem, match=r"newer clientbook \(it has schema 0099_future\)"):
        open_database(book_path)
    assert book_path.read_bytes() == before


def test_a_damaged_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "damaged.db"
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    before = path.read_bytes()
    with pytest.raises(DatabaseProblem, match="damaged or not a clientbook database"):
        open_database(path)
    assert path.read_bytes() == before


def test_a_folder_that_cannot_be_made_is_explained(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(DatabaseProblem, match="is a file, not a folder"):
        open_database(blocker / "sub" / "book.db")
    with pytest.raises(DatabaseProblem, match="is a folder"):
        open_database(tmp_path)


def test_a_book_locked_too_long_is_explained_and_untouched(book_path: Path) -> None:
    open_database(book_path, timeout=0.1)
    owner = ensure_owner("Pat Owner")
    holder = sqlite3.connect(book_path, timeout=0)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(pw.OperationalError) as caught:
            create_client(
                ClientDraft(name="Alice", point_person=owner.slug, email="a@example.com"),
                actor=owner,
                phone_region="GB",
            )
    finally:
        holder.rollback()
        holder.close()
    assert explain(caught.value, "book.db") == (
        "book.db is locked by another program and stayed locked; try again when it is done"
    )
    assert Client.select().count() == 0


def test_a_book_that_needs_migrating_while_locked_is_refused(book_path: Path, tmp_path: Path) -> None:
    migrations = shipped_migrations(tmp_path)
    open_database(book_path)
    close_database()
    (migrations / "0099_more.py").write_text(
        "def up(migrator, db):\n    db.execute_sql('CREATE TABLE more (id INTEGER PRIMARY KEY)')\n"
    )
    holder = sqlite3.connect(book_path, timeout=0)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(DatabaseProblem, match="locked by another program"):
            open_database(book_path, timeout=0.1, migrations_dir=migrations)
    finally:
        holder.rollback()
        holder.close()
    tables = {r[0] for r in sqlite3.connect(book_path).execute("SELECT name FROM sqlite_master")}
    assert "more" not in tables


def test_urls_of_other_kinds_are_refused_clearly() -> None:
    with pytest.raises(DatabaseProblem, match="mysql:// is not a kind of book clientbook knows") as caught:
        open_database("mysql://pat:secret@localhost/book")
    assert "secret" not in str(caught.value)


def test_a_read_only_book_is_explained(book_path: Path) -> None:
    # Root ignores file modes, so the read-only case is made the way SQLite itself reports it.
    open_database(book_path)
    close_database()
    readonly = pw.SqliteDatabase(f"file:{book_path}?mode=ro", uri=True)
    with pytest.raises(pw.OperationalError) as caught:
        readonly.execute_sql("INSERT INTO setting (key, value) VALUES ('a', 'b')")  # type: ignore[no-untyped-call]
    readonly.close()
    assert explain(caught.value, "book.db") == "book.db is read-only: clientbook needs to write to it"


def test_an_existing_book_is_backed_up_before_a_migration(book_path: Path, tmp_path: Path) -> None:
    migrations = shipped_migrations(tmp_path)
    open_database(book_path, migrations_dir=migrations)
    close_database()
    (migrations / "0099_add_colour.py").write_text(
        "import peewee as pw\n"
        "def up(migrator, db):\n"
        "    migrator.migrate(migrator.add_column('staff', 'colour', pw.CharField(default='')))\n"
    )
    opened = open_database(book_path, migrations_dir=migrations)
    assert opened.migrated == ("0099_add_colour",)
    assert opened.backup is not None and opened.backup.name == "book.db.before-0099_add_colour.bak"
    backup = sqlite3.connect(opened.backup)
    assert "0099_add_colour" not in [r[0] for r in backup.execute("SELECT name FROM schema_migration")]
    # The user is told, once, where the copy is.
    assert opened.notices() == (
        f"brought the book up to date for this clientbook (0099_add_colour); a copy from before is at "
        f"{opened.backup}",
    )
    close_database()
    assert open_database(book_path, migrations_dir=migrations).notices() == ()


def test_every_migration_leaves_the_search_triggers_in_place(book_path: Path) -> None:
    open_database(book_path)
    triggers = {
        r[0]
        for r in sqlite3.connect(book_path).execute("SELECT name FROM sqlite_master WHERE type='trigger'")
    }
    for table in ("client_search", "interaction_search"):
        assert {f"{table}_insert", f"{table}_update", f"{table}_delete"} <= triggers


def test_history_from_before_change_sets_is_carried_over(book_path: Path, tmp_path: Path) -> None:
    """A book whose history is the old one-row-per-field `change` table keeps it as legacy change sets."""
    migrations = shipped_migrations(tmp_path)
    (migrations / "0005_change_sets.py").unlink()
    open_database(book_path, migrations_dir=migrations)
    close_database()
    old = sqlite3.connect(book_path)
    with old:
        old.execute(
            "INSERT INTO staff (name, slug, email, active, created_at) "
            "VALUES ('Pat', 'pat', '', 1, '2026-11-01')"
        )
        old.execute(
            "INSERT INTO client (slug, name, kind, point_person_id, stage, email, phone, phone_e164, "
            "company, timezone, tags, notes, created_at, updated_at, sort_name, search_text) "
            "VALUES ('alice', 'Alice', 'person', 1, 'lead', 'a@example.com', '', '', '', '', '', '', "
            "'2026-11-01', '2026-11-01', 'alice', '')"
        )
        for field, before, after in (("stage", "lead", "active"), ("company", "", "Anders")):
            old.execute(
                'INSERT INTO "change" ("table", record_id, field, old, new, changed_by_id, changed_at) '
                "VALUES ('client', 1, ?, ?, ?, 1, '2026-11-02 10:00:00')",
                (field, before, after),
            )
    old.close()
    open_database(book_path)

    [row] = client_history(1, zone="UTC")
    assert (row.action, row.actor) == ("legacy", "Pat")
    assert row.lines == ("stage: lead → active", "company: none → Anders")
    tables = {r[0] for r in sqlite3.connect(book_path).execute("SELECT name FROM sqlite_master")}
    assert "change" not in tables


def test_special_files_are_refused_before_anything_opens_them(tmp_path: Path) -> None:
    """A FIFO would block the header read forever; a device would get a `-journal` beside it."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(DatabaseProblem, match=r"pipe is not a regular file \(it is a FIFO\)"):
        open_database(fifo)
    with pytest.raises(DatabaseProblem, match=r"/dev/null is not a regular file \(it is a device\)"):
        open_database("/dev/null")
    assert not Path("/dev/null-journal").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


def test_a_link_to_a_book_is_followed(book_path: Path, tmp_path: Path) -> None:
    open_database(book_path)
    close_database()
    link = tmp_path / "link.db"
    link.symlink_to(book_path)
    assert not open_database(link).created


def failing_migrations(tmp_path: Path) -> Path:
    migrations = shipped_migrations(tmp_path)
    (migrations / "0099_fails.py").write_text(
        "def up(migrator, db):\n    db.execute_sql('CREATE TABLE nope (id INTEGER PRIMARY KEY, id)')\n"
    )
    return migrations


def test_a_failed_first_open_removes_what_it_created(tmp_path: Path) -> None:
    migrations = failing_migrations(tmp_path)
    book = tmp_path / "new" / "deeper" / "book.db"
    with pytest.raises(DatabaseProblem, match="duplicate column name"):
        open_database(book, migrations_dir=migrations)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["migrations"]


def test_a_failed_first_open_keeps_what_was_there(tmp_path: Path) -> None:
    """An empty file the user made, and a folder holding other things, stay; only SQLite's side files go."""
    migrations = failing_migrations(tmp_path)
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    book = folder / "book.db"
    book.touch()
    with pytest.raises(DatabaseProblem):
        open_database(book, migrations_dir=migrations)
    assert sorted(p.name for p in folder.iterdir()) == ["book.db", "notes.txt"]


def test_a_failed_migration_of_an_existing_book_removes_nothing(book_path: Path, tmp_path: Path) -> None:
    open_database(book_path)
    close_database()
    with pytest.raises(DatabaseProblem):
        open_database(book_path, migrations_dir=failing_migrations(tmp_path))
    assert book_path.exists() and (book_path.parent / "book.db.before-0099_fails.bak").exists()
    close_database()
    assert not open_database(book_path).created


@contextlib.contextmanager
def tmpfs(folder: Path, size: str) -> Iterator[Path]:
    """A real file system of `size` at `folder`, so that the disk fills up for real."""
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True, check=False
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.decode().strip() or 'not permitted'}")
    try:
        yield folder
    finally:
        close_database()
        subprocess.run(["umount", str(folder)], check=True)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """200 KiB: too small for a new book's schema."""
    with tmpfs(tmp_path / "small", "200k") as folder:
        yield folder


def test_a_full_disk_is_named_and_a_new_book_leaves_nothing_behind(small_disk: Path) -> None:
    with pytest.raises(DatabaseProblem) as caught:
        open_database(small_disk / "books" / "book.db")
    assert str(caught.value) == (
        f"cannot write {small_disk / 'books' / 'book.db'}: the disk is full; free some space and try again"
    )
    assert list(small_disk.iterdir()) == []


def test_a_full_disk_during_a_write_is_named(tmp_path: Path) -> None:
    """The commit fails with SQLITE_FULL, SQLite rolls back by itself, and peewee's own ROLLBACK then failed
    with "cannot rollback - no transaction is active", which hid the disk being full."""
    with tmpfs(tmp_path / "disk", "2m") as disk:
        open_database(disk / "book.db")
        owner = ensure_owner("Pat Owner")
        with (disk / "filler").open("ab", buffering=0) as filler, contextlib.suppress(OSError):
            while True:
                filler.write(b"\0" * 4096)
        with pytest.raises(pw.OperationalError) as caught:
            for number in range(500):
                draft = ClientDraft(
                    name=f"Client {number}", point_person=owner.slug, email=f"c{number}@example.com"
                )
                create_client(dataclasses.replace(draft, notes="n" * 2000), actor=owner, phone_region="GB")
        assert explain(caught.value, "book.db") == (
            "cannot write book.db: the disk is full; free some space and try again"
        )


def test_no_space_from_the_system_is_named() -> None:
    error = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    assert explain(error, "book.db") == (
        "cannot write book.db: the disk is full; free some space and try again"
    )


@contextlib.contextmanager
def immutable(folder: Path) -> Iterator[None]:
    """`folder` made so that no file can be created in it, even by root (whom file modes do not stop)."""
    if os.geteuid() == 0:
        made = subprocess.run(["chattr", "+i", str(folder)], capture_output=True, check=False)
        if made.returncode != 0:
            pytest.skip(f"running as root and chattr +i failed: {made.stderr.decode().strip()}")
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
    else:
        folder.chmod(0o500)
        try:
            yield
        finally:
            folder.chmod(0o700)


def test_a_book_in_a_read_only_folder_names_the_folder(book_path: Path) -> None:
    open_database(book_path)
    close_database()
    before = book_path.read_bytes()
    with immutable(book_path.parent), pytest.raises(DatabaseProblem) as caught:
        open_database(book_path)
    assert str(caught.value) == (
        f"cannot use {book_path}: its folder {book_path.parent} is read-only, and clientbook needs to make "
        "book.db-wal and book.db-shm beside the book"
    )
    assert book_path.read_bytes() == before


@pytest.mark.sqlite_only("the file's application_id")
def test_a_new_book_says_it_is_a_clientbook_book(book: object, book_path: Path) -> None:
    raw = sqlite3.connect(book_path)
    assert raw.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID == 0x436C426B


def test_a_book_from_an_older_clientbook_is_opened_and_marked(book_path: Path) -> None:
    open_database(book_path)
    close_database()
    raw = sqlite3.connect(book_path)
    raw.execute("PRAGMA application_id = 0")
    raw.close()
    assert not open_database(book_path).created
    assert sqlite3.connect(book_path).execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


@pytest.mark.parametrize(
    "pragmas",
    [
        ["PRAGMA user_version = 7"],  # an empty file another program has claimed
        ["PRAGMA application_id = 1234"],
        ["CREATE VIEW v AS SELECT 1"],  # a schema, but no tables
    ],
)
def test_another_programs_file_without_tables_is_refused_and_untouched(
    tmp_path: Path, pragmas: list[str]
) -> None:
    path = tmp_path / "other.db"
    other = sqlite3.connect(path)
    for statement in pragmas:
        other.execute(statement)
    other.commit()
    other.close()
    before = path.read_bytes()
    with pytest.raises(DatabaseProblem, match="SQLite database, but not a clientbook book; left as it is"):
        open_database(path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]


def test_a_book_marked_by_another_program_is_refused(book_path: Path) -> None:
    open_database(book_path)
    close_database()
    raw = sqlite3.connect(book_path)
    raw.execute("PRAGMA application_id = 1234")
    raw.close()
    with pytest.raises(DatabaseProblem, match="not a clientbook book; left as it is"):
        open_database(book_path)
