"""What every shared action needs: the settings, the book, the user, and running a core write safely."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TypeVar

import peewee as pw
from textual.app import App
from textual.notifications import SeverityLevel

from clientbook.core import clock
from clientbook.core.care_queries import CarePolicy
from clientbook.core.db import close_database, explain
from clientbook.core.models import Staff
from clientbook.core.queries import NotFound
from clientbook.core.validation import ValidationError
from clientbook.settings import Settings, care_policy
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

    def _attempt(self, write: Callable[[], object]) -> str | None:
        """Run a core write for a dialog still open: None when done, else what to show beside its field."""
        try:
            write()
        except ValidationError as error:
            return "; ".join(error.errors.values())
        except pw.PeeweeException as error:
            return f"Not saved: {explain(error, self.location)}"
        return None

    def _core(self, write: Callable[[], object], done: str) -> bool:
        """Run a core write; tell the user what happened, or why it did not (nothing else changes)."""
        try:
            write()
        except ValidationError as error:
            self.notify("; ".join(error.errors.values()), severity="warning", timeout=6)
            return False
        except pw.PeeweeException as error:
            self.report(error)
            return False
        if done:
            self.notify(done, timeout=3)
        return True

    def in_background(self, work: Callable[[], T], then: Callable[[T], None]) -> None:
        """Run a core call on a thread worker (with its own connection), then `then(result)` on the loop.

        A refusal or a database problem is told in one line instead, and nothing else happens. The screen
        stays responsive however long SQLite waits for a lock.
        """

        def run() -> None:
            try:
                result = work()
            except ValidationError as error:
                message = "; ".join(error.errors.values())
                self.call_from_thread(self.notify, message, severity="warning", timeout=8, markup=False)
            except NotFound as error:
                self.call_from_thread(self.notify, str(error), severity="warning", timeout=6, markup=False)
            except pw.PeeweeException as error:
                self.call_from_thread(self.report, error)
            else:
                self.call_from_thread(then, result)
            finally:
                close_database()  # this thread's connection; the loop's own stays open

        self.run_worker(run, thread=True, group="book-writes")

    def refresh_screen(self) -> None:
        """Have the screen on top (and the one under a dialog) read the book again."""
        for screen in self.screen_stack[-2:]:
            screen.post_message(BookChanged())
