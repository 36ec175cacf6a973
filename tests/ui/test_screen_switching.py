"""Coming back to a screen: what it shows is kept (its styles are not worked out again for nothing), but a
change made while it was away (the theme) still reaches it; the footer's keys can be clicked."""

from __future__ import annotations

import gc
import sys
import time
from typing import Any

import pytest
from rich.style import Style
from textual.color import Color
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Static

from clientbook.core.care import queries as care_queries
from clientbook.core.care.queries import CareQueue
from clientbook.core.db import OpenedBook
from clientbook.core.models import Staff
from clientbook.ui.app import DETAIL_SCREEN, DETAIL_WAIT_S, ClientbookApp
from clientbook.ui.screens import client_detail
from clientbook.ui.screens.client_detail import ClientDetailScreen, DetailRead, read_detail
from clientbook.ui.screens.client_form import ClientFormScreen
from clientbook.ui.screens.clients import ClientsScreen
from clientbook.ui.screens.help import HelpScreen
from clientbook.ui.screens.log import LogScreen
from clientbook.ui.widgets.client_table import ClientTable
from clientbook.ui.widgets.fitted_footer import FittedFooter
from clientbook.ui.widgets.interaction_table import InteractionTable
from clientbook.ui.widgets.virtual_table import VirtualTable
from tests.conftest import add
from tests.ui.conftest import SIZE, make_app
from tests.ui.test_care_screens import lines as care_lines
from tests.ui.test_client_screens import text_of
from tests.ui.test_log_screens import log


def background(app: ClientbookApp) -> Color:
    return app.screen.styles.background


def on_top(app: ClientbookApp, screen: Screen[Any]) -> bool:
    """Whether `screen` is the one shown (a function: `app.screen is x` would narrow x's type)."""
    return app.screen is screen


def row_style(app: ClientbookApp) -> Style | None:
    """The style the client list draws its second row in (the first has the cursor, drawn in the accent)."""
    return next(iter(app.screen.query_one(ClientTable).render_line(2))).style


async def test_a_theme_changed_elsewhere_reaches_a_screen_when_it_comes_back(
    app: ClientbookApp, owner: Staff
) -> None:
    add(owner, "Ada Lovelace")
    add(owner, "Bo Bramble")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")
        dark, dark_row = background(app), row_style(app)
        await pilot.press("f3")
        assert isinstance(app.screen, LogScreen)
        app.theme = "textual-light"
        await pilot.pause()
        await pilot.press("f2")
        assert isinstance(app.screen, ClientsScreen)
        assert background(app) != dark
        assert row_style(app) != dark_row, "a row drawn before the change is not shown in the old colours"
        shown = row_style(app)
        app.screen.query_one(ClientTable)._lines.clear()
        assert row_style(app) == shown, "what is drawn is what a fresh draw gives"


async def test_a_screen_that_comes_back_unchanged_shows_what_it_showed(
    app: ClientbookApp, owner: Staff
) -> None:
    add(owner, "Ada Lovelace")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")
        table = app.screen.query_one(ClientTable)
        before = [table.render_line(y).text for y in range(3)]
        await pilot.press("f3", "f2")
        assert app.screen.query_one(ClientTable) is table
        assert [table.render_line(y).text for y in range(3)] == before


