"""First run: ask the owner's name, who becomes the book's first staff member and everyone's point-person."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from clientbook.core.validation import ValidationError
from clientbook.ui.widgets.form_field import FormField


class WelcomeScreen(ModalScreen[int]):
    """Dismisses with the new owner's staff id once a valid name is given."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", priority=True, id="welcome.save"),
    ]

    def __init__(self, *, suggested: str, create_owner: Callable[[str], int]) -> None:
        super().__init__()
        self.suggested = suggested
        self.create_owner = create_owner

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog welcome"):
            yield Label("Welcome to clientbook", classes="dialog--title")
            yield Static(
                "This is a new book. Whose is it? You become its owner and, until you add colleagues, "
                "the point-person of every client.",
                classes="welcome--hint",
            )
            yield FormField("Your name", Input(self.suggested, id="owner"), key="name", required=True)
            yield Label("enter or ctrl+s Start   ctrl+q Quit", classes="form--keys")

    def on_input_submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        try:
            staff_id = self.create_owner(self.query_one("#owner", Input).value)
        except ValidationError as error:
            self.query_one(FormField).show_error(error.errors.get("name"))
            return
        self.dismiss(staff_id)
