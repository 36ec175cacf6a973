"""The bulk writer under the demo: what it drops it puts back (whatever a later migration added), it
restores every setting it relaxed, and a failure leaves the book as it was."""

from __future__ import annotations

import contextlib
import random
import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from clientbook.core.db import OpenedBook
from clientbook.core.models import Client
from clientbook.demo import bulk, fill_demo_book, search
from clientbook.demo.bulk import insert_rows, relaxed
from clientbook.demo.interactions import alias_table

LATER_MIGRATION = (
    'CREATE INDEX "interaction_mood_at" ON "interaction" ("mood", "at")',
    "CREATE TABLE client_rename (client_id INTEGER, name TEXT)",
    "CREATE TRIGGER client_rename_log AFTER UPDATE OF name ON client BEGIN "
    "INSERT INTO client_rename VALUES (new.id, new.name); END",
    "CREATE VIRTUAL TABLE client_name_search USING fts5(name, content='client', content_rowid='id')",
)
"""What a later migration might add to the tables the demo fills: an index, a trigger, and a full-text index
over a column the side build does not give (so the book rebuilds it itself)."""


def test_what_a_later_migration_adds_is_built_after_the_fill(book: OpenedBook) -> None:
    for statement in LATER_MIGRATION:
        book.db.execute_sql(statement)  # type: ignore[no-untyped-call]
    with contextlib.closing(sqlite3.connect(book.location)) as reader:  # closed: the fill changes modes
        before = set(reader.execute("SELECT type, name, sql FROM sqlite_master"))
    fill_demo_book(60)
    connection = sqlite3.connect(book.location, isolation_level=None)
    assert set(connection.execute("SELECT type, name, sql FROM sqlite_master")) == before
    connection.execute("INSERT INTO client_name_search(client_name_search) VALUES ('integrity-check')")
    some = connection.execute("SELECT id, name FROM client WHERE kind = 'person' ORDER BY id").fetchone()
    found = connection.execute(
        "SELECT rowid FROM client_name_search WHERE client_name_search MATCH ?", (f'"{some[1]}"',)
    ).fetchall()
    assert (some[0],) in found
    assert connection.execute("SELECT count(*) FROM client_rename").fetchone() == (0,)  # it did not fire
    Client.update(name="Renamed Client").where(Client.id == some[0]).execute()
    assert connection.execute("SELECT * FROM client_rename").fetchall() == [(some[0], "Renamed Client")]


def test_a_failed_side_build_leaves_the_book_empty_and_settled(
    book: OpenedBook, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(search._Part, "build", broken)
    connection: sqlite3.Connection = book.db.connection()  # type: ignore[no-untyped-call]
    settings = [connection.execute(f"PRAGMA {name}").fetchone() for name in bulk.RELAXED]
    with pytest.raises(sqlite3.OperationalError, match="disk I/O"):
        fill_demo_book(30)
    assert [connection.execute(f"PRAGMA {name}").fetchone() for name in bulk.RELAXED] == settings
    raw = sqlite3.connect(book.location)
    assert raw.execute("SELECT count(*) FROM client").fetchone() == (0,)
    indexes = raw.execute("SELECT count(*) FROM sqlite_master WHERE name = 'interaction_at_id'").fetchone()
    assert indexes == (1,)  # the drops were rolled back with the rest


def test_relaxed_settings_are_restored_after_an_error(book: OpenedBook) -> None:
    connection: sqlite3.Connection = book.db.connection()  # type: ignore[no-untyped-call]
    settings = [connection.execute(f"PRAGMA {name}").fetchone() for name in bulk.RELAXED]
    with pytest.raises(RuntimeError), relaxed(connection):
        assert connection.execute("PRAGMA foreign_keys").fetchone() == (0,)
        raise RuntimeError
    assert [connection.execute(f"PRAGMA {name}").fetchone() for name in bulk.RELAXED] == settings


@pytest.mark.parametrize("count", [0, 1, bulk.ROWS_PER_STATEMENT, bulk.ROWS_PER_STATEMENT * 2 + 3])
def test_insert_rows_writes_every_row_with_its_constants(tmp_path: Path, count: int) -> None:
    connection = sqlite3.connect(tmp_path / "t.db")
    connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, word TEXT, kind TEXT, gone TEXT)")
    rows = [(n, f"word {n}") for n in range(1, count + 1)]
    insert_rows(connection, "t", ("id", "word"), iter(rows), constants={"kind": "it's", "gone": None})
    assert connection.execute("SELECT id, word FROM t ORDER BY id").fetchall() == rows
    assert connection.execute("SELECT DISTINCT kind, gone FROM t").fetchall() == (
        [("it's", None)] if count else []
    )


