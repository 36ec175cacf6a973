"""A virtual table that draws only the lines on screen and fetches its rows a page at a time.

Textual's DataTable measures every cell of every row (9 s to first paint at 100,000 rows); this draws with the
Line API, so its cost depends on the height of the terminal, not on the size of the book. Subclasses say how
to count and fetch rows (:meth:`count_rows`, :meth:`fetch`) and which columns to draw; pages are fetched by
keyset after a page already read (fast anywhere), and by offset when jumping.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar, Final, Generic, Protocol, TypeVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

PAGE: Final = 100
PAGES_KEPT: Final = 40
HEADER: Final = 1
"""Lines the column titles take at the top."""
GAP: Final = 2
MARGIN: Final = 2


class HasId(Protocol):
    @property
    def id(self) -> int: ...


R = TypeVar("R", bound=HasId)


@dataclass(frozen=True)
class Column(Generic[R]):
    title: str
    cell: Callable[[R], str]
    width: int = 0
    """Fixed width, or 0 to share what is left with the other flexible columns."""
    share: float = 1.0
    """A flexible column's part of what is left."""
    keep: int = 10
    """How much the column matters: on a narrow terminal the lowest are left out first."""
    least: int = 12
    """A flexible column's narrowest useful width."""


def visible(columns: Sequence[Column[R]], total: int) -> list[Column[R]]:
    """The columns that fit in `total` cells, leaving out the least important until the flexible ones fit."""
    shown = list(columns)
    while len(shown) > 1:
        fixed = sum(c.width for c in shown) + GAP * (len(shown) - 1) + MARGIN
        if total - fixed >= sum(c.least for c in shown if not c.width):
            break
        shown.remove(min(shown, key=lambda c: c.keep))
    return shown


def column_widths(
    columns: Sequence[Column[R]], total: int, needs: Sequence[int] | None = None
) -> list[int]:
    """Widths that fill `total` cells: fixed columns as given, the rest shared by the flexible ones.

    With `needs` (the widest cell of each column among the rows on screen), a flexible column starts at
    what it needs when that is less than its narrowest useful width, and the cells left over go first to
    the columns that would otherwise be cut, so `(212) 555-0123` is not cut while a column sits half empty.
    """
    fixed = sum(c.width for c in columns) + GAP * (len(columns) - 1) + MARGIN
    flexible = [i for i, c in enumerate(columns) if not c.width]
    want = list(needs) if needs is not None else [c.least for c in columns]
    widths = [c.width or min(c.least, max(want[i], 1)) for i, c in enumerate(columns)]
    extra = max(total - fixed - sum(widths[i] for i in flexible), 0)
    while extra > 0:
        short = [i for i in flexible if widths[i] < want[i]]
        if not short:
            break
        shares = sum(columns[i].share for i in short) or 1.0
        given = 0
        for i in short:
            grant = max(1, int(extra * columns[i].share / shares))
            grant = min(grant, want[i] - widths[i], extra - given)
            widths[i] += grant
            given += grant
        extra -= given
        if not given:
            break
    # What no column needs is shared out, so the columns still fill the line.
    shares = sum(columns[i].share for i in flexible) or 1.0
    spare = extra
    for i in flexible:
        grant = int(spare * columns[i].share / shares)
        widths[i] += grant
        extra -= grant
    if flexible and extra > 0:
        widths[flexible[-1]] += extra
    return widths


def layout(cells: Sequence[str], widths: Sequence[int]) -> str:
    """Cells padded or cut to their widths (wide characters counted as two), joined by the gap."""
    fitted = []
    for cell, width in zip(cells, widths, strict=True):
        one_line = cell.replace("\n", " ")
        shown = set_cell_size(one_line, width - 1) + "…" if cell_len(one_line) > width else one_line
        fitted.append(set_cell_size(shown, width))
    return " " * MARGIN + (" " * GAP).join(fitted)


