"""The log (`f3`): every interaction across clients, newest first, filtered and searched; `w` shows only the
inbound messages still awaiting a reply, oldest first, with how long each has waited (care principle 4)."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import TYPE_CHECKING, ClassVar, cast

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import Input, Select, Static

from clientbook.core.clients.queries import StaffRow, find_client, staff_rows
from clientbook.core.dates import DateProblem, format_moment, format_wait, parse_day
from clientbook.core.errors import NotFound
from clientbook.core.log.queries import (
    ChannelRow,
    InteractionFilter,
    channels,
    count_interactions,
    search_words,
)
from clientbook.core.models import Direction
from clientbook.core.text import words_left_out
from clientbook.ui.key_state import refresh_keys
from clientbook.ui.markup import escape
from clientbook.ui.messages import BookChanged
from clientbook.ui.reading import read_then
from clientbook.ui.screens.clients import plural
from clientbook.ui.screens.page import PageScreen
from clientbook.ui.widgets.filter_box import FilterBox
from clientbook.ui.widgets.fitted_footer import FittedFooter
from clientbook.ui.widgets.interaction_table import InteractionTable
from clientbook.ui.widgets.suggesters import ClientSlugSuggester
from clientbook.ui.widgets.text_line import TextLine
from clientbook.ui.widgets.title_bar import TitleBar
from clientbook.ui.widgets.virtual_table import VirtualTable

if TYPE_CHECKING:
    from clientbook.ui.app import ClientbookApp

FILTER_DELAY = 0.1
"""Seconds of quiet typing before the log is read again."""
ANY = ""


class LogScreen(PageScreen[None]):
    """The interaction log with its filters, column header and status line."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("l", "log", "Log interaction", id="log.new"),
        Binding("e", "edit", "Edit", id="log.edit"),
        Binding("enter", "open", "Open", id="log.open"),
        Binding("a", "acknowledge", "Acknowledge", id="log.acknowledge"),
        Binding("delete", "delete", "Delete…", id="log.delete"),
        Binding("w", "awaiting", "Awaiting reply", id="log.awaiting"),
        Binding("slash", "search", "Search", id="log.search"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.filter = InteractionFilter()
        self.problem = ""
        self.total: int | None = None
        """Interactions in the book, counted once per visit (and when the book changes), never per key."""
        self._offered: dict[str, list[tuple[str, str]]] = {}
        self._timer: Timer | None = None
        self._just_mounted = False
        """Mounting read the rows: the ScreenResume that follows it (the first visit) need not read again."""

    @property
    def book(self) -> ClientbookApp:
        return cast("ClientbookApp", self.app)

    def compose(self) -> ComposeResult:
        yield TitleBar(classes="title-bar")
        with Horizontal(classes="filters"):
            yield FilterBox(placeholder="/ search summaries and details", id="search", compact=True)
            yield Select(
                [("channel: any", ANY)],
                value=ANY,
                allow_blank=False,
                id="channel",
                compact=True,
            )
            yield Select(
                [("direction: any", ANY)] + [(f"direction: {d.value}", d.value) for d in Direction],
                value=ANY,
                allow_blank=False,
                id="direction",
                compact=True,
            )
            yield Select([("by: anyone", ANY)], value=ANY, allow_blank=False, id="person", compact=True)
        with Horizontal(classes="filters more"):
            yield FilterBox(
                placeholder="client slug", id="client", suggester=ClientSlugSuggester(), compact=True
            )
            yield FilterBox(placeholder="from (e.g. 1 nov)", id="since", compact=True)
            yield FilterBox(placeholder="to (e.g. today)", id="until", compact=True)
            yield TextLine(id="view", classes="filters--view")
        yield InteractionTable(
            zone=self.book.settings.timezone,
            clock=self.book.clock,
            reply_target_hours=self.book.settings.reply_target_hours,
            id="log-table",
        )
        yield TextLine(id="status", classes="status-bar")
        yield FittedFooter()

    def on_mount(self) -> None:
        self.filter = InteractionFilter(zone=self.book.settings.timezone)
        self._read_book()
        self.refresh_log()
        self._just_mounted = True
        self.query_one(InteractionTable).focus()

    def on_book_changed(self, _: BookChanged) -> None:
        self._read_book()
        self.refresh_log(keep=self._selected_id())

    def on_screen_resume(self) -> None:
        if self._just_mounted:
            self._just_mounted = False  # the first visit: mounting has just read the log
            return
        if self.is_mounted:
            self._read_book()
            self.refresh_log(keep=self._selected_id())

    def _selected_id(self) -> int | None:
        row = self.query_one(InteractionTable).selected
        return row.id if row else None

    def _read_book(self) -> None:
        """Read, in the background, the choices of the filter boxes and the total for the title."""

        # Unfiltered, the table's own count is the total: count the whole log only when it is filtered.
        whole = self.filter == InteractionFilter(zone=self.filter.zone)

        def read() -> tuple[list[ChannelRow], list[StaffRow], int | None]:
            return channels(), staff_rows(), None if whole else count_interactions(InteractionFilter())

        read_then(self, read, self._book_read, group="log-header")

    def _book_read(self, found: tuple[list[ChannelRow], list[StaffRow], int | None]) -> None:
        kinds, staff, total = found
        if total is not None:
            self.total = total
        for selector, options in (
            ("#channel", [("channel: any", ANY)] + [(f"channel: {c.key}", c.key) for c in kinds]),
            ("#person", [("by: anyone", ANY)] + [(f"by: {s.name}", str(s.id)) for s in staff]),
        ):
            select = self.query_one(selector, Select)
            if self._offered.get(selector) == options:
                continue  # the same choices: rebuilding them would restyle its widgets for nothing
            self._offered[selector] = options
            current = select.value
            with self.prevent(Select.Changed):
                select.set_options(options)
                select.value = current if any(value == current for _, value in options) else ANY
        self._show_counts()

    def refresh_log(self, *, keep: int | None = None) -> None:
        """Read the log again with the current filters (in the background: see VirtualTable)."""
        table = self.query_one(InteractionTable)
        table.show(self.filter, keep=keep)
        self._show_counts()

    @on(VirtualTable.Loaded, "#log-table")
    def table_loaded(self) -> None:
        table = self.query_one(InteractionTable)
        if self.filter == InteractionFilter(zone=self.filter.zone):
            self.total = table.count  # the unfiltered log is the whole book: no second count
        self._show_counts()
        refresh_keys(self)

    @on(VirtualTable.Failed, "#log-table")
    def table_failed(self, event: VirtualTable.Failed) -> None:
        self.book.report(event.error)

    def _show_counts(self) -> None:
        table = self.query_one(InteractionTable)
        total = self.total
        user = self.book.user
        counted = "counting…" if total is None else plural(total, "interaction")
        self.query_one(TitleBar).show(
            "[b]clientbook[/b] · Log", f"{user.name if user else ''} · {self.book.location_name} · {counted}"
        )
        self._show_view()
        self.query_one("#status", Static).update(self._status(table, total))
        table.empty_message = (
            "Nothing awaits a reply. Every message has been answered or acknowledged."
            if self.filter.awaiting_only
            else "Nothing logged yet. Press l to log a call, email, meeting or note."
            if total == 0
            else "No interaction matches these filters."
        )

    def _show_view(self) -> None:
        """What `w` shows now; shorter on a narrow terminal, so the three filter boxes keep their room."""
        shown = "awaiting reply" if self.filter.awaiting_only else "everything"
        narrow = self.size.width and self.size.width < 70
        self.query_one("#view", Static).update(f"{shown} (w)" if narrow else f"showing: {shown} (w)")

    def on_resize(self) -> None:
        self._show_view()

    def _status(self, table: InteractionTable, total: int | None) -> str:
        if self.problem:
            return f"[$error]{escape(self.problem)}[/]"
        if not table.counted:
            return "reading…"
        if self.filter.awaiting_only:
            first = table.row_at(0) if table.count else None
            oldest = f" · the oldest has waited {format_wait(first.at, self.book.clock())}" if first else ""
            return f"{plural(table.count, 'message')} awaiting a reply{oldest}"
        unfiltered = InteractionFilter(zone=self.filter.zone)
        if self.filter != unfiltered:
            _, left_out = search_words(self.filter.search)
            of = f" of {total:,}" if total is not None else ""
            return f"{table.count:,}{of} match" + (f" · {words_left_out(left_out)}" if left_out else "")
        return plural(table.count, "interaction")

    # Filters --------------------------------------------------------------------------------------------

    @on(Input.Changed)
    def typed(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(FILTER_DELAY, self._apply_filters)

    @on(Select.Changed)
    def chose(self) -> None:
        self._apply_filters()

    def _apply_filters(self) -> None:
        """Read the filter boxes; a client slug is looked up in the background before the log is read."""
        slug = self.query_one("#client", Input).value
        if not slug.strip():
            self._filter_by(None, "")
            return

        def look_up() -> tuple[int | None, str]:
            try:
                return int(find_client(slug).id), ""
            except NotFound as problem:
                return -1, f"client: {problem}"  # -1 matches nothing, so the list is honestly empty

        read_then(self, look_up, lambda found: self._filter_by(*found), group="log-client")

    def _filter_by(self, client_id: int | None, problem: str) -> None:
        self.problem = problem
        since, until = self._day("#since", "from"), self._day("#until", "to")

        def chosen(selector: str) -> str:
            value = self.query_one(selector, Select).value
            return value if isinstance(value, str) else ANY

        person = chosen("#person")
        changed = dataclasses.replace(
            self.filter,
            search=self.query_one("#search", Input).value,
            channel=chosen("#channel"),
            direction=chosen("#direction"),
            staff_id=int(person) if person else None,
            client_id=client_id,
            since=since,
            until=until,
        )
        if changed == self.filter:
            self._show_counts()  # the boxes say what they held (they do as they mount): only a problem is new
            return
        self.filter = changed
        self.refresh_log(keep=self._selected_id())

    def _day(self, selector: str, label: str) -> date | None:
        text = self.query_one(selector, Input).value
        if not text.strip():
            return None
        try:
            return parse_day(text, zone=self.book.settings.timezone, now=self.book.clock(), prefer="past")
        except DateProblem as problem:
            self.problem = f"{label}: {problem}"
            return None

    def on_key(self, event: events.Key) -> None:
        # In a filter box, escape first clears it; a second escape (or down) goes back to the log, keeping
        # the filters, so single-letter keys act again.
        box = self.focused
        if not isinstance(box, Input) or event.key not in ("escape", "down"):
            return
        event.stop()
        if event.key == "escape" and box.value:
            box.value = ""
            return
        self.query_one(InteractionTable).focus()

    @on(Input.Submitted)
    def submitted(self) -> None:
        self.query_one(InteractionTable).focus()

    # Actions --------------------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        selected = self.query_one(InteractionTable).selected
        if action in ("edit", "open"):
            return True if selected else None
        if action in ("acknowledge", "delete"):
            return True if selected else None  # `a` on a message not waiting says why
        return True

    @on(VirtualTable.Opened)
    def opened(self) -> None:
        self.action_open()

    def action_delete(self) -> None:
        selected = self.query_one(InteractionTable).selected
        if selected:
            when = format_moment(selected.at, self.book.settings.timezone)
            what = f"{selected.client_name}, {when}: {selected.summary}"
            self.book.delete_entry("interaction", selected.id, what, then=lambda: None)

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_awaiting(self) -> None:
        self.filter = dataclasses.replace(self.filter, awaiting_only=not self.filter.awaiting_only)
        self.refresh_log()
        refresh_keys(self)

    def action_log(self) -> None:
        selected = self.query_one(InteractionTable).selected
        slug = selected.client_slug if selected else self.query_one("#client", Input).value.strip()
        self.book.log_interaction(slug or None, on_saved=lambda ident: self.refresh_log(keep=ident))

    def action_edit(self) -> None:
        selected = self.query_one(InteractionTable).selected
        if selected:
            self.book.edit_interaction(selected.id, on_saved=lambda ident: self.refresh_log(keep=ident))

    def action_open(self) -> None:
        selected = self.query_one(InteractionTable).selected
        if selected:
            self.book.open_interaction(selected.id)

    def action_acknowledge(self) -> None:
        selected = self.query_one(InteractionTable).selected
        if selected and selected.awaiting:
            self.book.acknowledge_interaction(selected.id, on_done=lambda: self.refresh_log(keep=selected.id))
        elif selected:
            reason = "is a note" if selected.direction == "internal" else f"is {selected.direction}"
            if selected.direction == "inbound":
                reason = "was answered or acknowledged already"
            self.query_one("#status", Static).update(
                f"a acknowledges a message awaiting a reply; this one {reason}."
            )
