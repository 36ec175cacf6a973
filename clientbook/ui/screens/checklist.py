"""One checklist, to tick off by keyboard: `space` ticks the highlighted step (un-ticking asks first), `n`
adds a short note to it ("sent the welcome pack by post"). Who ticked and when is shown beside each step.

The checklist is read on a thread worker: *Loading…* until it arrives, then again after each tick, keeping
the steps on screen meanwhile."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from clientbook.core.care.rules import is_due
from clientbook.core.dates import format_moment, local
from clientbook.core.processes.queries import ChecklistDetail, ChecklistStepRow, checklist_detail
from clientbook.ui.background import bring_to_top
from clientbook.ui.markup import escape
from clientbook.ui.messages import BookChanged
from clientbook.ui.screens.confirm import ConfirmScreen
from clientbook.ui.screens.prompt import PromptScreen
from clientbook.ui.widgets.checklist_table import due_text
from clientbook.ui.widgets.keys_line import KeysLine

if TYPE_CHECKING:
    from clientbook.ui.app import ClientbookApp


class ChecklistScreen(ModalScreen[None]):
    """The steps of checklist `checklist_id`, ticked with `space`."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "tick", "Tick / untick", id="checklist.tick"),
        Binding("n", "note", "Note", id="checklist.note"),
        Binding("delete", "remove_note", "Remove note", id="checklist.remove_note"),
        Binding("escape", "close", "Close", id="checklist.close"),
    ]

    def __init__(self, checklist_id: int) -> None:
        super().__init__()
        self.checklist_id = checklist_id
        self.detail: ChecklistDetail | None = None

    @property
    def book(self) -> ClientbookApp:
        return cast("ClientbookApp", self.app)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog checklist"):
            yield Label("Loading…", id="checklist-title", classes="dialog--title")
            yield OptionList(Option(Text("Loading…", style="dim"), disabled=True), id="steps")
            yield Static(id="step-note", classes="checklist--note")
            yield KeysLine("space Tick / untick   n Note   del Remove note   esc Close")

    def on_mount(self) -> None:
        self.show()

    def on_book_changed(self, _: BookChanged) -> None:
        self.show()

    def show(self, *, advance: bool = False) -> None:
        """Read the checklist again (on a worker); with `advance`, then move to the next step still to do."""
        ident = self.checklist_id
        self.book.read_for(
            self,
            lambda: checklist_detail(ident),
            partial(self._draw, advance=advance),
            group="checklist",
            gone=self._gone,
        )

    def _gone(self) -> None:
        bring_to_top(self)
        self.dismiss(None)

    def _draw(self, detail: ChecklistDetail, *, advance: bool) -> None:
        first = self.detail is None
        self.detail = detail
        row = detail.row
        state = "complete" if row.completed else f"{row.progress} done"
        self.query_one("#checklist-title", Label).update(
            f"{escape(row.process_name)} (v{row.version}) · {escape(row.client_name)} · {state}"
        )
        steps = self.query_one("#steps", OptionList)
        highlighted = steps.highlighted
        steps.clear_options()
        steps.add_options([Option(self._line(step), id=str(step.id)) for step in detail.steps])
        steps.highlighted = (
            self._first_open(detail) if advance or first or highlighted is None else highlighted
        )
        steps.focus()
        self._show_note()

    def _first_open(self, detail: ChecklistDetail) -> int:
        return next((i for i, step in enumerate(detail.steps) if step.done_at is None), 0)

    def _line(self, step: ChecklistStepRow) -> str:
        zone = self.book.settings.timezone
        today = local(self.book.clock(), zone).date()
        box = "[b]✓[/b]" if step.done_at else "☐"
        text = f"{box} {step.number:>2}. {escape(step.title)}"
        if step.done_at:
            text += f"  [dim]done by {escape(step.done_by)}, {format_moment(step.done_at, zone)}[/dim]"
        elif step.due_on:
            due = due_text(step.due_on, today)
            text += f"  [$warning]due {due}[/]" if is_due(step.due_on, today) else f"  [dim]due {due}[/dim]"
        if step.done_note:
            text += f"  [i]· {escape(step.done_note)}[/i]"
        return text

    def _selected(self) -> ChecklistStepRow | None:
        index = self.query_one("#steps", OptionList).highlighted
        if self.detail is None or index is None or index >= len(self.detail.steps):
            return None
        return self.detail.steps[index]

    @on(OptionList.OptionHighlighted)
    def _show_note(self) -> None:
        step = self._selected()
        note = step.note if step else ""
        self.query_one("#step-note", Static).update(f"How: {escape(note)}" if note else "")

    @on(OptionList.OptionSelected)
    def selected(self) -> None:
        self.action_tick()

    def action_tick(self) -> None:
        step = self._selected()
        if step is None:
            return
        if step.done_at is None:
            self.book.tick_step(step.id, on_done=lambda: self.show(advance=True))
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.book.untick_step(step.id, on_done=self.show)

        self.app.push_screen(
            ConfirmScreen(f"Mark step {step.number} not done? (Kept in the history.)", yes="Untick"), answered
        )

    def action_note(self) -> None:
        step = self._selected()
        if step is None:
            return

        def noted(text: str | None) -> None:
            if text is not None:
                self.book.note_step(step.id, text, on_done=self.show)

        self.app.push_screen(
            PromptScreen(f"Note on step {step.number}", step.done_note, placeholder="e.g. sent by post"),
            noted,
        )

    def action_remove_note(self) -> None:
        step = self._selected()
        if step is None:
            return
        if not step.done_note:
            self.notify("delete removes a step's note; this step has none (n adds one).", timeout=4)
            return
        self.book.remove_step_note(step.id, step.done_note, then=self.show)

    def action_close(self) -> None:
        self.dismiss(None)
