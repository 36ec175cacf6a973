"""`f1`: the keys of the screen the user is on, with what each does and its id for remapping."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from clientbook.ui.widgets.keys_line import KeysLine


class HelpScreen(ModalScreen[None]):
    """Lists (key, description, id) rows gathered from the screen below when f1 was pressed."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,q", "dismiss", "Close", id="help.close"),
    ]

    def __init__(
        self,
        title: str,
        keys: list[tuple[str, str, str]],
        everywhere: list[tuple[str, str, str]] | None = None,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.keys = keys
        self.everywhere = everywhere or []

    def compose(self) -> ComposeResult:
        # Text, not markup: `[keymap]` and any bracket in a description are shown as they are.
        table = Table(box=None, show_header=True, header_style="bold", pad_edge=False)
        table.add_column(Text("Key"), no_wrap=True)
        table.add_column(Text("Does"))
        table.add_column(Text("Id (for [keymap] in settings)"), style="dim")
        for key, description, binding_id in self.keys:
            table.add_row(Text(key), Text(description), Text(binding_id))
        if self.everywhere:
            table.add_section()
            table.add_row(Text("Everywhere", style="bold"), Text(""), Text(""))
            for key, description, binding_id in self.everywhere:
                table.add_row(Text(key), Text(description), Text(binding_id))
        with Vertical(classes="dialog help"):
            yield Label(Text(f"Keys · {self.title_text}"), classes="dialog--title")
            with VerticalScroll():
                yield Static(table)
            yield KeysLine("tab / shift+tab move between fields · esc Close")

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
