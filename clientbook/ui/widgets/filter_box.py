"""FilterBox: the text box of a list's filter row, which types without laying the screen out again.

Textual's `Input` sets its virtual size to the width of its text at every key, and a widget's virtual size
is declared to need a layout: every character typed in the client list's search laid out and drew the whole
screen (10-20 ms of event loop here, while the search itself waited for the interpreter). A filter row's
box has its size from the stylesheet, never from its text, so here a new virtual size only scrolls the text
within the box and repaints it.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input


class FilterBox(Input):
    """An Input whose text never changes the layout of the screen around it."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)
