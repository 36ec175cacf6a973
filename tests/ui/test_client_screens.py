"""The client list, form and detail screens, driven by the Pilot; each test checks the screen and the book."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

from rich.console import Console
from textual.widgets import Input, Static

from clientbook.core.clients.operations import add_staff, update_client
from clientbook.core.clients.queries import draft_of
from clientbook.core.db import OpenedBook
from clientbook.core.models import ChangeSet, Client, ContactPerson, Staff
from clientbook.ui.app import ClientbookApp
from clientbook.ui.screens.client_detail import ClientDetailScreen
from clientbook.ui.screens.client_form import ClientFormScreen
from clientbook.ui.screens.clients import ClientsScreen
from clientbook.ui.screens.confirm import ConfirmScreen
from clientbook.ui.screens.help import HelpScreen
from clientbook.ui.screens.welcome import WelcomeScreen
from clientbook.ui.widgets.client_table import ClientTable
from clientbook.ui.widgets.form_field import FormField
from tests.conftest import add, field_changes
from tests.ui.conftest import SIZE, make_app


def table_text(app: ClientbookApp) -> str:
    table = app.screen.query_one(ClientTable)
    return "\n".join(table.render_line(y).text for y in range(table.size.height))


def text_of(static: Static) -> str:
    """What a Static shows, as plain text (tables and markup rendered)."""
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(static.content)
    return console.export_text()


def status(app: ClientbookApp) -> str:
    return str(app.screen.query_one("#status", Static).render())


async def test_opens_on_the_client_list_with_focus_on_the_list(app: ClientbookApp, owner: Staff) -> None:
    add(owner, "Alice Anders", company="Anders Design")
    add(owner, "Zoë Núñez")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ClientsScreen)
        assert isinstance(app.focused, ClientTable)
        text = table_text(app)
        assert "Alice Anders" in text and "Anders Design" in text and "Zoë Núñez" in text
        assert status(app) == "2 clients"


async def test_an_empty_book_says_how_to_start(app: ClientbookApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "No clients yet. Press n to add your first." in table_text(app)


async def test_slash_searches_as_you_type(app: ClientbookApp, owner: Staff) -> None:
    for name in ("Alice Anders", "Carla Alison", "Bo Byrne"):
        add(owner, name)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"ali")
        await pilot.pause(0.2)
        text = table_text(app)
        assert "Alice Anders" in text and "Carla Alison" in text and "Bo Byrne" not in text
        assert status(app) == '2 of 3 match "ali"'
        await pilot.press("down")  # back to the list, keeping the search
        assert isinstance(app.focused, ClientTable)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ClientDetailScreen)


async def test_search_with_quotes_and_operators_shows_no_error(app: ClientbookApp, owner: Staff) -> None:
    add(owner, "Alice Anders")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *'"a" OR b*', "apostrophe", "percent")
        await pilot.pause(0.2)
        assert "No client matches" in table_text(app)


async def test_a_new_client_with_missing_fields_writes_nothing(app: ClientbookApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ClientFormScreen)
        await pilot.press("space", "space", "ctrl+s")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ClientFormScreen)
        name_field = form.query_one("#field-name", FormField)
        assert name_field.has_class("-invalid")
        assert "required" in str(name_field.query_one(".form-field--error", Static).render())
        assert "give an email or a phone number" in str(
            form.query_one("#field-email", FormField).query_one(".form-field--error", Static).render()
        )
        assert app.focused is form.query_one("#name", Input)
        assert "2 fields need attention · nothing saved" in str(
            form.query_one("#form-status", Static).render()
        )
        assert Client.select().count() == 0


async def test_a_new_client_is_saved_and_selected(app: ClientbookApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        form.query_one("#name", Input).value = "Dalia Okafor"
        form.query_one("#email", Input).value = "dalia@okafor.example"
        form.query_one("#phone", Input).value = "020 7946 0958"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ClientsScreen)
        client = Client.get(Client.slug == "dalia-okafor")
        assert (client.email, client.phone_e164, client.stage) == (
            "dalia@okafor.example",
            "+442079460958",
            "lead",
        )
        table = app.screen.query_one(ClientTable)
        assert table.selected is not None and table.selected.id == client.id


async def test_an_organisation_with_contacts_is_found_by_a_contact(app: ClientbookApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        form.query_one("#name", Input).value = "Okafor & Co"
        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.press(*"Dalia Okafor")
        form.query_one(".c-email", Input).value = "dalia@okafor.example"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ClientsScreen)
        client = Client.get(Client.slug == "okafor-co")
        assert client.kind == "organisation"
        assert [(c.name, c.is_primary) for c in ContactPerson.of(client.id)] == [("Dalia Okafor", True)]
        await pilot.press("slash", *"dalia")
        await pilot.pause(0.2)
        assert "Okafor & Co" in table_text(app)


async def test_edit_records_the_change(app: ClientbookApp, owner: Staff) -> None:
    add(owner, "Alice Anders", company="Anders Design")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ClientFormScreen)
        assert form.query_one("#company", Input).value == "Anders Design"
        form.query_one("#company", Input).value = "Anders Studio"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert Client.get().company == "Anders Studio"
        assert field_changes("client") == {("company", "Anders Design", "Anders Studio")}
        assert ChangeSet.select().order_by(ChangeSet.id.desc()).first().actor.name == "Pat Owner"
        assert "Anders Studio" in table_text(app)


async def test_an_edit_made_meanwhile_by_someone_else_is_never_overwritten_unseen(
    app: ClientbookApp, owner: Staff
) -> None:
    client = add(owner, "Alice Anders", company="Anders Design", email="alice@x.com")
    sam = add_staff("Sam Field")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ClientFormScreen)
        # While the form is open, Sam (another app, the CLI) changes the company and the notes.
        draft = draft_of(client.id)
        meanwhile = dataclasses.replace(draft, company="Anders & Co", notes="From Sam")
        update_client(client.id, meanwhile, actor=sam, phone_region="GB")
        form.query_one("#company", Input).value = "Anders Studio"
        form.query_one("#email", Input).value = "alice@anders.studio"
        await pilot.press("ctrl+s")
        await pilot.pause()
        # Refused, the form open with what was typed, the clash beside its field; nothing written.
        field = next(field for key, field in form.fields() if key == "company")
        assert app.screen is form and form.query_one("#company", Input).value == "Anders Studio"
        message = str(field.query_one(".form-field--error", Static).render())
        assert message == (
            "changed meanwhile by Sam Field to “Anders & Co”; yours is “Anders Studio” "
            "(save again to keep yours)"
        )
        assert "Someone else changed it meanwhile · nothing saved · ctrl+s keeps yours" in str(
            form.query_one("#form-status", Static).render()
        )
        assert (Client.get().company, Client.get().email) == ("Anders & Co", "alice@x.com")
        # Saved again: the user's text, and Sam's notes, which the user never touched.
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is not form
        stored = Client.get()
        assert (stored.company, stored.email, stored.notes) == (
            "Anders Studio",
            "alice@anders.studio",
            "From Sam",
        )


async def test_escape_asks_before_throwing_away_changes(app: ClientbookApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("escape")  # nothing typed: closes at once
        await pilot.pause()
        assert isinstance(app.screen, ClientsScreen)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"Half typed", "escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ClientFormScreen)
        assert app.screen.query_one("#name", Input).value == "Half typed"
        await pilot.press("escape", "y")
        await pilot.pause()
        assert isinstance(app.screen, ClientsScreen)
        assert Client.select().count() == 0


async def test_archive_asks_then_hides_the_client(app: ClientbookApp, owner: Staff) -> None:
    add(owner, "Alice Anders")
    add(owner, "Bo Byrne")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert Client.get(Client.name == "Alice Anders").archived_at is not None
        assert "Alice Anders" not in table_text(app)
        await pilot.press("A")
        await pilot.pause()
        line = next(line for line in table_text(app).splitlines() if "Alice Anders" in line)
        assert line.rstrip().endswith("archived")


async def test_detail_shows_every_field_and_goes_back(app: ClientbookApp, owner: Staff) -> None:
    add(owner, "Alice Anders", company="Anders Design", timezone="America/New_York", notes="Prefers mornings")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ClientDetailScreen)
        overview = text_of(screen.query_one("#overview", Static))
        assert "Anders Design" in overview and "America/New_York (05:00 there now)" in overview
        assert "Prefers mornings" in text_of(screen.query_one("#notes", Static))
        assert not screen.query_one("#contacts").display
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ClientsScreen)


async def test_mine_filters_to_my_clients(app: ClientbookApp, owner: Staff) -> None:
    sam = add_staff("Sam Rivera")
    add(owner, "Alice Anders")
    add(owner, "Bo Byrne", point_person=sam.slug)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m")
        await pilot.pause()
        assert "Bo Byrne" not in table_text(app) and "Alice Anders" in table_text(app)
        await pilot.press("m")
        await pilot.pause()
        assert "Bo Byrne" in table_text(app)


async def test_f1_lists_the_keys_of_the_screen_and_of_forms(app: ClientbookApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        keys = {description for _, description, _ in app.screen.keys + app.screen.everywhere}
        assert {"New", "Edit", "Open", "Archive", "Search", "Clients", "Help"} <= keys
        await pilot.press("escape", "n")
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert ("^s", "Save", "form.save") in app.screen.keys
        assert all(binding_id for _, _, binding_id in app.screen.keys)


async def test_the_palette_jumps_to_a_client(app: ClientbookApp, owner: Staff) -> None:
    add(owner, "Alice Anders")
    add(owner, "Zoë Núñez")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"nunez")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert isinstance(app.screen, ClientDetailScreen)
        assert app.screen.client_id == Client.get(Client.slug == "zoe-nunez").id


async def test_first_run_asks_for_the_owner(book: OpenedBook, tmp_path: Path) -> None:
    app = make_app(book, None, source=tmp_path / "settings.toml")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)
        app.screen.query_one("#owner", Input).value = "   "
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen) and Staff.select().count() == 0
        app.screen.query_one("#owner", Input).value = "Robin Owner"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ClientsScreen)
        assert [s.name for s in Staff.select()] == ["Robin Owner"]
        assert app.user is not None and app.user.name == "Robin Owner"


async def test_a_narrow_terminal_keeps_names_whole_and_drops_lesser_columns(
    app: ClientbookApp, owner: Staff
) -> None:
    add(owner, "Alexandra Lindqvist-Okafor", company="Northlight Studio")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        header = app.screen.query_one(ClientTable).render_line(0).text
        assert "Email / phone" not in header and "Company" not in header
        assert "Name" in header and "Last contact" in header and "Care" in header
        assert "Alexandra Lindqvist-Okafor" in table_text(app)


async def test_clients_added_elsewhere_appear_without_a_restart(book: OpenedBook, owner: Staff) -> None:
    import threading

    from clientbook.core.db import close_database

    for name in ("Bo Byrne", "Carla Diaz", "Dalia Okafor"):
        add(owner, name)
    app = make_app(book, owner)
    app.watch_interval = 0.1
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("down")  # on Carla Diaz
        assert status(app) == "3 clients"

        def elsewhere() -> None:  # another clientbook (or the CLI) on its own connection
            add(owner, "Aaron Abbott")
            close_database()

        other = threading.Thread(target=elsewhere)
        other.start()
        other.join()
        await pilot.pause(0.6)
        assert "Aaron Abbott" in table_text(app)
        assert status(app) == "4 clients"
        selected = app.screen.query_one(ClientTable).selected
        assert selected is not None and selected.name == "Carla Diaz"  # the cursor stays on the same client


async def test_first_run_confirms_the_zone_and_region_and_saves_them(
    book: OpenedBook, tmp_path: Path
) -> None:
    from clientbook.settings import load_settings

    settings = tmp_path / "settings.toml"
    settings.write_text("# my settings\nreply_target_hours = 12\n\n[cadence]\nactive = 21\n")
    app = make_app(book, None, source=settings, phone_region="")  # a C.UTF-8 locale names no country
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WelcomeScreen)
        assert screen.query_one("#timezone", Input).value == "Europe/London"  # as detected
        assert screen.query_one("#phone_region", Input).value == ""
        screen.query_one("#owner", Input).value = "Robin Owner"
        screen.query_one("#timezone", Input).value = "Mars/Olympus"
        screen.query_one("#phone_region", Input).value = "XX"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen) and Staff.select().count() == 0
        errors = {
            key: str(screen.query_one(f"#field-{key} .form-field--error", Static).content)
            for key in ("timezone", "phone_region")
        }
        assert "not a time zone" in errors["timezone"] and "two-letter" in errors["phone_region"]
        screen.query_one("#timezone", Input).value = "america/new_york"
        screen.query_one("#phone_region", Input).value = "us"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ClientsScreen)
        assert [s.name for s in Staff.select()] == ["Robin Owner"]
    saved = load_settings(settings)
    assert (saved.timezone, saved.phone_region, saved.reply_target_hours) == ("America/New_York", "US", 12)
    assert saved.cadence["active"] == 21 and settings.read_text().startswith("# my settings\n")
    assert (app.settings.timezone, app.settings.phone_region) == ("America/New_York", "US")


async def test_the_no_match_message_is_whole_at_80_columns(app: ClientbookApp, owner: Staff) -> None:
    add(owner, "Alice Anders")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", *"qqqzzz")
        assert "n adds one." in table_text(app)
