"""The brief before a call (`b`): point-person, stage, the last three interactions, open promises and
concerns, checklists and personal notes, on one screen.

It opens at once saying *Loading…*, and fills in when the book has answered (read on a thread worker)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar, cast

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from clientbook.ui.background import bring_to_top
from clientbook.ui.markup import escape

if TYPE_CHECKING:
    from clientbook.ui.actions.base import BookApp

ReadBrief = Callable[[], tuple[str, list[str]]]
"""Reads the brief from the book (on a worker): the client's name, and the brief's lines."""


class BriefScreen(ModalScreen[None]):
    """Shows the lines of a brief; any of escape, b or q closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,b,q", "close", "Close", id="brief.close")]

    def __init__(self, read: ReadBrief) -> None:
        super().__init__()
        self.read = read
        self.title_text = "Brief"
        self.lines: list[str] = []
        """The brief's lines once read (empty while loading)."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog brief"):
            yield Label("Brief · Loading…", id="brief-title", classes="dialog--title")
            with VerticalScroll():
                yield Static("[dim]Loading…[/dim]", id="brief-body")
            yield Label("esc Close", classes="form--keys")

    def on_mount(self) -> None:
        cast("BookApp", self.app).read_for(self, self.read, self.show, gone=self._gone)

    def _gone(self) -> None:
        """The client is no longer in the book (another program removed it): nothing to brief on."""
        bring_to_top(self)
        self.dismiss(None)

    def show(self, brief: tuple[str, list[str]]) -> None:
        name, self.lines = brief
        self.title_text = name
        self.query_one("#brief-title", Label).update(f"Brief · {escape(name)}")
        self.query_one("#brief-body", Static).update("\n".join(self._styled(line) for line in self.lines))

    @staticmethod
    def _styled(line: str) -> str:
        text = escape(line)
        return f"[b]{text}[/b]" if line and not line.startswith(" ") and line.endswith(":") else text

    def action_close(self) -> None:
        self.dismiss(None)
