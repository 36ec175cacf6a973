"""The architectural rule "no database call on Textual's event loop", checked by watching every statement.

`peewee.Database.execute_sql` is wrapped for the test: each statement run on the event loop's thread from
the app's code is recorded with the innermost `clientbook/ui/` frame that led to it. A Pilot script then
visits every screen, dialog and action of the detail, checklist, process and form areas (and the actions
the list, log and care screens call). A statement on the loop attributed to any of those fails the test.

The list, log and care screens, the app's start and palette, and the virtual tables (whose pages are read
by :class:`~clientbook.ui.widgets.virtual_table.VirtualTable`, being moved to workers in its own change) are
reported rather than failed: see :data:`NOT_YET_OFF_THE_LOOP`, and run with `-s` to print what they did.
"""

from __future__ import annotations

import sys
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import FrameType
from typing import Any, Final

import peewee as pw
import pytest
from textual.pilot import Pilot
from textual.widgets import Input

import clientbook.ui
from clientbook.core.care.operations import add_concern, add_promise
from clientbook.core.db import OpenedBook
from clientbook.core.drafts import ConcernDraft, InteractionDraft, PromiseDraft
from clientbook.core.log.operations import log_interaction
from clientbook.core.models import Client, Concern, Promise, Staff
from clientbook.core.processes.operations import start_checklist
from clientbook.core.processes.queries import find_process
from clientbook.ui.app import ClientbookApp
from clientbook.ui.background import BOOK_THREADS, CONNECTION_CACHE_KIB
from clientbook.ui.screens.checklist import ChecklistScreen
from clientbook.ui.screens.client_detail import ClientDetailScreen
from clientbook.ui.screens.form import FormScreen
from clientbook.ui.screens.interaction import InteractionScreen
from clientbook.ui.screens.processes import ProcessesScreen
from clientbook.ui.screens.prompt import PromptScreen
from tests.conftest import add
from tests.ui.conftest import SIZE, make_app

UI: Final = Path(clientbook.ui.__file__).resolve().parent
NOT_YET_OFF_THE_LOOP: Final = frozenset(
    {
        "app.py",
        "screens/clients.py",
        "screens/log.py",
        "screens/care.py",
        "widgets/virtual_table.py",
        "widgets/client_table.py",
        "widgets/interaction_table.py",
        # Its count and fetch are called by VirtualTable, which will call them from a worker.
        "widgets/checklist_table.py",
    }
)
"""Modules another change is moving off the event loop: their statements are reported, not failed."""

ZONE: Final = "Europe/London"


def _innermost_ui_frame(frame: FrameType | None) -> str | None:
    """`screens/x.py:function` of the innermost frame in clientbook/ui/, or None outside the app's code."""
    while frame is not None:
        path = Path(frame.f_code.co_filename)
        if path.is_relative_to(UI):
            return f"{path.relative_to(UI).as_posix()}:{frame.f_code.co_name}"
        frame = frame.f_back
    return None


@dataclass
class Statements:
    """What the app ran while the test watched."""

    on_loop: Counter[str] = field(default_factory=Counter)
    """Statements run on the event loop's thread from the app's code, by where they came from."""
    off_loop: int = 0
    """Statements run on worker threads: the script did read and write the book."""


@pytest.fixture
def loop_statements(monkeypatch: pytest.MonkeyPatch) -> Iterator[Statements]:
    loop_thread = threading.get_ident()  # the test runs on the event loop's thread, as the app does
    seen = Statements()
    execute_sql = pw.Database.execute_sql

    def watched(self: pw.Database, sql: str, params: Any = None) -> Any:
        if threading.get_ident() != loop_thread:
            seen.off_loop += 1
        elif (where := _innermost_ui_frame(sys._getframe(1))) is not None:  # cheaper than inspect.stack()
            seen.on_loop[where] += 1
        return execute_sql(self, sql, params)  # type: ignore[no-untyped-call]

    monkeypatch.setattr(pw.Database, "execute_sql", watched)
    yield seen


