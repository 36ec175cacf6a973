"""A book on a PostgreSQL server (team mode): connecting by URL, what a failure says, and the one migrator.

A book URL is a libpq one (`postgresql://user[:password]@host[:port]/dbname[?sslmode=require...]`); libpq
also reads `PGPASSWORD` and `~/.pgpass`, so the password need not be in the URL at all. It is never shown:
every line that names the book uses :func:`redact`, and a connection failure is explained by kind (server
down, unknown host, wrong password or role, no such database, TLS required) in a sentence of ours, never the
driver's text, which can echo the connection string.

Migrations run on connect, as on SQLite, one process at a time: the first to connect takes a session-level
advisory lock and migrates, the others wait on the lock and then find nothing left to do. A database with
tables of its own but no clientbook history is refused, as is one migrated by a newer clientbook.

Imported only for a URL: the driver (psycopg2, the `postgres` extra) is not needed for SQLite books.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import peewee as pw

from clientbook.core.store.book_file import APPLICATION_ID, MIGRATION_TABLE, DatabaseProblem, redact

if TYPE_CHECKING:
    from playhouse.migrations import Runner

SCHEMES: Final = ("postgresql", "postgres")
MIGRATION_LOCK: Final = APPLICATION_ID
"""The advisory lock key that one migrating process holds (any 64-bit number; this one spells "ClBk")."""
DRIVER_MISSING: Final = (
    "PostgreSQL books need the driver: install clientbook with the postgres extra "
    "(pip install 'clientbook[postgres]')"
)


def is_postgres_url(target: str) -> bool:
    return target.split("://", 1)[0].lower() in SCHEMES and "://" in target


@dataclass(frozen=True)
class PostgresOpened:
    db: pw.PostgresqlDatabase
    location: str
    """The redacted URL."""
    created: bool
    """The database held no clientbook tables before."""
    migrated: tuple[str, ...]


def connect(url: str, *, timeout: float) -> pw.PostgresqlDatabase:
    """A peewee database for `url`, connected on this thread; :class:`DatabaseProblem` when it cannot be."""
    location = redact(url)
    try:
        from psycopg2.extensions import parse_dsn  # noqa: PLC0415 - only for team books
    except ImportError as error:
        raise DatabaseProblem(DRIVER_MISSING) from error
    try:
        params: dict[str, str] = parse_dsn(url)
    except Exception as error:  # psycopg2.ProgrammingError, with the URL in its text
        raise DatabaseProblem(f"{location} is not a PostgreSQL URL libpq can read") from error
    name = params.pop("dbname", None) or params.get("user") or ""
    params.setdefault("connect_timeout", str(max(1, round(timeout))))
    params.setdefault("application_name", "clientbook")
    options: dict[str, Any] = dict(params)
    db = pw.PostgresqlDatabase(name, autoconnect=True, **options)
    try:
        db.connect()
    except pw.PeeweeException as error:
        raise DatabaseProblem(explain(error, location)) from error
    return db


def explain(error: BaseException, location: str) -> str:
    """One line for a PostgreSQL failure, in our words: the driver's text may quote the connection string."""
    text = str(getattr(error, "__cause__", None) or error)
    if "password authentication failed" in text or "no password supplied" in text:
        return f"{location}: the server refused the password (check the URL, PGPASSWORD or ~/.pgpass)"
    if "role" in text and "does not exist" in text:
        return f"{location}: the server has no such user (role)"
    if "database" in text and "does not exist" in text:
        return f"{location}: the server has no such database; create it first (createdb)"
    if "SSL" in text or "TLS" in text or "no encryption" in text:
        return (
            f"{location}: the server and the URL disagree on TLS "
            "(add ?sslmode=require to the URL, or ask for the server's TLS settings)"
        )
    if "could not translate host name" in text:
        return f"{location}: no such host"
    if "Connection refused" in text or "timeout expired" in text or "could not connect" in text:
        return f"{location}: the PostgreSQL server is not answering; is it running, and is the address right?"
    if "permission denied" in text:
        return f"{location}: this user may not do that here (permission denied)"
    if "server closed the connection" in text or "terminating connection" in text:
        return f"{location}: the connection to the server was lost; try again"
    return f"database problem with {location}"


def open_postgres(url: str, *, timeout: float, migrations_dir: Path) -> PostgresOpened:
    """Connect to the book at `url` and bring its schema up to date, one migrating process at a time."""
    db = connect(url, timeout=timeout)
    location = redact(url)
    try:
        with _migration_lock(db):
            created, applied = _bring_up_to_date(db, location, migrations_dir)
    except BaseException as error:
        db.close()
        if isinstance(error, pw.PeeweeException):
            raise DatabaseProblem(explain(error, location)) from error
        raise
    return PostgresOpened(db=db, location=location, created=created, migrated=applied)


@contextmanager
def _migration_lock(db: pw.PostgresqlDatabase) -> Iterator[None]:
    db.execute_sql("SELECT pg_advisory_lock(%s)", (MIGRATION_LOCK,))  # type: ignore[no-untyped-call]
    try:
        yield
    finally:
        if not db.is_closed():
            db.execute_sql("SELECT pg_advisory_unlock(%s)", (MIGRATION_LOCK,))  # type: ignore[no-untyped-call]


def _bring_up_to_date(
    db: pw.PostgresqlDatabase, location: str, migrations_dir: Path
) -> tuple[bool, tuple[str, ...]]:
    from playhouse.migrations import Runner  # noqa: PLC0415 - only when the schema may change

    runner = Runner(db, directory=str(migrations_dir), table_name=MIGRATION_TABLE)
    _refuse_foreign_or_newer(db, runner, location)
    status = runner.status()
    # New: nothing applied yet (an earlier first open may have failed after making the history table).
    created = not any(m.applied for m in status)
    if all(m.applied for m in status):
        return created, ()
    return created, tuple(runner.up())


def _refuse_foreign_or_newer(db: pw.PostgresqlDatabase, runner: Runner, location: str) -> None:
    """Refuse a database whose schema is someone else's, or a newer clientbook's."""
    tables = db.get_tables()
    if runner.table_name not in tables:
        if tables:
            raise DatabaseProblem(
                f"{location} already holds tables that are not a clientbook book; "
                "give clientbook a database of its own (left as it is)"
            )
        return
    unknown = sorted(m.name for m in runner.status() if m.path is None)
    if unknown:
        raise DatabaseProblem(
            f"{location} was set up by a newer clientbook (it has schema {unknown[-1]}); "
            "upgrade clientbook to use it. Nothing was changed."
        )
