"""Opening a client book: the deferred database, SQLite settings, schema migrations and what can go wrong.

The models bind to :data:`database`, a proxy that :func:`open_database` points at a real connection, so no
file is touched at import time. Opening checks the file *before* changing anything in it: a file that is not
SQLite, a book written by a newer clientbook, or a SQLite file that is not a book are refused and left
exactly as they were. Only then is the file switched to WAL and migrated, after a backup copy is taken of
any existing book that needs migrating.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import peewee as pw
from playhouse.migrations import Runner

database: Final = pw.DatabaseProxy()

MIGRATIONS_DIR: Final = Path(__file__).parent / "migrations"
SQLITE_HEADER: Final = b"SQLite format 3\x00"
# Checked on this kind of machine: with these two processes writing one file never saw "database is locked";
# without IMMEDIATE, read-then-write transactions did. foreign_keys is off in SQLite unless asked for.
SQLITE_PRAGMAS: Final = {"foreign_keys": 1, "synchronous": "full"}
DEFAULT_TIMEOUT: Final = 10.0


class DatabaseProblem(Exception):
    """A book that cannot be opened or written; the message is one line meant for the user."""


@dataclass(frozen=True)
class OpenedBook:
    """What :func:`open_database` opened: the connection and what the user should know about it."""

    db: pw.Database
    location: str
    created: bool
    migrated: tuple[str, ...]
    backup: Path | None


SHM_DEAD_MAN_SWITCH: Final = 128
"""Byte of a WAL book's `-shm` file that each open SQLite connection keeps a shared lock on."""


def is_url(target: str) -> bool:
    return "://" in target


def open_database(
    target: str | Path,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    migrations_dir: Path = MIGRATIONS_DIR,
) -> OpenedBook:
    """Open (creating if needed) the book at a SQLite path, and bring its schema up to date.

    Raises :class:`DatabaseProblem` with a one-line explanation for every failure a user can cause: a folder
    that cannot be created, a file that is not SQLite, a newer or foreign schema, a lock held too long.
    """
    text = str(target)
    if is_url(text):
        scheme = text.split("://", 1)[0]
        raise DatabaseProblem(
            f"{scheme}:// books are not supported by this version of clientbook: give a SQLite file path"
        )
    path = Path(text).expanduser()
    created = _prepare_path(path)
    db = pw.SqliteDatabase(
        str(path), timeout=timeout, pragmas=SQLITE_PRAGMAS, lock_type="IMMEDIATE", autoconnect=True
    )
    try:
        runner = Runner(db, directory=str(migrations_dir))
        _refuse_foreign_or_newer(db, runner, path)
        pending = [m for m in runner.status() if not m.applied]
        backup = _backup(path, pending[0].name) if pending and not created and runner.applied() else None
        # WAL is a property of the file (later connections get it too); set only once the file is known ours.
        db.pragma("journal_mode", "wal")
        applied = tuple(runner.up())
    except pw.PeeweeException as error:
        db.close()
        raise DatabaseProblem(explain(error, str(path))) from error
    except sqlite3.Error as error:
        db.close()
        raise DatabaseProblem(explain(error, str(path))) from error
    database.initialize(db)
    return OpenedBook(db=db, location=str(path), created=created, migrated=applied, backup=backup)


def close_database() -> None:
    """Close this thread's connection to the current book, if one is open."""
    if database.obj is not None and not database.is_closed():
        database.close()


