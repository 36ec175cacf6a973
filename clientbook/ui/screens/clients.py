"""The client list (`f2`): every client, searchable as you type, filtered by stage and point-person."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, ClassVar, cast

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Input, Select, Static

from clientbook.core.clients.queries import (
    ClientFilter,
    ClientSort,
    StaffRow,
    count_clients,
    staff_rows,
)
from clientbook.core.clients.search import search_terms
from clientbook.core.models import Stage
from clientbook.core.text import shown, words_left_out
from clientbook.ui.key_state import refresh_keys
from clientbook.ui.markup import escape
from clientbook.ui.messages import BookChanged
from clientbook.ui.reading import read_then
from clientbook.ui.screens.page import PageScreen
from clientbook.ui.widgets.client_table import ClientTable
from clientbook.ui.widgets.filter_box import FilterBox
from clientbook.ui.widgets.fitted_footer import FittedFooter
from clientbook.ui.widgets.keys_line import fit_items
from clientbook.ui.widgets.text_line import TextLine
from clientbook.ui.widgets.title_bar import TitleBar
from clientbook.ui.widgets.virtual_table import VirtualTable

if TYPE_CHECKING:
    from clientbook.ui.app import ClientbookApp

EVERYONE = "everyone"


def plural(count: int, noun: str) -> str:
    """`1 client`, `1,284 clients`."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


class ClientsScreen(PageScreen[None]):
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
        self.total: int | None = None
        """Clients in the book (archived ones too when shown), counted once per visit: not per keystroke."""
        self._people_offered: list[tuple[str, str]] = []
        self._just_mounted = False
        """Mounting read the rows: the ScreenResume that follows it (the first visit) need not read again."""

    @property
    def book(self) -> ClientbookApp:
        return cast("ClientbookApp", self.app)

    def compose(self) -> ComposeResult:
        yield TitleBar(id="title", classes="title-bar")
        with Horizontal(classes="filters"):
            yield FilterBox(placeholder="/ search names, emails, phones", id="search", compact=True)
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
            yield TextLine(id="view", classes="filters--view")
        yield ClientTable(
            zone=self.book.settings.timezone,
            clock=self.book.clock,
            reply_target_hours=self.book.settings.reply_target_hours,
            id="table",
        )
        yield TextLine(id="status", classes="status-bar")
        yield FittedFooter()

    def on_mount(self) -> None:
        self._read_book()
        self.refresh_list()
        self._just_mounted = True
        self.query_one(ClientTable).focus()

    def on_book_changed(self, _: BookChanged) -> None:
        """Changed by someone else: count and read the visible page again, the cursor on the same client."""
        selected = self.query_one(ClientTable).selected
        self._read_book()
        self.refresh_list(keep=selected.id if selected else None)

    def on_screen_resume(self) -> None:
        if self._just_mounted:
            self._just_mounted = False  # the first visit: mounting has just read the list
            return
        if self.is_mounted:
            self._read_book()
            self.query_one(ClientTable).reload()

    def _read_book(self) -> None:
        """Read, in the background, what the list's header shows: the staff to filter by, and the total."""
        include_archived = self.filter.include_archived

        def read() -> tuple[list[StaffRow], int]:
            return staff_rows(), count_clients(ClientFilter(include_archived=include_archived))

        read_then(self, read, self._book_read, group="clients-header")

    def _book_read(self, found: tuple[list[StaffRow], int]) -> None:
        staff, self.total = found
        self._fill_people(staff)
        self._show_counts()

    def _fill_people(self, staff: list[StaffRow]) -> None:
        user = self.book.user
        options: list[tuple[str, str]] = [("person: everyone", EVERYONE)]
        for person in staff:
            label = (
                f"person: mine ({person.name})" if user and person.id == user.id else f"person: {person.name}"
            )
            options.append((label, str(person.id)))
        select = self.query_one("#person", Select)
        if options == self._people_offered:
            return  # the same people: rebuilding the choices would restyle its widgets for nothing
        self._people_offered = options
        current = select.value
        with self.prevent(Select.Changed):
            select.set_options(options)
            select.value = current if any(v == current for _, v in options) else EVERYONE

    def refresh_list(self, *, keep: int | None = None, fresh: bool = True) -> None:
        """Show the clients the current filter matches, keeping client `keep` under the cursor if shown.

        `fresh` False (only while typing a search) lets counts made a moment ago stand."""
        table = self.query_one(ClientTable)
        if self.filter.search or self.filter.stage or self.filter.point_person_id is not None:
            # Short enough to be whole at 80 columns, beside the margin and the scrollbar's gutter.
            table.empty_message = "No client matches. Escape in the search box clears it; n adds one."
        else:
            table.empty_message = "No clients yet. Press n to add your first."
        table.show(self.filter, keep=keep, fresh=fresh)

    @on(VirtualTable.Loaded, "#table")
    def table_loaded(self) -> None:
        self._show_counts()
        refresh_keys(self)

    @on(VirtualTable.Failed, "#table")
    def table_failed(self, event: VirtualTable.Failed) -> None:
        self.book.report(event.error)

    def _show_counts(self) -> None:
        table = self.query_one(ClientTable)
        user = self.book.user
        who = user.name if user else ""
        total = self.total
        counted = "counting…" if total is None else plural(total, "client")
        where = self.book.location_name
        self.query_one(TitleBar).show("[b]clientbook[/b] · Clients", f"{who} · {where} · {counted}")
        filtered = self.filter != ClientFilter(
            sort=self.filter.sort, include_archived=self.filter.include_archived
        )
        if not table.counted:
            matched = "searching…" if self.filter.search else "reading…"
        elif filtered:
            matched = f"{table.count:,} of {total:,} match" if total is not None else f"{table.count:,} match"
            if self.filter.search:
                matched += " " + escape(shown(self.filter.search, quote='"'))
                _, left_out = search_terms(self.filter.search)
                if left_out:
                    matched += f" · {words_left_out(left_out)}"
        else:
            matched = plural(table.count, "client")
        self.query_one("#status", Static).update(matched)
        sort = "name" if self.filter.sort is ClientSort.NAME else "last contact"
        archived = "shown" if self.filter.include_archived else "hidden"
        # What the search box and the two choices leave at their widest (app.tcss), whole items only.
        room = self.size.width - 2 - 2 * 25 - 30 - 2
        self.query_one("#view", Static).update(fit_items([f"sort: {sort}", f"archived: {archived}"], room))

    def on_resize(self) -> None:
        self.call_after_refresh(self._show_counts)

    def _set_filter(self, *, fresh: bool = True, **changes: object) -> None:
        changed = dataclasses.replace(self.filter, **changes)  # type: ignore[arg-type]
        if changed == self.filter:
            return  # a box set to what it held (the stage and person boxes say so as they mount)
        selected = self.query_one(ClientTable).selected
        archived = self.filter.include_archived
        self.filter = changed
        if self.filter.include_archived != archived:
            self.total = None
            self._read_book()
        self.refresh_list(keep=selected.id if selected else None, fresh=fresh)
        self._show_counts()
        refresh_keys(self)

    @on(Input.Changed, "#search")
    def search_changed(self, event: Input.Changed) -> None:
        # No debounce: each key starts a read in the background and the one before is dropped, so the list
        # follows the typing without ever holding up the keys.
        self._set_filter(search=event.value, fresh=False)

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
