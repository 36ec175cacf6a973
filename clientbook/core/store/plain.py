"""Plain SQL: statements written once, as text, and run on the driver's own connection without peewee.

Peewee builds each statement from query objects every time it runs (0.2-1 ms of Python for a join, against
a tenth of that for SQLite to answer), and importing it costs a command 60 ms. The reads behind
`clientbook today` and the care screen, and signing in, are a handful of fixed statements, so they are
written here as SQL and run through :class:`PlainSql`; the app hands them the very connection peewee holds
for the thread (:func:`clientbook.core.db.plain`), so they see its transactions.

:func:`open_plain` opens a book for them when it needs nothing done (it exists, is ours, is up to date): the
common case for a command, which then never loads peewee. Anything else (a new book, a migration, a foreign
or newer file) returns None, and the caller opens the book the careful way, which explains every refusal.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, ClassVar, Final

from clientbook.core.clients.search import fts_query, glob_prefix, like_anywhere
from clientbook.core.store.book_file import (
    DEFAULT_TIMEOUT,
    SQLITE_PRAGMAS,
    DatabaseProblem,
    explain,
    is_url,
    make_book_private,
    prepare_path,
    privacy_notice,
    side_files,
    up_to_date,
)

ID_LIST: Final = "(SELECT value FROM json_each(?))"
"""A list of ids bound as one parameter (:func:`id_list`): SQLite's spelling, for `IN`."""


def id_list(ids: Sequence[int]) -> str:
    """The one parameter :data:`ID_LIST` reads the ids from."""
    return json.dumps(list(ids))


class PlainSql:
    """A driver connection and the SQL dialect it speaks (SQLite's; `?` parameters).

    Parameters are bound as the tables store them: a day as its ISO text, a naive UTC time as
    `YYYY-MM-DD HH:MM:SS[.ffffff]` (what peewee writes), flags as 0 and 1.
    """

    CLIENT_SEARCH_TABLE: ClassVar[str | None] = "client_search"
    """The table of the client search index, when it is one of its own that a count can be joined from (the
    FTS5 table: counting its matches joined to their clients beats testing every client's id)."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def rows(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        cursor = self.connection.execute(sql, [_bound(value) for value in params])
        try:
            found: list[tuple[Any, ...]] = cursor.fetchall()
        finally:
            cursor.close()
        return found

    def value(self, sql: str, params: Sequence[object] = ()) -> Any:
        """The first column of the first row, or None when there is no row."""
        found = self.rows(sql, params)
        return found[0][0] if found else None

    def run(self, sql: str, params: Sequence[object] = ()) -> None:
        self.connection.execute(sql, [_bound(value) for value in params]).close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction (taken at once, as every write here is: see `lock_type` in :mod:`..db`);
        inside a transaction already open on the connection, part of that one."""
        if self.connection.in_transaction:
            yield
            return
        self.connection.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            if self.connection.in_transaction:  # SQLite may have rolled back already (a full disk)
                self.connection.execute("ROLLBACK")
            raise
        self.connection.execute("COMMIT")

    @staticmethod
    def unindexed(column: str) -> str:
        """`column` as an operand SQLite will not use an index for (see :func:`..sql.unindexed`)."""
        return f"+{column}"

    @staticmethod
    def among(column: str, ids: Sequence[int]) -> tuple[str, tuple[object, ...]]:
        """`column IN ids` and its parameters: the ids as one JSON parameter (see :func:`..sql.among`)."""
        return f"{column} IN {ID_LIST}", (id_list(ids),)

    # Search, the one place the two dialects differ most. Every term reaches the database as a bound
    # parameter, made literal in the dialect's own syntax, so what the user typed is only ever text.

    @staticmethod
    def client_matches(terms: Sequence[str]) -> tuple[str, tuple[object, ...]]:
        """A subquery of the ids of clients whose search text contains every term (each at least
        :data:`~clientbook.core.clients.search.TRIGRAM` long): the trigram index's matches."""
        return "(SELECT rowid FROM client_search WHERE client_search MATCH ?)", (fts_query(terms),)

    @staticmethod
    def client_match_source(terms: Sequence[str]) -> tuple[str, str, tuple[object, ...]]:
        """The clients matching `terms` as a FROM clause (the client table as `c`), its condition, and the
        condition's parameters: for a search with few matches, read from the index's own rows."""
        source = "client_search JOIN client AS c ON c.id = client_search.rowid"
        return source, "client_search MATCH ?", (fts_query(terms),)

    @classmethod
    def client_match_count(cls, terms: Sequence[str], most: int) -> tuple[str, tuple[object, ...]]:
        """A count of the clients matching `terms`, stopping at `most`."""
        matches, params = cls.client_matches(terms)
        return f"SELECT COUNT(*) FROM (SELECT 1 FROM client WHERE id IN {matches} LIMIT ?) AS found", (
            *params,
            most,
        )

    @staticmethod
    def starts_with(column: str, text: str) -> tuple[str, tuple[object, ...]]:
        """`column` begins with `text` (wildcards in it literal), answerable from an index on `column`."""
        return f"{column} GLOB ?", (glob_prefix(text),)

    @staticmethod
    def interaction_matches(words: Sequence[str]) -> tuple[str, tuple[object, ...]]:
        """A subquery of the ids of interactions whose summary or details hold a word starting with each
        of `words` (runs of letters and digits), diacritics ignored: the word index's matches."""
        query = " AND ".join(f'"{word}"*' for word in words)
        return "(SELECT rowid FROM interaction_search WHERE interaction_search MATCH ?)", (query,)

    def close(self) -> None:
        self.connection.close()


