"""Every form, dialog and screen at the smallest terminal it must serve (80x24), and cramped (60x20):
each control is reachable by `tab`, scrolled into view when focused and inside the screen, and the keys line
is on screen."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, Static

from clientbook.core.db import OpenedBook
from clientbook.core.drafts import ContactDraft, InteractionDraft
from clientbook.core.log.operations import log_interaction
from clientbook.core.models import Client, Staff
from clientbook.core.processes.operations import start_checklist
from clientbook.core.processes.queries import find_process
from clientbook.ui.app import ClientbookApp
from clientbook.ui.screens.client_form import ClientFormScreen
from clientbook.ui.screens.confirm import ConfirmScreen
from clientbook.ui.screens.prompt import PromptScreen
from clientbook.ui.widgets.form_field import FormField
from tests.conftest import add
from tests.ui.conftest import make_app

ZONE = "Europe/London"
SMALL = (80, 24)
CRAMPED = (60, 20)


def fully_shown(screen: Screen[object], widget: Widget) -> bool:
    """The widget is drawn, all of it, inside the screen and not clipped by a scrolling container."""
    try:
        geometry = screen.find_widget(widget)
    except Exception:
        return False
    region = geometry.region
    return bool(region) and screen.region.contains_region(region) and geometry.clip.contains_region(region)


def keys_line_shown(screen: Screen[object]) -> bool:
    keys = screen.query(".form--keys")
    return all(fully_shown(screen, line) for line in keys)


def client_with_history(owner: Staff) -> Client:
    client = add(owner, "Alice Anders", phone="020 7946 0958", company="Anders Design")
    log_interaction(
        InteractionDraft(
            client.slug, "yesterday 9am", "email", "inbound", "Invoice question", handled_by=owner.slug
        ),
        actor=owner,
        zone=ZONE,
    )
    start_checklist(
        client.id, find_process("new-client-onboarding").id, actor=owner, start=date(2026, 11, 23)
    )
    return client


def organisation(owner: Staff) -> Client:
    return add(
        owner,
        "Okafor & Co",
        kind="organisation",
        contacts=(
            ContactDraft("Dalia Okafor", "Director", "dalia@okafor.example", "020 7946 0001", True),
            ContactDraft("Femi Okafor", "Accounts", "femi@okafor.example", "", False),
        ),
    )


Opener = Callable[[ClientbookApp, Client], object]

DIALOGS: dict[str, Opener] = {
    "new client": lambda app, c: app.new_client(),
    "edit organisation": lambda app, c: app.edit_client(c.id),
    "log interaction": lambda app, c: app.log_interaction(c.slug, direction="outbound"),
    "promise": lambda app, c: app.new_promise(c.slug),
    "concern": lambda app, c: app.new_concern(c.slug),
    "key date": lambda app, c: app.new_key_date(c.id),
    "new process": lambda app, c: app.new_process(on_saved=lambda _: None),
    "edit process": lambda app, c: app.edit_process(find_process("new-client-onboarding").id, lambda _: None),
    "start checklist": lambda app, c: app.start_process(c.slug),
    "prompt": lambda app, c: app.push_screen(PromptScreen("The new due day agreed with the client")),
    "confirm": lambda app, c: app.push_screen(ConfirmScreen("Archive Alice Anders? Nothing is deleted.")),
    "interaction view": lambda app, c: app.open_interaction(1),
    "checklist view": lambda app, c: app.open_checklist(1),
    "brief": lambda app, c: app.show_brief(c.id),
}


async def check_every_control(pilot: Pilot[None]) -> int:
    """Tab round the current screen; each control, once focused, is fully on screen. Returns how many."""
    app = pilot.app
    screen = app.screen
    chain = list(screen.focus_chain)
    assert chain, f"{type(screen).__name__} has nothing to focus"
    reached: set[int] = set()
    for _ in range(len(chain)):
        focused = screen.focused
        assert focused is not None, f"nothing has focus in {type(screen).__name__}"
        reached.add(id(focused))
        where = f"{focused!r} in {type(screen).__name__} at {app.size}"
        assert fully_shown(screen, focused), f"{where} is not fully on screen"
        assert keys_line_shown(screen), f"the keys line is off screen in {type(screen).__name__}"
        await pilot.press("tab")
        await pilot.pause()
        assert app.screen is screen, f"tab left {type(screen).__name__}"
    assert reached == {id(w) for w in chain}, f"some controls are never reached by tab in {screen!r}"
    return len(chain)


@pytest.mark.parametrize("size", [SMALL, CRAMPED], ids=["80x24", "60x20"])
@pytest.mark.parametrize("dialog", list(DIALOGS))
async def test_every_dialog_fits_and_every_control_is_reachable(
    book: OpenedBook, owner: Staff, dialog: str, size: tuple[int, int]
) -> None:
    client = client_with_history(owner)
    org = organisation(owner)
    app = make_app(book, owner)
    async with app.run_test(size=size) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        DIALOGS[dialog](app, org if dialog == "edit organisation" else client)
        await pilot.pause()
        await pilot.pause()
        screen = app.screen
        assert screen.is_modal
        for frame in screen.query(".dialog"):
            assert screen.region.contains_region(frame.region), f"{dialog} is wider or taller than the screen"
        await check_every_control(pilot)


async def test_the_first_run_welcome_fits(book: OpenedBook) -> None:
    app = make_app(book, None)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        assert fully_shown(app.screen, app.screen.query_one(Input))
        assert keys_line_shown(app.screen)


SCREENS = ["f2", "f3", "f3 w", "f4", "f4 p", "f5", "f2 enter", "f2 f1", "f2 n f1"]


@pytest.mark.parametrize("size", [SMALL, CRAMPED], ids=["80x24", "60x20"])
@pytest.mark.parametrize("keys", SCREENS)
async def test_every_screen_fits(book: OpenedBook, owner: Staff, keys: str, size: tuple[int, int]) -> None:
    client_with_history(owner)
    organisation(owner)
    app = make_app(book, owner)
    async with app.run_test(size=size) as pilot:
        for key in keys.split():
            await pilot.press(key)
            await pilot.pause()
        await check_every_control(pilot)


async def test_forms_take_the_whole_screen_at_80_columns_and_stack_labels_when_cramped(
    book: OpenedBook, owner: Staff
) -> None:
    app = make_app(book, owner)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("f2", "n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ClientFormScreen)
        assert form.query_one(".dialog").region.width == 80
        assert not form.query_one("#field-name", FormField).has_class("-stacked")
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        assert form.query_one("#field-name", FormField).has_class("-stacked")
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert form.query_one(".dialog").region.width == 90
        assert not form.query_one("#field-name", FormField).has_class("-stacked")


@pytest.mark.parametrize("size", [SMALL, (120, 40)])
async def test_a_long_client_title_keeps_whole_parts(
    book: OpenedBook, owner: Staff, size: tuple[int, int]
) -> None:
    """The detail's title is `name · slug · stage`; where it cannot all fit, the slug goes, then the stage,
    never a part cut off mid-word with a dangling separator."""
    client = add(owner, "Meadowsweet Landscape Architects", stage="post-sale")
    app = make_app(book, owner)
    async with app.run_test(size=size) as pilot:
        await pilot.press("f2")
        app.open_client(client.id)
        await pilot.pause()
        title = app.screen.query_one(".title-bar--left", Static).render_line(0).text.rstrip()
        if size == SMALL:
            assert title.endswith("Meadowsweet Landscape Architects · post-sale"), title
        else:
            assert title.endswith(f"Architects · {client.slug} · post-sale"), title
