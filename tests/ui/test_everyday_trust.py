"""Everyday trust: nothing typed is lost, messages say what is true now, escape goes back where you came
from, and what the user typed (brackets and all) is shown as typed, on every screen."""

from __future__ import annotations

import html
import re

import pytest
from rich.cells import cell_len
from textual.widgets import Input, Static

from clientbook.core.care.operations import add_concern
from clientbook.core.db import OpenedBook
from clientbook.core.drafts import ConcernDraft, ContactDraft
from clientbook.core.models import Concern, Staff
from clientbook.ui.app import ClientbookApp
from clientbook.ui.screens.brief import BriefScreen
from clientbook.ui.screens.care import CareScreen
from clientbook.ui.screens.client_detail import ClientDetailScreen
from clientbook.ui.screens.client_form import ClientFormScreen, ContactRow
from clientbook.ui.screens.clients import ClientsScreen
from clientbook.ui.screens.confirm import ConfirmScreen
from clientbook.ui.screens.help import HelpScreen
from clientbook.ui.screens.interaction import InteractionScreen
from clientbook.ui.screens.interaction_form import InteractionFormScreen
from clientbook.ui.screens.prompt import PromptScreen
from clientbook.ui.widgets.care_table import CareTable
from clientbook.ui.widgets.client_table import ClientTable
from clientbook.ui.widgets.fitted_footer import FittedFooter
from clientbook.ui.widgets.form_field import FormField
from tests.conftest import add
from tests.ui.conftest import SIZE, make_app
from tests.ui.test_care_screens import highlight, owe_a_bit_of_everything
from tests.ui.test_layout import fully_shown
from tests.ui.test_log_screens import error, hint, log


def screen_text(app: ClientbookApp) -> str:
    """The characters on screen now, as a person reads them."""
    svg = app.export_screenshot()
    runs = re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S)
    return html.unescape("".join(runs)).replace("\xa0", " ")


# Nothing typed is lost -----------------------------------------------------------------------------------


async def test_ctrl_q_asks_before_throwing_away_a_changed_form(
    app: ClientbookApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    exits: list[bool] = []
    monkeypatch.setattr(app, "exit", lambda *args, **kwargs: exits.append(True))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2", "n")
        await pilot.pause()
        await pilot.press(*"Half typed")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen) and not exits
        await pilot.press("n")  # keep editing
        await pilot.pause()
        assert isinstance(app.screen, ClientFormScreen)
        assert app.screen.query_one("#name", Input).value == "Half typed"
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert exits == [True]


async def test_ctrl_q_quits_at_once_when_nothing_was_changed(
    app: ClientbookApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    exits: list[bool] = []
    monkeypatch.setattr(app, "exit", lambda *args, **kwargs: exits.append(True))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2", "n")
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert exits == [True]


async def test_a_bad_check_in_day_keeps_the_dialog_and_the_answers_before_it(
    app: ClientbookApp, owner: Staff
) -> None:
    owe_a_bit_of_everything(owner)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await highlight(app, "missed deadline")
        await pilot.press("x")
        await pilot.pause()
        app.screen.query_one(Input).value = "resolved"
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("y")  # the client confirmed
        await pilot.pause()
        prompt = app.screen
        assert isinstance(prompt, PromptScreen)
        prompt.query_one(Input).value = "31 Feb"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is prompt  # still open, with the reason beside the box
        field = prompt.query_one(FormField)
        assert field.has_class("-invalid") or "Feb" in str(
            field.query_one(".form-field--hint", Static).content
        )
        assert Concern.get().resolved_at is None
        prompt.query_one(Input).value = "in 7 days"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CareScreen)
        concern = Concern.get()
        assert concern.resolved_at is not None and concern.client_confirmed


async def test_a_word_other_than_resolved_keeps_the_question_open(app: ClientbookApp, owner: Staff) -> None:
    owe_a_bit_of_everything(owner)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await highlight(app, "missed deadline")
        await pilot.press("x")
        await pilot.pause()
        app.screen.query_one(Input).value = "done"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)
        assert app.screen.query_one(FormField).has_class("-invalid")


async def test_short_day_prompts_read_the_day_back_with_its_weekday(app: ClientbookApp, owner: Staff) -> None:
    owe_a_bit_of_everything(owner)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await highlight(app, "revised quote")
        await pilot.press("g")
        await pilot.pause()
        prompt = app.screen
        assert isinstance(prompt, PromptScreen)
        await pilot.press(*"fri")
        await pilot.pause()
        assert "Fri 27 Nov 2026" in str(prompt.query_one(".form-field--hint", Static).content)
        prompt.query_one(Input).value = "31 Feb"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is prompt  # refused beside the box, not thrown away


