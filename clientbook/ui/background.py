"""Core calls off Textual's event loop: the one way the UI reads and writes the book.

Every read and write runs on a thread worker, so the screen keeps drawing and taking keys however long SQLite
waits for a lock. Peewee connections are per thread: a worker thread opens its own connection on its first
query and keeps it, since the threads are pooled (shared with the virtual tables' reads and
`asyncio.to_thread`) and opening one costs more than most reads (about 4 ms on this kind of machine, mostly
SQLite reading the schema, against under 1 ms for a count on a connection already open). The outcome comes
back to the loop as an :data:`Outcome`, and is dropped when it is no longer wanted: the widget or screen that
asked has left the screen, or a newer read of the same exclusive group replaced it.

:class:`Saving` is the dialog side of a write: one save at a time, *saving…* shown, the fields locked so what
is saved is what the user sees, and a result that arrives after the dialog was closed told in a notice.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Generic, TypeAlias, TypeVar

import peewee as pw
from textual.app import App
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widget import Widget
from textual.worker import Worker, get_current_worker

from clientbook.core.db import cap_connection_cache
from clientbook.core.errors import NotFound, ValidationError
from clientbook.core.store.book_file import explain
from clientbook.ui.messages import BookChanged

T = TypeVar("T")

BOOK_THREADS = 3
"""Threads the app's reads and writes run on: one may wait on a lock for a save while two read. Python's
default pool has cpu count + 4 (six here) and each thread keeps its own connection, so more threads only
meant more connections to open (about 4 ms each) and more page caches in memory, on two cores."""
CONNECTION_CACHE_KIB = 512
"""Page cache of each of those connections: a quarter of SQLite's default (:func:`cap_connection_cache`)."""

SAVING = "saving…"
STILL_SAVING = "still saving… (the book is busy; esc closes without waiting)"


@dataclass(frozen=True)
class Done(Generic[T]):
    """The call returned `value`."""

    value: T


@dataclass(frozen=True)
class Refused:
    """The core said no: a :class:`ValidationError` (a message per field) or :class:`NotFound`."""

    error: ValidationError | NotFound

    @property
    def message(self) -> str:
        """Every message on one line, as a notice or a status line shows it."""
        if isinstance(self.error, ValidationError):
            return "; ".join(self.error.errors.values())
        return str(self.error)


@dataclass(frozen=True)
class Failed:
    """The book could not be read or written (locked past the timeout, full disk, read-only...)."""

    error: pw.PeeweeException

    def message(self, location: str) -> str:
        return explain(self.error, location)


Outcome: TypeAlias = Done[T] | Refused | Failed


def use_book_threads(loop: asyncio.AbstractEventLoop) -> None:
    """Make `loop` run thread workers (and `asyncio.to_thread`) on :data:`BOOK_THREADS` threads, each
    connection they open with a :data:`CONNECTION_CACHE_KIB` cache. Call before the first worker starts."""
    loop.set_default_executor(ThreadPoolExecutor(BOOK_THREADS, thread_name_prefix="book"))
    cap_connection_cache(CONNECTION_CACHE_KIB)


def still_shown(node: DOMNode) -> bool:
    """Whether a result for `node` is still wanted: the app runs, and the node's screen is on the stack the
    user is looking at (possibly under a dialog). The app itself always wants its results while it runs."""
    if isinstance(node, App):
        return bool(node.is_running)
    if not node.is_attached:
        return False
    screen = node if isinstance(node, Screen) else node.screen
    return screen in node.app.screen_stack


def bring_to_top(screen: Screen[Any]) -> None:
    """Close the dialogs opened over `screen` (a question, the keys), whose answers are no longer wanted.

    Textual's `pop_until_active` closes them later (it dismisses each on a later turn of the loop), so a
    `dismiss()` right after it would close the wrong screen; popping here is immediate.
    """
    app = screen.app
    while app.screen is not screen and len(app.screen_stack) > 1:
        app.pop_screen()


