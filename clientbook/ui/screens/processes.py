"""Processes (`p` on the checklists screen): the documented processes, the steps of the highlighted one,
and how many clients run each version. `n` new, `e` edit, `d` duplicate, `r` retire or restore, `x` export
to a file, `i` import one.

The processes, and the steps of the one highlighted, are read on thread workers; the table is handed the rows
(a few dozen at most), so drawing it never waits on the book."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import TYPE_CHECKING, ClassVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static

from clientbook.core.processes.queries import ProcessDetail, ProcessRow, process_detail, processes
from clientbook.ui.markup import escape
from clientbook.ui.messages import BookChanged
from clientbook.ui.screens.page import PageScreen
from clientbook.ui.widgets.fitted_footer import FittedFooter
from clientbook.ui.widgets.title_bar import TitleBar
from clientbook.ui.widgets.virtual_table import Column, VirtualTable

if TYPE_CHECKING:
    from clientbook.ui.app import ClientbookApp


def read_processes() -> list[ProcessRow]:
    """On a worker: every process, the current ones first and the retired ones after them."""
    rows = processes(include_retired=True)
    return [r for r in rows if not r.retired] + [r for r in rows if r.retired]


def running_text(row: ProcessRow) -> str:
    return ", ".join(f"{count} on v{version}" for version, count in row.running) or "none"


class ProcessTable(VirtualTable[ProcessRow]):
    """Every process, retired ones last and marked: the rows the screen read and handed it (:attr:`rows`)."""

    EMPTY = "No process yet. Press n to write one down."
    """Shown once the rows have arrived (until then the table says it is loading)."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.rows: list[ProcessRow] = []
        self.empty_message = self.EMPTY
        self._columns: list[Column[ProcessRow]] = [
            Column("Process", lambda r: r.name, share=1.0, keep=100, least=20),
            Column("Version", lambda r: f"v{r.version}", width=7, keep=8),
            Column("Steps", lambda r: str(r.steps), width=5, keep=7),
            Column("Running", running_text, width=16, keep=9),
            Column("", lambda r: "retired" if r.retired else "", width=7, keep=6),
        ]

    def columns(self) -> Sequence[Column[ProcessRow]]:
        return self._columns

    def count_rows(self) -> int:
        return len(self.rows)

    def fetch(self, *, offset: int, limit: int, after: ProcessRow | None) -> list[ProcessRow]:
        return self.rows[offset : offset + limit]

    def row_class(self, row: ProcessRow) -> str | None:
        return "virtual-table--muted" if row.retired else None


