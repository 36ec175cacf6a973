"""Writing millions of rows into a brand-new book fast, leaving it as a normal open would.

SQLite keeps every index, trigger and full-text index up to date on each insert; for a million interactions
that is most of the time, and sorting once afterwards is several times cheaper than keeping a dozen B-trees
in order row by row. So :class:`DeferredIndexes` drops the `CREATE INDEX` and `CREATE TRIGGER` statements of
the tables it is given, exactly as `sqlite_master` holds them (an index or trigger a later migration adds is
included, with no list here to keep up to date), and runs the same statements again once the rows are in;
the FTS5 tables whose external content those tables are get rebuilt (here, or on the side by
:mod:`.search`). Only an index whose keys arrive in order stays: appending to it costs less than sorting.

:func:`relaxed` turns durability and per-row checks off for the fill (a new demo book that fails half-made is
simply made again) and puts every setting back afterwards; :func:`insert_rows` sends many rows per statement,
since SQLite's per-statement cost, not the data, dominates an insert of short rows.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain, islice
from typing import Any, Final

RELAXED: Final = {
    # An in-memory rollback journal: a new book has almost no pages to journal, and the transaction can still
    # roll back. (In WAL mode every page would be written twice, to the log and again at the checkpoint.)
    "journal_mode": "memory",
    "synchronous": "off",
    # The generator makes every reference itself, and every value of a kind the rules accept: checking six
    # foreign keys per interaction would cost more than writing it. A test runs `PRAGMA foreign_key_check`.
    "foreign_keys": "off",
    # Likewise the CHECK constraints (a third of an insert's time): `PRAGMA integrity_check` still checks
    # them, and a test runs it on a demo book.
    "ignore_check_constraints": "on",
    # SQLite sorts a new index in runs the size of the page cache: runs of a few megabytes, sorted in the
    # processor's cache and merged from temporary files, measured faster than one sort of a million keys in
    # memory (so temp_store stays a file too). Helper threads for the sorter measured slower: the other
    # core is busy building the full-text indexes (see .search).
    "cache_size": str(-4 * 1024),
    # This SQLite may be built to zero every freed page; a new book frees only scratch pages (the plan,
    # sort runs), with nothing in them a user deleted.
    "secure_delete": "off",
}
"""The settings of the connection while it fills a new book; each is put back as it was."""
ROWS_PER_STATEMENT: Final = 64
"""Rows sent in one `INSERT ... VALUES (...), (...)`: enough to spread the cost of running a statement."""
_FTS5_OPTION: Final = r"\b{}\s*=\s*['\"]?(\w+)"


@contextmanager
def relaxed(connection: sqlite3.Connection) -> Iterator[None]:
    """Run the block with :data:`RELAXED` settings (outside any transaction), then restore the old ones."""
    saved = {name: connection.execute(f"PRAGMA {name}").fetchone()[0] for name in RELAXED}
    changed = []
    for name, value in RELAXED.items():
        try:
            connection.execute(f"PRAGMA {name} = {value}")
        except sqlite3.OperationalError:
            # Leaving WAL needs the book to itself; while another connection has it open (a reader in a
            # test, a benchmark), the fill writes through the WAL instead: slower, just as correct.
            if name != "journal_mode":
                raise
            continue
        changed.append(name)
    try:
        yield
    finally:
        for name in reversed(changed):
            connection.execute(f"PRAGMA {name} = {saved[name]}")


@dataclass(frozen=True)
class FullText:
    """An FTS5 table with external content, as `sqlite_master` declares it."""

    name: str
    sql: str
    content: str
    """The table whose rows it indexes."""
    rowid: str
    """The content table's column that is the FTS rowid."""
    columns: tuple[str, ...]
    """The columns of the content table it indexes, in order."""