def test_alias_table_draws_each_index_in_proportion_to_its_weight() -> None:
    weights = [random.Random(3).random() ** 2 for _ in range(500)] + [0.0, 5.0]
    chance, alias = alias_table(weights)
    count = len(weights)
    drawn = [chance[i] / count for i in range(count)]  # kept when picked...
    for i in range(count):
        drawn[alias[i]] += (1.0 - chance[i]) / count  # ...or taken instead of another
    total = sum(weights)
    assert drawn == pytest.approx([w / total for w in weights], abs=1e-12)


def test_busier_clients_get_more_interactions(book: OpenedBook) -> None:
    fill_demo_book(200, interactions=20_000)
    counts = Counter(
        client for (client,) in sqlite3.connect(book.location).execute("SELECT client_id FROM interaction")
    )
    assert len(counts) > 150 and max(counts.values()) > 5 * min(counts.values())


def test_only_indexes_on_columns_in_write_order_are_kept(tmp_path: Path) -> None:
    connection = sqlite3.connect(tmp_path / "t.db", isolation_level=None)
    statements = [
        "CREATE TABLE t (id INTEGER PRIMARY KEY, at TEXT, kind TEXT, note TEXT)",
        "CREATE INDEX t_at ON t (at, id)",
        "CREATE INDEX t_kind_at ON t (kind, at)",
        "CREATE INDEX t_lower ON t (lower(at))",
        "CREATE TRIGGER t_note AFTER INSERT ON t BEGIN UPDATE t SET note = 'x' WHERE id = new.id; END",
    ]
    for statement in statements:
        connection.execute(statement)
    made = dict(connection.execute("SELECT name, sql FROM sqlite_master"))
    connection.execute("BEGIN")
    deferred = bulk.DeferredIndexes.drop(connection, ["t"], in_order={"t": ["id", "at", "note"]})
    assert [name for _, name, _ in deferred.saved] == ["t_kind_at", "t_lower", "t_note"]
    left = connection.execute("SELECT name FROM sqlite_master WHERE tbl_name = 't' AND sql IS NOT NULL")
    assert [name for (name,) in left] == ["t", "t_at"]
    connection.execute("INSERT INTO t (id, at, kind) VALUES (1, 'day 1', 'k'), (2, 'day 2', 'k')")
    deferred.build_indexes()
    deferred.make_triggers()
    connection.execute("COMMIT")
    assert dict(connection.execute("SELECT name, sql FROM sqlite_master")) == made
    notes = connection.execute("SELECT note FROM t").fetchall()
    assert notes == [(None,), (None,)]  # the trigger did not fire on the bulk rows


def test_a_book_another_connection_has_open_is_filled_through_its_wal(book: OpenedBook) -> None:
    reader = sqlite3.connect(book.location, isolation_level=None)
    assert reader.execute("SELECT count(*) FROM client").fetchone() == (0,)  # open, and has read
    fill_demo_book(40)
    assert reader.execute("SELECT count(*) FROM client").fetchone() == (40,)
    assert reader.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert reader.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    reader.execute("INSERT INTO interaction_search(interaction_search) VALUES ('integrity-check')")
    reader.close()
