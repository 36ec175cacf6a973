"""Checklists (`f4`): every open checklist across clients, with progress and the next step, soonest due
first; filter by process, point-person and overdue (`o`); `enter` opens one to tick its steps."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import TYPE_CHECKING, ClassVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Select, Static

from clientbook.core.dates import local
from clientbook.core.process_queries import ChecklistFilter, count_checklists, processes
from clientbook.core.queries import staff_rows
from clientbook.ui.messages import BookChanged
from clientbook.ui.screens.clients import plural
from clientbook.ui.widgets.checklist_table import ChecklistTable
from clientbook.ui.widgets.fitted_footer import FittedFooter
from clientbook.ui.widgets.title_bar import TitleBar
from clientbook.ui.widgets.virtual_table import VirtualTable

if TYPE_CHECKING:
    from clientbook.ui.app import ClientbookApp

ANY = 0


class ChecklistsScreen(Screen[None]):
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
            yield Static(id="view", classes="filters--view")
        yield ChecklistTable(today=self.today, id="checklist-table")
        yield Static(id="status", classes="status-bar")
        yield FittedFooter()

    def on_mount(self) -> None:
        self._fill_choices()
        self.refresh_list()
        self.query_one(ChecklistTable).focus()

    def on_book_changed(self, _: BookChanged) -> None:
        row = self.query_one(ChecklistTable).selected
        self.refresh_list(keep=row.id if row else None)

    def on_screen_resume(self) -> None:
        if self.is_mounted:
            self._fill_choices()
            row = self.query_one(ChecklistTable).selected
            self.refresh_list(keep=row.id if row else None)

    def _fill_choices(self) -> None:
        for selector, options in (
            ("#process", [("process: any", ANY)] + [(f"process: {p.name}", p.id) for p in processes()]),
            ("#person", [("person: everyone", ANY)] + [(f"person: {s.name}", s.id) for s in staff_rows()]),
        ):
            select = self.query_one(selector, Select)
            current = select.value
            with self.prevent(Select.Changed):
                select.set_options(options)
                select.value = current if any(value == current for _, value in options) else ANY

    def refresh_list(self, *, keep: int | None = None) -> None:
        table = self.query_one(ChecklistTable)
        table.show(self.filter, keep=keep)
        total = count_checklists(ChecklistFilter())
        user = self.book.user
        self.query_one(TitleBar).show(
            "[b]clientbook[/b] · Checklists",
            f"{user.name if user else ''} · {self.book.location_name} · {plural(total, 'open checklist')}",
        )
        overdue = count_checklists(ChecklistFilter(overdue_on=self.today()))
        self.query_one("#view", Static).update(
            f"showing: {'overdue only' if self.overdue_only else 'all open'} (o)"
        )
        shown = (
            f"{table.count:,} of {total:,} open checklists"
            if table.count != total
            else plural(total, "open checklist")
        )
        self.query_one("#status", Static).update(f"{shown} · {overdue:,} with a step overdue")
        if self.overdue_only:
            table.empty_message = "Nothing is overdue. Every step is on time."

    @on(Select.Changed)
    def chose(self) -> None:
        process = self.query_one("#process", Select).value
        person = self.query_one("#person", Select).value
        self.filter = dataclasses.replace(
            self.filter,
            process_id=process if isinstance(process, int) and process else None,
            point_person_id=person if isinstance(person, int) and person else None,
        )
        self.refresh_list()

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