class PostgresPlain(PlainSql):
    """The same statements on a PostgreSQL book (team mode), through psycopg2's connection.

    The SQL is written once, in SQLite's spelling; the differences are made here: `?` marks become `%s`
    (and a literal `%` is doubled, as psycopg2 reads `%` as a mark), times and days are bound as themselves
    (the columns are typed), no index is ruled out by hand (PostgreSQL's planner weighs a partial index
    itself), and an id list is one array parameter.
    """

    CLIENT_SEARCH_TABLE: ClassVar[str | None] = None  # the trigram index is on the client table itself

    def __init__(self, connection: Any) -> None:  # psycopg2's connection; the driver ships no types
        self.pg = connection

    def rows(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        with self.pg.cursor() as cursor:
            cursor.execute(pyformat(sql), list(params))
            found: list[tuple[Any, ...]] = cursor.fetchall() if cursor.description else []
        return found

    def run(self, sql: str, params: Sequence[object] = ()) -> None:
        with self.pg.cursor() as cursor:
            cursor.execute(pyformat(sql), list(params))

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One transaction; part of the one already open on the connection, if any (peewee keeps psycopg2
        in autocommit and opens its transactions with BEGIN)."""
        import psycopg2.extensions  # noqa: PLC0415 - team books only

        if self.pg.get_transaction_status() != psycopg2.extensions.TRANSACTION_STATUS_IDLE:
            yield
            return
        self.run("BEGIN")
        try:
            yield
        except BaseException:
            self.run("ROLLBACK")
            raise
        self.run("COMMIT")

    @staticmethod
    def unindexed(column: str) -> str:
        return column

    @staticmethod
    def among(column: str, ids: Sequence[int]) -> tuple[str, tuple[object, ...]]:
        return f"{column} = ANY(?)", (list(ids),)

    # The client search text is folded already (lower case, no diacritics), so "contains" is a LIKE, which
    # the trigram index (pg_trgm) answers; words in the log go through the word index (to_tsvector).

    @staticmethod
    def client_matches(terms: Sequence[str]) -> tuple[str, tuple[object, ...]]:
        return "(SELECT id FROM client WHERE search_text LIKE ALL(?))", ([like_anywhere(t) for t in terms],)

    @staticmethod
    def client_match_source(terms: Sequence[str]) -> tuple[str, str, tuple[object, ...]]:
        return "client AS c", "c.search_text LIKE ALL(?)", ([like_anywhere(t) for t in terms],)

    @staticmethod
    def starts_with(column: str, text: str) -> tuple[str, tuple[object, ...]]:
        return f"starts_with({column}, ?)", (text,)

    @staticmethod
    def interaction_matches(words: Sequence[str]) -> tuple[str, tuple[object, ...]]:
        # A word with `_` is two to FTS5's tokenizer, and to this one: each part is a prefix of its own.
        parts = [part for word in words for part in word.split("_") if part]
        query = " & ".join(f"{part}:*" for part in parts)
        return (
            "(SELECT id FROM interaction WHERE to_tsvector('simple', clientbook_unaccent(summary || ' ' || "
            "details)) @@ to_tsquery('simple', clientbook_unaccent(?)))",
            (query,),
        )

    def close(self) -> None:
        self.pg.close()


def pyformat(sql: str) -> str:
    """`sql` with SQLite's `?` marks as psycopg2's `%s`, and its literal `%` doubled; a `?` or `%` inside a
    quoted string or name is text, and left as it is."""
    out: list[str] = []
    quote = ""
    for char in sql:
        if quote:
            if char == quote:
                quote = ""
            out.append("%%" if char == "%" else char)
        elif char in "'\"":
            quote = char
            out.append(char)
        elif char == "?":
            out.append("%s")
        elif char == "%":
            out.append("%%")
        else:
            out.append(char)
    return "".join(out)


def _bound(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return value


@dataclass(frozen=True)
class PlainBook:
    """A book :func:`open_plain` opened, and what the user should be told about opening it."""

    sql: PlainSql
    location: str
    made_private: tuple[Path, ...]

    def notices(self) -> tuple[str, ...]:
        notice = privacy_notice(self.made_private)
        return (notice,) if notice else ()

    def close(self) -> None:
        self.sql.close()


def open_plain(
    target: str | Path, *, timeout: float = DEFAULT_TIMEOUT, private_folder: Path | None = None
) -> PlainBook | None:
    """The book at `target`, opened for plain SQL, when it is ready as it is; None when opening it takes
    more (it is new, needs migrating, or may not be a book: :func:`clientbook.core.db.open_database` decides
    and explains). Raises :class:`DatabaseProblem` for a file that cannot be used, as that would.

    Like the careful way, it takes other users' permissions off the book (`private_folder` as there)."""
    text = str(target)
    if is_url(text):
        return None
    path = Path(text).expanduser()
    try:
        path.stat()
    except (FileNotFoundError, NotADirectoryError):
        return None  # to be created
    except OSError:
        return None  # the careful way says why
    if prepare_path(path).created:  # an empty file: a new book
        return None
    earlier = {p for p in side_files(path) if p.exists()}
    try:
        connection = sqlite3.connect(str(path), timeout=timeout, isolation_level=None)
    except sqlite3.Error as error:
        raise DatabaseProblem(explain(error, str(path))) from error
    try:
        for name, setting in SQLITE_PRAGMAS.items():
            connection.execute(f"PRAGMA {name} = {setting}")
        if not up_to_date(connection):
            connection.close()
            return None
        made_private = make_book_private(path, private_folder, tell=earlier)
    except (sqlite3.Error, OSError) as error:
        connection.close()
        raise DatabaseProblem(explain(error, str(path))) from error
    return PlainBook(PlainSql(connection), str(path), made_private)
