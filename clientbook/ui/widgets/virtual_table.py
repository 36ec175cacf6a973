"""A virtual table that draws only the lines on screen and reads its rows a page at a time, off the loop.

Textual's DataTable measures every cell of every row (9 s to first paint at 100,000 rows); this draws with the
Line API, so its cost depends on the height of the terminal, not on the size of the book. Subclasses say how
to count and fetch rows (:meth:`count_rows`, :meth:`fetch` or :meth:`fetch_page`) and which columns to draw.

Every read runs in a thread worker (each worker thread has its own database connection), never on the event
loop: :meth:`reload` reads the first page and then the count; a page scrolled to that is not read yet is
drawn as a placeholder line and read in the background; a result that arrives after the table was reloaded
(the user typed on, or changed a filter) is dropped. Pages are read by keyset after or before a page already
read (fast anywhere), and by offset when jumping, with the count as a hint so a jump near the end is read
from the end.
"""

from __future__ import annotations

import contextlib
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import ClassVar, Final, Generic, Protocol, TypeVar

import peewee as pw
from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
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
class PageRequest(Generic[R]):
    """Which rows to read: `limit` from `offset`, or (faster) the rows just after `after` or before `before`.

    `matches` is the count when known, so a subclass can read a jump near the end from the end.
    """

    offset: int
    limit: int
    after: R | None = None
    before: R | None = None
    matches: int | None = None


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


def column_widths(columns: Sequence[Column[R]], total: int, needs: Sequence[int] | None = None) -> list[int]:
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


_JOINERS: Final = frozenset("\u200d\ufe0f")
"""A zero-width joiner or an emoji presentation selector: Rich measures a line holding one as a whole
(`Bo` and a joiner at the end of a cell comes out a cell short of its width), so such a line is measured."""


