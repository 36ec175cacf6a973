"""Checklists (`f4`): every open checklist across clients, with progress and the next step, soonest due
first; filter by process, point-person and overdue (`o`); `enter` opens one to tick its steps.

The filters' choices and the counts in the status line are read on thread workers, once per visit (and when
a filter changes or the book does); the table reads its own rows."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, ClassVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Select, Static

from clientbook.core.clients.queries import StaffRow, staff_rows
from clientbook.core.dates import local
from clientbook.core.processes.queries import ChecklistFilter, ProcessRow, count_checklists, processes
from clientbook.ui.key_state import refresh_keys
from clientbook.ui.messages import BookChanged
from clientbook.ui.screens.clients import plural
from clientbook.ui.screens.page import PageScreen
from clientbook.ui.widgets.checklist_table import ChecklistTable
from clientbook.ui.widgets.fitted_footer import FittedFooter
from clientbook.ui.widgets.text_line import TextLine
from clientbook.ui.widgets.title_bar import TitleBar
from clientbook.ui.widgets.virtual_table import VirtualTable

if TYPE_CHECKING:
    from clientbook.ui.app import ClientbookApp

ANY = 0


@dataclass(frozen=True)
class Counts:
    """The status line's numbers: open checklists, those the filter shows, those with a step overdue."""

    total: int
    shown: int
    overdue: int


def read_counts(flt: ChecklistFilter, today: date) -> Counts:
    """On a worker: one count for each number (the filter's own only when it narrows the list)."""
    total = count_checklists(ChecklistFilter())
    shown = count_checklists(flt) if flt != ChecklistFilter() else total
    return Counts(total, shown, count_checklists(ChecklistFilter(overdue_on=today)))


def read_choices() -> tuple[list[ProcessRow], list[StaffRow]]:
    """On a worker: what the process and person filters offer."""
    return processes(), staff_rows()


class ChecklistsScreen(PageScreen[None]):
    """Open checklists, their filters and status line."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", id="checklists.open"),
        Binding("k", "start", "Start process", id="checklists.start"),
        Binding("o", "overdue", "Overdue only", id="checklists.overdue"),
        Binding("p", "processes", "Processes", id="checklists.processes"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.filter = ChecklistFilter()
        self.overdue_only = False
        self._empty = ""
        """What the table says when no checklist is running (its own words, kept while `o` shows others)."""

    @property
    def book(self) -> ClientbookApp:
        return cast("ClientbookApp", self.app)

    def today(self) -> date:
        return local(self.book.clock(), self.book.settings.timezone).date()

    def compose(self) -> ComposeResult:
        yield TitleBar(classes="title-bar")
        with Horizontal(classes="filters"):
            yield Select([("process: any", ANY)], value=ANY, allow_blank=False, id="process", compact=True)
            yield Select([("person: everyone", ANY)], value=ANY, allow_blank=False, id="person", compact=True)
            yield TextLine(id="view", classes="filters--view")
        yield ChecklistTable(today=self.today, id="checklist-table")
        yield TextLine("[dim]Loading…[/dim]", id="status", classes="status-bar")
        yield FittedFooter()

    def on_mount(self) -> None:
        user = self.book.user
        self.query_one(TitleBar).show(
            "[b]clientbook[/b] · Checklists", f"{user.name if user else ''} · {self.book.location_name}"
        )
        table = self.query_one(ChecklistTable)
        self._empty = table.empty_message
        table.focus()

    def on_book_changed(self, _: BookChanged) -> None:
        row = self.query_one(ChecklistTable).selected
        self.refresh_list(keep=row.id if row else None)

    def on_screen_resume(self) -> None:
        """Every visit (the first included) reads the choices and the list once."""
        self.book.read_for(self, read_choices, self._fill_choices, group="choices")
        row = self.query_one(ChecklistTable).selected
        self.refresh_list(keep=row.id if row else None)

    def _fill_choices(self, choices: tuple[list[ProcessRow], list[StaffRow]]) -> None:
        process_rows, people = choices
        for selector, options in (
            ("#process", [("process: any", ANY)] + [(f"process: {p.name}", p.id) for p in process_rows]),
            ("#person", [("person: everyone", ANY)] + [(f"person: {s.name}", s.id) for s in people]),
        ):
            select = self.query_one(selector, Select)
            current = select.value
            with self.prevent(Select.Changed):
                select.set_options(options)
                select.value = current if any(value == current for _, value in options) else ANY

    def refresh_list(self, *, keep: int | None = None) -> None:
        table = self.query_one(ChecklistTable)
        table.empty_message = (
            "Nothing is overdue. Every step is on time." if self.overdue_only else self._empty
        )
        table.show(self.filter, keep=keep)
        self.query_one("#view", Static).update(
            f"showing: {'overdue only' if self.overdue_only else 'all open'} (o)"
        )
        flt, today = self.filter, self.today()
        self.book.read_for(self, lambda: read_counts(flt, today), self._show_counts, group="counts")

    def _show_counts(self, counts: Counts) -> None:
        user = self.book.user
        total = plural(counts.total, "open checklist")
        self.query_one(TitleBar).show(
            "[b]clientbook[/b] · Checklists",
            f"{user.name if user else ''} · {self.book.location_name} · {total}",
        )
        shown = (
            f"{counts.shown:,} of {counts.total:,} open checklists" if counts.shown != counts.total else total
        )
        self.query_one("#status", Static).update(f"{shown} · {counts.overdue:,} with a step overdue")

    @on(Select.Changed)
    def chose(self) -> None:
        process = self.query_one("#process", Select).value
        person = self.query_one("#person", Select).value
        changed = dataclasses.replace(
            self.filter,
            process_id=process if isinstance(process, int) and process else None,
            point_person_id=person if isinstance(person, int) and person else None,
        )
        if changed != self.filter:  # not when a box says what it held, as it does on mounting
            self.filter = changed
            self.refresh_list()

    @on(VirtualTable.Loaded, "#checklist-table")
    @on(VirtualTable.Highlighted, "#checklist-table")
    def rows_changed(self) -> None:
        # `enter` opens the highlighted checklist: the footer shows it available once there is one.
        refresh_keys(self)

    @on(VirtualTable.Opened)
    def opened(self) -> None:
        self.action_open()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open":
            return True if self.query_one(ChecklistTable).selected else None
        return True

    def action_open(self) -> None:
        row = self.query_one(ChecklistTable).selected
        if row is not None:
            self.book.open_checklist(row.id)

    def action_start(self) -> None:
        row = self.query_one(ChecklistTable).selected
        self.book.start_process(
            row.client_slug if row else "", on_started=lambda ident: self.refresh_list(keep=ident)
        )

    def action_overdue(self) -> None:
        self.overdue_only = not self.overdue_only
        self.filter = dataclasses.replace(self.filter, overdue_on=self.today() if self.overdue_only else None)
        self.refresh_list()

    def action_processes(self) -> None:
        self.book.show_processes()
