"""Opening a client book: the deferred database, SQLite settings, schema migrations and what can go wrong.

The models bind to :data:`database`, a proxy that :func:`open_database` points at a real connection, so no
file is touched at import time. Opening checks the file *before* changing anything in it: anything but a
regular file (a FIFO, a device), a file that is not SQLite, a book written by a newer clientbook, or a SQLite
file that is not a book (another `application_id`, or no clientbook tables but a schema or `user_version` of
its own) are refused and left exactly as they were. Only then is the book made private (see
:mod:`clientbook.core.privacy`), switched to WAL and migrated, after a backup copy is taken of any existing
book that needs migrating. A first open that fails removes what it made: the book, its side files, and the
folders it created.
"""

from __future__ import annotations

import errno
import glob
import os
import sqlite3
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

import peewee as pw

from clientbook.core import privacy

if TYPE_CHECKING:
    from playhouse.migrations import Runner

database: Final = pw.DatabaseProxy()

MIGRATIONS_DIR: Final = Path(__file__).parent / "migrations"
MIGRATION_TABLE: Final = "schema_migration"
"""Where the migration runner records the migrations applied (its default name)."""
SQLITE_HEADER: Final = b"SQLite format 3\x00"
# Checked on this kind of machine: with these two processes writing one file never saw "database is locked";
# without IMMEDIATE, read-then-write transactions did. foreign_keys is off in SQLite unless asked for.
SQLITE_PRAGMAS: Final = {"foreign_keys": 1, "synchronous": "full"}
DEFAULT_TIMEOUT: Final = 10.0
APPLICATION_ID: Final = 0x436C426B
"""`PRAGMA application_id` of a clientbook book ("ClBk"); books made before it was set have 0."""
SIDE_SUFFIXES: Final = ("-wal", "-shm", "-journal")


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
    made_private: tuple[Path, ...] = ()
    """The book, side files or folder that other users could read, and that no longer let them."""

    def privacy_notice(self) -> str | None:
        """The one line telling the user what :attr:`made_private` holds, or None when nothing changed."""
        if not self.made_private:
            return None
        names = ", ".join(str(p) for p in self.made_private)
        return f"other users could read {names}: now only you can"

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


@dataclass(frozen=True)
class _Prepared:
    created: bool
    """The book is new: absent, or an empty file."""
    made: tuple[Path, ...]
    """The folders (outermost first) and the book file that this open created, to remove if it fails."""


SHM_DEAD_MAN_SWITCH: Final = 128
"""Byte of a WAL book's `-shm` file that each open SQLite connection keeps a shared lock on."""


def cap_connection_cache(kib: int) -> None:
    """Give every connection to the open book opened from now on a page cache of `kib` KiB (the one open
    on this thread keeps its own). The operating system caches the file as well, so a smaller cache costs a
    read a few system calls, not a disk read."""
    db = database.obj
    if isinstance(db, BookDatabase):
        db.cache_kib = kib


def is_url(target: str) -> bool:
    return "://" in target


def open_database(
    target: str | Path,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    migrations_dir: Path = MIGRATIONS_DIR,
    private_folder: Path | None = None,
) -> OpenedBook:
    """Open (creating if needed) the book at a SQLite path, and bring its schema up to date.

    `private_folder` is clientbook's own data folder: when the book is in it, the folder is made private
    too (a folder chosen with `--db` may be shared on purpose, and is left alone). Raises
    :class:`DatabaseProblem` with a one-line explanation for every failure a user can cause: a folder that
    cannot be created, a file that is not SQLite, a newer or foreign schema, a lock held too long, a full
    disk.
    """
    text = str(target)
    if is_url(text):
        scheme = text.split("://", 1)[0]
        raise DatabaseProblem(
            f"{scheme}:// books are not supported by this version of clientbook: give a SQLite file path"
        )
    path = Path(text).expanduser()
    prepared = _prepare_path(path)
    # Side files already there are named if made private. Those SQLite makes during the checks below copy
    # the book's mode of that moment and are made private with it: not worth a mention, nobody could use them.
    earlier = {p for p in _side_files(path) if p.exists()}
    db = BookDatabase(
        str(path), timeout=timeout, pragmas=SQLITE_PRAGMAS, lock_type="IMMEDIATE", autoconnect=True
    )
    try:
        if not prepared.created and _up_to_date(db, migrations_dir):
            made_private = _make_private(path, private_folder, tell=earlier)
            applied: tuple[str, ...] = ()
            backup = None
        else:
            made_private, applied, backup = _bring_up_to_date(
                db, path, migrations_dir, private_folder, created=prepared.created, earlier=earlier
            )
    except BaseException as error:
        db.close()
        _remove_made(path, prepared.made)
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
    )


