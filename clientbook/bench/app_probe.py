"""`python -m clientbook.bench.app_probe --db BOOK [--busy ID [--rounds N]]`: the real app, started headless
the way `clientbook --db BOOK` starts it, timed from the outside.

Without `--busy` it prints the wall-clock time its first screen was painted and exits (the parent, which
noted the time before starting this process, works out the cold start). With `--busy` (the client with
1,000 interactions, first in the list) it then runs the benchmark's key script with a stall probe on the
event loop and prints, as one JSON line, every step's timings (ms, from the key posted to its result
painted), the longest stall of each step and of the whole script, and the process's resident memory at the
end.

A screen counts as painted when it is on top and mounted, every :class:`VirtualTable` on it is
:attr:`~VirtualTable.ready` (the rows on screen have been read), and the screen has refreshed once since (see
:func:`painted`).
"""

# ruff: noqa: E402 - the collector is turned off before the imports, as `clientbook` does

from __future__ import annotations

import gc

# As `clientbook` starts (clientbook.cli.main): the app turns it back on once its first screen is painted.
gc.disable()

import argparse
import asyncio
import dataclasses
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Final
from weakref import WeakKeyDictionary

from textual.screen import Screen
from textual.widgets import Input

from clientbook.bench import ROUNDS
from clientbook.bench.headless import (
    SIZE,
    StallProbe,
    drawn,
    post_key,
    report,
    resident_mb,
    settle,
    wait_until,
)
from clientbook.cli.running import build_app
from clientbook.core.db import open_database
from clientbook.settings import data_dir, load_settings
from clientbook.ui.app import ClientbookApp
from clientbook.ui.screens.care import CareScreen
from clientbook.ui.screens.clients import ClientsScreen
from clientbook.ui.widgets.client_table import ClientTable
from clientbook.ui.widgets.virtual_table import VirtualTable

TYPING: Final = (
    *"alic",
    "backspace",
    "backspace",
    "space",
    "o",
    *["backspace"] * 4,
    *"zqx",  # matches nobody
    *["backspace"] * 3,
)
"""The search script (18 keys): a name typed, corrected, narrowed by a second word, erased; then a term
that matches nothing, erased. Ends with the box empty, the whole list shown again."""


_TABLES: WeakKeyDictionary[Screen[Any], list[VirtualTable[Any]]] = WeakKeyDictionary()
"""The tables last found on each screen: finding them walks every widget (about 1 ms on the client list),
too dear to repeat every millisecond while the app it measures works on the same loop."""


def painted(screen: Screen[Any]) -> bool:
    """Whether `screen` shows what it has read: it is mounted (composed, its `on_mount` run) and every
    VirtualTable shown on it is ready.

    The one place that decides it. A screen with no VirtualTable counts as painted once mounted (it reads
    while handling the key); the caller then waits for one refresh either way. The tables are looked for
    afresh before any yes, so one mounted late is never missed; a no is given from the ones already known.
    """
    if not screen.is_mounted:
        return False
    known = _TABLES.get(screen)
    if known is not None and not _ready(known):
        return False
    _TABLES[screen] = tables = list(screen.query(VirtualTable))
    return _ready(tables)


def _ready(tables: list[VirtualTable[Any]]) -> bool:
    return all(table.ready for table in tables if table.display)


def typed(keys: Sequence[str]) -> list[str]:
    """The search box's value after each key of `keys` (from an empty box)."""
    values: list[str] = []
    text = ""
    for key in keys:
        text = text[:-1] if key == "backspace" else text + (" " if key == "space" else key)
        values.append(text)
    return values


@dataclass
class Step:
    ms: list[float] = field(default_factory=list)
    stall_ms: float = 0.0
    """The longest event-loop stall while this step ran (over all its runs)."""


class ScriptError(Exception):
    """The script does not fit the book (a step that would change nothing, the busy client not first)."""


