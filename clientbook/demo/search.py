"""Full-text indexes built on the side: in scratch databases, on other threads, while the book sorts its
other indexes; then copied in.

Rebuilding the FTS5 indexes of a million interactions and 100,000 clients is a quarter of a demo's work,
and a connection does it on one core. SQLite runs without Python's lock, so connections on other threads
build them at the same time as the book's `CREATE INDEX` statements: one scratch database and thread per
content table (the clients' trigram index is the longest job at a million clients, the log's at a million
interactions). A scratch database holds only what its indexes read (the content table's rowid and indexed
columns), the same `CREATE VIRTUAL TABLE` and the book's FTS configuration, so the shadow tables it builds
are what a rebuild in the book would write (a test runs FTS5's `integrity-check` on a demo book). They are
copied in with `INSERT ... SELECT *`, which SQLite transfers record by record without decoding.
"""

from __future__ import annotations

import sqlite3
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from clientbook.demo.bulk import FullText, insert_rows, quoted

SCRATCH_PRAGMAS: Final = {
    "journal_mode": "off",
    "synchronous": "off",
    "secure_delete": "off",
    "cache_size": str(-64 * 1024),
}
"""A throwaway file: no journal, no syncs, no zeroing of the segments FTS5 merges away, and a cache that
holds them while it merges."""
_SHADOWS: Final = ("data", "idx", "docsize", "content")
"""The FTS5 shadow tables an index lives in (`config` is left alone: it is the book's, made the same)."""

Rows = Callable[[], Iterable[Sequence[Any]]]
Content = Mapping[str, tuple[Sequence[str], Rows]]
"""For a content table: the columns its rows give (the rowid column first) and what makes the rows."""


@dataclass
class _Part:
    """One content table's full-text indexes, built in one scratch database by one thread."""

    table: str
    schema: str
    """The name the scratch database is attached under."""
    path: Path
    searches: list[FullText] = field(default_factory=list)
    thread: threading.Thread | None = None
    errors: list[BaseException] = field(default_factory=list)

    def run(self, configs: Mapping[str, list[tuple[str, Any]]], columns: Sequence[str], rows: Rows) -> None:
        try:
            self.build(configs, columns, rows)
        except BaseException as error:  # handed to the book's thread, which raises it
            self.errors.append(error)

    def build(self, configs: Mapping[str, list[tuple[str, Any]]], columns: Sequence[str], rows: Rows) -> None:
        """Fill the scratch database's copy of the content table with `rows` (in `columns`, the rowid
        first) and build the searches over it, configured as the book's are (`configs`)."""
        connection = sqlite3.connect(self.path, isolation_level=None)
        try:
            for name, value in SCRATCH_PRAGMAS.items():
                connection.execute(f"PRAGMA {name} = {value}")
            connection.execute("BEGIN")
            rowid, *others = columns
            definition = ", ".join([f"{quoted(rowid)} INTEGER PRIMARY KEY", *map(quoted, others)])
            connection.execute(f"CREATE TABLE {quoted(self.table)} ({definition})")
            insert_rows(connection, self.table, columns, rows())
            for search in self.searches:
                name = quoted(search.name)
                connection.execute(search.sql)
                for key, value in configs[search.name]:
                    if key != "version":  # set by CREATE VIRTUAL TABLE; the rest through FTS5's own command
                        connection.execute(f"INSERT INTO {name}({name}, rank) VALUES (?, ?)", (key, value))
                connection.execute(f"INSERT INTO {name}({name}) VALUES ('rebuild')")
            connection.execute("COMMIT")
        finally:
            connection.close()


@dataclass
class SideSearch:
    """Scratch databases attached to the book, where :meth:`start` builds full-text indexes."""

    book: sqlite3.Connection
    parts: dict[str, _Part]
    """By content table."""

    def start(self, searches: Sequence[FullText], content: Content) -> list[str]:
        """Start building each of `searches` whose content `content` gives, one thread per content table;
        returns their names (the rest are left for the book to rebuild itself)."""
        started: list[str] = []
        for table, (columns, rows) in content.items():
            part = self.parts.get(table)
            using = [s for s in searches if s.content == table and _gives(columns, s)]
            if part is None or not using:
                continue
            part.searches = using
            configs = {
                s.name: self.book.execute(f"SELECT k, v FROM main.{quoted(s.name + '_config')}").fetchall()
                for s in using
            }
            part.thread = threading.Thread(
                target=part.run, args=(configs, columns, rows), name=f"demo-search-{table}", daemon=True
            )
            part.thread.start()
            started += [s.name for s in using]
        return started

    def copy_in(self) -> None:
        """Wait for the builds, then put their shadow tables in place of the book's (inside the book's
        transaction; the scratch databases were attached before it began)."""
        for part in self.parts.values():
            if part.thread is not None:
                part.thread.join()
        for part in self.parts.values():
            if part.errors:
                raise part.errors[0]
        for part in self.parts.values():
            for search in part.searches:
                for shadow in _shadow_tables(self.book, search.name):
                    table = quoted(shadow)
                    self.book.execute(f"DELETE FROM main.{table}")
                    self.book.execute(f"INSERT INTO main.{table} SELECT * FROM {part.schema}.{table}")


@contextmanager
def side_search(book: sqlite3.Connection, tables: Sequence[str]) -> Iterator[SideSearch]:
    """A scratch database for each of the content `tables`, attached to `book` for the block (enter it
    outside any transaction: SQLite attaches only there), then detached and removed."""
    with tempfile.TemporaryDirectory(prefix="clientbook-demo-") as folder:
        parts: dict[str, _Part] = {}
        try:
            for number, table in enumerate(tables):
                part = _Part(table, f"demo_search_{number}", Path(folder) / f"{number}.db")
                book.execute(f"ATTACH DATABASE ? AS {part.schema}", (str(part.path),))
                parts[table] = part
            yield SideSearch(book, parts)
        finally:
            for part in parts.values():
                if part.thread is not None:
                    part.thread.join()
                book.execute(f"DETACH DATABASE {part.schema}")


def _gives(columns: Sequence[str], search: FullText) -> bool:
    return bool(columns) and columns[0] == search.rowid and set(search.columns) <= set(columns[1:])


def _shadow_tables(connection: sqlite3.Connection, name: str) -> list[str]:
    wanted = [f"{name}_{suffix}" for suffix in _SHADOWS]
    marks = ", ".join("?" for _ in wanted)
    query = f"SELECT name FROM main.sqlite_master WHERE type = 'table' AND name IN ({marks}) ORDER BY name"
    return [row[0] for row in connection.execute(query, wanted)]