async def test_the_main_screens_are_kept_out_of_the_garbage_collectors_walks(
    app: ClientbookApp, owner: Staff
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        for key in ("f2", "f3", "f4", "f5"):
            await pilot.press(key)
        frozen = gc.get_freeze_count()
        assert frozen > 10_000, "the screens shown are frozen once painted"
        await pilot.press("f2", "f3")
        assert gc.get_freeze_count() <= frozen, "and only the first time (frozen objects may still be freed)"
    gc.unfreeze()


async def test_clicking_a_key_in_the_footer_presses_it(app: ClientbookApp, owner: Staff) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")
        footer = app.screen.query_one(FittedFooter)
        new = next(item for item in footer.shown if item.description == "New")
        x = footer.render_line(0).text.index(new.label) + 1
        await pilot.click(FittedFooter, offset=(x, 0))
        await pilot.pause()
        assert isinstance(app.screen, ClientFormScreen)


async def test_the_detail_screen_shown_again_shows_only_the_new_client(
    app: ClientbookApp, owner: Staff
) -> None:
    ada = add(owner, "Ada Lovelace", notes="Prefers mornings")
    add(owner, "Bo Bramble")
    log(owner, ada, "inbound", "2026-11-20 10:00", "Asked about the invoice")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2", "enter")
        first = app.screen
        assert isinstance(first, ClientDetailScreen) and first.read is not None
        assert first.read.detail.name == "Ada Lovelace"
        await pilot.press("escape", "down")
        shown: list[str] = []
        # What the screen shows from the moment it is pushed, before the book has answered.
        first.switch_to(first.client_id)  # the same client again: kept as it is
        assert "Prefers mornings" in text_of(first.query_one("#notes", Static))
        table = app.screen.query_one(ClientTable)
        assert table.selected is not None and table.selected.name == "Bo Bramble"
        first.switch_to(table.selected.id)
        shown.append(text_of(first.query_one("#overview", Static)))
        timeline = first.query_one(InteractionTable)
        shown.append("\n".join(timeline.render_line(y).text for y in range(3)))
        assert not any("Ada" in text or "invoice" in text for text in shown), shown
        assert not first.query_one("#notes").display
        await pilot.press("enter")
        assert on_top(app, first), "the one detail screen is shown again"
        assert first.read is not None and first.read.detail.name == "Bo Bramble"
        lines = "\n".join(timeline.render_line(y).text for y in range(4))
        assert "invoice" not in lines and "Nothing logged" in lines


async def test_a_client_opened_over_the_detail_gets_a_detail_of_its_own(
    app: ClientbookApp, owner: Staff
) -> None:
    """The palette jumps to a client from anywhere, a client's detail included: the kept detail screen is
    still open beneath, so the second client gets a new one, and `escape` comes back to the first."""
    add(owner, "Ada Lovelace")
    bo = add(owner, "Bo Bramble")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2", "enter")
        first = app.screen
        assert isinstance(first, ClientDetailScreen) and first.read is not None
        app.open_client(bo.id)
        await pilot.pause()
        second = app.screen
        assert isinstance(second, ClientDetailScreen) and second is not first
        assert second.read is not None and second.read.detail.name == "Bo Bramble"
        await pilot.press("escape")
        assert on_top(app, first) and first.read.detail.name == "Ada Lovelace"
        await pilot.press("escape", "down", "enter")
        assert on_top(app, first) and first.read is not None and first.read.detail.name == "Bo Bramble"


def shown_on_arrival(app: ClientbookApp, screen: ClientDetailScreen) -> list[str]:
    """What `screen` shows (title and fields) each time it becomes the screen on top."""
    seen: list[str] = []

    def arrived(on_top: Screen[Any]) -> None:
        if on_top is screen:
            left = screen.query_one(".title-bar--left", Static)
            seen.append(text_of(left) + text_of(screen.query_one("#overview", Static)))

    app.screen_change_signal.subscribe(app, arrived)
    return seen


async def kept_detail_over_bo(pilot: Pilot[None]) -> tuple[ClientDetailScreen, list[str]]:
    """Ada opened and closed (the detail screen now kept), the list's cursor on Bo; the kept screen and
    what it will show each time it arrives on top."""
    await pilot.press("f2", "enter", "escape", "down")
    app = pilot.app
    assert isinstance(app, ClientbookApp)
    detail = app.get_screen(DETAIL_SCREEN)
    assert isinstance(detail, ClientDetailScreen)
    return detail, shown_on_arrival(app, detail)


async def test_a_client_is_shown_once_read_not_as_loading_first(app: ClientbookApp, owner: Staff) -> None:
    """The kept detail screen reads the next client before it is shown: it arrives whole (one layout of
    the screen), never as *Loading…* replaced a moment later."""
    add(owner, "Ada Lovelace")
    add(owner, "Bo Bramble", email="bo@example.com")
    async with app.run_test(size=SIZE) as pilot:
        detail, seen = await kept_detail_over_bo(pilot)
        await pilot.press("enter")
        assert on_top(app, detail)
        assert len(seen) == 1 and "Bo Bramble" in seen[0] and "bo@example.com" in seen[0], seen
        assert "Loading" not in seen[0]


async def test_a_slow_read_shows_the_client_loading_and_then_whole(
    app: ClientbookApp, owner: Staff, monkeypatch: pytest.MonkeyPatch
) -> None:
    add(owner, "Ada Lovelace")
    add(owner, "Bo Bramble", email="bo@example.com")
    async with app.run_test(size=SIZE) as pilot:
        detail, seen = await kept_detail_over_bo(pilot)

        def slow_read(*args: Any) -> DetailRead:
            time.sleep(DETAIL_WAIT_S * 3)  # the book busy with another program's write
            return read_detail(*args)

        monkeypatch.setattr(client_detail, "read_detail", slow_read)
        await pilot.press("enter")
        assert len(seen) == 1 and "Loading" in seen[0] and "bo@example.com" not in seen[0], seen
        assert on_top(app, detail) and "bo@example.com" in text_of(detail.query_one("#overview", Static))


async def test_a_client_read_after_the_user_moved_on_is_not_shown(
    app: ClientbookApp, owner: Staff, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A key pressed while the client is read (here `f1`, the keys) wins: the client does not appear over
    what the user turned to, nor under it."""
    add(owner, "Ada Lovelace")
    bo = add(owner, "Bo Bramble")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2", "enter", "escape")

        def slow_read(*args: Any) -> DetailRead:
            time.sleep(DETAIL_WAIT_S / 3)  # slow enough for the key to come first, quicker than the wait
            return read_detail(*args)

        monkeypatch.setattr(client_detail, "read_detail", slow_read)
        app.open_client(bo.id)
        await pilot.press("f1")
        await pilot.pause(DETAIL_WAIT_S * 2)
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, ClientsScreen)


async def test_each_main_screen_reads_its_rows_once_per_visit(
    app: ClientbookApp, owner: Staff, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One read of the rows for each visit, the first (at start, or on its key) included: not one from
    mounting and another from being shown."""
    ada = add(owner, "Ada Lovelace")
    log(owner, ada, "inbound", "yesterday 9am", "Invoice question")  # awaiting a reply: the app opens on care
    reads: list[str] = []
    original = VirtualTable._read

    def counted(table: VirtualTable[Any], *args: Any) -> None:
        reads.append(type(table.screen).__name__)
        original(table, *args)

    queues: list[object] = []
    queue = care_queries.care_queue

    def counted_queue(*args: Any, **kwargs: Any) -> CareQueue:
        queues.append(args)
        return queue(*args, **kwargs)

    monkeypatch.setattr(VirtualTable, "_read", counted)
    monkeypatch.setattr("clientbook.ui.widgets.care_table.care_queue", counted_queue)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert len(queues) == 1, "the reading that chose care as the first screen is the one it shows"
        assert reads == [], "so the care table reads nothing of its own"
        assert any("Invoice question" in line for line in care_lines(app))
        for key, screen in (("f2", "ClientsScreen"), ("f3", "LogScreen"), ("f4", "ChecklistsScreen")):
            reads.clear()
            await pilot.press(key)
            assert reads == [screen], f"{key}, the first visit"
        for key, screen in (("f5", "CareScreen"), ("f2", "ClientsScreen"), ("f3", "LogScreen")):
            reads.clear()
            await pilot.press(key)
            assert reads == [screen], f"{key}, coming back"


async def test_the_forms_and_other_screens_load_after_the_first_screen_is_painted(
    app: ClientbookApp, owner: Staff, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app paints its first screen before anything it does not show is imported, then imports the rest
    on a worker, so the first form or screen opened later waits for no import."""
    add(owner, "Ada Lovelace")
    later = "clientbook.ui.screens.care_forms", "clientbook.ui.screens.log", "clientbook.core.care.brief"
    for name in later:
        monkeypatch.delitem(sys.modules, name, raising=False)
    loaded_at_paint: list[bool] = []
    original = app._load_the_rest

    def load() -> None:
        loaded_at_paint.extend(name in sys.modules for name in later)
        original()

    monkeypatch.setattr(app, "_load_the_rest", load)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(100):
            await pilot.pause(0.02)
            if app.rest_loaded:
                break
        assert loaded_at_paint == [False, False, False]
        assert all(name in sys.modules for name in later)
        await pilot.press("f3")
        assert type(app.screen).__name__ == "LogScreen"  # the screen the worker loaded, not this module's


@pytest.mark.parametrize("owned", [False, True], ids=["first run", "owned book"])
async def test_the_collector_is_back_on_once_the_app_is_up(
    book: OpenedBook, owner: Staff, owned: bool
) -> None:
    """`clientbook` starts with the garbage collector off; the app turns it back on, whether it opens on a
    screen of rows or on the first run's form (which may stay up a while)."""
    app = make_app(book, owner if owned else None)
    gc.disable()
    try:
        async with app.run_test(size=SIZE) as pilot:
            for _ in range(100):
                await pilot.pause(0.02)
                if gc.isenabled():
                    break
            assert gc.isenabled()
    finally:
        gc.enable()
