"""The line of keys at the foot of a dialog or form (`ctrl+s Save   esc Cancel`), which wraps between whole
items on a narrow terminal and never inside one."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import Static

NO_BREAK = "\u00a0"
ITEM_GAP = "   "


class KeysLine(Static):
    """Items are separated by three spaces; the spaces inside an item never break."""

    def __init__(self, line: str, *, id: str | None = None) -> None:  # noqa: A002
        items = [item.strip().replace(" ", NO_BREAK) for item in line.split(ITEM_GAP) if item.strip()]
        super().__init__(Text(ITEM_GAP.join(items)), id=id, classes="form--keys")


def fit_items(items: Sequence[str], width: int) -> str:
    """As many of `items` as fit in `width` cells, in order, whole: a toolbar never shows half a word."""
    shown: list[str] = []
    for item in items:
        if cell_len(ITEM_GAP.join([*shown, item])) > width:
            break
        shown.append(item)
    return ITEM_GAP.join(shown)
