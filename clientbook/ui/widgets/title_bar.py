"""The one-line bar atop every screen: where you are on the left, who and which book on the right."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from clientbook.ui.widgets.text_line import TextLine


class TitleBar(Horizontal):
    """`clientbook · Clients` ... `Pat Owner · book.db · 1,284 clients`."""

    DEFAULT_CSS = """
    TitleBar { height: 1; }
    TitleBar > .title-bar--left { width: 1fr; }
    TitleBar > .title-bar--right { width: auto; }
    """

    def compose(self) -> ComposeResult:
        # Lines that ignore being told what they say: screens set the title after every read.
        yield TextLine(classes="title-bar--left")
        yield TextLine(classes="title-bar--right")

    def show(self, left: str, right: str) -> None:
        """Update both sides; `left` may hold Rich markup, `right` is plain text."""
        self.query_one(".title-bar--left", Static).update(left)
        self.query_one(".title-bar--right", Static).update(Text(right))