class ProcessesScreen(PageScreen[None]):
    """The processes, with the highlighted one's steps beside them."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", "New", id="processes.new"),
        Binding("e,enter", "edit", "Edit", id="processes.edit"),
        Binding("d", "duplicate", "Duplicate", id="processes.duplicate"),
        Binding("r", "retire", "Retire/restore", id="processes.retire"),
        Binding("x", "export", "Export", id="processes.export"),
        Binding("i", "import", "Import", id="processes.import"),
        Binding("escape", "back", "Back", id="processes.back"),
    ]

    @property
    def book(self) -> ClientbookApp:
        return cast("ClientbookApp", self.app)

    def compose(self) -> ComposeResult:
        yield TitleBar(classes="title-bar")
        with Horizontal(id="processes-body"):
            yield ProcessTable(id="process-table")
            with VerticalScroll(id="process-steps"):
                yield Static(id="process-detail")
        yield FittedFooter()

    def __init__(self) -> None:
        super().__init__()
        self._details: dict[int, ProcessDetail] = {}
        """Steps already read for this visit, by process id: moving the cursor back shows them at once."""

    def on_mount(self) -> None:
        self.refresh_list()
        self.query_one(ProcessTable).focus()

    def on_book_changed(self, _: BookChanged) -> None:
        selected = self.query_one(ProcessTable).selected
        self.refresh_list(keep=selected.id if selected else None)

    def refresh_list(self, *, keep: int | None = None) -> None:
        """Read the processes again (on a worker), keeping the cursor on `keep` or the one selected."""
        user = self.book.user
        if not self.query_one(ProcessTable).rows:
            self.query_one(TitleBar).show(
                "[b]clientbook[/b] · Processes", f"{user.name if user else ''} · {self.book.location_name}"
            )
        self.book.read_for(self, read_processes, partial(self._show_list, keep), group="list")

    def _show_list(self, keep: int | None, rows: list[ProcessRow]) -> None:
        table = self.query_one(ProcessTable)
        selected = table.selected
        table.rows = rows
        self._details.clear()
        table.reload(keep=keep if keep is not None else selected.id if selected else None)
        user = self.book.user
        self.query_one(TitleBar).show(
            "[b]clientbook[/b] · Processes",
            f"{user.name if user else ''} · {self.book.location_name} · {len(rows)} processes",
        )
        # The steps follow once the table has its rows again and says which one is highlighted.

    @on(VirtualTable.Highlighted)
    def highlighted(self, event: VirtualTable.Highlighted) -> None:
        self._show_steps(event.row if isinstance(event.row, ProcessRow) else None)

    def _show_steps(self, row: ProcessRow | None) -> None:
        """The steps of `row`: at once when already read, else its name with *Loading…* until they are."""
        detail_widget = self.query_one("#process-detail", Static)
        if row is None:
            detail_widget.update("")
            return
        heading = f"[b]{escape(row.name)}[/b] · v{row.version} · running: {running_text(row)}"
        detail = self._details.get(row.id)
        if detail is None:
            detail_widget.update(f"{heading}\n\n[dim]Loading…[/dim]")
            ident = row.id
            self.book.read_for(
                self, lambda: process_detail(ident), partial(self._steps_read, row), group="steps"
            )
            return
        self._draw_steps(row, heading, detail)

    def _steps_read(self, row: ProcessRow, detail: ProcessDetail) -> None:
        self._details[row.id] = detail
        if (selected := self._selected()) is not None and selected.id == row.id:
            self._show_steps(row)

    def _draw_steps(self, row: ProcessRow, heading: str, detail: ProcessDetail) -> None:
        detail_widget = self.query_one("#process-detail", Static)
        lines = [heading]
        if detail.row.description:
            lines.append(f"[dim]{escape(detail.row.description)}[/dim]")
        lines.append("")
        for step in detail.steps:
            due = f"day {step.due_days}" if step.due_days is not None else "no due day"
            lines.append(f"{step.position:>2}. {escape(step.title)}  [dim]({due})[/dim]")
            if step.note:
                lines.append(f"    [dim]{escape(step.note)}[/dim]")
        detail_widget.update("\n".join(lines))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("edit", "duplicate", "retire", "export"):
            return True if self.query_one(ProcessTable).selected else None
        return True

    def _selected(self) -> ProcessRow | None:
        return self.query_one(ProcessTable).selected

    def action_new(self) -> None:
        self.book.new_process(on_saved=lambda ident: self.refresh_list(keep=ident))

    def action_edit(self) -> None:
        if (row := self._selected()) is not None:
            self.book.edit_process(row.id, on_saved=lambda ident: self.refresh_list(keep=ident))

    def action_duplicate(self) -> None:
        if (row := self._selected()) is not None:
            self.book.duplicate_process(row.id, on_done=lambda ident: self.refresh_list(keep=ident))

    def action_retire(self) -> None:
        if (row := self._selected()) is not None:
            self.book.retire_process(
                row.id, retired=not row.retired, on_done=lambda: self.refresh_list(keep=row.id)
            )

    def action_export(self) -> None:
        if (row := self._selected()) is not None:
            self.book.export_process(row.id, row.slug)

    def action_import(self) -> None:
        self.book.import_process(on_done=lambda ident: self.refresh_list(keep=ident))

    def action_back(self) -> None:
        self.app.pop_screen()
