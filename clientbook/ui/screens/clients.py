"""The client list (`f2`): every client, searchable as you type, filtered by stage and point-person."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, ClassVar, cast

import peewee as pw
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, Select, Static

from clientbook.core.models import Stage
from clientbook.core.queries import ClientFilter, ClientSort, count_clients, search_terms, staff_rows
from clientbook.core.text import shown, words_left_out
from clientbook.ui.markup import escape
from clientbook.ui.messages import BookChanged
from clientbook.ui.widgets.client_table import ClientTable
from clientbook.ui.widgets.fitted_footer import FittedFooter
from clientbook.ui.widgets.keys_line import fit_items
from clientbook.ui.widgets.title_bar import TitleBar
from clientbook.ui.widgets.virtual_table import VirtualTable

if TYPE_CHECKING:
    from clientbook.ui.app import ClientbookApp

SEARCH_DELAY = 0.08
"""Seconds of quiet typing before the list is searched again (one query per pause, not per key)."""
EVERYONE = "everyone"


def plural(count: int, noun: str) -> str:
    """`1 client`, `1,284 clients`."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


class ClientsScreen(Screen[None]):
    """The client list with its search box, filters, column header and status line."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", "New", id="clients.new"),
        Binding("e", "edit", "Edit", id="clients.edit"),
        Binding("enter", "open", "Open", id="clients.open"),
        Binding("l", "log", "Log interaction", id="clients.log"),
        Binding("k", "start_process", "Start process", id="clients.start_process"),
        Binding("b", "brief", "Brief", id="clients.brief"),
        Binding("a", "archive", "Archive", id="clients.archive"),
        Binding("slash", "search", "Search", id="clients.search"),
        Binding("s", "sort", "Sort", id="clients.sort"),
        Binding("m", "mine", "Mine/all", id="clients.mine"),
        Binding("A", "show_archived", "Archived", id="clients.show_archived"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.filter = ClientFilter()
        self._search_timer: Timer | None = None

    @property
    def book(self) -> ClientbookApp:
        return cast("ClientbookApp", self.app)

    def compose(self) -> ComposeResult:
        yield TitleBar(id="title", classes="title-bar")
        with Horizontal(classes="filters"):
            yield Input(placeholder="/ search names, emails, phones", id="search", compact=True)
            yield Select(
                [("stage: any", "")] + [(f"stage: {s.value}", s.value) for s in Stage],
                value="",
                allow_blank=False,
                id="stage",
                compact=True,
            )
            yield Select(
                [("person: everyone", EVERYONE)], value=EVERYONE, allow_blank=False, id="person", compact=True
            )
            yield Static(id="view", classes="filters--view")
        yield ClientTable(
            zone=self.book.settings.timezone,
            clock=self.book.clock,
            reply_target_hours=self.book.settings.reply_target_hours,
            id="table",
        )
        yield Static(id="status", classes="status-bar")
        yield FittedFooter()

    def on_mount(self) -> None:
        self._fill_people()
        self.refresh_list()
        self.query_one(ClientTable).focus()

    def on_book_changed(self, _: BookChanged) -> None:
        """Changed by someone else: count and read the visible page again, the cursor on the same client."""
        selected = self.query_one(ClientTable).selected
        self._fill_people()
        self.refresh_list(keep=selected.id if selected else None)

    def on_screen_resume(self) -> None:
        if self.is_mounted:
            self._fill_people()
            self.query_one(ClientTable).reload()
            self._show_counts()

    def _fill_people(self) -> None:
        user = self.book.user
        options: list[tuple[str, str]] = [("person: everyone", EVERYONE)]
        for staff in staff_rows():
            label = (
                f"person: mine ({staff.name})" if user and staff.id == user.id else f"person: {staff.name}"
            )
            options.append((label, str(staff.id)))
        select = self.query_one("#person", Select)
        current = select.value
        with self.prevent(Select.Changed):
            select.set_options(options)
            select.value = current if any(v == current for _, v in options) else EVERYONE

    def refresh_list(self, *, keep: int | None = None) -> None:
        """Show the clients the current filter matches, keeping client `keep` under the cursor if shown."""
        table = self.query_one(ClientTable)
        if self.filter.search or self.filter.stage or self.filter.point_person_id is not None:
            table.empty_message = (
                "No client matches. Press escape in the search box to clear it, or n to add one."
            )
        else:
            table.empty_message = "No clients yet. Press n to add your first."
        try:
            table.show(self.filter, keep=keep)
            self._show_counts()
        except pw.PeeweeException as error:
            self.book.report(error)

    def _show_counts(self) -> None:
        table = self.query_one(ClientTable)
        total = count_clients(ClientFilter(include_archived=self.filter.include_archived))
        user = self.book.user
        who = user.name if user else ""
        self.query_one(TitleBar).show(
            "[b]clientbook[/b] · Clients", f"{who} · {self.book.location_name} · {plural(total, 'client')}"
        )
        filtered = self.filter != ClientFilter(
            sort=self.filter.sort, include_archived=self.filter.include_archived
        )
        if filtered:
            matched = f"{table.count:,} of {total:,} match"
            if self.filter.search:
                matched += " " + escape(shown(self.filter.search, quote='"'))
                _, left_out = search_terms(self.filter.search)
                if left_out:
                    matched += f" · {words_left_out(left_out)}"
        else:
            matched = plural(total, "client")
        self.query_one("#status", Static).update(matched)
        sort = "name" if self.filter.sort is ClientSort.NAME else "last contact"
        archived = "shown" if self.filter.include_archived else "hidden"
        # What the search box and the two choices leave at their widest (app.tcss), whole items only.
        room = self.size.width - 2 - 2 * 25 - 30 - 2
        self.query_one("#view", Static).update(fit_items([f"sort: {sort}", f"archived: {archived}"], room))

    def on_resize(self) -> None:
        self.call_after_refresh(self._show_counts)

    def _set_filter(self, **changes: object) -> None:
        selected = self.query_one(ClientTable).selected
        self.filter = dataclasses.replace(self.filter, **changes)  # type: ignore[arg-type]
        self.refresh_list(keep=selected.id if selected else None)
        self.refresh_bindings()

    @on(Input.Changed, "#search")
    def search_changed(self, event: Input.Changed) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
        value = event.value
        self._search_timer = self.set_timer(SEARCH_DELAY, lambda: self._set_filter(search=value))

    @on(Input.Submitted, "#search")
    def search_submitted(self) -> None:
        self.query_one(ClientTable).focus()

    def on_key(self, event: events.Key) -> None:
        # In the search box, escape first clears it; a second escape (or down) goes back to the list,
        # keeping the search, so single-letter keys act again.
        search = self.query_one("#search", Input)
        if not search.has_focus or event.key not in ("escape", "down"):
            return
        event.stop()
        if event.key == "escape" and search.value:
            search.value = ""
            return
        self.query_one(ClientTable).focus()

    @on(Select.Changed, "#stage")
    def stage_changed(self, event: Select.Changed) -> None:
        self._set_filter(stage=event.value if isinstance(event.value, str) else "")

    @on(Select.Changed, "#person")
    def person_changed(self, event: Select.Changed) -> None:
        value = event.value
        self._set_filter(point_person_id=int(value) if isinstance(value, str) and value.isdigit() else None)

    @on(VirtualTable.Opened)
    def table_opened(self) -> None:
        self.action_open()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("edit", "open", "archive", "log", "start_process", "brief"):
            return True if self.query_one(ClientTable).count else None
        return True

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_new(self) -> None:
        self.book.new_client(on_saved=lambda client_id: self.refresh_list(keep=client_id))

    def action_edit(self) -> None:
        row = self.query_one(ClientTable).selected
        if row is not None:
            self.book.edit_client(row.id, on_saved=lambda client_id: self.refresh_list(keep=client_id))

    def action_open(self) -> None:
        row = self.query_one(ClientTable).selected
        if row is not None:
            self.book.open_client(row.id)

    def action_log(self) -> None:
        row = self.query_one(ClientTable).selected
        if row is not None:
            self.book.log_interaction(row.slug, on_saved=lambda _: self.refresh_list(keep=row.id))

    def action_brief(self) -> None:
        row = self.query_one(ClientTable).selected
        if row is not None:
            self.book.show_brief(row.id)

    def action_start_process(self) -> None:
        row = self.query_one(ClientTable).selected
        if row is not None:
            self.book.start_process(row.slug, on_started=lambda _: self.refresh_list(keep=row.id))

    def action_archive(self) -> None:
        row = self.query_one(ClientTable).selected
        if row is not None:
            self.book.toggle_archive(row.id, on_done=lambda: self.refresh_list(keep=row.id))

    def action_sort(self) -> None:
        next_sort = ClientSort.LAST_CONTACT if self.filter.sort is ClientSort.NAME else ClientSort.NAME
        self._set_filter(sort=next_sort)

    def action_mine(self) -> None:
        user = self.book.user
        select = self.query_one("#person", Select)
        mine = str(user.id) if user else EVERYONE
        select.value = EVERYONE if select.value == mine else mine

    def action_show_archived(self) -> None:
        self._set_filter(include_archived=not self.filter.include_archived)
