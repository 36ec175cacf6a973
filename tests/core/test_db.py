"""Opening books: new, existing, and every file a user could point clientbook at by mistake."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import peewee as pw
import pytest

from clientbook.core.db import MIGRATIONS_DIR, DatabaseProblem, close_database, explain, open_database
from clientbook.core.drafts import ClientDraft
from clientbook.core.history import client_history
from clientbook.core.models import Client
from clientbook.core.operations import create_client, ensure_owner


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


def test_postgresql_urls_are_refused_clearly() -> None:
    with pytest.raises(DatabaseProblem, match="postgresql:// books are not supported by this version"):
        open_database("postgresql://localhost/book")


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
