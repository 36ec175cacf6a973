"""The log (f3), the interaction form and view, and the client timeline, driven by the Pilot."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input, Select, SelectionList, Static

from clientbook.core.drafts import InteractionDraft
from clientbook.core.log.operations import log_interaction
from clientbook.core.models import Client, Interaction, Staff
from clientbook.ui.app import ClientbookApp
from clientbook.ui.screens.client_detail import ClientDetailScreen
from clientbook.ui.screens.interaction import InteractionScreen
from clientbook.ui.screens.interaction_form import InteractionFormScreen
from clientbook.ui.screens.log import LogScreen
from clientbook.ui.widgets.form_field import FormField
from clientbook.ui.widgets.interaction_table import InteractionTable
from clientbook.ui.widgets.virtual_table import VirtualTable
from tests.conftest import add, field_changes
from tests.ui.conftest import SIZE

ZONE = "Europe/London"


def log(owner: Staff, client: Client, direction: str, when: str, summary: str, **fields: Any) -> Interaction:
    draft = InteractionDraft(
        client=client.slug,
        when=when,
        channel=fields.pop("channel", "email"),
        direction=direction,
        summary=summary,
        handled_by=owner.slug,
        **fields,
    )
    return log_interaction(draft, actor=owner, zone=ZONE)


def lines(app: ClientbookApp, table_type: type[VirtualTable[Any]] = InteractionTable) -> list[str]:
    table = app.screen.query_one(table_type)
    rows = (table.render_line(y).text.rstrip() for y in range(1, table.size.height))  # below the header
    return [row for row in rows if row.strip()]


def hint(form: Any, key: str) -> str:
    return str(form.query_one(f"#field-{key}", FormField).query_one(".form-field--hint", Static).content)


def error(form: Any, key: str) -> str:
    return str(form.query_one(f"#field-{key}", FormField).query_one(".form-field--error", Static).content)


async def test_f3_shows_the_log_newest_first(app: ClientbookApp, owner: Staff) -> None:
    alice, bo = add(owner, "Alice Anders"), add(owner, "Bo Byrne")
    log(owner, alice, "inbound", "2026-11-20 09:00", "Invoice question")
    log(owner, bo, "outbound", "2026-11-22 16:30", "Sent the quote", channel="call")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, LogScreen)
        shown = lines(app)
        assert "Sun 22 Nov 16:30" in shown[0] and "Bo Byrne" in shown[0] and "↗ out" in shown[0]
        assert "Invoice question" in shown[1] and "OVERDUE, 3 d 1 h" in shown[1]  # past the 24 h target
        assert str(app.screen.query_one("#status", Static).content) == "2 interactions"


async def test_w_shows_what_awaits_a_reply_oldest_first(app: ClientbookApp, owner: Staff) -> None:
    alice, bo = add(owner, "Alice Anders"), add(owner, "Bo Byrne")
    log(owner, bo, "inbound", "today 08:00", "Wants a quote")
    log(owner, alice, "inbound", "2026-11-20 09:00", "Invoice question")
    log(owner, alice, "internal", "today 09:00", "A note", channel="note")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3", "w")
        await pilot.pause()
        shown = lines(app)
        assert len(shown) == 2
        assert "Invoice question" in shown[0] and "Wants a quote" in shown[1]
        status = str(app.screen.query_one("#status", Static).content)
        assert status == "2 messages awaiting a reply · the oldest has waited 3 d 1 h"
        await pilot.press("a")  # acknowledge the highlighted, oldest one
        await pilot.pause()
        assert not Interaction.get(Interaction.summary == "Invoice question").awaiting
        assert len(lines(app)) == 1


async def test_a_refused_ambiguous_time_writes_nothing(app: ClientbookApp, owner: Staff) -> None:
    add(owner, "Alice Anders")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l")  # from the client list, for the highlighted client
        await pilot.pause()
        form = app.screen
        assert isinstance(form, InteractionFormScreen)
        assert form.query_one("#client", Input).value == "alice-anders"
        form.query_one("#when", Input).value = "7:30"
        form.query_one("#direction", Select).value = "inbound"
        form.query_one("#summary", Input).value = "Audition time"
        await pilot.pause()
        assert "am or pm?" in hint(form, "when")  # read back live, before saving
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, InteractionFormScreen)
        assert error(form, "when") == "am or pm?"
        assert app.focused is form.query_one("#when", Input)
        assert Interaction.select().count() == 0
        form.query_one("#when", Input).value = "7:30pm"
        await pilot.pause()
        assert hint(form, "when") == "Mon 23 Nov 2026, 19:30"
        await pilot.press("ctrl+s")
        await pilot.pause()
        # The clock says 10:00: the log records what happened, not what is planned.
        assert error(form, "when") == "is in the future: use a follow-up or a promise for what is planned"
        assert Interaction.select().count() == 0
        form.query_one("#when", Input).value = "7:30am"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert Interaction.get().summary == "Audition time"


async def test_when_is_read_back_with_the_clients_own_time(app: ClientbookApp, owner: Staff) -> None:
    add(owner, "Alice Anders", timezone="America/New_York")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l")
        await pilot.pause()
        form = app.screen
        form.query_one("#when", Input).value = "tomorrow 3pm"
        form.query_one("#follow_up", Input).value = "fri"
        await pilot.pause()
        assert hint(form, "when") == "Tue 24 Nov 2026, 15:00  (Tue 10:00 for Alice Anders)"
        assert hint(form, "follow_up") == "Fri 27 Nov 2026"
        assert hint(form, "client") == "Alice Anders · America/New_York"


async def test_a_reply_answers_what_stays_ticked(app: ClientbookApp, owner: Staff) -> None:
    alice = add(owner, "Alice Anders")
    first = log(owner, alice, "inbound", "2026-11-20 09:00", "Invoice question")
    second = log(owner, alice, "inbound", "2026-11-21 09:00", "Logo colours")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")  # something is owed, so the app opens on Care
        await pilot.press("l")
        await pilot.pause()
        form = app.screen
        form.query_one("#direction", Select).value = "outbound"
        form.query_one("#summary", Input).value = "About the invoice"
        await pilot.pause()
        answers: SelectionList[int] = form.query_one("#answers", SelectionList)
        assert form.query_one("#answers-box").display
        assert answers.selected == [first.id, second.id]
        answers.deselect(second.id)
        await pilot.press("ctrl+s")
        await pilot.pause()
        reply = Interaction.get(Interaction.summary == "About the invoice")
        assert Interaction.get_by_id(first.id).answered_by_id == reply.id
        assert Interaction.get_by_id(second.id).awaiting


async def test_the_client_list_marks_waiting_messages_and_last_contact(
    app: ClientbookApp, owner: Staff
) -> None:
    alice = add(owner, "Alice Anders")
    add(owner, "Bo Byrne")
    log(owner, alice, "inbound", "yesterday 9am", "Invoice question")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")  # something is owed, so the app opens on Care
        await pilot.pause()
        from clientbook.ui.widgets.client_table import ClientTable

        shown = lines(app, ClientTable)
        assert "yesterday" in shown[0] and shown[0].endswith("✉ 1 overdue")  # 25 h: past the 24 h target
        assert "never" in shown[1] and not shown[1].endswith("awaiting")


async def test_the_timeline_opens_an_interaction_to_acknowledge(app: ClientbookApp, owner: Staff) -> None:
    alice = add(owner, "Alice Anders")
    log(owner, alice, "outbound", "2026-11-19 10:00", "Kickoff call", channel="call")
    message = log(owner, alice, "inbound", "2026-11-22 09:00", "Thanks!", details="Loved the kickoff.")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")  # something is owed, so the app opens on Care
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ClientDetailScreen)
        shown = lines(app)
        assert "Thanks!" in shown[0] and "Kickoff call" in shown[1]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, InteractionScreen)
        await pilot.press("a")
        await pilot.pause()
        stored = Interaction.get_by_id(message.id)
        assert not stored.awaiting and stored.acknowledged_at is not None
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ClientDetailScreen)


async def test_editing_from_the_log_keeps_history(app: ClientbookApp, owner: Staff) -> None:
    alice = add(owner, "Alice Anders")
    log(owner, alice, "inbound", "2026-11-20 09:00", "Invoce question")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3", "e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, InteractionFormScreen)
        assert form.query_one("#when", Input).value == "2026-11-20 09:00"
        form.query_one("#summary", Input).value = "Invoice question"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert field_changes("interaction") == {("summary", "Invoce question", "Invoice question")}
        assert "Invoice question" in lines(app)[0]
