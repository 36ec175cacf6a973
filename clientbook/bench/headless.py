"""What both probes share: driving a headless Textual app by key and telling when it has drawn the result.

Imports Textual and nothing of clientbook, so the bare app's start-up pays for no more than Textual's.

Keys are posted to the app as the terminal driver posts them, rather than through :meth:`Pilot.press`,
which waits for the process to look idle after each key (`wait_for_idle`: at least two sleeps of 20 ms)
and so could never time anything under 40 ms.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

from textual import events
from textual.app import App
from textual.message_pump import MessagePump
from textual.worker import WorkerState

SIZE: Final = (120, 40)
"""The terminal both apps run in (the UI tests' size)."""
POLL_S: Final = 0.001
"""How often a wait looks again: short, so a wait adds at most a millisecond to what it times."""
TIMEOUT_S: Final = 120.0
"""How long one step may take before the probe gives up (at 100,000 clients, f5 once took 2 s)."""
TICK_S: Final = 0.001

CHARACTERS: Final = {"space": " ", "slash": "/"}
"""Keys whose name is not the character they type (backspace, enter and the like type none)."""


class ProbeTimeout(Exception):
    """A step never reached the state it waits for (the message names the step)."""


async def wait_until(
    condition: Callable[[], bool], *, what: str, timeout: float = TIMEOUT_S, app: App[Any] | None = None
) -> None:
    """Return as soon as `condition()` holds, looking every millisecond; never a fixed delay.

    With `app`, give up at once when the app has stopped (it crashed, or quit): no state will come, and
    waiting out the timeout would only hide the app's error for two minutes."""
    deadline = time.perf_counter() + timeout
    while not condition():
        if app is not None and not app.is_running:
            raise ProbeTimeout(f"the app stopped while the probe waited for {what}")
        if time.perf_counter() > deadline:
            raise ProbeTimeout(f"gave up after {timeout:.0f} s waiting for {what}")
        await asyncio.sleep(POLL_S)


def post_key(app: App[Any], key: str) -> None:
    """Deliver `key` (a Textual key name: `f5`, `a`, `backspace`) as if typed at the terminal."""
    character = CHARACTERS.get(key, key if len(key) == 1 else None)
    app.post_message(events.Key(key, character))


async def drawn(app: App[Any]) -> None:
    """Wait for the screen on top to finish its next refresh: what it holds now is then on screen."""
    await app.screen.wait_for_refresh()


async def settle(app: App[Any]) -> None:
    """Wait until the app has nothing left to do: every message handled, no thread worker running, and the
    screen refreshed since.

    Run between steps (untimed), so each key is timed on its own and not behind the tail of the one
    before; that tail still counts in the stall probe. Not :meth:`Pilot.pause`: it decides the process is
    idle by its CPU time, which the stall probe's wake-ups keep above its threshold (every pause then lasts
    its full second). A result may start further reads, hence the loop.
    """
    for _ in range(100):
        await app.workers.wait_for_complete()
        await _handled(app)
        await drawn(app)
        if not _busy(app):
            return


def _nodes(app: App[Any]) -> list[MessagePump]:
    return [app, *app.screen.walk_children(with_self=True)]


def _busy(app: App[Any]) -> bool:
    working = any(worker.state in (WorkerState.PENDING, WorkerState.RUNNING) for worker in app.workers)
    return working or any(node.message_queue_size for node in _nodes(app))


async def _handled(app: App[Any]) -> None:
    """Return once the app and every widget on the screen have handled the messages they hold now."""
    reached: list[asyncio.Event] = []
    for node in _nodes(app):
        event = asyncio.Event()
        if node.call_later(event.set):
            reached.append(event)
    if not reached:
        return
    waits = [asyncio.ensure_future(event.wait()) for event in reached]
    # A widget removed meanwhile never runs its callback: do not wait for it for ever.
    _, late = await asyncio.wait(waits, timeout=5.0)
    for wait in late:
        wait.cancel()


class StallProbe:
    """How long the event loop was blocked: a task that sleeps a millisecond at a time and records how late
    each wake-up was. A wake-up 40 ms late means nothing ran on the loop (no key, no repaint) for 40 ms."""

    def __init__(self) -> None:
        self.longest_ms = 0.0
        """The longest stall since :meth:`start`."""
        self._span_ms = 0.0
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        while True:
            before = time.perf_counter()
            await asyncio.sleep(TICK_S)
            late = (time.perf_counter() - before - TICK_S) * 1000
            self._span_ms = max(self._span_ms, late)
            self.longest_ms = max(self.longest_ms, late)

    def span(self) -> float:
        """The longest stall since the last call (or the start), in ms; starts a new span."""
        longest, self._span_ms = self._span_ms, 0.0
        return longest

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task


def resident_mb() -> float:
    """This process's resident memory (VmRSS), in MB; 0 where /proc is not there to ask."""
    try:
        status = Path("/proc/self/status").read_text(encoding="ascii")
    except OSError:
        return 0.0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def report(result: dict[str, Any]) -> None:
    """The probe's one line of output, read by the parent."""
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()
