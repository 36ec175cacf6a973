"""Coming back to a screen: what it shows is kept (its styles are not worked out again for nothing), but a
change made while it was away (the theme) still reaches it; the footer's keys can be clicked."""

from __future__ import annotations

import gc

from rich.style import Style
from textual.color import Color

from clientbook.core.models import Staff
from clientbook.ui.app import ClientbookApp
from clientbook.ui.screens.client_form import ClientFormScreen
from clientbook.ui.screens.clients import ClientsScreen
from clientbook.ui.screens.log import LogScreen
from clientbook.ui.widgets.client_table import ClientTable
from clientbook.ui.widgets.fitted_footer import FittedFooter
from tests.conftest import add
from tests.ui.conftest import SIZE


def background(app: ClientbookApp) -> Color:
    return app.screen.styles.background


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
