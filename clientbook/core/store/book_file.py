"""A book's file: what opening checks before anything touches it, and what it says when something is wrong.

Peewee-free, so that both ways of opening a book share it: :func:`clientbook.core.db.open_database` (peewee,
migrations) and :func:`clientbook.core.store.plain.open_plain` (the reads `clientbook today` makes, through
`sqlite3` alone). The file is looked at before anything opens it: anything but a regular file, a file that is
not SQLite, a read-only file or folder are refused with one line each, and the file is left as it was.
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
from typing import Final
from urllib.parse import urlsplit

from clientbook.core import privacy

MIGRATIONS_DIR: Final = Path(__file__).parent.parent / "migrations"
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
class Prepared:
    created: bool
    """The book is new: absent, or an empty file."""
    made: tuple[Path, ...]
    """The folders (outermost first) and the book file that this open created, to remove if it fails."""


SHM_DEAD_MAN_SWITCH: Final = 128
"""Byte of a WAL book's `-shm` file that each open SQLite connection keeps a shared lock on."""


def is_url(target: str) -> bool:
    return "://" in target


def shown_location(target: str) -> str:
    """How the book at `target` is named to the user: a path as it is, a URL without its password."""
    return redact(target) if is_url(target) else target


def redact(url: str) -> str:
    """`url` as it may be shown: scheme, user, host, port and database, never a password (in the netloc or
    a `password=` parameter) nor any other parameter."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:  # a port that is not a number: show nothing of the netloc rather than guess
        return f"{url.split('://', 1)[0]}://…"
    user = f"{parts.username}@" if parts.username else ""
    if ":" in host:  # an IPv6 address goes back in its brackets
        host = f"[{host}]"
    return f"{parts.scheme}://{user}{host}{port}{parts.path}"


def side_files(path: Path) -> list[Path]:
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


def prepare_path(path: Path) -> Prepared:
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
        return Prepared(created=not header, made=())
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
        remove_made(path, folders)
        raise DatabaseProblem(f"cannot create {path}: {error.strerror or error}") from error
    return Prepared(created=True, made=(*folders, path))


def remove_made(path: Path, made: tuple[Path, ...]) -> None:
    """Undo a failed first open: remove the book it created, the book's side files, and the folders it
    made that are empty now. Nothing is removed while another program holds the book open."""
    if path in made:
        if shm_in_use(path):
            return
        for file in (path, *side_files(path)):
            file.unlink(missing_ok=True)
    for folder in reversed([p for p in made if p != path]):
        try:
            folder.rmdir()
        except OSError:  # something else is in it now
            return


def make_book_private(path: Path, private_folder: Path | None, *, tell: set[Path]) -> tuple[Path, ...]:
    """Take group and other permissions off the book, its side files, the copies taken before migrations
    (older clientbooks left them 0644) and clientbook's own folder; returns those changed, leaving out side
    files not in `tell`."""
    changed = [p for p in side_files(path) if privacy.make_private(p) and p in tell]
    if privacy.make_private(path):
        changed.insert(0, path)
    backups = sorted(path.parent.glob(f"{glob.escape(path.name)}.before-*.bak"))
    changed.extend(p for p in backups if p.is_file() and privacy.make_private(p))
    if private_folder is not None and path.resolve().parent == private_folder.resolve():
        changed.extend([private_folder] if privacy.make_private(private_folder) else [])
    return tuple(changed)


def backup_before(path: Path, before: str) -> Path:
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
    if any(type(e).__module__.startswith("psycopg2") for e in chain):
        from clientbook.core.store.postgres import explain as explain_postgres  # noqa: PLC0415 - team books

        return explain_postgres(error, shown_location(location))
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
    return shm_in_use(path)


def shm_in_use(path: Path) -> bool:
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


def up_to_date(connection: sqlite3.Connection, migrations_dir: Path = MIGRATIONS_DIR) -> bool:
    """Whether the book is ours, in WAL mode, and has every migration applied and none unknown: the way
    nearly every open finds it, told by three reads, without loading the migration runner (a fifth of a
    CLI command's start-up)."""
    (application_id,) = connection.execute("PRAGMA application_id").fetchone()
    (journal_mode,) = connection.execute("PRAGMA journal_mode").fetchone()
    if application_id != APPLICATION_ID or journal_mode != "wal":
        return False
    try:
        names = connection.execute(f"SELECT name FROM {MIGRATION_TABLE}").fetchall()
    except sqlite3.OperationalError:  # no such table: a new or foreign file, for the careful path
        return False
    # The files the runner would find (`[0-9]*.py`), and the names it records of them.
    files = {migration.stem for migration in migrations_dir.glob("[0-9]*.py")}
    return {name for (name,) in names} == files


def privacy_notice(made_private: tuple[Path, ...]) -> str | None:
    """The one line telling the user which files opening made private, or None when nothing changed."""
    if not made_private:
        return None
    names = ", ".join(str(p) for p in made_private)
    return f"other users could read {names}: now only you can"
