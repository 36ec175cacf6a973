"""What a key costs the screen: typing a search redraws the list, its status and the box, and lays nothing
out again (a layout draws the whole screen anew); the scrollbar still follows the count."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len
from textual.screen import Screen
from textual.widgets import Input

from clientbook.core.models import Staff
from clientbook.ui.app import ClientbookApp
from clientbook.ui.widgets.client_table import ClientTable
from clientbook.ui.widgets.virtual_table import HEADER, laid_out_width, layout
from tests.conftest import add
from tests.ui.conftest import _ORIGINAL_PAUSE, SIZE
from tests.ui.test_client_screens import status, table_text


@pytest.fixture
def layouts(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The screens laid out, one entry per layout, while the test runs."""
    seen: list[str] = []
    original = Screen._refresh_layout

    def counted(self: Screen[Any], *args: Any, **kwargs: Any) -> None:
        seen.append(type(self).__name__)
        original(self, *args, **kwargs)

    monkeypatch.setattr(Screen, "_refresh_layout", counted)
    yield seen


async def test_typing_a_search_lays_nothing_out(app: ClientbookApp, owner: Staff, layouts: list[str]) -> None:
    for number in range(60):
        add(owner, f"{'Alison' if number % 3 else 'Byrne'} {number:02}")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2", "slash")
        layouts.clear()
        await pilot.press(*"alis", "backspace")
        assert "Alison" in table_text(app) and "Byrne" not in table_text(app)
        assert status(app) == '40 of 60 match "ali"'
        assert layouts == [], "a key typed in the search redraws what changed, nothing is laid out"


async def test_the_scrollbar_follows_the_count_as_a_search_narrows_and_widens(
    app: ClientbookApp, owner: Staff
) -> None:
    for number in range(300):
        add(owner, f"{'Alison' if number % 30 else 'Byrne'} {number:03}")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")
        table = app.screen.query_one(ClientTable)
        bar = table.vertical_scrollbar
        assert table.count == 300 and bar.window_virtual_size == 300 + HEADER
        await pilot.press("slash", *"alis")
        assert table.count == 290 and bar.window_virtual_size == 290 + HEADER
        await pilot.press(*["backspace"] * 4, *"byr")
        assert table.count == 10 and table.virtual_size.height == 10 + HEADER
        assert not table.show_vertical_scrollbar, "ten rows fit: no scrollbar"
        await pilot.press("backspace", "backspace", "backspace")
        assert table.count == 300 and bar.window_virtual_size == 300 + HEADER
        await pilot.press("down", "end")
        assert "Alison 299" in table_text(app), "the end of the list is reachable: the scroll range followed"


async def test_the_thumb_follows_when_rows_that_fitted_grow_again(app: ClientbookApp, owner: Staff) -> None:
    """At the end of the list, a search that leaves a few rows (no scrollbar), then cleared: the list shows
    its top, and so does the scrollbar's thumb."""
    for number in range(300):
        add(owner, f"{'Alison' if number % 30 else 'Byrne'} {number:03}")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2", "end")
        table = app.screen.query_one(ClientTable)
        assert table.scroll_offset.y > 0 and table.vertical_scrollbar.position == table.scroll_offset.y
        await pilot.press("slash", *"byr")
        assert not table.show_vertical_scrollbar
        await pilot.press("escape")
        assert table.count == 300 and table.show_vertical_scrollbar
        assert table.vertical_scrollbar.position == table.scroll_offset.y


async def test_a_search_being_counted_says_so_not_the_last_count(
    app: ClientbookApp, owner: Staff, monkeypatch: pytest.MonkeyPatch
) -> None:
    for number in range(160):
        add(owner, f"{'Alison' if number % 16 else 'Byrne'} {number:03}")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2", "slash", *"ali")
        assert status(app) == '150 of 160 match "ali"'
        counting = threading.Event()
        original = ClientTable.count_rows

        def slow_count(self: ClientTable) -> int:
            counting.wait(5)  # the count of a large book, still running
            return original(self)

        monkeypatch.setattr(ClientTable, "count_rows", slow_count)
        pilot.app.screen.query_one("#search", Input).value = "alis"  # a page of matches or more: counted
        await _ORIGINAL_PAUSE(pilot, 0.2)
        assert status(app) == "searching…", "never 150 of 160 beside a search that has not been counted"
        counting.set()
        await pilot.pause()
        assert status(app) == '150 of 160 match "alis"'


@pytest.mark.properties
@given(
    # Joiners aside: a line holding one is measured (see virtual_table._JOINERS).
    cells=st.lists(
        st.text(st.characters(exclude_characters="\u200d\ufe0f"), max_size=30), min_size=1, max_size=6
    ),
    width=st.integers(min_value=1, max_value=30),
)
def test_a_line_takes_exactly_the_width_its_columns_were_given(cells: list[str], width: int) -> None:
    """Any text (wide characters, emoji, combining marks, line breaks) is cut or padded to its column, so
    the line's length is known without measuring it: the table draws it with that length, and a line one
    cell off would shift every column after it."""
    widths = [width] * len(cells)
    assert cell_len(layout(cells, widths)) == laid_out_width(widths)
