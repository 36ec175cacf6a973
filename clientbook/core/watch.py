"""Noticing that someone else changed the book: the CLI, a script or another clientbook on the same file.

The app asks a :class:`BookWatcher` about once a second whether the book changed, and when it did the screen
on show reads what it shows again. For SQLite the answer is `PRAGMA data_version`, which changes on a
connection whenever *another* connection committed; it is per connection, so :class:`SqliteWatcher` keeps one
of its own. A PostgreSQL book tells instead: every statement that writes one of its tables sends a
notification (triggers made by the migrations), and :class:`PostgresWatcher` listens for them on a
connection of its own.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final, Protocol


class BookWatcher(Protocol):
    """Tells whether the book changed since the last time it was asked."""

    def changed(self) -> bool:
        """True when something was committed since the last call (the first call only takes a reading)."""
        ...

    def close(self) -> None: ...


class SqliteWatcher:
    """`PRAGMA data_version` on a dedicated connection to the book file.

    Not thread-safe: make it and ask it on one thread (:class:`WatchThread` does). Its connection only reads
    a pragma, so it never holds a lock that could slow a writer. An unreadable book reads as unchanged (the
    screens report database problems when they read).
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._connection: sqlite3.Connection | None = None
        self._version: int | None = None

    def changed(self) -> bool:
        try:
            if self._connection is None:
                self._connection = sqlite3.connect(str(self.path), timeout=1, isolation_level=None)
            version = int(self._connection.execute("PRAGMA data_version").fetchone()[0])
        except sqlite3.Error:
            return False
        before, self._version = self._version, version
        return before is not None and version != before

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


CHANGES_CHANNEL: Final = "clientbook_changes"
"""What a PostgreSQL book's triggers notify on each write (see migration 0007)."""


class PostgresWatcher:
    """LISTEN on a dedicated connection to a PostgreSQL book; a notification since the last call is a change.

    Not thread-safe, like :class:`SqliteWatcher`. A server that cannot be reached reads as unchanged (the
    screens report it when they read), and the connection is made again at the next call.
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self._connection: Any = None

    def changed(self) -> bool:
        import psycopg2  # noqa: PLC0415 - team books only

        try:
            if self._connection is None:
                connection = psycopg2.connect(
                    self.url, application_name="clientbook watch", connect_timeout=5
                )
                connection.autocommit = True
                with connection.cursor() as cursor:
                    cursor.execute(f"LISTEN {CHANGES_CHANNEL}")
                self._connection = connection
                return False  # the first reading: whatever came before is not news
            self._connection.poll()
        except psycopg2.Error:
            self.close()
            return False
        told = bool(self._connection.notifies)
        self._connection.notifies.clear()
        return told

    def close(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(Exception):
                self._connection.close()
            self._connection = None


def watcher_for(target: str) -> Callable[[], BookWatcher]:
    """How to watch the book at `target` (a SQLite path, or a PostgreSQL URL with its password) for changes
    made by others."""
    if "://" in target:
        return lambda: PostgresWatcher(target)
    return lambda: SqliteWatcher(target)


class WatchThread(threading.Thread):
    """A daemon thread that asks a watcher every `interval` seconds and calls `on_change` (on this thread)
    when the book changed. The watcher is made on the thread, so its connection never leaves it."""

    def __init__(
        self, make_watcher: Callable[[], BookWatcher], on_change: Callable[[], None], *, interval: float = 1.0
    ) -> None:
        super().__init__(name="clientbook-watch", daemon=True)
        self.make_watcher = make_watcher
        self.on_change = on_change
        self.interval = interval
        self._stop = threading.Event()

    def run(self) -> None:
        watcher = self.make_watcher()
        try:
            watcher.changed()  # the first reading
            while not self._stop.wait(self.interval):
                if watcher.changed():
                    self.on_change()
        finally:
            watcher.close()

    def stop(self) -> None:
        self._stop.set()
