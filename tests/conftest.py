"""Fixtures shared by every tier: a frozen clock, an isolated environment and real SQLite books on disk."""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from hypothesis import settings

from clientbook.core import clock
from clientbook.core.clients.operations import create_client, ensure_owner
from clientbook.core.db import OpenedBook, close_database, open_database
from clientbook.core.drafts import ClientDraft
from clientbook.core.models import Client, FieldChange, Staff

FROZEN = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)

# Hypothesis: `ci` (the default) runs the same examples on every run, so CI is reproducible and a failure
# seen there is seen locally; `thorough` (HYPOTHESIS_PROFILE=thorough) draws new ones each run, ten times as
# many for the property tests (see tests/strategies.py), and keeps failures in .hypothesis/ to replay;
# `quick` runs a tenth of `ci`'s, for work on the tests themselves.
settings.register_profile("ci", derandomize=True, database=None, deadline=None, print_blob=True)
settings.register_profile("thorough", deadline=None, print_blob=True)
settings.register_profile("quick", parent=settings.get_profile("ci"))
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True)
def frozen_clock() -> Iterator[datetime]:
    clock.freeze(FROZEN)
    yield FROZEN
    clock.freeze(None)


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the real user's data, settings, crash log, colours or theme."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    monkeypatch.setenv("TZ", "UTC")
    for name in (
        "CLIENTBOOK_DB",
        "CLIENTBOOK_SETTINGS",
        "CLIENTBOOK_USER",
        "NO_COLOR",
        "TEXTUAL_THEME",
        "LC_ALL",
        "LC_TELEPHONE",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def book_path(tmp_path: Path) -> Path:
    return tmp_path / "books" / "book.db"


@pytest.fixture
def book(book_path: Path) -> Iterator[OpenedBook]:
    """A new, real SQLite book on disk, open for this thread (the core's tests also run it on PostgreSQL:
    see tests/core/conftest.py)."""
    opened = open_database(book_path)
    yield opened
    close_database()


@pytest.fixture
def owner(book: OpenedBook) -> Staff:
    return ensure_owner("Pat Owner")


def field_changes(table: str | None = None, record_id: int | None = None) -> set[tuple[str, Any, Any]]:
    """(field, old, new) of every field change recorded in the history, values decoded from JSON."""
    query = FieldChange.select()
    if table is not None:
        query = query.where(FieldChange.table == table)
    if record_id is not None:
        query = query.where(FieldChange.record_id == record_id)
    return {
        (c.field, None if c.old is None else json.loads(c.old), None if c.new is None else json.loads(c.new))
        for c in query
        if c.field != "*"
    }


_MADE_UP = itertools.count(1)


def add(owner: Staff, name: str, **fields: Any) -> Client:
    """Add a valid client (an email is made up unless a way to reach them is given)."""
    if "email" not in fields and "phone" not in fields:
        fields["email"] = f"someone{next(_MADE_UP)}@example.com"  # distinct: a shared one is a duplicate
    draft = ClientDraft(name=name, point_person=fields.pop("point_person", owner.slug), **fields)
    return create_client(draft, actor=owner, phone_region="GB")


POSTGRES_ENV = "CLIENTBOOK_TEST_POSTGRES"
"""A PostgreSQL URL the team-mode tests may create and drop databases with (`.ci/run` starts a throwaway
server and sets it; see `.ci/postgres`). Unset, those tests skip and say why."""
BACKENDS = ("sqlite", "postgres") if os.environ.get(POSTGRES_ENV) else ("sqlite",)
"""The kinds of book the core's and the CLI's tests run on: PostgreSQL too when there is a server to use
(without one, the run says once, at its start and its end, that the PostgreSQL half was left out)."""
TEAM_MODE_LEFT_OUT = (
    f"team mode: the core and CLI tests ran on SQLite only; {POSTGRES_ENV} is unset, so their PostgreSQL "
    "half was left out (.ci/run starts a server and sets it)"
)


def pytest_report_header() -> str:
    return f"clientbook books: {', '.join(BACKENDS)}" if len(BACKENDS) > 1 else TEAM_MODE_LEFT_OUT


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if len(BACKENDS) == 1:
        terminalreporter.write_line(TEAM_MODE_LEFT_OUT, yellow=True)


def postgres_admin_url() -> str:
    url = os.environ.get(POSTGRES_ENV, "")
    if not url:
        pytest.skip(
            f"team mode: no PostgreSQL server to test against ({POSTGRES_ENV} is unset; .ci/run sets it)"
        )
    pytest.importorskip("psycopg2", reason="team mode: psycopg2 (the postgres extra) is not installed")
    return url


def with_database(url: str, name: str) -> str:
    """`url` naming the database `name` instead of its own."""
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def _admin(url: str) -> Any:
    import psycopg2  # team mode's tests only

    connection = psycopg2.connect(url)
    connection.autocommit = True  # CREATE and DROP DATABASE run outside a transaction
    return connection


@contextlib.contextmanager
def _new_database(template: str | None = None) -> Iterator[str]:
    """A database of its own on the test server (a copy of `template`, if given), dropped afterwards."""
    import uuid

    admin = postgres_admin_url()
    name = f"clientbook_test_{uuid.uuid4().hex[:12]}"
    # FILE_COPY: a copy of the files, 16 ms here; PostgreSQL 15's default (WAL_LOG) took 270 ms.
    copy = f' TEMPLATE "{template}" STRATEGY FILE_COPY' if template else ""
    connection = _admin(admin)
    try:
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"{copy}')
        yield with_database(admin, name)
        close_database()
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    finally:
        connection.close()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """The URL of a new, empty database on the test server (its own per test), dropped afterwards."""
    with _new_database() as url:
        yield url


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    """A database migrated once per run, that each test's book is copied from: copying takes a few tens of
    milliseconds, running every migration on a new database several times that."""
    with _new_database() as url:
        open_database(url)
        close_database()
        yield urlsplit(url).path.lstrip("/")


@pytest.fixture
def postgres_book_url(postgres_template: str) -> Iterator[str]:
    """The URL of a new book on the test server (a copy of :func:`postgres_template`: up to date, empty)."""
    with _new_database(postgres_template) as url:
        yield url


def book_rows(target: str | Path, sql: str, params: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
    """The rows of `sql` (written with SQLite's `?` marks) read straight from the book at `target`, a SQLite
    file or a PostgreSQL URL, on a connection of its own: what the book holds, whatever the app says. Values
    come as SQLite holds them (times and days as text, flags as 0 and 1), so a test reads both alike."""
    if "://" in str(target):
        from clientbook.core.store.plain import pyformat

        connection = _admin(str(target))
        try:
            with connection.cursor() as cursor:
                cursor.execute(pyformat(sql), params)
                return [tuple(_as_sqlite(value) for value in row) for row in cursor.fetchall()]
        finally:
            connection.close()
    with contextlib.closing(sqlite3.connect(target)) as reader:
        return reader.execute(sql, params).fetchall()


def _as_sqlite(value: object) -> object:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime):
        return value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return value


@pytest.fixture(params=BACKENDS)
def book_target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a CLI test's book is, for `--db` or CLIENTBOOK_DB: a SQLite file not made yet, or a new, empty
    database on the test server. A test of what only a SQLite file has is marked `sqlite_only`."""
    if request.param == "postgres":
        marker = request.node.get_closest_marker("sqlite_only")
        if marker is not None:
            pytest.skip(f"SQLite only: {marker.args[0]}")
        url: str = request.getfixturevalue("postgres_url")
        return url
    return str(tmp_path / "book.db")