def run_in_thread(
    node: DOMNode,
    work: Callable[[], T],
    then: Callable[[Outcome[T]], None],
    *,
    group: str,
    exclusive: bool = False,
    dropped: Callable[[Outcome[T]], None] | None = None,
    wanted: Callable[[DOMNode], bool] = still_shown,
) -> Worker[None]:
    """Run `work` on a thread worker owned by `node`, then hand its outcome to `then` on the event loop.

    With `exclusive`, starting another worker of the same `group` on the same node drops this one's result
    (the thread itself cannot be stopped, so a write still completes: use it for reads). A result nobody
    `wanted` any more (by default: `node` has left the stack on show, see :func:`still_shown`) goes to
    `dropped` instead, if given. Anything other than a refusal or a database problem is a bug, and crashes
    the app as it would on the loop.
    """
    app = node.app

    def run() -> None:
        worker = get_current_worker()
        outcome: Outcome[T]
        try:
            outcome = Done(work())
        except (ValidationError, NotFound) as error:
            outcome = Refused(error)
        except pw.PeeweeException as error:
            outcome = Failed(error)

        def deliver() -> None:
            if not worker.is_cancelled and wanted(node):
                then(outcome)
            elif dropped is not None and app.is_running:
                dropped(outcome)

        # Waits for `deliver` to run, so the worker counts as running until its result is drawn (what tests
        # and the benchmark wait for). The app may have closed meanwhile: then nobody wants the result.
        with contextlib.suppress(RuntimeError):
            app.call_from_thread(deliver)

    return node.run_worker(run, thread=True, group=group, exclusive=exclusive, name=group)


class Saving:
    """One save at a time for a dialog, on a thread worker, with *saving…* in its status line meanwhile.

    While a save is in flight the dialog's fields are disabled, so the text saved is the text on screen and
    nothing typed meanwhile is lost when the dialog closes; they come back (with the focus where it was) when
    the outcome arrives. A second save is refused with :data:`STILL_SAVING`. An outcome that arrives after
    the dialog was closed is told in a notice, since the user can no longer see it.
    """

    def __init__(self, screen: Screen[Any], status: Callable[[str], None]) -> None:
        self.screen = screen
        self.status = status
        """Shows a line in the dialog's status line ("" clears it)."""
        self.in_flight = False
        self._locked: Sequence[Widget] = ()
        self._focused: Widget | None = None

    def start(
        self, job: Callable[[], T], finished: Callable[[Outcome[T]], None], *, lock: Sequence[Widget]
    ) -> bool:
        """Run `job`; `finished(outcome)` once it is done and the fields are unlocked. False when a save was
        already in flight (and the user has been told)."""
        if self.in_flight:
            self.status(STILL_SAVING)
            return False
        self.in_flight = True
        self._focused = self.screen.focused
        self._locked = lock
        for widget in lock:
            widget.disabled = True
        self.status(SAVING)
        app = self.screen.app

        def landed(outcome: Outcome[T]) -> None:
            self._unlock()
            finished(outcome)

        def too_late(outcome: Outcome[T]) -> None:
            self.in_flight = False  # the dialog is gone: nothing of it to unlock or update
            if isinstance(outcome, Done):
                app.notify("Saved, after the dialog was closed", timeout=5)
                for screen in app.screen_stack[-2:]:  # what is on show may include what was just saved
                    screen.post_message(BookChanged())
            elif isinstance(outcome, Refused):
                app.notify(f"Not saved: {outcome.message}", severity="warning", timeout=8)
            else:
                app.notify(f"Not saved: {outcome.message('the book')}", severity="error", timeout=10)

        # Owned by the app, not the dialog: closing the dialog must not cancel (and so hide) a write that is
        # still going to happen; whether the dialog still wants the outcome is asked when it lands.
        screen = self.screen
        run_in_thread(app, job, landed, group="save", dropped=too_late, wanted=lambda _: still_shown(screen))
        return True

    def _unlock(self) -> None:
        self.in_flight = False
        self.status("")
        for widget in self._locked:
            widget.disabled = False
        if self._focused is not None and self._focused.is_attached and self._focused.focusable:
            self._focused.focus(scroll_visible=False)
        self._locked, self._focused = (), None