def _prepare_path(path: Path) -> bool:
    """Check the file and make its folder; True when the book is new. Never writes to an existing file."""
    if path.is_dir():
        raise DatabaseProblem(f"{path} is a folder, not a clientbook file")
    if path.exists():
        try:
            with path.open("rb") as handle:
                header = handle.read(len(SQLITE_HEADER))
        except OSError as error:
            raise DatabaseProblem(f"cannot read {path}: {error.strerror}") from error
        if header and header != SQLITE_HEADER:
            raise DatabaseProblem(
                f"{path} is not a clientbook database (it is not a SQLite file); left as it is"
            )
        if not os.access(path, os.W_OK):
            raise DatabaseProblem(f"{path} is read-only: clientbook needs to write to it")
        return not header
    blocker = next((p for p in path.parents if p.exists() and not p.is_dir()), None)
    if blocker is not None:
        raise DatabaseProblem(f"cannot create {path}: {blocker} is a file, not a folder")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        reason = error.strerror or str(error)
        raise DatabaseProblem(f"cannot create the folder for {path}: {reason}") from error
    if not os.access(path.parent, os.W_OK):
        raise DatabaseProblem(f"cannot create {path}: the folder {path.parent} is not writable")
    return True


def _refuse_foreign_or_newer(db: pw.Database, runner: Runner, path: Path) -> None:
    tables = set(db.get_tables())
    if runner.table_name not in tables:
        if tables:
            raise DatabaseProblem(f"{path} is a SQLite database, but not a clientbook book; left as it is")
        return
    unknown = sorted(m.name for m in runner.status() if m.path is None)
    if unknown:
        raise DatabaseProblem(
            f"{path} was written by a newer clientbook (it has schema {unknown[-1]}); "
            "upgrade clientbook to open it. The file was left as it is."
        )


def _backup(path: Path, before: str) -> Path:
    """Copy the book (consistently, WAL included) before migration `before` changes it."""
    target = path.with_name(f"{path.name}.before-{before}.bak")
    source = sqlite3.connect(path)
    try:
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            copy.close()
    finally:
        source.close()
    return target


def explain(error: BaseException, location: str) -> str:
    """One line saying what went wrong with the book at `location`, for the CLI and the TUI alike."""
    # peewee re-raises the driver's exception as its own; the original (with SQLite's error name) is chained.
    cause: BaseException = error
    while not isinstance(cause, sqlite3.Error) and (cause.__cause__ or cause.__context__) is not None:
        cause = cause.__cause__ or cause.__context__  # type: ignore[assignment]
    code = getattr(cause, "sqlite_errorcode", None)
    name = getattr(cause, "sqlite_errorname", "")
    text = str(cause)
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or name.startswith("SQLITE_BUSY"):
        return f"{location} is locked by another program and stayed locked; try again when it is done"
    if name.startswith(("SQLITE_NOTADB", "SQLITE_CORRUPT")):
        return f"{location} is damaged or not a clientbook database ({text}); left as it is"
    if name.startswith("SQLITE_READONLY"):
        return f"{location} is read-only: clientbook needs to write to it"
    if name.startswith(("SQLITE_CANTOPEN", "SQLITE_IOERR", "SQLITE_FULL", "SQLITE_PERM")):
        return f"cannot use {location}: {text}"
    return f"database problem with {location}: {text}"


def in_use(path: Path, *, timeout: float = 0.2) -> bool:
    """Whether another program (another clientbook) has the SQLite file at `path` open, even idly.

    A writer is found by trying `BEGIN EXCLUSIVE`; in WAL mode an idle reader takes no lock on the file, but
    every open connection holds a shared lock on the `-shm` file's dead-man-switch byte, so that is tried
    too. Only call it for a file this process does not have open itself (POSIX locks are per process).
    """
    try:
        connection = sqlite3.connect(str(path), timeout=timeout, isolation_level=None)
        try:
            connection.execute("BEGIN EXCLUSIVE")
            connection.execute("ROLLBACK")
        finally:
            connection.close()
    except sqlite3.OperationalError:
        return True
    shm = path.with_name(path.name + "-shm")
    if os.name != "posix" or not shm.exists():
        return False
    import fcntl  # noqa: PLC0415 - POSIX only

    descriptor = os.open(shm, os.O_RDWR)
    try:
        fcntl.lockf(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, SHM_DEAD_MAN_SWITCH)
    except OSError:
        return True
    finally:
        os.close(descriptor)
    return False