async def test_editing_an_interaction_keeps_the_summary_when_typing(app: ClientbookApp, owner: Staff) -> None:
    alice = add(owner, "Alice Anders")
    interaction = log(owner, alice, "inbound", "yesterday 9am", "Asked for a quote")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.edit_interaction(interaction.id)
        await pilot.pause()
        form = app.screen
        assert isinstance(form, InteractionFormScreen)
        assert form.focused is form.query_one("#summary", Input)
        await pilot.press(*" today")
        assert form.query_one("#summary", Input).value == "Asked for a quote today"


async def test_a_stale_message_clears_once_the_field_is_typed_in(app: ClientbookApp, owner: Staff) -> None:
    add(owner, "Alice Anders")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2", "l")
        await pilot.pause()
        form = app.screen
        form.query_one("#when", Input).value = "7:30"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "am or pm" in error(form, "when")
        assert form.query_one("#field-when", FormField).has_class("-invalid")
        form.query_one("#when", Input).value = "7:30pm"
        await pilot.pause()
        assert not form.query_one("#field-when", FormField).has_class("-invalid")
        assert "19:30" in hint(form, "when")


# Escape goes back where you came from --------------------------------------------------------------------


async def test_a_client_opened_from_care_goes_back_to_care(app: ClientbookApp, owner: Staff) -> None:
    owe_a_bit_of_everything(owner)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, CareScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ClientDetailScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CareScreen)


async def test_escape_in_the_search_box_clears_it_then_leaves_it(app: ClientbookApp, owner: Staff) -> None:
    for name in ("Alice Anders", "Bo Byrne"):
        add(owner, name)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2", "slash", *"zzz")
        await pilot.pause(0.3)
        search = app.screen.query_one("#search", Input)
        await pilot.press("escape")
        await pilot.pause(0.3)
        assert search.value == "" and search.has_focus
        assert app.screen.query_one(ClientTable).count == 2
        await pilot.press("escape")
        assert isinstance(app.focused, ClientTable)


# f1 -------------------------------------------------------------------------------------------------------


async def test_f1_names_the_screen_in_words_and_lists_the_keys_that_work_everywhere(
    app: ClientbookApp, owner: Staff
) -> None:
    add(owner, "Alice Anders")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2", "l")
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        assert "Keys · Log an interaction" in text and "InteractionForm" not in text
        assert "Id (for [keymap] in settings)" in text
        for key in ("s", "p", "q"):
            assert f"^{key}" in text or f"ctrl+{key}" in text, key
        for key in ("f2", "f3", "f4", "f5", "Command palette", "Quit", "Everywhere"):
            assert key in text, key


# Brackets are shown as typed --------------------------------------------------------------------------


BOLD = "[b]Bold[/b] & [keymap]"


async def test_brackets_are_shown_literally_on_every_screen(book: OpenedBook, owner: Staff) -> None:
    # `[VIP]` (capitals) is the hard case: Rich's own escape leaves it alone and Textual drops it as a tag.
    bold = add(owner, BOLD, notes="Call [after] lunch [i]please[/i]", company="[Co]")
    ann = add(
        owner,
        "Ann [VIP]",
        kind="organisation",
        contacts=(ContactDraft("Dee [boss]", "[role]", "dee@example.com", "", True),),
    )
    log(owner, bold, "inbound", "yesterday 9am", "Re: [urgent] invoice", details="See [attached]")
    add_concern(ConcernDraft(ann.slug, "Late [again]", "high"), actor=owner)
    app = make_app(book, owner)
    async with app.run_test(size=SIZE) as pilot:

        async def shows(*texts: str) -> None:
            await pilot.pause()
            seen = screen_text(app)
            for text in texts:
                assert text in seen, f"{text!r} not shown on {type(app.screen).__name__}: {seen}"

        await pilot.press("f2")
        await shows(BOLD, "Ann [VIP]")
        app.open_client(ann.id)
        await shows("Ann [VIP]", "Dee [boss]", "[role]", "Late [again]")
        await pilot.press("escape")
        app.open_client(bold.id)
        await shows(BOLD, "Call [after] lunch [i]please[/i]", "[Co]", "Re: [urgent] invoice")
        await pilot.press("enter")
        assert isinstance(app.screen, InteractionScreen)
        await shows("Re: [urgent] invoice", "See [attached]", BOLD)
        await pilot.press("escape", "b")
        assert isinstance(app.screen, BriefScreen)
        await shows(BOLD)
        await pilot.press("escape", "f3")
        await shows("[b]Bold[/b] & [key", "Re: [urgent] invoice")  # the log's Client column is narrow
        await pilot.press("f5")
        await shows(BOLD, "Re: [urgent] invoice", "Ann [VIP]", "Late [again]")
        await pilot.press("f4")
        await shows("Checklists")
        await pilot.press("f2", "slash", *"[VIP]")
        await pilot.pause(0.3)
        await shows('1 of 2 match "[VIP]"')
        await pilot.press("f1")
        await shows("[keymap]")


