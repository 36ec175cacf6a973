"""First run: ask the owner's name, who becomes the book's first staff member and everyone's point-person,
and confirm the time zone and phone region detected from the system (saved to the settings file)."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, Static

from clientbook.core.validation import ValidationError, all_zones, validate_place
from clientbook.ui.widgets.form_field import FormField


class WelcomeScreen(ModalScreen[int]):
    """Dismisses with the new owner's staff id once a valid name, zone and region are given.

    `save_place(timezone, phone_region)` is called with the checked zone and region before the owner is
    created; it saves them to the settings file (and may raise :class:`ValidationError` to keep it open).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", priority=True, id="welcome.save"),
    ]

    def __init__(
        self,
        *,
        suggested: str,
        create_owner: Callable[[str], int],
        timezone: str = "UTC",
        phone_region: str = "",
        save_place: Callable[[str, str], None] | None = None,
    ) -> None:
        super().__init__()
        self.suggested = suggested
        self.create_owner = create_owner
        self.timezone = timezone
        self.phone_region = phone_region
        self.save_place = save_place

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog welcome"):
            yield Label("Welcome to clientbook", classes="dialog--title")
            yield Static(
                "This is a new book. Whose is it? You become its owner and, until you add colleagues, "
                "the point-person of every client.",
                classes="welcome--hint",
            )
            yield FormField("Your name", Input(self.suggested, id="owner"), key="name", required=True)
            yield FormField(
                "Time zone",
                Input(
                    self.timezone,
                    id="timezone",
                    placeholder="e.g. Europe/London",
                    suggester=SuggestFromList(all_zones(), case_sensitive=False),
                ),
                key="timezone",
            )
            yield FormField(
                "Phone region",
                Input(self.phone_region, id="phone_region", placeholder="e.g. GB, US", max_length=2),
                key="phone_region",
            )
            yield Label("enter or ctrl+s Start   ctrl+q Quit", classes="form--keys")

    def on_mount(self) -> None:
        for key, hint in (
            ("timezone", "detected on this computer; times are shown in it"),
            ("phone_region", "country for numbers typed without +country (empty: always give +country)"),
        ):
            self.query_one(f"#field-{key}", FormField).show_hint(hint)

    def on_input_submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        fields = {field.key: field for field in self.query(FormField)}
        for field in fields.values():
            field.show_error(None)
        try:
            zone, region = validate_place(
                self.query_one("#timezone", Input).value, self.query_one("#phone_region", Input).value
            )
            if self.save_place is not None:
                self.save_place(zone, region)
            staff_id = self.create_owner(self.query_one("#owner", Input).value)
        except ValidationError as error:
            for key, message in error.errors.items():
                if key in fields:
                    fields[key].show_error(message)
            return
        self.dismiss(staff_id)
