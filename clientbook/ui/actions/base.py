"""What every shared action needs: the settings, the book, the user, and running core calls off the event
loop (writes, the reads a screen shows, the reads a dialog needs before it opens)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TypeVar

import peewee as pw
from textual.app import App
from textual.dom import DOMNode
from textual.notifications import SeverityLevel

from clientbook.core import clock
from clientbook.core.care.queries import CarePolicy
from clientbook.core.errors import NotFound
from clientbook.core.models import Staff
from clientbook.core.store.book_file import explain
from clientbook.settings import Settings, care_policy
from clientbook.ui.background import Done, Outcome, Refused, run_in_thread, still_shown
from clientbook.ui.messages import BookChanged

T = TypeVar("T")


class BookApp(App[None]):
    """The app's state that actions share; :class:`~clientbook.ui.app.ClientbookApp` fills it in."""

    settings: Settings
    location: str
    user: Staff | None

    @property
    def location_name(self) -> str:
        """The book's file name, as shown in title bars."""
        return Path(self.location).name

    def clock(self) -> datetime:
        return clock.now()

    def care_policy(self) -> CarePolicy:
        return care_policy(self.settings)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Notifications are plain text unless asked (they carry client names, which may hold `[`)."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def report(self, error: pw.PeeweeException) -> None:
        """Tell the user a database problem in one line; nothing else happens."""
        self.notify(explain(error, self.location), title="Database problem", severity="error", timeout=10)

    def in_background(
        self, work: Callable[[], T], then: Callable[[T], None] | None = None, *, done: str = ""
    ) -> None:
        """Run a core call (a write, mostly) on a thread worker, then `then(result)` on the event loop.

        `done` is told once the call succeeded, whatever the user did meanwhile; `then` (which usually shows
        the change) runs only while the screen the user acted on is still on the stack. A refusal or a
        database problem is told in one line instead, and nothing else happens. The screen stays responsive
        however long SQLite waits for a lock.
        """
        screen = self.screen

        def finished(outcome: Outcome[T]) -> None:
            if isinstance(outcome, Done):
                if done:
                    self.notify(done, timeout=3)
                if then is not None and still_shown(screen):
                    then(outcome.value)
            elif isinstance(outcome, Refused):
                self.notify(outcome.message, severity="warning", timeout=8)
            else:
                self.report(outcome.error)

        # Not exclusive, and owned by the app rather than a screen: a write is never dropped half-told.
        run_in_thread(self, work, finished, group="book-writes")

    def read_for(
        self,
        node: DOMNode,
        read: Callable[[], T],
        show: Callable[[T], None],
        *,
        group: str = "read",
        gone: Callable[[], None] | None = None,
        wanted: Callable[[DOMNode], bool] = still_shown,
    ) -> None:
        """A screen's read, on a thread worker owned by `node`: `show(rows)` on the event loop.

        The result is dropped when `node` has left the screen (unless `wanted` says otherwise), or when a
        newer read of the same `group` on it was started (each group is exclusive). A record that is no
        longer there calls `gone` (a screen that shows one record closes); a database problem is told in
        one line.
        """

        def finished(outcome: Outcome[T]) -> None:
            if isinstance(outcome, Done):
                show(outcome.value)
            elif isinstance(outcome, Refused) and gone is not None and isinstance(outcome.error, NotFound):
                gone()
            elif isinstance(outcome, Refused):
                self.notify(outcome.message, severity="warning", timeout=6)
            else:
                self.report(outcome.error)

        run_in_thread(node, read, finished, group=group, exclusive=True, wanted=wanted)

    def open_after(self, read: Callable[[], T], open_dialog: Callable[[T], None]) -> None:
        """Read what a dialog needs on a worker, then open it, if the user is still where they asked from
        (a form that appeared over the screen they moved on to would be typed into by mistake)."""
        screen = self.screen

        def opened(value: T) -> None:
            if self.screen is screen:
                open_dialog(value)

        self.read_for(screen, read, opened, group="open")

    def refresh_screen(self) -> None:
        """Have the screen on top (and the one under a dialog) read the book again."""
        for screen in self.screen_stack[-2:]:
            screen.post_message(BookChanged())
