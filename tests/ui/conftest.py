"""Pilot fixtures: the real app over a real book file, at a fixed terminal size."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input, TextArea
from textual.worker import WorkerCancelled, WorkerFailed, WorkerState

from clientbook.core.db import OpenedBook
from clientbook.core.models import Staff
from clientbook.settings import Settings
from clientbook.ui.app import ClientbookApp

SIZE = (120, 40)


@pytest.fixture(autouse=True)
def steady_cursors(monkeypatch: pytest.MonkeyPatch) -> None:
    """Text cursors that do not blink: a snapshot taken mid-blink would differ from run to run."""
    for widget in (Input, TextArea):
        original = widget.__init__

        def init(self: Any, *args: Any, __original: Any = original, **kwargs: Any) -> None:
            __original(self, *args, **kwargs)
            self.set_reactive(type(self).cursor_blink, False)

        monkeypatch.setattr(widget, "__init__", init)


async def settle(pilot: Pilot[Any]) -> None:
    """Wait until the app has read what it asked for: its thread workers done and their results drawn.

    Screens read the book in thread workers (nothing blocks the event loop), so a key's effect lands a few
    frames later, as it does for a person. A result may start further reads (a count, then a page), so this
    waits until a pause leaves no worker running.
    """
    app = pilot.app
    for _ in range(100):
        running = (WorkerState.PENDING, WorkerState.RUNNING)
        busy = [worker for worker in app.workers if worker.state in running]
        if not busy:
            return
        for worker in busy:
            # A read dropped because a newer one replaced it is cancelled: that is not a failure here.
            with contextlib.suppress(WorkerCancelled, WorkerFailed):
                await worker.wait()
        await _ORIGINAL_PAUSE(pilot)


_ORIGINAL_PAUSE = Pilot.pause
_ORIGINAL_PRESS = Pilot.press


async def glance(pilot: Pilot[Any]) -> None:
    """Let the app draw one frame *without* waiting for its workers: to look at the screen while a read or a
    save is still in flight (held back by a lock or a gate the test controls)."""
    await _ORIGINAL_PAUSE(pilot)


async def press_now(pilot: Pilot[Any], *keys: str) -> None:
    """Press keys without waiting for the workers they start (see :func:`glance`)."""
    await _ORIGINAL_PRESS(pilot, *keys)


@pytest.fixture(autouse=True)
def settled_pilot(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each Pilot step (a key, a click, a pause, a resize) returns once the app has settled, so tests read
    the screen as a person would see it after waiting a moment (see :func:`settle`)."""

    def settled(name: str) -> Any:
        original = getattr(Pilot, name)

        async def step(self: Pilot[Any], *args: Any, **kwargs: Any) -> Any:
            result = await original(self, *args, **kwargs)
            await settle(self)
            await _ORIGINAL_PAUSE(self)
            return result

        return step

    for name in ("press", "click", "double_click", "pause", "resize_terminal"):
        monkeypatch.setattr(Pilot, name, settled(name))

    original_run_test = App.run_test

    @contextlib.asynccontextmanager
    async def run_test(self: App[Any], *args: Any, **kwargs: Any) -> AsyncIterator[Pilot[Any]]:
        # The app chooses its first screen after a read in the background: start once it is on show.
        async with original_run_test(self, *args, **kwargs) as pilot:
            await settle(pilot)
            yield pilot

    monkeypatch.setattr(App, "run_test", run_test)


def make_app(book: OpenedBook, user: Staff | None, **settings: object) -> ClientbookApp:
    chosen = Settings(timezone="Europe/London", phone_region="GB", source=Path("settings.toml"))
    for key, value in settings.items():
        object.__setattr__(chosen, key, value)
    return ClientbookApp(settings=chosen, location=book.location, user=user, suggested_owner="Pat Owner")


@pytest.fixture
def app(book: OpenedBook, owner: Staff) -> ClientbookApp:
    return make_app(book, owner)
