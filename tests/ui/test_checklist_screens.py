"""Checklists (f4), ticking by keyboard, starting a process, and the processes screen, by the Pilot."""

from __future__ import annotations

from datetime import date

from textual.widgets import Input, OptionList

from clientbook.core.models import Checklist, ChecklistStep, Process, Staff
from clientbook.core.processes.operations import start_checklist
from clientbook.core.processes.queries import find_process
from clientbook.ui.app import ClientbookApp
from clientbook.ui.screens.checklist import ChecklistScreen
from clientbook.ui.screens.checklists import ChecklistsScreen
from clientbook.ui.screens.confirm import ConfirmScreen
from clientbook.ui.screens.process_form import ProcessFormScreen, StepRow
from clientbook.ui.screens.processes import ProcessesScreen
from clientbook.ui.screens.start_checklist import StartChecklistScreen
from clientbook.ui.widgets.checklist_table import ChecklistTable
from clientbook.ui.widgets.client_table import ClientTable
from clientbook.ui.widgets.fitted_footer import FittedFooter
from clientbook.ui.widgets.form_field import FormField
from tests.conftest import add, field_changes
from tests.ui.conftest import SIZE


def rows(
    app: ClientbookApp, table_type: type[ChecklistTable] | type[ClientTable] = ChecklistTable
) -> list[str]:
    table = app.screen.query_one(table_type)
    lines = (table.render_line(y).text.rstrip() for y in range(1, table.size.height))
    return [line for line in lines if line.strip()]


async def test_f4_lists_open_checklists_and_space_ticks_a_step(app: ClientbookApp, owner: Staff) -> None:
    alice = add(owner, "Alice Anders")
    start_checklist(alice.id, find_process("post-sale-care").id, actor=owner, start=date(2026, 11, 20))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        assert isinstance(app.screen, ChecklistsScreen)
        footer = app.screen.query_one(FittedFooter)
        assert next(item for item in footer.shown if item.description == "Open").enabled, (
            "enter opens the highlighted checklist, and the footer says so once the rows are in"
        )
        line = rows(app)[0]
        assert (
            "Alice Anders" in line
            and "0/5" in line
            and "Send a thank-you note" in line
            and "3 d late" in line
        )
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ChecklistScreen)
        await pilot.press("space")
        await pilot.pause()
        first = ChecklistStep.get(ChecklistStep.position == 0)
        assert first.done_at is not None and first.done_by.id == owner.id  # type: ignore[union-attr]
        assert app.screen.query_one("#steps", OptionList).highlighted == 1  # moved on to the next step
        await pilot.press("up", "space")  # un-ticking asks first
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert ChecklistStep.get(ChecklistStep.position == 0).done_at is None
        assert ("done_at", "2026-11-23T10:00:00", None) in field_changes("checklist_step")
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one(Input).value = "sent a card by post"
        await pilot.press("enter")
        await pilot.pause()
        assert ChecklistStep.get(ChecklistStep.position == 0).done_note == "sent a card by post"


async def test_k_starts_a_process_and_asks_before_a_second(app: ClientbookApp, owner: Staff) -> None:
    add(owner, "Alice Anders")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("k")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, StartChecklistScreen)
        assert form.query_one("#client", Input).value == "alice-anders"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert Checklist.select().count() == 1
        assert "✓ 0/7 New cli" in rows(app, ClientTable)[0]  # the Care column, cut to fit
        await pilot.press("k")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        if isinstance(app.screen, ConfirmScreen):
            await pilot.press("y")
            await pilot.pause()
        assert Checklist.select().count() == 1  # declined: still one
        await pilot.press("k")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert Checklist.select().count() == 2


async def test_a_bad_start_day_writes_nothing(app: ClientbookApp, owner: Staff) -> None:
    add(owner, "Alice Anders")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("k")
        await pilot.pause()
        form = app.screen
        form.query_one("#start", Input).value = "11/12"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert form.query_one("#field-start", FormField).has_class("-invalid")
        assert Checklist.select().count() == 0


async def test_a_new_process_is_written_down_with_its_steps(app: ClientbookApp, owner: Staff) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4", "p")
        await pilot.pause()
        assert isinstance(app.screen, ProcessesScreen)
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ProcessFormScreen)
        await pilot.press("ctrl+s")  # empty name and empty first step
        await pilot.pause()
        assert form.query_one("#field-name", FormField).has_class("-invalid")
        assert Process.select().count() == 2
        form.query_one("#name", Input).value = "Referral thank-you"
        form.query_one(".s-title", Input).value = "Send a handwritten card"
        await pilot.press("ctrl+o")
        await pilot.pause()
        second = list(form.query(StepRow))[1]
        second.query_one(".s-title", Input).value = "Call to say thanks"
        second.query_one(".s-due", Input).value = "2"
        await pilot.press("ctrl+up")  # move the second step first
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ProcessesScreen)
        process = find_process("referral-thank-you")
        assert process.current_version == 1
        from clientbook.core.processes.queries import process_draft

        assert [s.title for s in process_draft(process.id).steps] == [
            "Call to say thanks",
            "Send a handwritten card",
        ]
