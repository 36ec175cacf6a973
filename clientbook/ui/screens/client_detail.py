"""A client's detail screen (`enter` on the list): every field, the timeline of interactions, contact people,
personal notes and the change history.

The client's fields are read on a thread worker (one read for everything beside the timeline, which its
table reads itself) and drawn when they arrive. The app keeps one detail screen and has it read the next
client before it is shown (:meth:`ClientDetailScreen.prepare`): the list stays on screen the few tens of
milliseconds the reads take, and the client appears whole, drawn once, rather than as *Loading…* drawn
and then replaced (two layouts of the whole screen). A read slower than the app waits shows the screen
with *Loading…* where the fields go. Reading again (back from a form, or after someone else changed the
book) keeps the last answer on screen meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, ClassVar, cast

from rich.cells import cell_len
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.dom import DOMNode
from textual.widgets import Static

from clientbook.core.care.records import (
    ConcernRow,
    KeyDateRow,
    PromiseRow,
    concern_rows,
    key_date_rows,
    promise_rows,
)
from clientbook.core.clients.queries import ClientDetail, client_detail
from clientbook.core.dates import ago, format_moment, local
from clientbook.core.log.queries import InteractionFilter
from clientbook.core.processes.queries import ChecklistRow, client_checklists
from clientbook.ui.background import bring_to_top, still_shown
from clientbook.ui.key_state import refresh_keys
from clientbook.ui.markup import escape
from clientbook.ui.messages import BookChanged
from clientbook.ui.screens.choose import ChooseScreen
from clientbook.ui.screens.page import PageScreen
from clientbook.ui.widgets.checklist_table import due_text
from clientbook.ui.widgets.fitted_footer import FittedFooter
from clientbook.ui.widgets.history import history_text
from clientbook.ui.widgets.interaction_table import InteractionTable
from clientbook.ui.widgets.title_bar import TitleBar
from clientbook.ui.widgets.virtual_table import VirtualTable

if TYPE_CHECKING:
    from clientbook.ui.app import ClientbookApp

HISTORY_SHOWN = 30
NEEDS_THE_CLIENT = frozenset({"log", "start_process", "promise", "concern", "key_date", "delete"})
"""Actions that use what the screen read: refused (greyed in the footer) until it has arrived."""
LOADING = "[dim]Loading…[/dim]"


@dataclass(frozen=True)
class DetailRead:
    """Everything the detail shows beside the timeline, read on one worker."""

    detail: ClientDetail
    checklists: list[ChecklistRow]
    concerns: list[ConcernRow]
    key_dates: list[KeyDateRow]
    promises: list[PromiseRow]


def read_detail(client_id: int, zone: str, today: date) -> DetailRead:
    """On a worker: the client with its history, checklists and what is owed to them."""
    return DetailRead(
        detail=client_detail(client_id, zone, history=HISTORY_SHOWN + 1),
        checklists=client_checklists(client_id),
        concerns=concern_rows(client_id=client_id),
        key_dates=key_date_rows(client_id=client_id, today=today),
        promises=promise_rows(client_id=client_id),
    )


class ClientDetailScreen(PageScreen[None]):
    """One client, read-only; `e` edits, `a` archives, `escape` goes back to the list."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("l", "log", "Log interaction", id="detail.log"),
        Binding("k", "start_process", "Start process", id="detail.start_process"),
        Binding("p", "promise", "Promise", id="detail.promise"),
        Binding("c", "concern", "Concern", id="detail.concern"),
        Binding("t", "key_date", "Key date", id="detail.key_date"),
        Binding("b", "brief", "Brief", id="detail.brief"),
        Binding("enter", "open_interaction", "Open", id="detail.open"),
        Binding("e", "edit", "Edit", id="detail.edit"),
        Binding("a", "archive", "Archive", id="detail.archive"),
        Binding("delete", "delete", "Delete…", id="detail.delete"),
        Binding("escape", "back", "Back", id="detail.back"),
    ]

    def __init__(self, client_id: int) -> None:
        super().__init__()
        self.client_id = client_id
        self.read: DetailRead | None = None
        """The last answer from the book; None until the first arrives."""
        self._on_ready: Callable[[], None] | None = None
        """What :meth:`prepare` was asked to call once the client is read; None once called (or never)."""
        self._prepared = False
        """The reads were made for the coming visit: its ScreenResume need not read again."""

    @property
    def book(self) -> ClientbookApp:
        return cast("ClientbookApp", self.app)

    def compose(self) -> ComposeResult:
        yield TitleBar(id="title", classes="title-bar")
        yield Static(LOADING, id="overview")
        with Horizontal(id="detail-body"):
            with Vertical(id="timeline-pane"):
                yield Static("Timeline", classes="section-title")
                yield InteractionTable(
                    zone=self.book.settings.timezone,
                    clock=self.book.clock,
                    show_client=False,
                    reply_target_hours=self.book.settings.reply_target_hours,
                    id="timeline",
                )
            with VerticalScroll(id="detail-side"):
                yield Static("Owed", classes="section-title")
                yield Static(LOADING, id="owed")
                yield Static("Checklists", classes="section-title", id="checklists-title")
                yield Static(LOADING, id="checklists")
                for name, title in (("contacts", "Contact people"), ("notes", "Personal notes")):
                    for part in (Static(title, classes="section-title", id=f"{name}-title"), Static(id=name)):
                        part.display = False  # shown once the client is known to have any
                        yield part
                yield Static("History", classes="section-title")
                yield Static(LOADING, id="history")
        yield FittedFooter()

    def on_mount(self) -> None:
        self._show_loading()
        self.query_one(InteractionTable).focus()

    def _show_loading(self) -> None:
        user = self.book.user
        self.query_one(TitleBar).show(
            "[b]clientbook[/b] · Loading…", f"{user.name if user else ''} · {self.book.location_name}"
        )

    def switch_to(self, client_id: int) -> None:
        """Show `client_id` next time the screen is shown (the app keeps one detail screen and reuses it:
        building its twenty widgets took longer than reading the client). What the last client showed is
        cleared now, so it is never seen under the new client's name."""
        if client_id == self.client_id and self.read is not None:
            return
        self.client_id = client_id
        self.read = None
        self._show_loading()
        self.query_one(InteractionTable).clear()
        for name in ("overview", "owed", "checklists", "history"):
            self.query_one(f"#{name}", Static).update(LOADING)
        for name in ("contacts", "notes"):
            self.query_one(f"#{name}").display = self.query_one(f"#{name}-title").display = False
        self.refresh_bindings()

    def prepare(self, client_id: int, ready: Callable[[], None]) -> None:
        """Read `client_id` while the screen is not shown, and call `ready` once it and the timeline's first
        rows are drawn, so that the screen can be shown complete."""
        self.switch_to(client_id)
        self._on_ready = ready
        self._prepared = True
        self.show()
        self.query_one(InteractionTable).when_ready(self._check_ready)

    def _check_ready(self) -> None:
        ready = self._on_ready
        if ready is not None and self.read is not None and self.query_one(InteractionTable).ready:
            self._on_ready = None
            ready()

    def _wanted(self, node: DOMNode) -> bool:
        """A read's result is drawn while the screen is on show, or being prepared to be."""
        return self._on_ready is not None or still_shown(node)

    def on_book_changed(self, _: BookChanged) -> None:
        self.show()

    def on_screen_resume(self) -> None:
        if self._prepared:
            self._prepared = False  # read just before it was shown: reading again would draw it twice
            return
        self.show()

    def _show_timeline(self, keep: int | None = None) -> None:
        table = self.query_one(InteractionTable)
        # Whole in the timeline's pane at 80 columns.
        table.empty_message = "Nothing logged yet: l logs a call or an email."
        table.show(InteractionFilter(client_id=self.client_id, zone=self.book.settings.timezone), keep=keep)

    def show(self) -> None:
        """Read the client again (on a worker) and draw it when the book answers; the timeline too."""
        zone = self.book.settings.timezone
        today = local(self.book.clock(), zone).date()
        client_id = self.client_id
        self._show_timeline()
        self.book.read_for(
            self,
            lambda: read_detail(client_id, zone, today),
            self._draw,
            group="detail",
            gone=self._gone,
            wanted=self._wanted,
        )

    def _gone(self) -> None:
        """The client is no longer in the book (another program removed it): back to where the user was."""
        if self._on_ready is not None or not still_shown(self):
            # Not shown yet: it never will be.
            self._on_ready = None
            self._prepared = False
            self.notify("That client is no longer in the book.", severity="warning", timeout=6)
            return
        bring_to_top(self)
        self.app.pop_screen()

    def _draw(self, read: DetailRead) -> None:
        self.read = read
        detail = read.detail
        zone = self.book.settings.timezone
        now = self.book.clock()
        self._show_title(detail)
        self.query_one("#overview", Static).update(self._overview(detail, zone, now))
        contacts = self.query_one("#contacts", Static)
        has_contacts = bool(detail.contacts)
        contacts.display = self.query_one("#contacts-title").display = has_contacts
        if has_contacts:
            # One short block a person, so a narrow side pane shows every part whole (a table of four
            # columns cut each to a few letters). Text, not markup: names are shown as typed.
            blocks = []
            for c in detail.contacts:
                block = Text(c.name, style="bold")
                if c.is_primary:
                    block.append(" · primary", style="italic")
                for way in (c.role, c.email, c.phone):
                    if way:
                        block.append(f"\n  {way}")
                blocks.append(block)
            contacts.update(Text("\n").join(blocks))
        self._show_checklists(read.checklists, now)
        self._show_owed(read)
        notes = self.query_one("#notes", Static)
        notes.display = self.query_one("#notes-title").display = bool(detail.notes)
        notes.update(escape(detail.notes))
        # Who and when on one line, what beneath: the side pane is narrow, and the words matter most.
        history = Text("\n").join(
            Text(f"{format_moment(change.at, zone)} · {change.actor or 'clientbook'}\n", style="dim")
            + history_text(change)
            for change in detail.history[:HISTORY_SHOWN]
        )
        if detail.history:
            self.query_one("#history", Static).update(history)
        else:
            self.query_one("#history", Static).update("No changes recorded yet.")
        self.refresh_bindings()
        self._check_ready()

    def _show_title(self, detail: ClientDetail) -> None:
        """`Name · slug · stage`, whole parts only: where the title bar is too narrow for all of it (80
        columns, a long name), the slug goes first, then the stage, never cut mid-word."""
        right = f"{self.book.user.name if self.book.user else ''} · {self.book.location_name}"
        stage = f"{detail.stage} · [reverse] archived [/]" if detail.archived_at else detail.stage
        room = self.size.width - cell_len(right) - 4  # the bar's padding and the gap between its halves
        name = f"[b]{escape(detail.name)}[/b]"
        for parts in ([name, detail.slug, stage], [name, stage], [name]):
            title = " · ".join(parts)
            if cell_len(Text.from_markup(title).plain) <= room:
                break
        self.query_one(TitleBar).show(title, right)

    def on_resize(self) -> None:
        if self.read is not None:
            self._show_title(self.read.detail)

    def _overview(self, detail: ClientDetail, zone: str, now: object) -> Table:
        table = Table(box=None, show_header=False, pad_edge=False)
        table.add_column(style="bold", no_wrap=True, min_width=14)
        table.add_column()
        there = ""
        if detail.timezone:
            there = f"{detail.timezone} ({local(self.book.clock(), detail.timezone):%H:%M} there now)"
        person = detail.point_person + (f" (backup: {detail.backup_person})" if detail.backup_person else "")
        last = (
            f"{format_moment(detail.last_contact_at, zone)} "
            f"({ago(detail.last_contact_at, self.book.clock(), zone)})"
            if detail.last_contact_at
            else "never"
        )
        rows = [
            ("Kind", detail.kind),
            ("Point-person", person),
            ("Email", detail.email),
            ("Phone", detail.phone),
            ("Company", detail.company),
            ("Time zone", there),
            ("Tags", ", ".join(detail.tags)),
            ("Last contact", last),
            ("Added", format_moment(detail.created_at, zone)),
        ]
        for label, value in rows:
            if value:
                table.add_row(label, escape(value))
        return table

    def _show_checklists(self, rows: list[ChecklistRow], now: datetime) -> None:
        widget = self.query_one("#checklists", Static)
        if not rows:
            widget.update("[dim]None yet. Press k to start a process (onboarding, post-sale care...).[/dim]")
            return
        today = local(now, self.book.settings.timezone).date()
        lines = []
        for row in rows:
            state = "complete" if row.completed else f"{row.progress} · next: {escape(row.next_step)}"
            due = f" · due {due_text(row.next_due, today)}" if row.next_due and not row.completed else ""
            lines.append(f"[b]{escape(row.process_name)}[/b] {state}{due}")
        widget.update("\n".join(lines))

    def _show_owed(self, read: DetailRead) -> None:
        lines = []
        for concern in read.concerns:
            state = "acknowledged" if concern.acknowledged else "[$error]not acknowledged[/]"
            severity = f"[$error]{concern.severity}[/]" if concern.severity == "high" else concern.severity
            lines.append(f'⚠ Concern ({severity}): "{escape(concern.words)}" · {state}')
        for key_date in read.key_dates:
            if key_date.next_on is not None:
                lines.append(
                    f"★ {escape(key_date.label)}: {key_date.next_on:%a} {key_date.next_on.day} "
                    f"{key_date.next_on:%b %Y}" + ("" if key_date.yearly else " (once)")
                )
        for promise in read.promises:
            lines.append(
                f"◆ Promise: {escape(promise.what)} · due {promise.due:%a} {promise.due.day} {promise.due:%b}"
            )
        self.query_one("#owed", Static).update(
            "\n".join(lines) or "[dim]Nothing owed. p records a promise, c a concern, t a key date.[/dim]"
        )

    @property
    def slug(self) -> str:
        """The client's slug, as last read (actions that need it wait for the first read)."""
        return self.read.detail.slug if self.read is not None else ""

    def action_promise(self) -> None:
        self.book.new_promise(self.slug, on_saved=lambda _: self.show())

    def action_concern(self) -> None:
        self.book.new_concern(self.slug, on_saved=lambda _: self.show())

    def action_key_date(self) -> None:
        self.book.new_key_date(self.client_id, on_saved=lambda _: self.show())

    def action_brief(self) -> None:
        self.book.show_brief(self.client_id)

    def action_start_process(self) -> None:
        self.book.start_process(self.slug, on_started=lambda _: self.show())

    @on(VirtualTable.Loaded)
    @on(VirtualTable.Highlighted)
    def timeline_changed(self) -> None:
        # `enter` opens the highlighted interaction: the footer shows it available once there is one.
        refresh_keys(self)

    @on(VirtualTable.Opened)
    def opened(self) -> None:
        self.action_open_interaction()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open_interaction":
            return True if self.query_one(InteractionTable).selected else None
        if action in NEEDS_THE_CLIENT:
            return True if self.read is not None else None
        return True

    def action_open_interaction(self) -> None:
        row = self.query_one(InteractionTable).selected
        if row is not None:
            self.book.open_interaction(row.id)

    def action_log(self) -> None:
        self.book.log_interaction(self.slug, on_saved=lambda ident: self._show_timeline(keep=ident))

    def action_edit(self) -> None:
        self.book.edit_client(self.client_id, on_saved=lambda _: self.show())

    def action_archive(self) -> None:
        self.book.toggle_archive(self.client_id, on_done=self.show)

    def action_delete(self) -> None:
        """Choose what to delete: the highlighted interaction, or one of the client's promises, concerns or
        key dates (the detail lists those as text, so they are picked here, from the last read)."""
        read = self.read
        if read is None:
            return
        zone = self.book.settings.timezone
        choices: list[tuple[str, int, str]] = []
        row = self.query_one(InteractionTable).selected
        if row is not None:
            choices.append(("interaction", row.id, f"{format_moment(row.at, zone)}: {row.summary}"))
        choices += [("promise", p.id, f"Promise: {p.what}") for p in read.promises]
        choices += [("concern", c.id, f"Concern: {c.words}") for c in read.concerns]
        choices += [("key date", k.id, f"Key date: {k.label}") for k in read.key_dates]
        if not choices:
            self.notify("Nothing to delete: no interaction, promise, concern or key date yet.", timeout=4)
            return

        def chosen(index: int | None) -> None:
            if index is not None:
                kind, ident, text = choices[index]
                self.book.delete_entry(kind, ident, text, then=lambda: None)

        self.app.push_screen(ChooseScreen("Delete what?", [text for _, _, text in choices]), chosen)

    def action_back(self) -> None:
        self.app.pop_screen()
