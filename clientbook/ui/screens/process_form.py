"""Create or edit a process: name, description and ordered steps (title, due days after the start, a note
of how). `ctrl+o` adds a step; `ctrl+up`/`ctrl+down` move the step being edited; saving an edit makes a new
version, and checklists already running keep the steps they started with."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Static, TextArea

from clientbook.core.drafts import ProcessDraft, StepDraft
from clientbook.ui.screens.form import FormScreen
from clientbook.ui.widgets.form_field import FormField
from clientbook.ui.widgets.keys_line import KeysLine

SaveProcess = Callable[[ProcessDraft], int]


class StepRow(Vertical):
    """One step: title, due days, how-to note, and a remove button."""

    def __init__(self, step: StepDraft) -> None:
        super().__init__(classes="step-row")
        self.step = step

    def compose(self) -> ComposeResult:
        yield FormField(
            "Step", Input(self.step.title, classes="s-title", compact=True), key="title", required=True
        )
        yield FormField(
            "Due (days)",
            Input(
                self.step.due_days,
                classes="s-due",
                compact=True,
                placeholder="days after the start, or empty",
            ),
            key="due_days",
        )
        yield FormField("How", Input(self.step.note, classes="s-note", compact=True), key="note")
        with Horizontal(classes="step-row--actions"):
            yield Button("Remove step", classes="s-remove", variant="warning", compact=True)

    def draft(self) -> StepDraft:
        return StepDraft(
            title=self.query_one(".s-title", Input).value,
            note=self.query_one(".s-note", Input).value,
            due_days=self.query_one(".s-due", Input).value,
        )


class ProcessFormScreen(FormScreen):
    """Dismisses with the process's id once the core has saved it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+o", "add_step", "Add step", id="process_form.add_step"),
        Binding("ctrl+up", "move(-1)", "Step up", id="process_form.step_up"),
        Binding("ctrl+down", "move(1)", "Step down", id="process_form.step_down"),
    ]
    DISCARD_QUESTION = "Discard your changes to this process?"

    def __init__(self, *, title: str, draft: ProcessDraft, save: SaveProcess) -> None:
        super().__init__()
        self.title_text = title
        self.draft = draft
        self.save = save

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form"):
            yield Label(Text(self.title_text), classes="dialog--title")
            with VerticalScroll(classes="form--body"):
                yield FormField(
                    "Name", Input(self.draft.name, id="name", compact=True), key="name", required=True
                )
                yield FormField(
                    "Description",
                    TextArea(self.draft.description, id="description", soft_wrap=True, compact=True),
                    key="description",
                )
                with Vertical(id="steps"):
                    yield Label("Steps, in order", classes="form--section")
                    for step in self.draft.steps:
                        yield StepRow(step)
                    yield Button("Add step (ctrl+o)", id="add-step", compact=True)
            with Horizontal(classes="form--footer"):
                yield Static("", id="form-status")
                yield KeysLine("ctrl+s Save   esc Cancel   f1 Keys")

    def on_mount(self) -> None:
        self.remember_initial()
        self.query_one("#name", Input).focus()

    def current(self) -> ProcessDraft:
        return ProcessDraft(
            name=self.query_one("#name", Input).value,
            description=self.query_one("#description", TextArea).text,
            steps=tuple(row.draft() for row in self.query(StepRow)),
        )

    def submission(self) -> Callable[[], int]:
        return partial(self.save, self.current())

    def fields(self) -> Iterator[tuple[str, FormField]]:
        """Steps' fields are named by their place (`steps.2.title`)."""
        for field in self.query(FormField):
            if not any(isinstance(ancestor, StepRow) for ancestor in field.ancestors):
                yield field.key, field
        for number, row in enumerate(self.query(StepRow), start=1):
            for field in row.query(FormField):
                yield f"steps.{number}.{field.key}", field

    @on(Button.Pressed, "#add-step")
    async def action_add_step(self) -> None:
        row = StepRow(StepDraft())
        await self.query_one("#steps").mount(row, before=self.query_one("#add-step"))
        row.query_one(".s-title", Input).focus(scroll_visible=False)
        self.call_after_refresh(row.scroll_visible, animate=False)

    @on(Button.Pressed, ".s-remove")
    def remove_step(self, event: Button.Pressed) -> None:
        for ancestor in event.button.ancestors:
            if isinstance(ancestor, StepRow):
                ancestor.remove()
                break

    def _focused_row(self) -> StepRow | None:
        focused = self.focused
        if focused is None:
            return None
        return next((a for a in focused.ancestors if isinstance(a, StepRow)), None)

    def action_move(self, step: int) -> None:
        row = self._focused_row()
        if row is None:
            return
        rows = list(self.query(StepRow))
        index = rows.index(row)
        target = index + step
        if not 0 <= target < len(rows):
            return
        container = self.query_one("#steps")
        if step < 0:
            container.move_child(row, before=rows[target])
        else:
            container.move_child(row, after=rows[target])
        self.call_after_refresh(row.scroll_visible, animate=False)