class Script:
    """Keys posted one at a time, each timed until the state it leads to is painted."""

    def __init__(self, app: ClientbookApp, probe: StallProbe) -> None:
        self.app = app
        self.probe = probe
        self.steps: dict[str, Step] = {}

    async def key(self, key: str, step: str, done: Callable[[], bool]) -> None:
        if done():
            # It would time nothing: the wait below would end before the key is even handled.
            raise ScriptError(f"{step}: already in the state that {key} should lead to")
        start = time.perf_counter()
        post_key(self.app, key)
        await until_painted(self.app, done, what=f"{step} ({key})")
        elapsed = time.perf_counter() - start
        await settle(self.app)
        record = self.steps.setdefault(step, Step())
        record.ms.append(round(elapsed * 1000, 2))
        # From the key to the app settled: work left over once the result was painted stalls here too.
        record.stall_ms = round(max(record.stall_ms, self.probe.span()), 2)

    def on(self, kind: type[Screen[Any]]) -> Callable[[], bool]:
        return lambda: isinstance(self.app.screen, kind)

    def clients(self) -> tuple[ClientsScreen, ClientTable]:
        screen = self.app.screen
        if not isinstance(screen, ClientsScreen):
            raise ScriptError(f"expected the client list, found {type(screen).__name__}")
        return screen, screen.query_one(ClientTable)

    async def run(self, busy: int, rounds: int) -> None:
        # Imported here: the app loads these screens after its first paint, and so must the probe, or the
        # cold start it times would include them.
        from clientbook.ui.screens.checklists import ChecklistsScreen  # noqa: PLC0415
        from clientbook.ui.screens.log import LogScreen  # noqa: PLC0415

        app = self.app
        for number in range(rounds):
            if number or not isinstance(app.screen, ClientsScreen):
                await self.key("f2", "clients", self.on(ClientsScreen))
            await self.key("f3", "log_open", self.on(LogScreen))
            await self.key("f4", "checklists", self.on(ChecklistsScreen))
            await self.key("f5", "care", self.on(CareScreen))
        await self.key("f2", "clients", self.on(ClientsScreen))
        _, table = self.clients()
        for _ in range(rounds):
            await self.key("end", "end", lambda: table.cursor == table.count - 1)
            await self.key("home", "home", lambda: table.cursor == 0)
        for _ in range(rounds):
            before = table.cursor
            await self.key("pagedown", "pagedown", past(table, before))
        await self.key("home", "home", lambda: table.cursor == 0)
        await self.search(table)
        for _ in range(rounds):
            if table.cursor:
                await self.key("home", "home", lambda: table.cursor == 0)
            if table.selected is None or table.selected.id != busy:
                raise ScriptError(f"client {busy} (1,000 interactions) is not first in the list")
            await self.key("enter", "detail", self.showing(busy))
            await self.key("escape", "back", self.on(ClientsScreen))
        await self.key("f5", "care", self.on(CareScreen))
        care = app.screen
        if not isinstance(care, CareScreen):
            raise ScriptError(f"expected the care screen, found {type(care).__name__}")
        await self.key("m", "care_mine", lambda: care.mine)
        await self.key("m", "care_all", lambda: not care.mine)

    async def search(self, table: ClientTable) -> None:
        screen, _ = self.clients()
        box = screen.query_one("#search", Input)
        await self.key("slash", "search_focus", lambda: self.app.focused is box)
        for key, text in zip(TYPING, typed(TYPING), strict=True):
            await self.key(key, "keystroke", search_shown(screen, text))
        # The box is empty again: escape goes back to the list.
        await self.key("escape", "search_leave", lambda: self.app.focused is table)

    def showing(self, client_id: int) -> Callable[[], bool]:
        from clientbook.ui.screens.client_detail import ClientDetailScreen  # noqa: PLC0415 - see run

        def check() -> bool:
            screen = self.app.screen
            return isinstance(screen, ClientDetailScreen) and screen.client_id == client_id

        return check


def past(table: ClientTable, row: int) -> Callable[[], bool]:
    return lambda: table.cursor > row


def search_shown(screen: ClientsScreen, text: str) -> Callable[[], bool]:
    """The list shows what `text` finds: it is in the box and the list's filter has taken it up."""
    box = screen.query_one("#search", Input)
    return lambda: box.value == text and screen.filter.search == text


async def until_painted(app: ClientbookApp, done: Callable[[], bool], *, what: str) -> None:
    """Return once `done()` holds and the screen on top is painted, and still is after its next refresh.

    The second look matters: a screen brought back (f2) may be seen on top, its tables ready with the rows
    of the last visit, before it has handled its own ScreenResume and started reading again; the refresh
    waited for is queued behind that.
    """
    while True:
        await wait_until(lambda: done() and painted(app.screen), what=what, app=app)
        await drawn(app)
        if done() and painted(app.screen):
            return


async def probe(db: str, *, busy: int | None, rounds: int) -> dict[str, Any]:
    # The user's own settings, as `clientbook` reads them, less any remapped keys: the script presses the
    # default ones, and would wait in vain for a screen whose key was moved.
    settings = dataclasses.replace(load_settings(), keymap=MappingProxyType({}))
    book = open_database(db, private_folder=data_dir())
    app = build_app(settings, book, None, watch_interval=None)
    async with app.run_test(size=SIZE):
        await until_painted(
            app, lambda: isinstance(app.screen, CareScreen | ClientsScreen), what="the first screen"
        )
        result: dict[str, Any] = {"painted_at": time.time(), "first_screen": type(app.screen).__name__}
        if busy is None:
            return result
        # The script starts once the app has finished starting: the modules it loads after its first paint.
        await wait_until(lambda: app.rest_loaded, what="the rest of the app to load", app=app)
        await settle(app)
        stalls = StallProbe()
        stalls.start()
        script = Script(app, stalls)
        try:
            await script.run(busy, rounds)
        finally:
            await stalls.stop()
        result["stall_max_ms"] = round(stalls.longest_ms, 2)
        result["steps"] = {name: vars(step) for name, step in script.steps.items()}
        result["rss_mb"] = round(resident_mb(), 1)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m clientbook.bench.app_probe")
    parser.add_argument("--db", required=True)
    parser.add_argument("--busy", type=int, help="run the key script; the client with 1,000 interactions")
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    args = parser.parse_args()
    report(asyncio.run(probe(args.db, busy=args.busy, rounds=args.rounds)))


if __name__ == "__main__":
    main()