class VirtualTable(ScrollView, Generic[R], can_focus=True):
    """Rows from the core, one per line, with a cursor; `enter` and double-click post :class:`Opened`."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", "Up", show=False, id="table.up"),
        Binding("down", "cursor(1)", "Down", show=False, id="table.down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="table.page_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="table.page_down"),
        Binding("home", "jump(0)", "First", show=False, id="table.first"),
        Binding("end", "jump(-1)", "Last", show=False, id="table.last"),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "virtual-table--header",
        "virtual-table--cursor",
        "virtual-table--muted",
        "virtual-table--alert",
        "virtual-table--empty",
    }
    DEFAULT_CSS = """
    VirtualTable { height: 1fr; scrollbar-gutter: stable; overflow-x: hidden; }
    """

    cursor: reactive[int] = reactive(0, init=False)

    @dataclass
    class Opened(Message):
        """The user asked to open the highlighted row (enter or double-click)."""

        table: VirtualTable[HasId]
        row: HasId

    @dataclass
    class Highlighted(Message):
        """The cursor moved to another row."""

        table: VirtualTable[HasId]
        row: HasId | None

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id, classes=classes)
        self.count = 0
        self.empty_message = "Nothing here yet."
        self._pages: OrderedDict[int, list[R]] = OrderedDict()
        self._generation = 0
        """Counts reloads, so widths measured on rows read before are measured again."""
        self._measured: tuple[tuple[int, ...], list[Column[R]], list[int]] | None = None

    # What a subclass provides --------------------------------------------------------------------------

    def columns(self) -> Sequence[Column[R]]:
        raise NotImplementedError

    def count_rows(self) -> int:
        raise NotImplementedError

    def fetch(self, *, offset: int, limit: int, after: R | None) -> list[R]:
        raise NotImplementedError

    def row_class(self, row: R) -> str | None:
        """A component class (`virtual-table--muted`, `--alert`) to draw `row` with, or None."""
        return None

    # Reading --------------------------------------------------------------------------------------------

    def reload(self, *, keep: int | None = None) -> None:
        """Count and read the rows again; keep the cursor on row id `keep` if it is on the first page."""
        cursor = self.cursor
        self.count = self.count_rows()
        self._pages.clear()
        self._generation += 1
        self.virtual_size = Size(self.content_width, self.count + HEADER)
        if keep is not None:
            cursor = next((i for i, row in enumerate(self._page(0)) if row.id == keep), cursor)
        self.cursor = max(0, min(cursor, self.count - 1))
        self._scroll_to_cursor()
        self.refresh()

    @property
    def ready(self) -> bool:
        """True when the count is known and every row on screen has been read: the table is painted.

        What a benchmark (and a test) waits for after a key, rather than a fixed delay.
        """
        return True

    @property
    def selected(self) -> R | None:
        return self.row_at(self.cursor) if self.count else None

    def row_at(self, index: int) -> R | None:
        page, within = divmod(index, PAGE)
        rows = self._page(page)
        return rows[within] if within < len(rows) else None

    def _page(self, number: int) -> list[R]:
        if number in self._pages:
            self._pages.move_to_end(number)
            return self._pages[number]
        before = self._pages.get(number - 1)
        after = before[-1] if before and len(before) == PAGE else None
        rows = self.fetch(offset=number * PAGE, limit=PAGE, after=after)
        self._pages[number] = rows
        if len(self._pages) > PAGES_KEPT:
            self._pages.popitem(last=False)
        return rows

    # Drawing --------------------------------------------------------------------------------------------

    @property
    def content_width(self) -> int:
        """Cells available to a line (the scrollbar's gutter excluded)."""
        return self.scrollable_content_region.width or self.size.width

    def _layout(self, width: int) -> tuple[list[Column[R]], list[int]]:
        """The columns shown and their widths, measured on the rows on screen (once per scroll position)."""
        top = self.scroll_offset.y
        # The height is part of the key: measured before the first layout, no row is on screen yet.
        key = (width, top, self.count, self._generation, self.rows_shown)
        if self._measured is not None and self._measured[0] == key:
            return self._measured[1], self._measured[2]
        columns = visible(self.columns(), width)
        needs = [cell_len(c.title) for c in columns]
        for index in range(top, min(top + self.rows_shown, self.count)):
            row = self.row_at(index)
            if row is None:
                continue
            for n, column in enumerate(columns):
                needs[n] = max(needs[n], cell_len(column.cell(row).replace("\n", " ")))
        widths = column_widths(columns, width, needs)
        self._measured = (key, columns, widths)
        return columns, widths

    def render_line(self, y: int) -> Strip:
        width = self.content_width
        columns, widths = self._layout(width)
        if y == 0:  # the header stays put while the rows scroll under it
            style = self.get_component_rich_style("virtual-table--header")
            title = layout([c.title for c in columns], widths)
            return Strip([Segment(title, style)]).adjust_cell_length(width, style)
        index = self.scroll_offset.y + y - HEADER
        if self.count == 0:
            if y == 2:
                style = self.get_component_rich_style("virtual-table--empty")
                return Strip([Segment(" " * MARGIN + self.empty_message, style)]).extend_cell_length(width)
            return Strip.blank(width, self.rich_style)
        row = self.row_at(index) if index < self.count else None
        if row is None:
            return Strip.blank(width, self.rich_style)
        text = layout([c.cell(row) for c in columns], widths)
        style = self.rich_style
        extra = self.row_class(row)
        if extra:
            style += self.get_component_rich_style(extra)
        if index == self.cursor:
            style += self.get_component_rich_style("virtual-table--cursor", partial=not self.has_focus)
        return Strip([Segment(text, style)]).adjust_cell_length(width, self.rich_style)

    def watch_cursor(self) -> None:
        self._scroll_to_cursor()
        self.refresh()
        self.post_message(self.Highlighted(self, self.selected))  # type: ignore[arg-type]

    @property
    def rows_shown(self) -> int:
        """How many rows fit under the header."""
        return max(1, self.scrollable_content_region.height - HEADER)

    def _scroll_to_cursor(self) -> None:
        height = self.rows_shown
        top = self.scroll_offset.y
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(self.content_width, self.count + HEADER)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    # Keys and mouse -------------------------------------------------------------------------------------

    def action_cursor(self, step: int) -> None:
        if self.count:
            self.cursor = max(0, min(self.cursor + step, self.count - 1))

    def action_page(self, direction: int) -> None:
        self.action_cursor(direction * max(1, self.rows_shown - 1))

    def action_jump(self, where: int) -> None:
        if self.count:
            self.cursor = self.count - 1 if where < 0 else 0

    def on_click(self, event: events.Click) -> None:
        index = self.scroll_offset.y + event.y - HEADER
        if event.y >= HEADER and 0 <= index < self.count:
            self.cursor = index
            if event.chain == 2 and (row := self.selected) is not None:
                self.post_message(self.Opened(self, row))  # type: ignore[arg-type]
