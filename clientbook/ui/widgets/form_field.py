"""One labelled form field with its read-back and error lines: the only place a form shows a validation
message.

Every form builds its fields from this widget, so "the message beside the field" and "focus the first bad
field" are written once (posting's lesson: copy-pasted per-field validation blocks drift apart).
"""

from __future__ import annotations

from datetime import datetime

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Input, Label, Static, TextArea

from clientbook.core.dates import DateProblem, Prefer, parse_day
from clientbook.ui.markup import escape


class FormField(Vertical):
    """A label, an input widget and, when invalid, a message in the error colour beside it."""

    DEFAULT_CSS = """
    FormField { height: auto; }
    FormField > Horizontal { height: auto; }
    FormField > Horizontal > Input, FormField > Horizontal > Select, FormField > Horizontal > TextArea {
        width: 1fr;
    }
    FormField .form-field--label { width: 16; padding: 0 1 0 0; }
    FormField .form-field--error { width: 1fr; color: $error; padding: 0 0 0 16; display: none; }
    FormField .form-field--hint { width: 1fr; color: $text-muted; padding: 0 0 0 16; display: none; }
    FormField.-hinted .form-field--hint { display: block; }
    FormField.-invalid .form-field--error { display: block; }
    FormField.-invalid .form-field--label { color: $error; }
    FormField.-stacked > Horizontal { layout: vertical; }
    FormField.-stacked .form-field--label { width: 1fr; padding: 0; }
    FormField.-stacked .form-field--error, FormField.-stacked .form-field--hint { padding: 0; }
    """

    STACK_BELOW = 60
    """Narrower than this (cells), the label goes above its field rather than beside it."""

    def __init__(self, label: str, control: Widget, *, key: str, required: bool = False) -> None:
        super().__init__(id=f"field-{key.replace('.', '-')}")
        self.key = key
        """The field's name in validation errors (`name`, `contacts.1.email`)."""
        self.control = control
        self.label = label + (" *" if required else "")

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < self.STACK_BELOW, "-stacked")

    @on(Input.Changed)
    @on(TextArea.Changed)
    def _typed(self, event: Input.Changed | TextArea.Changed) -> None:
        # The message was about what was typed before: stale now (a live read-back says how the new text
        # reads, and saving again judges it).
        if event.control is self.control and self.has_class("-invalid"):
            self.show_error(None)

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Label(self.label, classes="form-field--label")
            yield self.control
        yield Static("", classes="form-field--hint")
        yield Static("", classes="form-field--error")

    def read_back_day(
        self, text: str, *, zone: str, now: datetime, prefer: Prefer = "future", then: str = ""
    ) -> None:
        """Show how `text` reads as a day (`Fri 27 Nov 2026` and `then`), or why not; nothing when empty."""
        if not text.strip():
            self.show_hint("")
            return
        try:
            day = parse_day(text, zone=zone, now=now, prefer=prefer)
        except DateProblem as problem:
            self.show_hint(f"[$error]{escape(str(problem))}[/]")
            return
        self.show_hint(f"{day:%a} {day.day} {day:%b %Y}{then}")

    def show_hint(self, text: str) -> None:
        """A line under the field saying how what was typed was understood (markup allowed), or nothing."""
        self.set_class(bool(text), "-hinted")
        self.query_one(".form-field--hint", Static).update(text)

    def show_error(self, message: str | None) -> None:
        """Show `message` beside the field, or clear it with None."""
        self.set_class(message is not None, "-invalid")
        self.query_one(".form-field--error", Static).update(message or "")
