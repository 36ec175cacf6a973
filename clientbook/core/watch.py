"""Noticing that someone else changed the book: the CLI, a script or another clientbook on the same file.

The app asks a :class:`BookWatcher` about once a second whether the book changed, and when it did the screen
on show reads what it shows again. For SQLite the answer is `PRAGMA data_version`, which changes on a
connection whenever *another* connection committed; it is per connection, so :class:`SqliteWatcher` keeps one
of its own. A PostgreSQL book would implement the same interface with LISTEN/NOTIFY.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Protocol


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