def ours(seen: Statements) -> list[str]:
    """The statements on the loop from our code: every test expects none (and some off the loop)."""
    assert seen.off_loop > 0, "the script never reached the book: the watch is not watching"
    return sorted(where for where in seen.on_loop if where.split(":")[0] not in NOT_YET_OFF_THE_LOOP)


def report(seen: Statements) -> None:
    theirs = sorted((where, count) for where, count in seen.on_loop.items() if where not in ours(seen))
    print(f"\n{seen.off_loop} statements off the loop; on it, from modules being moved off it elsewhere:")
    for where, count in theirs:
        print(f"  {count:5}  {where}")


def a_client_owed_everything(owner: Staff) -> Client:
    """A client with an interaction awaiting a reply, a promise, a concern and a checklist running."""
    alice = add(owner, "Alice Anders", email="alice@example.com", notes="Prefers mornings")
    waiting = InteractionDraft(
        alice.slug, "yesterday 9am", "email", "inbound", "Invoice question", handled_by=owner.slug
    )
    log_interaction(waiting, actor=owner, zone=ZONE)
    add_promise(PromiseDraft(alice.slug, "Send the quote", owner.slug, "today"), actor=owner, zone=ZONE)
    add_concern(ConcernDraft(alice.slug, "Late again", "high"), actor=owner)
    start_checklist(alice.id, find_process("post-sale-care").id, actor=owner, start=date(2026, 11, 20))
    return alice


async def fill(pilot: Pilot[None], **values: str) -> None:
    """Type into the boxes of the dialog on top, by id."""
    for selector, value in values.items():
        pilot.app.screen.query_one(f"#{selector}", Input).value = value
    await pilot.pause()


async def test_the_detail_and_its_dialogs_never_query_on_the_loop(
    app: ClientbookApp, owner: Staff, loop_statements: Statements
) -> None:
    alice = a_client_owed_everything(owner)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")
        app.open_client(alice.id)
        await pilot.pause()
        assert isinstance(app.screen, ClientDetailScreen)
        await pilot.press("e")
        assert isinstance(app.screen, FormScreen)
        await fill(pilot, company="Anders Design")
        await pilot.press("ctrl+s")
        await pilot.press("p")
        await fill(pilot, what="Call back", due="fri")
        await pilot.press("ctrl+s")
        await pilot.press("c")
        await pilot.press("escape")
        await pilot.press("t")
        await fill(pilot, label="Birthday", on="14 Mar")
        await pilot.press("ctrl+s")
        await pilot.press("k")
        await fill(pilot, client="ali", start="today")
        await pilot.press("ctrl+s")  # the process already runs: it asks whether to start another
        await pilot.press("y")
        await pilot.press("l")
        await fill(pilot, client="alic", summary="Replied", when="now")
        await pilot.press("escape", "y")
        await pilot.press("b")
        await pilot.press("escape")
        await pilot.press("delete")
        await pilot.press("escape")
        await pilot.press("a", "n")
        assert isinstance(app.screen, ClientDetailScreen)
        await pilot.press("enter")  # the timeline's interaction, its edit form, acknowledging it
        assert isinstance(app.screen, InteractionScreen)
        await pilot.press("e")
        await pilot.press("escape")
        await pilot.press("a")
        await pilot.press("escape", "escape")
    report(loop_statements)
    assert ours(loop_statements) == []


async def test_checklists_and_processes_never_query_on_the_loop(
    app: ClientbookApp, owner: Staff, loop_statements: Statements
) -> None:
    a_client_owed_everything(owner)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4", "o", "o")
        await pilot.press("enter")
        assert isinstance(app.screen, ChecklistScreen)
        await pilot.press("space", "n")
        assert isinstance(app.screen, PromptScreen)
        await fill(pilot, answer="sent by post")
        await pilot.press("enter")
        await pilot.press("escape", "p")
        assert isinstance(app.screen, ProcessesScreen)
        await pilot.press("down", "up", "n")
        await fill(pilot, name="Renewal")
        await pilot.press("escape", "y")
        await pilot.press("e")
        await pilot.press("escape")
        await pilot.press("d")
        await pilot.press("r")
        await pilot.press("escape")
    report(loop_statements)
    assert ours(loop_statements) == []