@dataclass(frozen=True)
class DeferredIndexes:
    """The indexes and triggers of some tables, dropped until they are made again."""

    connection: sqlite3.Connection
    saved: tuple[tuple[str, str, str], ...]
    """(type, name, sql) of each index and trigger dropped, in the order they were made."""
    searches: tuple[FullText, ...]
    """The full-text tables indexing those tables."""

    @classmethod
    def drop(
        cls,
        connection: sqlite3.Connection,
        tables: Sequence[str],
        *,
        in_order: Mapping[str, Iterable[str]] | None = None,
    ) -> DeferredIndexes:
        """Save and drop the indexes and triggers of `tables`; run inside the transaction that fills them.

        `in_order` names, by table, the columns whose values never decrease in the order the rows will be
        written (the rowid, a time that follows it, a value every row shares). An index on only those
        columns is kept: its keys arrive in order, and SQLite appends them for almost nothing within one
        `INSERT ... SELECT`, where sorting them afterwards costs as much as any other index.
        """
        ordered = {table: set(columns) for table, columns in (in_order or {}).items()}
        wanted = ", ".join("?" for _ in tables)
        saved = []
        for kind, name, table, sql in connection.execute(
            f"SELECT type, name, tbl_name, sql FROM main.sqlite_master WHERE type IN ('index', 'trigger') "
            f"AND tbl_name IN ({wanted}) AND sql IS NOT NULL ORDER BY rowid",
            tuple(tables),
        ).fetchall():
            if kind == "index" and set(_columns_of(connection, name)) <= ordered.get(table, set()):
                continue
            saved.append((kind, name, sql))
            connection.execute(f"DROP {kind.upper()} {quoted(name)}")
        return cls(connection, tuple(saved), tuple(full_text_tables(connection, tables)))

    def build_indexes(self) -> None:
        """Run the saved `CREATE INDEX` statements again."""
        for kind, _, sql in self.saved:
            if kind == "index":
                self.connection.execute(sql)

    def rebuild_searches(self, *, except_for: Iterable[str] = ()) -> None:
        """Rebuild the full-text tables from their content, but those named (built on the side)."""
        skip = set(except_for)
        for search in self.searches:
            if search.name not in skip:
                name = quoted(search.name)
                self.connection.execute(f"INSERT INTO {name}({name}) VALUES ('rebuild')")

    def make_triggers(self) -> None:
        """Run the saved `CREATE TRIGGER` statements again: last, so none fires on the bulk rows."""
        for kind, _, sql in self.saved:
            if kind == "trigger":
                self.connection.execute(sql)


def _columns_of(connection: sqlite3.Connection, index: str) -> list[str | None]:
    """The columns of an index (None for an expression, which is never taken to be in order)."""
    return [row[2] for row in connection.execute(f"PRAGMA main.index_info({quoted(index)})")]


def full_text_tables(connection: sqlite3.Connection, tables: Sequence[str]) -> list[FullText]:
    """The FTS5 tables whose external content is one of `tables`."""
    found = []
    for name, sql in connection.execute(
        "SELECT name, sql FROM main.sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'"
    ).fetchall():
        content = re.search(_FTS5_OPTION.format("content"), sql, re.IGNORECASE)
        if not re.search(r"\bUSING\s+fts5\b", sql, re.IGNORECASE) or not content or content[1] not in tables:
            continue
        rowid = re.search(_FTS5_OPTION.format("content_rowid"), sql, re.IGNORECASE)
        columns = tuple(row[1] for row in connection.execute(f"PRAGMA main.table_info({quoted(name)})"))
        found.append(FullText(name, sql, content[1], rowid[1] if rowid else "rowid", columns))
    return found


def insert_rows(
    connection: sqlite3.Connection,
    table: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    constants: Mapping[str, Any] | None = None,
) -> None:
    """Insert `rows` (values in `columns` order), :data:`ROWS_PER_STATEMENT` to a statement.

    `constants` are columns with the same value in every row, written into the statement once instead of
    being bound for each row.
    """
    fixed = dict(constants or {})
    names = ", ".join(quoted(c) for c in (*columns, *fixed))
    one = "(" + ", ".join(["?"] * len(columns) + [literal(v) for v in fixed.values()]) + ")"

    def statement(count: int) -> str:
        return f"INSERT INTO {quoted(table)} ({names}) VALUES " + ", ".join([one] * count)

    left: list[Sequence[Any]] = []

    def full_statements() -> Iterator[tuple[Any, ...]]:
        source = iter(rows)
        while chunk := list(islice(source, ROWS_PER_STATEMENT)):
            if len(chunk) < ROWS_PER_STATEMENT:
                left.extend(chunk)
                return
            yield tuple(chain.from_iterable(chunk))

    connection.executemany(statement(ROWS_PER_STATEMENT), full_statements())
    if left:
        connection.execute(statement(len(left)), tuple(chain.from_iterable(left)))


def quoted(name: str) -> str:
    """An SQL identifier, double-quoted."""
    return '"' + name.replace('"', '""') + '"'


def literal(value: Any) -> str:
    """A constant as SQL text (only the generator's own values: NULL, numbers and text)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise TypeError(f"no SQL literal for {type(value).__name__}")
