"""First run: ask the owner's name, who becomes the book's first staff member and everyone's point-person,
and confirm the time zone and phone region detected from the system (saved to the settings file)."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, Static

from clientbook.core.errors import ValidationError
from clientbook.core.validation import all_zones, validate_place
from clientbook.ui.background import Done, Outcome, Refused, Saving
from clientbook.ui.widgets.form_field import FormField

KEYS = "enter or ctrl+s Start   ctrl+q Quit"


class WelcomeScreen(ModalScreen[int]):
    """Dismisses with the new owner's staff id once a valid name, zone and region are given.

    `save_place(timezone, phone_region)` is called with the checked zone and region before the owner is
    created; it saves them to the settings file (and may raise :class:`ValidationError` to keep it open).
    Both run on a thread worker (the owner is written to the book), *saving…* shown meanwhile.
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
        self.saving = Saving(self, self._status)

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
            yield Label(KEYS, id="welcome-keys", classes="form--keys")

    def on_mount(self) -> None:
        for key, hint in (
            ("timezone", "detected on this computer; times are shown in it"),
            ("phone_region", "country for numbers typed without +country (empty: always give +country)"),
        ):
            self.query_one(f"#field-{key}", FormField).show_hint(hint)

    def on_input_submitted(self) -> None:
        self.action_save()

    def _status(self, text: str) -> None:
        """*saving…* (or why not saved) in place of the keys line, which comes back with nothing to say."""
        self.query_one("#welcome-keys", Label).update(Text(text or KEYS))

    def action_save(self) -> None:
        for field in self.query(FormField):
            field.show_error(None)
        name = self.query_one("#owner", Input).value
        zone_text = self.query_one("#timezone", Input).value
        region_text = self.query_one("#phone_region", Input).value
        save_place, create_owner = self.save_place, self.create_owner

        def job() -> int:
            zone, region = validate_place(zone_text, region_text)
            if save_place is not None:
                save_place(zone, region)
            return create_owner(name)

        self.saving.start(job, self._saved, lock=list(self.query(FormField)))

    def _saved(self, outcome: Outcome[int]) -> None:
        if isinstance(outcome, Done):
            self.dismiss(outcome.value)
        elif isinstance(outcome, Refused) and isinstance(outcome.error, ValidationError):
            fields = {field.key: field for field in self.query(FormField)}
            for key, message in outcome.error.errors.items():
                if key in fields:
                    fields[key].show_error(message)
        elif isinstance(outcome, Refused):
            self._status(f"Not saved: {outcome.message}")
        else:
            self._status(f"Not saved: {outcome.message('the book')}")
