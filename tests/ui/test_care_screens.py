"""The care screen (f5), the brief, and recording promises and concerns, by the Pilot."""

from __future__ import annotations

from datetime import date, timedelta

from textual.widgets import Input, Select, Static, TextArea

from clientbook.core.care.operations import add_concern, add_promise
from clientbook.core.drafts import ConcernDraft, InteractionDraft, PromiseDraft
from clientbook.core.log.operations import log_interaction
from clientbook.core.models import ChecklistStep, Client, Concern, Interaction, Promise, Staff
from clientbook.core.processes.operations import start_checklist
from clientbook.core.processes.queries import find_process
from clientbook.ui.app import ClientbookApp
from clientbook.ui.screens.brief import BriefScreen
from clientbook.ui.screens.care import CareScreen
from clientbook.ui.screens.care_forms import PromiseFormScreen
from clientbook.ui.screens.client_detail import ClientDetailScreen
from clientbook.ui.screens.clients import ClientsScreen
from clientbook.ui.screens.interaction_form import InteractionFormScreen
from clientbook.ui.screens.prompt import PromptScreen
from clientbook.ui.widgets.care_table import CareTable
from clientbook.ui.widgets.form_field import FormField
from tests.conftest import FROZEN, add
from tests.ui.conftest import SIZE

ZONE = "Europe/London"


def lines(app: ClientbookApp) -> list[str]:
    """Every line of the care list as drawn (titles and items), read from the table's reading."""
    table = app.screen.query_one(CareTable)
    view = table.view
    return [table.line_text(line) for line in view.lines] if view else []


async def highlight(app: ClientbookApp, text: str) -> None:
    table = app.screen.query_one(CareTable)
    table.cursor = next(i for i, line in enumerate(lines(app)) if text in line)


def owe_a_bit_of_everything(owner: Staff) -> tuple[Client, Client]:
    alice, bo = add(owner, "Alice Anders"), add(owner, "Bo Byrne")
    log_interaction(
        InteractionDraft(
            alice.slug, "yesterday 9am", "email", "inbound", "Invoice question", handled_by=owner.slug
        ),
        actor=owner,
        zone=ZONE,
    )
    add_promise(PromiseDraft(bo.slug, "Send the revised quote", owner.slug, "today"), actor=owner, zone=ZONE)
    add_concern(ConcernDraft(bo.slug, "Second missed deadline", "high"), actor=owner)
    start_checklist(alice.id, find_process("post-sale-care").id, actor=owner, start=date(2026, 11, 23))
    return alice, bo


async def test_the_app_opens_on_care_when_anything_is_owed(app: ClientbookApp, owner: Staff) -> None:
    owe_a_bit_of_everything(owner)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, CareScreen)
        shown = lines(app)
        view = app.screen.query_one(CareTable).view
        assert view is not None
        headers = [line.strip() for line, row in zip(shown, view.lines, strict=True) if row.item is None]
        assert headers == ["Awaiting reply", "Promises due", "Concerns open", "Checklist steps due"]
        reply = next(line for line in shown if "Invoice question" in line)
        assert "OVERDUE" in reply and "waiting 1 d 1 h" in reply and "Pat Owner" in reply
        promise = next(line for line in shown if "revised quote" in line)
        assert "due today" in promise and "OVERDUE" not in promise


async def test_one_key_acts_in_place(app: ClientbookApp, owner: Staff) -> None:
    owe_a_bit_of_everything(owner)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await highlight(app, "revised quote")
        await pilot.press("k")
        await pilot.pause()
        assert Promise.get().status == "kept"
        await highlight(app, "missed deadline")
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("y")  # an apology was given
        await pilot.pause()
        app.screen.query_one(Input).value = "Two days of work free"
        await pilot.press("enter")
        await pilot.pause()
        concern = Concern.get()
        assert concern.acknowledged_at is not None and concern.apology_at is not None
        assert concern.remedy == "Two days of work free"
        await highlight(app, "thank-you note")
        await pilot.press("space")
        await pilot.pause()
        assert ChecklistStep.get(ChecklistStep.position == 0).done_at is not None
        await highlight(app, "Invoice question")
        await pilot.press("r")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, InteractionFormScreen)
        assert form.query_one("#client", Input).value == "alice-anders"
        assert form.query_one("#direction", Select).value == "outbound"
        form.query_one("#summary", Input).value = "Answered the invoice question"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not Interaction.get(Interaction.summary == "Invoice question").awaiting
        assert not any("Invoice question" in line for line in lines(app))