def _up_to_date(db: pw.SqliteDatabase, migrations_dir: Path) -> bool:
    """Whether the book is ours, in WAL mode, and has every migration applied and none unknown: the way
    nearly every open finds it, told by three reads, without loading the migration runner (a fifth of a
    CLI command's start-up)."""
    if db.pragma("application_id") != APPLICATION_ID or db.pragma("journal_mode") != "wal":
        return False
    try:
        cursor = db.execute_sql(f"SELECT name FROM {MIGRATION_TABLE}")  # type: ignore[no-untyped-call]
    except pw.OperationalError:  # no such table: a new or foreign file, for the careful path
        return False
    # The files the runner would find (`[0-9]*.py`), and the names it records of them.
    files = {migration.stem for migration in migrations_dir.glob("[0-9]*.py")}
    return {name for (name,) in cursor.fetchall()} == files


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
    made_private = _make_private(path, private_folder, tell=earlier)
    pending = [m for m in runner.status() if not m.applied]
    existing = not created and runner.applied()
    backup = _backup(path, pending[0].name) if pending and existing else None
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


def _side_files(path: Path) -> list[Path]:
    """The files SQLite keeps beside the book (beside the file a link points to, since SQLite follows it)."""
    real = path.resolve()
    return [real.with_name(real.name + suffix) for suffix in SIDE_SUFFIXES]


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def _prepare_path(path: Path) -> _Prepared:
    """Check the file and make its folder and the (empty, 0600) book. Never writes to an existing file.

    The file is looked at with `stat` before anything opens it: opening a FIFO to read its header would wait
    forever for a writer, and SQLite would put a `-journal` beside a device.
    """
    try:
        info: os.stat_result | None = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        info = None
    except OSError as error:
        raise DatabaseProblem(f"cannot use {path}: {error.strerror}") from error
    if info is not None:
        if stat.S_ISDIR(info.st_mode):
            raise DatabaseProblem(f"{path} is a folder, not a clientbook file")
        if not stat.S_ISREG(info.st_mode):
            raise DatabaseProblem(
                f"{path} is not a regular file (it is {_kind(info.st_mode)}): "
                "give the path of a clientbook book"
            )
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
        folder = path.resolve().parent
        if not os.access(folder, os.W_OK | os.X_OK):
            raise DatabaseProblem(
                f"cannot use {path}: its folder {folder} is read-only, and clientbook needs to make "
                f"{path.resolve().name}-wal and {path.resolve().name}-shm beside the book"
            )
        return _Prepared(created=not header, made=())
    blocker = next((p for p in path.parents if p.exists() and not p.is_dir()), None)
    if blocker is not None:
        raise DatabaseProblem(f"cannot create {path}: {blocker} is a file, not a folder")
    try:
        folders = privacy.make_folders(path.parent)
    except OSError as error:
        reason = error.strerror or str(error)
        raise DatabaseProblem(f"cannot create the folder for {path}: {reason}") from error
    if not os.access(path.parent, os.W_OK):
        raise DatabaseProblem(f"cannot create {path}: the folder {path.parent} is not writable")
    try:
        privacy.create_file(path)
    except OSError as error:
        _remove_made(path, folders)
        raise DatabaseProblem(f"cannot create {path}: {error.strerror or error}") from error
    return _Prepared(created=True, made=(*folders, path))


