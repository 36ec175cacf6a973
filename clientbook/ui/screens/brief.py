"""The brief before a call (`b`): point-person, stage, the last three interactions, open promises and
concerns, checklists and personal notes, on one screen."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from clientbook.ui.markup import escape


class BriefScreen(ModalScreen[None]):
    """Shows the lines of a brief; any of escape, b or q closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,b,q", "close", "Close", id="brief.close")]

    def __init__(self, title: str, lines: list[str]) -> None:
        super().__init__()
        self.title_text = title
        self.lines = lines

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog brief"):
            yield Label(f"Brief · {escape(self.title_text)}", classes="dialog--title")
            with VerticalScroll():
                yield Static("\n".join(self._styled(line) for line in self.lines))
            yield Label("esc Close", classes="form--keys")

    @staticmethod
    def _styled(line: str) -> str:
        text = escape(line)
        return f"[b]{text}[/b]" if line and not line.startswith(" ") and line.endswith(":") else text

    def action_close(self) -> None:
        self.dismiss(None)
