"""Ask for one line of text in a small modal: `enter` answers, `escape` cancels (None).

A prompt can judge its answer before closing (`accept`): a refusal shows beside the box and the prompt stays
open, so a bad value in the last step of a multi-step dialog never throws away the steps before it. A prompt
for a day (`day`) reads it back with its weekday as it is typed, as every date field does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from clientbook.core.dates import Prefer
from clientbook.ui.widgets.form_field import FormField
from clientbook.ui.widgets.keys_line import KeysLine

Accept = Callable[[str], str | None]
"""Judges (and may act on) an answer: None to close the prompt, or the message to show beside the box."""


@dataclass(frozen=True)
class DayAnswer:
    """The answer is a day: read back in `zone` against `now`, the future preferred unless said."""

    zone: str
    now: datetime
    prefer: Prefer = "future"


class PromptScreen(ModalScreen[str | None]):
    """Dismisses with what was typed (once `accept` takes it), or None."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="prompt.cancel")]

    def __init__(
        self,
        question: str,
        value: str = "",
        *,
        placeholder: str = "",
        accept: Accept | None = None,
        day: DayAnswer | None = None,
    ) -> None:
        super().__init__()
        self.question = question
        self.value = value
        self.placeholder = placeholder
        self.accept = accept
        self.day = day

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog prompt"):
            yield Label(Text(self.question), classes="dialog--title")
            yield FormField("", Input(self.value, placeholder=self.placeholder, id="answer"), key="answer")
            yield KeysLine("enter OK   esc Cancel")

    def on_mount(self) -> None:
        self._read_back(self.value)

    def on_input_changed(self, event: Input.Changed) -> None:
        self._read_back(event.value)

    def _read_back(self, text: str) -> None:
        if self.day is not None:
            field = self.query_one(FormField)
            field.read_back_day(text, zone=self.day.zone, now=self.day.now, prefer=self.day.prefer)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        problem = self.accept(event.value) if self.accept is not None else None
        if problem is not None:
            self.query_one(FormField).show_error(problem)
            return
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