def laid_out_width(widths: Sequence[int]) -> int:
    """The cells a line from :func:`layout` takes: the margin, every width, the gaps between them."""
    return MARGIN + sum(widths) + GAP * max(len(widths) - 1, 0)


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

        @property
        def control(self) -> VirtualTable[HasId]:
            return self.table

    @dataclass
    class Highlighted(Message):
        """The cursor moved to another row (or the row under it was read)."""

        table: VirtualTable[HasId]
        row: HasId | None

        @property
        def control(self) -> VirtualTable[HasId]:
            return self.table

    @dataclass
    class Loaded(Message):
        """A reload finished: :attr:`count` is the number of rows the table now shows."""

        table: VirtualTable[HasId]

        @property
        def control(self) -> VirtualTable[HasId]:
            return self.table

    @dataclass
    class Failed(Message):
        """Reading the rows failed (the book is locked, gone, unreadable...); the table keeps what it had."""

        table: VirtualTable[HasId]
        error: pw.PeeweeException

        @property
        def control(self) -> VirtualTable[HasId]:
            return self.table

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id, classes=classes)
        self.count = 0
        self.counted = False
        """The count is known (not only the first page)."""
        self.empty_message = "Nothing here yet."
        self._pages: OrderedDict[int, list[R]] = OrderedDict()
        self._wanted: set[int] = set()
        """Pages being read in the background."""
        self._generation = 0
        """Counts reloads: a result read for an earlier one is dropped, and widths are measured again."""
        self._loaded_generation = 0
        """The reload whose rows the table holds."""
        self._measured: tuple[tuple[int, ...], list[Column[R]], list[int]] | None = None
        self._lines: dict[tuple[object, ...], Strip] = {}
        self._when_ready: list[Callable[[], None]] = []
        self._style: tuple[bool, Style] | None = None
        """The table's own style (for focus or not), as :meth:`_draw` last worked it out."""
        """Lines drawn, by row index and everything else a line's look depends on: scrolling by a line, or
        a cursor move, then draws one or two lines instead of a screenful."""

    # What a subclass provides --------------------------------------------------------------------------

    def columns(self) -> Sequence[Column[R]]:
        raise NotImplementedError

    def count_rows(self) -> int:
        raise NotImplementedError

    def fetch(self, *, offset: int, limit: int, after: R | None) -> list[R]:
        """`limit` rows from `offset`, or following `after` when given. Runs in a thread worker."""
        raise NotImplementedError

    def fetch_page(self, request: PageRequest[R]) -> list[R]:
        """The rows `request` asks for; override to use `before` and `matches` (keyset paging backwards, and
        jumps read from the end). Runs in a thread worker."""
        after = request.after if request.before is None else None
        return self.fetch(offset=request.offset, limit=request.limit, after=after)

    def row_class(self, row: R) -> str | None:
        """A component class (`virtual-table--muted`, `--alert`) to draw `row` with, or None."""
        return None

    def banner(self, row: R) -> str | None:
        """A line drawn across the columns in place of `row`'s cells (a section's title), or None."""
        return None

    def line_text(self, row: R) -> str:
        """`row` as the line on screen shows it (for tests and for a screen that says what is selected)."""
        columns, widths = self._layout(self.content_width)
        banner = self.banner(row)
        return " " * MARGIN + banner if banner is not None else layout([c.cell(row) for c in columns], widths)

    # Reading --------------------------------------------------------------------------------------------

    def reload(self, *, keep: int | None = None) -> None:
        """Count and read the rows again, in the background; keep the cursor on row id `keep` if it is on the
        first page. Until the rows arrive the table goes on showing what it had (or placeholders)."""
        self._generation += 1
        self._wanted.clear()
        # The count on hand was made for what the table showed before: still its length until the new one
        # comes (so the cursor and scrollbar stay put), but no longer the answer (a status says so, and no
        # page is read from the end by it).
        self.counted = False
        top_page = self.scroll_offset.y // PAGE
        self.run_worker(
            partial(self._read, self._generation, top_page, keep, self.cursor),
            thread=True,
            exclusive=True,
            group=f"table-{id(self)}",
            name="read rows",
        )

    def show_read(self, rows: Sequence[R], *, keep: int | None = None) -> None:
        """Show `rows`, read already, as the whole table: at once, with no worker and no placeholders drawn
        first (the care screen shown at start has the reading the app chose it by)."""
        self._generation += 1
        self._wanted.clear()
        pages = {
            number: list(rows[start : start + PAGE]) for number, start in enumerate(range(0, len(rows), PAGE))
        }
        self._arrived(self._generation, len(rows), pages, keep, self.cursor)

    def clear(self) -> None:
        """Forget every row at once, because the table is about to show other ones (another client's): it
        shows *Loading…* until :meth:`reload` brings them, never the old rows meanwhile."""
        self._generation += 1
        self._loaded_generation = 0
        self._pages.clear()
        self._wanted.clear()
        self._lines.clear()
        self._measured = None
        self.count = 0
        self.counted = False
        self.set_reactive(VirtualTable.cursor, 0)
        self.scroll_to(y=0, animate=False, immediate=True)
        self._set_virtual_size(Size(self.content_width, HEADER))
        self.refresh()

    def _read(self, generation: int, top_page: int, keep: int | None, cursor: int) -> None:
        """In a worker: the first page (shown at once), then the count, then the page at the top of the view
        if that is not the first."""
        try:
            first = self.fetch_page(PageRequest(0, PAGE)) if top_page == 0 or keep is not None else None
            if first is not None and len(first) < PAGE:
                # Everything fits on the first page: that is the count too.
                self._hand_over(self._arrived, generation, len(first), {0: first}, keep, cursor)
                return
            if first is not None:
                self._hand_over(self._arrived, generation, None, {0: first}, keep, cursor)
            count = self.count_rows()
            pages = {} if first is None else {0: first}
            if top_page and top_page * PAGE < count:
                pages[top_page] = self.fetch_page(PageRequest(top_page * PAGE, PAGE, matches=count))
            self._hand_over(self._arrived, generation, count, pages, keep, cursor)
        except pw.PeeweeException as error:
            self._hand_over(self._failed, generation, error)

    def _hand_over(self, method: Callable[..., None], *args: object) -> None:
        """Call `method` on the event loop (from a worker); when the app has closed meanwhile, nothing is
        needed."""
        with contextlib.suppress(RuntimeError):
            self.app.call_from_thread(method, *args)

    def _arrived(
        self, generation: int, count: int | None, pages: dict[int, list[R]], keep: int | None, cursor: int
    ) -> None:
        """Rows (and, when `count` is not None, the count) read by :meth:`_read`; dropped when stale."""
        if generation != self._generation:
            return
        fresh = self._loaded_generation != generation
        if fresh:
            self._pages.clear()
            self._loaded_generation = generation
            self._measured = None
        same_rows = not fresh and all(self._pages.get(number) is rows for number, rows in pages.items())
        shown_before = self._last_shown()
        self._pages.update(pages)
        if count is None:
            # The first page is here (a full one), the count is not: keep the length the table had, so the
            # cursor and the scrollbar stay put until the count says otherwise.
            self.count = max(len(pages.get(0, [])), self.count)
        else:
            self.count = count
            self.counted = True
        self._set_virtual_size(Size(self.content_width, self.count + HEADER))
        if keep is not None and 0 in pages:
            cursor = next((i for i, row in enumerate(pages[0]) if row.id == keep), cursor)
        self.cursor = max(0, min(cursor, self.count - 1))
        self._scroll_to_cursor()
        if not same_rows or self._last_shown() != shown_before:
            # Only the count came (the rows on screen are the ones drawn): the scrollbar follows the new
            # virtual size by itself, and the lines need no drawing again.
            self._redraw()
        if count is not None:
            self.post_message(self.Loaded(self))  # type: ignore[arg-type]
        self.post_message(self.Highlighted(self, self.selected))  # type: ignore[arg-type]
        self._tell_ready()

    def _failed(self, generation: int, error: pw.PeeweeException) -> None:
        if generation == self._generation:
            self.post_message(self.Failed(self, error))  # type: ignore[arg-type]

    def when_ready(self, callback: Callable[[], None]) -> None:
        """Call `callback` once the table is :attr:`ready` (at once if it is): a screen read before it is
        shown waits for its rows with this."""
        self._when_ready.append(callback)
        self._tell_ready()

    def _tell_ready(self) -> None:
        if self._when_ready and self.ready:
            callbacks, self._when_ready = self._when_ready, []
            for callback in callbacks:
                callback()

    @property
    def ready(self) -> bool:
        """True when the rows on screen have been read for the latest reload: the table is painted (its
        count may still be coming; :attr:`counted` says).

        What a benchmark (and a test) waits for after a key, rather than a fixed delay.
        """
        if self._loaded_generation != self._generation or not self.is_mounted:
            return False
        top = self.scroll_offset.y
        last = min(top + self.rows_shown, self.count) - 1
        if last < 0:
            return True
        return all(page in self._pages for page in range(top // PAGE, last // PAGE + 1))

    @property
    def selected(self) -> R | None:
        """The row under the cursor, or None (no rows, or its page is still being read)."""
        return self.row_at(self.cursor) if self.count else None

    def row_at(self, index: int) -> R | None:
        """Row `index` if its page has been read; otherwise None, and the page is asked for."""
        page, within = divmod(index, PAGE)
        rows = self._page(page)
        return rows[within] if rows is not None and within < len(rows) else None

    def _page(self, number: int) -> list[R] | None:
        if number in self._pages:
            self._pages.move_to_end(number)
            return self._pages[number]
        if number not in self._wanted and self._loaded_generation == self._generation:
            self._wanted.add(number)
            self.run_worker(
                partial(self._read_page, self._generation, number, self._request(number)),
                thread=True,
                group=f"table-pages-{id(self)}",
                name="read a page",
            )
        return None

    def _request(self, number: int) -> PageRequest[R]:
        """How to read page `number`: by keyset from a neighbour already read, else by offset."""
        before = self._pages.get(number - 1)
        if before and len(before) == PAGE:
            return PageRequest(number * PAGE, PAGE, after=before[-1], matches=self.count)
        following = self._pages.get(number + 1)
        if following:
            return PageRequest(number * PAGE, PAGE, before=following[0], matches=self.count)
        return PageRequest(number * PAGE, PAGE, matches=self.count if self.counted else None)

    def _read_page(self, generation: int, number: int, request: PageRequest[R]) -> None:
        try:
            rows = self.fetch_page(request)
        except pw.PeeweeException as error:
            self._hand_over(self._failed, generation, error)
            return
        self._hand_over(self._page_arrived, generation, number, rows)

    def _page_arrived(self, generation: int, number: int, rows: list[R]) -> None:
        self._wanted.discard(number)
        if generation != self._generation:
            return
        self._pages[number] = rows
        while len(self._pages) > PAGES_KEPT:
            self._pages.popitem(last=False)
        top = self.scroll_offset.y
        if number * PAGE < top + self.rows_shown and (number + 1) * PAGE > top:
            self._measured = None  # measured again on the next draw, which reads further ahead if need be
            self._redraw()
        else:
            # Read ahead, off screen: nothing to draw, but the next page ahead may be wanted.
            self._read_ahead(top)
        if number == self.cursor // PAGE:
            self.post_message(self.Highlighted(self, self.selected))  # type: ignore[arg-type]
        self._tell_ready()

    # Drawing --------------------------------------------------------------------------------------------

    @property
    def content_width(self) -> int:
        """Cells available to a line (the scrollbar's gutter excluded)."""
        return self.scrollable_content_region.width or self.size.width

    def _layout(self, width: int) -> tuple[list[Column[R]], list[int]]:
        """The columns shown and their widths, measured on the rows on screen (once per scroll position)."""
        top = self.scroll_offset.y
        # The height is part of the key: measured before the first layout, no row is on screen yet.
        key = (width, top, self._last_shown(), self._loaded_generation, self.rows_shown)
        if self._measured is not None and self._measured[0] == key:
            return self._measured[1], self._measured[2]
        columns = visible(self.columns(), width)
        needs = [cell_len(c.title) for c in columns]
        for index in range(top, min(top + self.rows_shown, self.count)):
            row = self.row_at(index)
            if row is None or self.banner(row) is not None:
                continue
            for n, column in enumerate(columns):
                needs[n] = max(needs[n], cell_len(column.cell(row).replace("\n", " ")))
        widths = column_widths(columns, width, needs)
        self._measured = (key, columns, widths)
        self._read_ahead(top)
        return columns, widths

    def _read_ahead(self, top: int) -> None:
        """Ask for the pages either side of the view, so `pagedown` and scrolling find their rows read: one at
        a time, and only once the rows on screen are read (a read ahead must not hold up the one needed now,
        nor share the interpreter with it)."""
        if self._wanted or self._loaded_generation != self._generation:
            return
        first, last = (top - self.rows_shown) // PAGE, (top + 2 * self.rows_shown) // PAGE
        for number in range(max(first, 0), last + 1):
            if number * PAGE < self.count and number not in self._pages:
                self._page(number)
                return

    def _set_virtual_size(self, size: Size) -> None:
        """Tell the scrollbar how many lines there are, without laying the screen out again.

        Textual lays out the whole screen when a widget's virtual size changes, for widgets whose size
        follows their content; the table's size comes from the stylesheet (and its scrollbar's gutter is
        kept, `scrollbar-gutter: stable`), so a count arriving needs only the scrollbar updated and the
        table repainted. The layout after every search's count was half of a keystroke's event-loop time.
        A scrollbar that appears or goes still lays out (Textual's `show_vertical_scrollbar` does).
        """
        if size == self.virtual_size:
            return
        height = self.styles.height
        if not self.is_mounted or not self.container_size or (height is not None and height.is_auto):
            self.virtual_size = size
            return
        self.set_reactive(VirtualTable.virtual_size, size)
        self._scroll_update(size)
        if self.show_vertical_scrollbar:
            # Textual moves the thumb only when the offset changes while the bar is shown: one clamped while
            # the rows fitted (no bar) left the thumb where it was when the bar came back.
            self.vertical_scrollbar.position = self.scroll_offset.y
        self.refresh()

    def _last_shown(self) -> int:
        """One past the last row index on screen."""
        return min(self.count, self.scroll_offset.y + self.rows_shown)

    def _redraw(self) -> None:
        """Draw every line again (the rows or their widths changed)."""
        self._lines.clear()
        self.refresh()

    def _refresh_row(self, index: int) -> None:
        y = index - self.scroll_offset.y + HEADER
        if HEADER <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

    def notify_style_update(self) -> None:
        # The theme or a class changed: a line drawn before has the old colours.
        self._lines.clear()
        self._style = None
        super().notify_style_update()

    def _own_style(self) -> Style:
        """`rich_style`, worked out once per focus state: Textual blends every ancestor's background into it
        at each call, and two calls per line were a third of drawing a screenful."""
        if self._style is None or self._style[0] != self.has_focus:
            self._style = (self.has_focus, self.rich_style)
        return self._style[1]

    def render_line(self, y: int) -> Strip:
        width = self.content_width
        columns, widths = self._layout(width)
        if y == 0:  # the header stays put while the rows scroll under it
            style = self.get_component_rich_style("virtual-table--header")
            title = layout([c.title for c in columns], widths)
            return Strip([Segment(title, style)], laid_out_width(widths)).adjust_cell_length(width, style)
        index = self.scroll_offset.y + y - HEADER
        if self.count == 0:
            if y == 2:
                # Until the first rows arrive the table is loading, not empty.
                message = self.empty_message if self._loaded_generation else "Loading…"
                style = self.get_component_rich_style("virtual-table--empty")
                return Strip([Segment(" " * MARGIN + message, style)]).extend_cell_length(width)
            return Strip.blank(width, self._own_style())
        if index >= self.count:
            return Strip.blank(width, self._own_style())
        row = self.row_at(index)
        if row is None:  # its page is being read: a placeholder, so the line is not mistaken for the end
            style = self.get_component_rich_style("virtual-table--empty")
            if index == self.cursor:
                style += self.get_component_rich_style("virtual-table--cursor", partial=not self.has_focus)
            return Strip([Segment(" " * MARGIN + "…", style)]).adjust_cell_length(width, style)
        key = (index, index == self.cursor, self.has_focus, width, *(c.title for c in columns), *widths)
        line = self._lines.get(key)
        if line is None:
            if len(self._lines) > 4 * self.size.height:
                self._lines.clear()
            line = self._lines[key] = self._draw(row, index, columns, widths, width)
        return line

    def _draw(self, row: R, index: int, columns: Sequence[Column[R]], widths: list[int], width: int) -> Strip:
        banner = self.banner(row)
        if banner is not None:
            text, cells = " " * MARGIN + banner, None
        else:
            # Its length is known: each cell is set to its width. Measuring the joined line again (Rich goes
            # character by character through a line holding a `·`, a `—` or an accent) was a tenth of
            # drawing a screenful.
            text = layout([c.cell(row) for c in columns], widths)
            cells = None if _JOINERS.intersection(text) else laid_out_width(widths)
        base = style = self._own_style()
        extra = self.row_class(row)
        if extra:
            style += self.get_component_rich_style(extra)
        if index == self.cursor:
            style += self.get_component_rich_style("virtual-table--cursor", partial=not self.has_focus)
        return Strip([Segment(text, style)], cells).adjust_cell_length(width, base)

    def watch_cursor(self, old: int, new: int) -> None:
        top = self.scroll_offset.y
        self._scroll_to_cursor()
        if self.scroll_offset.y == top:
            self._refresh_row(old)
            self._refresh_row(new)
        else:
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
        self._set_virtual_size(Size(self.content_width, self.count + HEADER))

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
