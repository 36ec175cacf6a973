"""Full-text indexes built on the side: in a scratch database, on a second thread, while the book sorts its
other indexes; then copied in.

Rebuilding the FTS5 indexes of a million interactions and 100,000 clients is a quarter of a demo's work,
and a connection does it on one core. SQLite runs without Python's lock, so a second connection on another
thread builds them at the same time as the book's `CREATE INDEX` statements. The scratch database holds only
what each index reads (its content table's rowid and indexed columns), the same `CREATE VIRTUAL TABLE` and
the book's FTS configuration, so the shadow tables it builds are what a rebuild in the book would write (a
test runs FTS5's `integrity-check` on a demo book). They are copied in with `INSERT ... SELECT *`, which
SQLite transfers record by record without decoding.
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

SCHEMA: Final = "demo_search"
"""The name the scratch database is attached under."""
SCRATCH_PRAGMAS: Final = {"journal_mode": "off", "synchronous": "off", "cache_size": str(-64 * 1024)}
"""A throwaway file: no journal, no syncs, and a cache that holds the segments FTS5 merges."""
_SHADOWS: Final = ("data", "idx", "docsize", "content")
"""The FTS5 shadow tables an index lives in (`config` is left alone: it is the book's, made the same)."""

Rows = Callable[[], Iterable[Sequence[Any]]]
Content = Mapping[str, tuple[Sequence[str], Rows]]
"""For a content table: the columns its rows give (the rowid column first) and what makes the rows."""


@dataclass
class SideSearch:
    """A scratch database attached to the book, where :meth:`start` builds full-text indexes."""

    book: sqlite3.Connection
    path: Path
    built: list[FullText] = field(default_factory=list)
    _thread: threading.Thread | None = None
    _errors: list[BaseException] = field(default_factory=list)

    def start(self, searches: Sequence[FullText], content: Content) -> list[str]:
        """Build, on a second thread, each of `searches` whose content `content` can give; returns their
        names (the rest are left for the book to rebuild itself)."""
        self.built = [s for s in searches if s.content in content and _gives(content[s.content][0], s)]
        if not self.built:
            return []
        configs = {
            s.name: self.book.execute(f"SELECT k, v FROM {quoted(s.name + '_config')}").fetchall()
            for s in self.built
        }
        self._thread = threading.Thread(
            target=self._run, args=(self.built, configs, content), name="demo-search", daemon=True
        )
        self._thread.start()
        return [s.name for s in self.built]

    def copy_in(self) -> None:
        """Wait for the build, then put its shadow tables in place of the book's (inside the book's
        transaction; the scratch database was attached before it began)."""
        if self._thread is None:
            return
        self._thread.join()
        if self._errors:
            raise self._errors[0]
        for search in self.built:
            for shadow in _shadow_tables(self.book, search.name):
                self.book.execute(f"DELETE FROM main.{quoted(shadow)}")
                self.book.execute(
                    f"INSERT INTO main.{quoted(shadow)} SELECT * FROM {SCHEMA}.{quoted(shadow)}"
                )

    def _run(
        self, searches: Sequence[FullText], configs: Mapping[str, list[tuple[str, Any]]], content: Content
    ) -> None:
        try:
            _build(self.path, searches, configs, content)
        except BaseException as error:  # handed to the book's thread, which raises it
            self._errors.append(error)


@contextmanager
def side_search(book: sqlite3.Connection) -> Iterator[SideSearch]:
    """A scratch database attached to `book` for the block (enter it outside any transaction), then
    detached and removed."""
    with tempfile.TemporaryDirectory(prefix="clientbook-demo-") as folder:
        path = Path(folder) / "search.db"
        book.execute(f"ATTACH DATABASE ? AS {SCHEMA}", (str(path),))
        side = SideSearch(book, path)
        try:
            yield side
        finally:
            if side._thread is not None:
                side._thread.join()
            book.execute(f"DETACH DATABASE {SCHEMA}")


def _gives(columns: Sequence[str], search: FullText) -> bool:
    return bool(columns) and columns[0] == search.rowid and set(search.columns) <= set(columns[1:])


def _shadow_tables(connection: sqlite3.Connection, name: str) -> list[str]:
    wanted = [f"{name}_{suffix}" for suffix in _SHADOWS]
    marks = ", ".join("?" for _ in wanted)
    query = f"SELECT name FROM main.sqlite_master WHERE type = 'table' AND name IN ({marks}) ORDER BY name"
    return [row[0] for row in connection.execute(query, wanted)]


def _build(
    path: Path, searches: Sequence[FullText], configs: Mapping[str, list[tuple[str, Any]]], content: Content
) -> None:
    """Fill the scratch database's content tables and build `searches` over them."""
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        for name, value in SCRATCH_PRAGMAS.items():
            connection.execute(f"PRAGMA {name} = {value}")
        connection.execute("BEGIN")
        for table, (columns, rows) in content.items():  # in the order given
            using = [s for s in searches if s.content == table]
            if not using:
                continue
            rowid, *others = columns
            definition = ", ".join([f"{quoted(rowid)} INTEGER PRIMARY KEY", *map(quoted, others)])
            connection.execute(f"CREATE TABLE {quoted(table)} ({definition})")
            insert_rows(connection, table, columns, rows())
            for search in using:
                name = quoted(search.name)
                connection.execute(search.sql)
                for key, value in configs[search.name]:
                    if key != "version":  # set by CREATE VIRTUAL TABLE; the rest through FTS5's own command
                        connection.execute(f"INSERT INTO {name}({name}, rank) VALUES (?, ?)", (key, value))
                connection.execute(f"INSERT INTO {name}({name}) VALUES ('rebuild')")
        connection.execute("COMMIT")
    finally:
        connection.close()