async def test_the_actions_other_screens_call_never_query_on_the_loop(
    app: ClientbookApp, owner: Staff, loop_statements: Statements
) -> None:
    alice = a_client_owed_everything(owner)
    promise, concern = Promise.get(), Concern.get()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")
        app.keep_promise(promise.id, on_done=lambda: None)
        await pilot.pause()
        app.close_concern(concern.id, on_done=lambda: None)
        await pilot.pause()
        await fill(pilot, answer="resolved")
        await pilot.press("enter", "y", "enter")
        app.snooze(alice.id, alice.name, on_done=lambda: None)
        await pilot.pause()
        await fill(pilot, answer="on holiday")
        await pilot.press("enter")
        app.toggle_archive(alice.id, on_done=lambda: None)
        await pilot.press("n")
        app.new_client()
        await pilot.press("escape")
        app.log_interaction()
        await pilot.press("escape")
        app.start_process()
        await pilot.press("escape")
        await pilot.press("ctrl+z")
        assert app.is_running
    report(loop_statements)
    assert ours(loop_statements) == []


async def test_the_list_log_and_care_screens_are_reported(
    app: ClientbookApp, owner: Staff, loop_statements: Statements
) -> None:
    """Their own statements are only reported (run with -s); the dialogs they open are ours, and checked."""
    a_client_owed_everything(owner)
    add(owner, "Bo Byrne")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m", "m", "down", "b")  # care: mine/all, the brief of the highlighted client
        await pilot.press("escape", "g")  # a new due day, asked for the promise highlighted (if one is)
        await pilot.press("escape", "z")
        await pilot.press("escape", "k")
        await pilot.press("f2", "slash", *"ali")
        await pilot.press("escape", "escape", "s", "s", "m", "m", "end", "home", "e")
        await pilot.press("escape", "l")
        await pilot.press("escape", "k")
        await pilot.press("escape", "f3", "w", "w", "l")
        await pilot.press("escape", "e")
        await pilot.press("escape", "enter")
        await pilot.press("escape", "a")
        await pilot.press("ctrl+p", *"ali")
        await pilot.press("escape")
        assert app.is_running
    report(loop_statements)
    assert ours(loop_statements) == []


async def test_the_first_run_creates_the_owner_off_the_loop(
    book: OpenedBook, tmp_path: Path, loop_statements: Statements
) -> None:
    app = make_app(book, None, source=tmp_path / "settings.toml")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.screen.query_one("#owner", Input).value = "Pat Owner"
        await pilot.press("ctrl+s")
        assert app.user is not None and app.user.name == "Pat Owner"
    report(loop_statements)
    assert ours(loop_statements) == []


async def test_the_book_is_read_on_a_few_threads_with_small_caches(
    app: ClientbookApp, owner: Staff, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each worker thread keeps a connection, and each connection a page cache: Python's default pool
    (cpu count + 4 threads) with SQLite's default cache was most of the memory the app grew by."""
    a_client_owed_everything(owner)
    threads: set[str] = set()
    caches: set[int] = set()
    execute_sql = pw.Database.execute_sql

    def watched(self: pw.Database, sql: str, params: Any = None) -> Any:
        name = threading.current_thread().name
        if name not in threads and threading.get_ident() != loop_thread:
            threads.add(name)
            caches.add(execute_sql(self, "PRAGMA cache_size").fetchone()[0])  # type: ignore[no-untyped-call]
        return execute_sql(self, sql, params)  # type: ignore[no-untyped-call]

    loop_thread = threading.get_ident()
    monkeypatch.setattr(pw.Database, "execute_sql", watched)
    async with app.run_test(size=SIZE) as pilot:
        # Every screen, a search, a client and back: many reads at once, more than the pool has threads.
        await pilot.press("f2", "f3", "f4", "f5", "f2", "/", "a", "l", "enter")
        await pilot.press("escape", "f5", "f3", "f2")
    assert threads, "the script never reached the book"
    assert len(threads) <= BOOK_THREADS, threads
    assert all(name.startswith("book") for name in threads), threads
    assert caches == {-CONNECTION_CACHE_KIB}