async def test_snoozing_a_neglected_client_needs_a_reason(app: ClientbookApp, owner: Staff) -> None:
    lena = add(owner, "Lena Lead")
    Client.update(created_at=(FROZEN - timedelta(days=30)).replace(tzinfo=None)).where(
        Client.id == lena.id
    ).execute()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await highlight(app, "Lena Lead")
        await pilot.press("z")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)
        await pilot.press("enter")  # no reason: refused
        await pilot.pause()
        assert Client.get_by_id(lena.id).care_snoozed_until is None
        await pilot.press("z")
        await pilot.pause()
        app.screen.query_one(Input).value = "on holiday"
        await pilot.press("enter")
        await pilot.pause()
        stored = Client.get_by_id(lena.id)
        assert stored.care_snooze_reason == "on holiday" and stored.care_snoozed_until == date(2026, 12, 7)
        assert "Nothing owed today." in str(app.screen.query_one("#care-empty", Static).content)


async def test_mine_shows_one_persons_share(app: ClientbookApp, owner: Staff) -> None:
    owe_a_bit_of_everything(owner)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        assert any("Invoice question" in line for line in lines(app))  # Pat is everyone's point-person


async def test_nothing_owed_is_said_plainly(app: ClientbookApp, owner: Staff) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, CareScreen)
        assert str(app.screen.query_one("#care-empty", Static).content) == "Nothing owed today."


async def test_b_shows_the_brief(app: ClientbookApp, owner: Staff) -> None:
    add(owner, "Alice Anders", notes="Prefers mornings")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ClientsScreen)
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, BriefScreen)
        assert "Personal notes:" in app.screen.lines and "  Prefers mornings" in app.screen.lines


async def test_a_promise_with_an_ambiguous_due_day_writes_nothing(app: ClientbookApp, owner: Staff) -> None:
    add(owner, "Alice Anders")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ClientDetailScreen)
        await pilot.press("p")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, PromiseFormScreen)
        form.query_one("#what", Input).value = "Send the brand guide"
        form.query_one("#due", Input).value = "11/12"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert form.query_one("#field-due", FormField).has_class("-invalid")
        assert Promise.select().count() == 0
        form.query_one("#due", Input).value = "fri"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert Promise.get().due == date(2026, 11, 27)
        await pilot.press("c")
        await pilot.pause()
        app.screen.query_one("#words", TextArea).text = "The proofs came late"
        app.screen.query_one("#severity", Select).value = "medium"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert Concern.get().owner.id == owner.id
        owed = str(app.screen.query_one("#owed", Static).content)
        assert "The proofs came late" in owed and "Send the brand guide" in owed


async def test_closing_a_concern_needs_resolved_and_asks_for_confirmation(
    app: ClientbookApp, owner: Staff
) -> None:
    owe_a_bit_of_everything(owner)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await highlight(app, "missed deadline")
        await pilot.press("x")
        await pilot.pause()
        app.screen.query_one(Input).value = "done"
        await pilot.press("enter")
        await pilot.pause()
        assert Concern.get().resolved_at is None  # not the word
        await pilot.press("x")
        await pilot.pause()
        app.screen.query_one(Input).value = "resolved"
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("y")  # the client confirmed
        await pilot.pause()
        await pilot.press("enter")  # check in "in 7 days", as offered
        await pilot.pause()
        concern = Concern.get()
        assert concern.resolved_at is not None and concern.client_confirmed
        assert concern.checkin_on == date(2026, 11, 30)


async def test_a_promise_can_be_broken_or_given_a_new_day(app: ClientbookApp, owner: Staff) -> None:
    owe_a_bit_of_everything(owner)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await highlight(app, "revised quote")
        await pilot.press("g")
        await pilot.pause()
        app.screen.query_one(Input).value = "next fri"
        await pilot.press("enter")
        await pilot.pause()
        promise = Promise.get()
        assert (promise.status, promise.due) == ("renegotiated", date(2026, 11, 27))  # the coming Friday
        assert not any("revised quote" in line for line in lines(app))  # no longer due today


async def test_t_adds_a_key_date_from_the_detail(app: ClientbookApp, owner: Staff) -> None:
    add(owner, "Alice Anders")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        app.screen.query_one("#label", Input).value = "Birthday"
        app.screen.query_one("#on", Input).value = "1 Dec"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "★ Birthday: Tue 1 Dec 2026" in str(app.screen.query_one("#owed", Static).content)


async def test_the_first_item_is_highlighted_on_arrival(app: ClientbookApp, owner: Staff) -> None:
    owe_a_bit_of_everything(owner)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Invoice question" in lines(app)[app.screen.query_one(CareTable).cursor]
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, BriefScreen)
