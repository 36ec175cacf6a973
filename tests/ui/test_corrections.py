"""Every slip can be taken back in the app: ctrl+z, deleting with a confirmation, and keys that say why they
do not apply. Driven by the Pilot over a real book; each test checks the screen and what the book holds."""

from __future__ import annotations

from textual.widgets import Input, Static

from clientbook.core.care.operations import add_promise
from clientbook.core.drafts import ContactDraft, InteractionDraft, PromiseDraft
from clientbook.core.log.operations import log_interaction
from clientbook.core.models import Client, ContactPerson, Interaction, Promise, Staff
from clientbook.ui.app import ClientbookApp
from clientbook.ui.screens.care import CareScreen
from clientbook.ui.screens.choose import ChooseScreen
from clientbook.ui.screens.client_detail import ClientDetailScreen
from clientbook.ui.screens.client_form import ClientFormScreen
from clientbook.ui.screens.confirm import ConfirmScreen
from clientbook.ui.screens.log import LogScreen
from clientbook.ui.widgets.care_table import CareTable
from tests.conftest import add
from tests.ui.conftest import SIZE

ZONE = "Europe/London"


def notices(app: ClientbookApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def settle(app: ClientbookApp, pilot: object) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()  # type: ignore[attr-defined]


def inbound(owner: Staff, client: Client, summary: str) -> Interaction:
    draft = InteractionDraft(client.slug, "today 9am", "email", "inbound", summary, handled_by=owner.slug)
    return log_interaction(draft, actor=owner, zone=ZONE)


async def test_ctrl_z_undoes_the_last_action_with_a_notice(app: ClientbookApp, owner: Staff) -> None:
    alice = add(owner, "Alice Anders")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a", "y")  # archive, confirmed
        await settle(app, pilot)
        assert Client.get_by_id(alice.id).archived_at is not None
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert Client.get_by_id(alice.id).archived_at is None
        assert "Undid: Archived Alice Anders" in notices(app)
        await pilot.press("ctrl+z")  # again: one step further back, adding Alice
        await settle(app, pilot)
        assert Client.get_or_none(Client.id == alice.id) is None
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert "nothing of yours to undo" in notices(app)


async def test_ctrl_z_in_a_text_box_undoes_the_typing_not_the_book(app: ClientbookApp, owner: Staff) -> None:
    add(owner, "Alice Anders")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ClientFormScreen)
        name = form.query_one("#name", Input)
        name.focus()
        await pilot.pause()
        await pilot.press("end", "x", "y")
        assert name.value == "Alice Andersxy"
        await pilot.press("ctrl+z")
        assert name.value == "Alice Andersx"
        await pilot.press("ctrl+z")
        assert name.value == "Alice Anders"
        assert Client.get().name == "Alice Anders"
        assert isinstance(app.screen, ClientFormScreen)


async def test_delete_on_the_log_asks_and_ctrl_z_brings_it_back(app: ClientbookApp, owner: Staff) -> None:
    alice = add(owner, "Alice Anders")
    call = inbound(owner, alice, "Wrong [client] call")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3", "delete")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "Wrong [client] call" in app.screen.question  # shown as typed, not escaped twice
        await pilot.press("n")  # kept
        await pilot.pause()
        assert Interaction.select().count() == 1
        await pilot.press("delete", "y")
        await settle(app, pilot)
        assert Interaction.select().count() == 0
        assert isinstance(app.screen, LogScreen)
        assert "Deleted the interaction · ctrl+z brings it back" in notices(app)
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert Interaction.get().id == call.id


async def test_delete_on_a_clients_detail_picks_what_to_remove(app: ClientbookApp, owner: Staff) -> None:
    alice = add(owner, "Alice Anders")
    add_promise(PromiseDraft(alice.slug, "Send the quote", owner.slug, "fri"), actor=owner, zone=ZONE)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ClientDetailScreen)
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, ChooseScreen)
        await pilot.press("enter", "y")  # the promise, then yes
        await settle(app, pilot)
        assert Promise.select().count() == 0
        assert isinstance(app.screen, ClientDetailScreen)
        owed = app.screen.query_one("#owed", Static)
        assert "Send the quote" not in str(owed.render())


async def test_a_key_that_does_not_apply_says_why(app: ClientbookApp, owner: Staff) -> None:
    alice = add(owner, "Alice Anders")
    add_promise(PromiseDraft(alice.slug, "Send the quote", owner.slug, "today"), actor=owner, zone=ZONE)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, CareScreen)
        assert app.screen.query_one(CareTable).item is not None
        await pilot.press("a")
        await pilot.pause()
        status = str(app.screen.query_one("#care-status", Static).render())
        assert status == "a acknowledges a message awaiting a reply, or a concern; this line is a promise."
        assert Promise.get().status == "open"


async def test_editing_an_organisation_keeps_its_contact_people(app: ClientbookApp, owner: Staff) -> None:
    add(
        owner,
        "Okafor & Co",
        kind="organisation",
        contacts=(ContactDraft(name="Dalia Okafor", email="dalia@okafor.example"),),
    )
    dalia = ContactPerson.get()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ClientFormScreen)
        form.query_one(".c-role", Input).value = "Director"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert [(c.id, c.role) for c in ContactPerson.select()] == [(dalia.id, "Director")]


async def test_a_client_reached_like_another_asks_before_saving(app: ClientbookApp, owner: Staff) -> None:
    add(owner, "Alice Anders", email="alice@anders.example")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ClientFormScreen)
        form.query_one("#name", Input).value = "A. Anders"
        form.query_one("#email", Input).value = "ALICE@anders.example"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "Alice Anders (alice-anders) (email)" in str(app.screen.question)
        await pilot.press("n")  # go back: the form is still there, with what was typed
        await pilot.pause()
        assert isinstance(app.screen, ClientFormScreen)
        assert form.query_one("#name", Input).value == "A. Anders"
        assert Client.select().count() == 1
        await pilot.press("ctrl+s", "y")
        await pilot.pause()
        assert Client.select().count() == 2


async def test_a_function_key_asks_before_leaving_a_changed_form(app: ClientbookApp, owner: Staff) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ClientFormScreen)
        await pilot.press(*"Zed")
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # keep editing: the form and its text are still there
        await pilot.pause()
        assert isinstance(app.screen, ClientFormScreen)
        assert form.query_one("#name", Input).value == "Zed"
        await pilot.press("f3", "y")
        await pilot.pause()
        assert isinstance(app.screen, LogScreen)
