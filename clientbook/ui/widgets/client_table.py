"""A virtual table of clients that draws only the lines on screen and fetches them a page at a time.

Textual's DataTable measures every cell of every row (9 s to first paint at 100,000 rows); this draws with
the Line API, so cost depends on the height of the terminal, not the size of the book. Pages are read from the
core with keyset paging when scrolling on from a page already read, and by offset when jumping.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar, Final

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from clientbook.core.dates import ago
from clientbook.core.queries import ClientFilter, ClientRow, client_page, count_clients

PAGE: Final = 100
PAGES_KEPT: Final = 40


@dataclass(frozen=True)
class Column:
    title: str
    width: int
    """Fixed width, or 0 to share what is left with the other flexible columns."""
    cell: Callable[[ClientRow, datetime, str], str]


COLUMNS: Final = (
    Column("Name", 0, lambda r, now, zone: r.name + (" (archived)" if r.archived else "")),
    Column("Company", 0, lambda r, now, zone: r.company or "—"),
    Column("Stage", 11, lambda r, now, zone: r.stage),
    Column("Point-person", 14, lambda r, now, zone: r.point_person),
    Column("Last contact", 13, lambda r, now, zone: ago(r.last_contact_at, now, zone)),
    Column("Email / phone", 0, lambda r, now, zone: r.reach or "—"),
    Column("Care", 13, lambda r, now, zone: f"✉ {r.awaiting} awaiting" if r.awaiting else ""),
)
GAP: Final = 2
MARGIN: Final = 2


def column_widths(total: int) -> list[int]:
    """Widths that fill `total` cells: fixed columns as given, the rest shared by the flexible ones."""
    fixed = sum(c.width for c in COLUMNS) + GAP * (len(COLUMNS) - 1) + MARGIN
    flexible = [c for c in COLUMNS if not c.width]
    spare = max(total - fixed, 10 * len(flexible))
    # Name gets the largest share: it is what people scan for.
    shares = {"Name": 0.4, "Company": 0.25, "Email / phone": 0.35}
    return [c.width or max(8, int(spare * shares[c.title])) for c in COLUMNS]


def layout(cells: list[str], widths: list[int]) -> str:
    """Cells padded or cut to their widths (wide characters counted as two), joined by the gap."""
    fitted = []
    for cell, width in zip(cells, widths, strict=True):
        shown = set_cell_size(cell, width - 1) + "…" if cell_len(cell) > width else cell
        fitted.append(set_cell_size(shown, width))
    return " " * MARGIN + (" " * GAP).join(fitted)


class ClientTable(ScrollView, can_focus=True):
    """Every client matching a :class:`ClientFilter`, one per line, with a cursor."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor(-1)", "Up", show=False, id="table.up"),
        Binding("down,j", "cursor(1)", "Down", show=False, id="table.down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="table.page_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="table.page_down"),
        Binding("home", "jump(0)", "First", show=False, id="table.first"),
        Binding("end", "jump(-1)", "Last", show=False, id="table.last"),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "client-table--cursor",
        "client-table--archived",
        "client-table--empty",
    }
    DEFAULT_CSS = """
    ClientTable { height: 1fr; scrollbar-gutter: stable; overflow-x: hidden; }
    """

    cursor: reactive[int] = reactive(0, init=False)

    @dataclass
    class Opened(Message):
        """The user asked to open the highlighted client (enter or double-click)."""

        row: ClientRow

    def __init__(self, *, zone: str, clock: Callable[[], datetime], id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.zone = zone
        self.clock = clock
        self.filter = ClientFilter()
        self.count = 0
        self.empty_message = "No clients yet. Press n to add your first."
        self._pages: OrderedDict[int, list[ClientRow]] = OrderedDict()

    def show(self, flt: ClientFilter, *, keep: int | None = None) -> None:
        """Show the clients `flt` matches; put the cursor on client `keep` if it is on the first page."""
        self.filter = flt
        self.count = count_clients(flt)
        self._pages.clear()
        self.virtual_size = Size(self.size.width, self.count)
        position = 0
        if keep is not None:
            first = self._page(0)
            position = next((i for i, row in enumerate(first) if row.id == keep), self.cursor)
        self.cursor = max(0, min(position, self.count - 1))
        self._scroll_to_cursor()
        self.refresh()

    def reload(self) -> None:
        """Read the rows again (after an edit), keeping the cursor where it was."""
        cursor = self.cursor
        self.count = count_clients(self.filter)
        self._pages.clear()
        self.virtual_size = Size(self.size.width, self.count)
        self.cursor = max(0, min(cursor, self.count - 1))
        self.refresh()

    @property
    def selected(self) -> ClientRow | None:
        return self.row_at(self.cursor) if self.count else None

    def row_at(self, index: int) -> ClientRow | None:
        page, within = divmod(index, PAGE)
        rows = self._page(page)
        return rows[within] if within < len(rows) else None

    def _page(self, number: int) -> list[ClientRow]:
        if number in self._pages:
            self._pages.move_to_end(number)
            return self._pages[number]
        before = self._pages.get(number - 1)
        after = before[-1] if before and len(before) == PAGE else None
        rows = client_page(self.filter, offset=number * PAGE, limit=PAGE, after=after)
        self._pages[number] = rows
        if len(self._pages) > PAGES_KEPT:
            self._pages.popitem(last=False)
        return rows

    @property
    def content_width(self) -> int:
        """Cells available to a line (the scrollbar's gutter excluded)."""
        return self.scrollable_content_region.width or self.size.width

    def render_line(self, y: int) -> Strip:
        width = self.content_width
        index = self.scroll_offset.y + y
        if self.count == 0:
            if y == 1:
                style = self.get_component_rich_style("client-table--empty")
                return Strip([Segment(" " * MARGIN + self.empty_message, style)]).extend_cell_length(width)
            return Strip.blank(width)
        row = self.row_at(index) if index < self.count else None
        if row is None:
            return Strip.blank(width)
        now = self.clock()
        text = layout([c.cell(row, now, self.zone) for c in COLUMNS], column_widths(width))
        style = self.rich_style
        if row.archived:
            style += self.get_component_rich_style("client-table--archived")
        if index == self.cursor:
            style += self.get_component_rich_style("client-table--cursor", partial=not self.has_focus)
            if not self.has_focus:
                style += Style(dim=False)
        return Strip([Segment(text, style)]).adjust_cell_length(width, self.rich_style)

    def watch_cursor(self) -> None:
        self._scroll_to_cursor()
        self.refresh()

    def _scroll_to_cursor(self) -> None:
        height = max(1, self.scrollable_content_region.height)
        top = self.scroll_offset.y
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(event.size.width, self.count)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def action_cursor(self, step: int) -> None:
        if self.count:
            self.cursor = max(0, min(self.cursor + step, self.count - 1))

    def action_page(self, direction: int) -> None:
        self.action_cursor(direction * max(1, self.scrollable_content_region.height - 1))

    def action_jump(self, where: int) -> None:
        if self.count:
            self.cursor = self.count - 1 if where < 0 else 0

    def on_click(self, event: events.Click) -> None:
        index = self.scroll_offset.y + event.y
        if 0 <= index < self.count:
            self.cursor = index
            if event.chain == 2 and (row := self.selected) is not None:
                self.post_message(self.Opened(row))
