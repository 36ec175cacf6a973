"""Ask for one line of text in a small modal: `enter` answers, `escape` cancels (None).

A prompt can judge its answer before closing (`accept`), on a thread worker since it may write to the book:
*saving…* shows under the box meanwhile, and a refusal (returned, or raised as a ValidationError) or a
database problem shows beside the box with the prompt still open, so a bad value in the last step of a
multi-step dialog never throws away the steps before it. A prompt for a day (`day`) reads it back with its
weekday as it is typed, as every date field does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from clientbook.core.dates import Prefer
from clientbook.core.errors import ValidationError
from clientbook.ui.background import Done, Outcome, Refused, Saving, bring_to_top
from clientbook.ui.markup import escape
from clientbook.ui.widgets.form_field import FormField
from clientbook.ui.widgets.keys_line import KeysLine

Accept = Callable[[str], str | None]
"""Judges (and may act on) an answer, on a worker: None to close the prompt, or the message to show beside
the box; a ValidationError or NotFound it raises is shown the same way."""


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
        self.saving = Saving(self, self._status)

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

    def _status(self, text: str) -> None:
        """*saving…* goes where a day is read back; with nothing to say, the read-back comes back."""
        if text:
            self.query_one(FormField).show_hint(escape(text))
        else:
            self.query_one(FormField).show_hint("")
            self._read_back(self.query_one("#answer", Input).value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        accept, answer = self.accept, event.value
        if accept is None:
            self.dismiss(answer)
            return
        box = self.query_one("#answer", Input)
        self.saving.start(partial(_judge, accept, answer), partial(self._judged, answer), lock=[box])

    def _judged(self, answer: str, outcome: Outcome[None]) -> None:
        field = self.query_one(FormField)
        if isinstance(outcome, Done):
            bring_to_top(self)
            self.dismiss(answer)
        elif isinstance(outcome, Refused):
            field.show_error(outcome.message)
        else:
            field.show_error(f"Not saved: {outcome.message('the book')}")

    def action_cancel(self) -> None:
        self.dismiss(None)


def _judge(accept: Accept, answer: str) -> None:
    """On the worker: a message `accept` returns is a refusal, like one it raises."""
    problem = accept(answer)
    if problem is not None:
        raise ValidationError({"answer": problem})
