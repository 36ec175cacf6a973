"""Opening a client book: the deferred database, SQLite settings, schema migrations and what can go wrong.

The models bind to :data:`database`, a proxy that :func:`open_database` points at a real connection, so no
file is touched at import time. Opening checks the file *before* changing anything in it (the checks of the
file itself are in :mod:`clientbook.core.store.book_file`): anything but a regular file (a FIFO, a device),
a file that is not SQLite, a book written by a newer clientbook, or a SQLite file that is not a book
(another `application_id`, or no clientbook tables but a schema or `user_version` of its own) are refused
and left exactly as they were. Only then is the book made private (see :mod:`clientbook.core.privacy`),
switched to WAL and migrated, after a backup copy is taken of any existing book that needs migrating. A
first open that fails removes what it made: the book, its side files, and the folders it created.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Final

import peewee as pw

from clientbook.core.store.book_file import (
    APPLICATION_ID,
    DEFAULT_TIMEOUT,
    MIGRATION_TABLE,
    MIGRATIONS_DIR,
    SQLITE_PRAGMAS,
    DatabaseProblem,
    backup_before,
    explain,
    is_url,
    make_book_private,
    prepare_path,
    privacy_notice,
    remove_made,
    side_files,
    up_to_date,
)
from clientbook.core.store.plain import PlainSql, PostgresPlain

if TYPE_CHECKING:
    from playhouse.migrations import Runner

database: Final = pw.DatabaseProxy()


@dataclass(frozen=True)
class OpenedBook:
    """What :func:`open_database` opened: the connection and what the user should know about it."""

    db: pw.Database
    location: str
    created: bool
    migrated: tuple[str, ...]
    backup: Path | None
    made_private: tuple[Path, ...] = ()
    """The book, side files or folder that other users could read, and that no longer let them."""
    target: str = field(default="", repr=False)
    """What to give :func:`open_database` to open this book again: the path, or the URL with any password
    in it (so never shown; :attr:`location` is what may be)."""

    def privacy_notice(self) -> str | None:
        """The one line telling the user what :attr:`made_private` holds, or None when nothing changed."""
        return privacy_notice(self.made_private)

    def notices(self) -> tuple[str, ...]:
        """One line for each thing opening the book did that the user should know: it was made private, or
        its schema was brought up to date (and where the copy from before is kept)."""
        lines = [notice] if (notice := self.privacy_notice()) else []
        if self.migrated and self.backup is not None:
            lines.append(
                f"brought the book up to date for this clientbook ({', '.join(self.migrated)}); "
                f"a copy from before is at {self.backup}"
            )
        return tuple(lines)


class BookDatabase(pw.SqliteDatabase):
    """peewee's SQLite database, except that a ROLLBACK with no transaction open does nothing.

    When a COMMIT fails with SQLITE_FULL (or IOERR), SQLite has already rolled the transaction back, and
    peewee's `atomic()` then sends its own ROLLBACK, whose "cannot rollback - no transaction is active"
    replaced the real error: a full disk was reported as a puzzle. With nothing to roll back there is nothing
    to do, so the first error reaches the user.
    """

    cache_kib: int | None = None
    """Page cache of each connection opened from now on, in KiB (None: SQLite's default of 2 MiB). The app
    sets it lower with :func:`cap_connection_cache`: each of its worker threads keeps a connection of its
    own, and their caches were most of the memory the app grew by on a large book."""

    def _connect(self) -> sqlite3.Connection:
        connection: sqlite3.Connection = super()._connect()  # type: ignore[misc]  # untyped in the stubs
        if self.cache_kib is not None:
            connection.execute(f"PRAGMA cache_size = -{int(self.cache_kib)}")
        return connection

    def rollback(self) -> None:
        if not self.is_closed():
            connection: sqlite3.Connection = self.connection()  # type: ignore[no-untyped-call]
            if not connection.in_transaction:
                return
        super().rollback()


def cap_connection_cache(kib: int) -> None:
    """Give every connection to the open book opened from now on a page cache of `kib` KiB (the one open
    on this thread keeps its own). The operating system caches the file as well, so a smaller cache costs a
    read a few system calls, not a disk read."""
    db = database.obj
    if isinstance(db, BookDatabase):
        db.cache_kib = kib


def open_database(
    target: str | Path,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    migrations_dir: Path = MIGRATIONS_DIR,
    private_folder: Path | None = None,
) -> OpenedBook:
    """Open (creating if needed) the book at a SQLite path or a PostgreSQL URL, and bring its schema up to
    date.

    `private_folder` is clientbook's own data folder: when the book is in it, the folder is made private
    too (a folder chosen with `--db` may be shared on purpose, and is left alone). Raises
    :class:`DatabaseProblem` with a one-line explanation for every failure a user can cause: a folder that
    cannot be created, a file that is not SQLite, a newer or foreign schema, a lock held too long, a full
    disk.
    """
    text = str(target)
    if is_url(text):
        return _open_url(text, timeout=timeout, migrations_dir=migrations_dir)
    path = Path(text).expanduser()
    prepared = prepare_path(path)
    # Side files already there are named if made private. Those SQLite makes during the checks below copy
    # the book's mode of that moment and are made private with it: not worth a mention, nobody could use them.
    earlier = {p for p in side_files(path) if p.exists()}
    db = BookDatabase(
        str(path), timeout=timeout, pragmas=SQLITE_PRAGMAS, lock_type="IMMEDIATE", autoconnect=True
    )
    try:
        connection: sqlite3.Connection = db.connection()  # type: ignore[no-untyped-call]
        if not prepared.created and up_to_date(connection, migrations_dir):
            made_private = make_book_private(path, private_folder, tell=earlier)
            applied: tuple[str, ...] = ()
            backup = None
        else:
            made_private, applied, backup = _bring_up_to_date(
                db, path, migrations_dir, private_folder, created=prepared.created, earlier=earlier
            )
    except BaseException as error:
        db.close()
        remove_made(path, prepared.made)
        if isinstance(error, pw.PeeweeException | sqlite3.Error | OSError):
            raise DatabaseProblem(explain(error, str(path))) from error
        raise
    database.initialize(db)
    return OpenedBook(
        db=db,
        location=str(path),
        created=prepared.created,
        migrated=applied,
        backup=backup,
        made_private=made_private,
        target=str(path),
    )


def _open_url(url: str, *, timeout: float, migrations_dir: Path) -> OpenedBook:
    """A team book on a PostgreSQL server (see :mod:`clientbook.core.store.postgres`)."""
    from clientbook.core.store.postgres import is_postgres_url, open_postgres  # noqa: PLC0415 - team mode only

    if not is_postgres_url(url):
        scheme = url.split("://", 1)[0]
        raise DatabaseProblem(
            f"{scheme}:// is not a kind of book clientbook knows: give a SQLite file path "
            "or a postgresql:// URL"
        )
    opened = open_postgres(url, timeout=timeout, migrations_dir=migrations_dir)
    database.initialize(opened.db)
    return OpenedBook(
        db=opened.db,
        location=opened.location,
        created=opened.created,
        migrated=opened.migrated,
        backup=None,
        target=url,
    )


def plain() -> PlainSql:
    """The open book's connection on this thread, for the core's plain-SQL reads (see
    :mod:`clientbook.core.store.plain`): the same connection, so they see this thread's transaction."""
    if isinstance(database.obj, pw.PostgresqlDatabase):
        return PostgresPlain(database.connection())
    connection: sqlite3.Connection = database.connection()
    return PlainSql(connection)


def _bring_up_to_date(
    db: pw.SqliteDatabase,
    path: Path,
    migrations_dir: Path,
    private_folder: Path | None,
    *,
    created: bool,
    earlier: set[Path],
) -> tuple[tuple[Path, ...], tuple[str, ...], Path | None]:
    """Check the file is a clientbook book (and not a newer one's), make it private, copy it aside and run the
    migrations it lacks; returns the files made private, the migrations run and the copy."""
    from playhouse.migrations import Runner  # noqa: PLC0415 - only when the schema may change

    runner = Runner(db, directory=str(migrations_dir), table_name=MIGRATION_TABLE)
    _refuse_foreign_or_newer(db, runner, path)
    made_private = make_book_private(path, private_folder, tell=earlier)
    pending = [m for m in runner.status() if not m.applied]
    existing = not created and runner.applied()
    backup = backup_before(path, pending[0].name) if pending and existing else None
    # WAL is a property of the file (later connections get it too); set only once the file is known ours.
    db.pragma("journal_mode", "wal")
    applied = tuple(runner.up())
    if db.pragma("application_id") != APPLICATION_ID:  # new, or made before clientbook set one
        db.pragma("application_id", APPLICATION_ID)
    return made_private, applied, backup


def close_database() -> None:
    """Close this thread's connection to the current book, if one is open."""
    if database.obj is not None and not database.is_closed():
        database.close()


def _refuse_foreign_or_newer(db: pw.SqliteDatabase, runner: Runner, path: Path) -> None:
    """Refuse a SQLite file that is not a clientbook book, or is one from a newer clientbook.

    A file is foreign when it carries another program's `application_id`, or has no clientbook migration
    table but a schema or `user_version` of its own: an empty-looking file another program has claimed.
    """
    foreign = DatabaseProblem(f"{path} is a SQLite database, but not a clientbook book; left as it is")
    if db.pragma("application_id") not in (0, APPLICATION_ID):
        raise foreign
    if runner.table_name not in db.get_tables():
        cursor = db.execute_sql("SELECT count(*) FROM sqlite_master")  # type: ignore[no-untyped-call]
        if cursor.fetchone()[0] or db.pragma("user_version"):
            raise foreign
        return
    unknown = sorted(m.name for m in runner.status() if m.path is None)
    if unknown:
        raise DatabaseProblem(
            f"{path} was written by a newer clientbook (it has schema {unknown[-1]}); "
            "upgrade clientbook to open it. The file was left as it is."
        )