# Contact people ------------------------------------------------------------------------------------------


async def test_a_new_contact_person_is_scrolled_into_view_with_its_name_focused(app: ClientbookApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2", "n")
        await pilot.pause()
        for _ in range(3):
            await pilot.press("ctrl+o")
            await pilot.pause()
            await pilot.pause()
            form = app.screen
            row = list(form.query(ContactRow))[-1]
            name = row.query_one(".c-name", Input)
            assert form.focused is name
            assert fully_shown(form, name)
            await pilot.press(*"Dee")
            assert name.value == "Dee"


async def test_the_detail_shows_every_part_of_each_contact_at_100_columns(
    book: OpenedBook, owner: Staff
) -> None:
    add(
        owner,
        "Okafor & Co",
        kind="organisation",
        contacts=(
            ContactDraft(
                "Dalia Okafor", "Managing director", "dalia.okafor@okafor.example", "020 7946 0001", True
            ),
            ContactDraft("Femi Okafor", "Accounts", "femi@okafor.example", "020 7946 0002", False),
        ),
    )
    app = make_app(book, owner)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("f2", "enter")
        await pilot.pause()
        text = screen_text(app)
        for part in (
            "Dalia Okafor",
            "Managing director",
            "dalia.okafor@okafor.example",
            "020 7946 0001",
            "primary",
            "Femi Okafor",
            "femi@okafor.example",
        ):
            assert part in text, part


# Using the width -------------------------------------------------------------------------------------------


async def test_columns_share_the_width_their_cells_need(book: OpenedBook, owner: Staff) -> None:
    add(owner, "Bo", email="alexandra.konstantinopoulou@example.com")
    add(owner, "Cy", phone="+1 212 555 0123")
    app = make_app(book, owner)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        table = app.screen.query_one(ClientTable)
        text = "\n".join(table.render_line(y).text for y in range(table.size.height))
        assert "alexandra.konstantinopoulou@example.com" in text
        assert "+1 212 555 0123" in text


@pytest.mark.parametrize("width", [80, 91, 100, 107, 120])
async def test_footers_leave_out_whole_keys(app: ClientbookApp, owner: Staff, width: int) -> None:
    owe_a_bit_of_everything(owner)
    async with app.run_test(size=(width, 24)) as pilot:
        for key in ("f5", "f2", "f3", "f4"):
            await pilot.press(key)
            await pilot.pause()
            footer = app.screen.query_one(FittedFooter)
            line = footer.render_line(0).text
            shown = footer.shown
            assert len(shown) > 1
            assert shown[-1].description == "palette", "the palette's key stays at the right"
            for item in shown:
                assert item.label in line, f"{item.label!r} is cut at {width} columns"
            left_out = [item for item in footer._items if item not in shown]
            for item in left_out:
                assert item.label not in line
            if left_out:
                # Left out from the end, and only because it did not fit.
                assert footer._items[: len(shown) - 1] == tuple(shown[:-1])
                assert sum(item.width for item in shown) + 1 + left_out[0].width > width


@pytest.mark.parametrize("width", [60, 80, 120])
async def test_care_lines_never_wrap(app: ClientbookApp, owner: Staff, width: int) -> None:
    owe_a_bit_of_everything(owner)
    async with app.run_test(size=(width, 24)) as pilot:
        await pilot.press("f5")
        await pilot.pause()
        table = app.screen.query_one(CareTable)
        width = table.content_width
        assert table.view is not None
        assert all(cell_len(table.line_text(line)) <= width for line in table.view.lines)
        assert "Alice Anders" in screen_text(app)


async def test_the_client_list_toolbar_never_cuts_a_word(app: ClientbookApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        for width in (80, 100, 105, 110, 120):
            await pilot.resize_terminal(width, 24)
            await pilot.press("f2")
            await pilot.pause()
            view = app.screen.query_one("#view", Static)
            words = str(view.content)
            assert words in ("", "sort: name", "sort: name   archived: hidden")
            if words:
                assert app.screen.region.contains_region(view.region), width
        assert isinstance(app.screen, ClientsScreen)