def _remove_made(path: Path, made: tuple[Path, ...]) -> None:
    """Undo a failed first open: remove the book it created, the book's side files, and the folders it
    made that are empty now. Nothing is removed while another program holds the book open."""
    if path in made:
        if _shm_in_use(path):
            return
        for file in (path, *_side_files(path)):
            file.unlink(missing_ok=True)
    for folder in reversed([p for p in made if p != path]):
        try:
            folder.rmdir()
        except OSError:  # something else is in it now
            return


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


def _make_private(path: Path, private_folder: Path | None, *, tell: set[Path]) -> tuple[Path, ...]:
    """Take group and other permissions off the book, its side files, the copies taken before migrations
    (older clientbooks left them 0644) and clientbook's own folder; returns those changed, leaving out side
    files not in `tell`."""
    changed = [p for p in _side_files(path) if privacy.make_private(p) and p in tell]
    if privacy.make_private(path):
        changed.insert(0, path)
    backups = sorted(path.parent.glob(f"{glob.escape(path.name)}.before-*.bak"))
    changed.extend(p for p in backups if p.is_file() and privacy.make_private(p))
    if private_folder is not None and path.resolve().parent == private_folder.resolve():
        changed.extend([private_folder] if privacy.make_private(private_folder) else [])
    return tuple(changed)


def _backup(path: Path, before: str) -> Path:
    """Copy the book (consistently, WAL included) before migration `before` changes it."""
    target = path.with_name(f"{path.name}.before-{before}.bak")
    if target.exists():  # left by an earlier attempt that failed: overwritten below, and ours to make private
        privacy.make_private(target)
    else:
        privacy.create_file(target)
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


def _chain(error: BaseException) -> Iterator[BaseException]:
    """`error` and every exception it was raised from or while handling, most recent first."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _is_disk_full(error: BaseException) -> bool:
    if isinstance(error, OSError) and error.errno == errno.ENOSPC:
        return True
    return getattr(error, "sqlite_errorname", "").startswith("SQLITE_FULL")


def explain(error: BaseException, location: str) -> str:
    """One line saying what went wrong with the book at `location`, for the CLI and the TUI alike."""
    chain = list(_chain(error))
    if any(_is_disk_full(e) for e in chain):  # wherever it is: what came after it is a consequence
        return f"cannot write {location}: the disk is full; free some space and try again"
    # peewee re-raises the driver's exception as its own; the original (with SQLite's error name) is chained.
    cause = next((e for e in chain if isinstance(e, sqlite3.Error)), error)
    code = getattr(cause, "sqlite_errorcode", None)
    name = getattr(cause, "sqlite_errorname", "")
    text = str(cause)
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or name.startswith("SQLITE_BUSY"):
        return f"{location} is locked by another program and stayed locked; try again when it is done"
    if name.startswith(("SQLITE_NOTADB", "SQLITE_CORRUPT")):
        return f"{location} is damaged or not a clientbook database ({text}); left as it is"
    if name == "SQLITE_READONLY_DIRECTORY":
        return f"cannot use {location}: its folder is read-only, and clientbook needs to make files beside it"
    if name.startswith("SQLITE_READONLY"):
        return f"{location} is read-only: clientbook needs to write to it"
    if name.startswith(("SQLITE_CANTOPEN", "SQLITE_IOERR", "SQLITE_PERM")):
        return f"cannot use {location}: {text}"
    if isinstance(cause, OSError):
        return f"cannot use {location}: {cause.strerror or cause}"
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
    return _shm_in_use(path)


def _shm_in_use(path: Path) -> bool:
    """Whether another process holds the book's `-shm` dead-man-switch byte (see :func:`in_use`)."""
    shm = path.with_name(path.name + "-shm")
    if os.name != "posix" or not shm.exists():
        return False
    import fcntl  # noqa: PLC0415 - POSIX only

    try:
        descriptor = os.open(shm, os.O_RDWR)
    except OSError:
        return False
    try:
        fcntl.lockf(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, SHM_DEAD_MAN_SWITCH)
    except OSError:
        return True
    finally:
        os.close(descriptor)
    return False
