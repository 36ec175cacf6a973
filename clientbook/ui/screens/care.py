"""Care (`f5`): everything owed to clients today, in one list, the daily habit of care principle 10.

Sections in working order: replies awaiting, follow-ups and check-ins due, promises due, concerns open,
clients needing care, checklist steps due, key dates ahead. Each line names the client and point-person;
`enter` opens the client and one key acts in place: `r` log a reply, `a` acknowledge (a message or a
concern), `k` promise kept, `space` tick the step, `d` follow-up done, `z` snooze a neglected client (with a
reason), `b` brief. `m` shows only your share. When nothing is owed, it says so plainly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

import peewee as pw
from rich.cells import cell_len, set_cell_size
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from clientbook.core.care_queries import (
    CareItem,
    CareQueue,
    Kind,
    StaffRecord,
    care_queue,
    promise_records,
)
from clientbook.core.dates import ago
from clientbook.core.queries import ClientFilter, ClientSort, client_page
from clientbook.ui.markup import escape
from clientbook.ui.messages import BookChanged
from clientbook.ui.widgets.fitted_footer import FittedFooter
from clientbook.ui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from clientbook.ui.app import ClientbookApp

ICONS = {
    Kind.REPLY: "✉",
    Kind.FOLLOW_UP: "↻",
    Kind.CHECKIN: "↻",
    Kind.PROMISE: "◆",
    Kind.CONCERN: "⚠",
    Kind.NEGLECT: "◌",
    Kind.STEP: "☐",
    Kind.KEY_DATE: "★",
}
# Which key acts on which kind of item.
ACTIONS: dict[str, tuple[Kind, ...]] = {
    "reply": (Kind.REPLY,),
    "acknowledge": (Kind.REPLY, Kind.CONCERN),
    "kept": (Kind.PROMISE,),
    "renegotiate": (Kind.PROMISE,),
    "close": (Kind.PROMISE, Kind.CONCERN),
    "tick": (Kind.STEP,),
    "done": (Kind.FOLLOW_UP, Kind.CHECKIN),
    "snooze": (Kind.NEGLECT,),
    "delete": (Kind.REPLY, Kind.PROMISE, Kind.CONCERN, Kind.KEY_DATE),
}
# What each key is for, said when it is pressed on a line it does not apply to.
PURPOSE: dict[str, str] = {
    "reply": "r logs a reply to a message awaiting one",
    "acknowledge": "a acknowledges a message awaiting a reply, or a concern",
    "kept": "k marks a promise kept",
    "renegotiate": "g gives a promise a new due day",
    "close": "x marks a promise broken or closes a concern",
    "tick": "space ticks a checklist step",
    "done": "d marks a follow-up or check-in done",
    "snooze": "z snoozes a client who needs care",
    "delete": "delete removes a message, promise, concern or key date entered by mistake",
}
KIND_WORDS: dict[Kind, str] = {
    Kind.REPLY: "a message awaiting a reply",
    Kind.FOLLOW_UP: "a follow-up",
    Kind.CHECKIN: "a check-in after a concern",
    Kind.PROMISE: "a promise",
    Kind.CONCERN: "a concern",
    Kind.NEGLECT: "a client who needs care",
    Kind.STEP: "a checklist step",
    Kind.KEY_DATE: "a key date",
}
DELETABLE: dict[Kind, str] = {
    Kind.REPLY: "interaction",
    Kind.PROMISE: "promise",
    Kind.CONCERN: "concern",
    Kind.KEY_DATE: "key date",
}


class CareScreen(Screen[None]):
    """What is owed today; the app opens here when anything is."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open client", id="care.open"),
        Binding("r", "reply", "Reply", id="care.reply"),
        Binding("a", "acknowledge", "Acknowledge", id="care.acknowledge"),
        Binding("k", "kept", "Kept", id="care.kept"),
        Binding("g", "renegotiate", "New due…", id="care.renegotiate"),
        Binding("x", "close", "Broken/close…", id="care.close"),
        Binding("space", "tick", "Tick", id="care.tick"),
        Binding("d", "done", "Done", id="care.done"),
        Binding("z", "snooze", "Snooze…", id="care.snooze"),
        Binding("b", "brief", "Brief", id="care.brief"),
        Binding("m", "mine", "Mine/all", id="care.mine"),
        Binding("delete", "delete", "Delete…", id="care.delete"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.mine = False
        self.queue: CareQueue | None = None
        self.shown: list[CareItem | None] = []
        self._records: list[StaffRecord] = []

    @property
    def book(self) -> ClientbookApp:
        return cast("ClientbookApp", self.app)

    def compose(self) -> ComposeResult:
        yield TitleBar(classes="title-bar")
        yield OptionList(id="care-list")
        yield Static(id="care-empty")
        yield Static(id="care-status", classes="status-bar")
        yield FittedFooter()

    def on_mount(self) -> None:
        self.refresh_queue()
        self.query_one(OptionList).focus()

    def on_book_changed(self, _: BookChanged) -> None:
        self.refresh_queue()

    def on_screen_resume(self) -> None:
        if self.is_mounted:
            self.refresh_queue()

    def refresh_queue(self) -> None:
        """Read what is owed again, keeping the highlight near where it was."""
        user = self.book.user
        try:
            self.queue = queue = care_queue(
                self.book.care_policy(),
                now=self.book.clock(),
                zone=self.book.settings.timezone,
                staff_id=user.id if self.mine and user else None,
            )
        except pw.PeeweeException as error:
            self.book.report(error)
            return
        self._draw(queue)

    def on_resize(self) -> None:
        # Lines are laid out to the list's width: lay them out again (without reading the book again).
        if self.queue is not None:
            self.call_after_refresh(self._draw, self.queue)

    def _draw(self, queue: CareQueue) -> None:
        day = queue.today
        self.query_one(TitleBar).show(
            f"[b]clientbook[/b] · Care · {day:%a} {day.day} {day:%b %Y}" + (" · mine" if self.mine else ""),
            f"{queue.total:,} owed, {queue.overdue:,} overdue",
        )
        options = self.query_one(OptionList)
        highlighted = options.highlighted
        options.clear_options()
        self.shown = []
        for section in queue.sections:
            more = (
                f" (showing {len(section.items):,} of {section.total:,})"
                if section.total > len(section.items)
                else ""
            )
            options.add_option(Option(f"[b]{section.title}[/b]{more}", disabled=True))
            self.shown.append(None)
            for item in section.items:
                options.add_option(Option(self._line(item)))
                self.shown.append(item)
        empty = not queue.sections
        options.display = not empty
        self.query_one("#care-empty", Static).display = empty
        if empty:
            self.query_one("#care-empty", Static).update(self._nothing_owed())
        else:
            # Stay near where the user was; on arrival, start on the first item (headers are not items).
            index = min(highlighted, options.option_count - 1) if highlighted is not None else 0
            items_after = [i for i in range(index, len(self.shown)) if self.shown[i] is not None]
            items_before = [i for i in range(index) if self.shown[i] is not None]
            options.highlighted = items_after[0] if items_after else items_before[-1]
        self._records = promise_records()
        self._show_records()
        self.refresh_bindings()

    def _show_records(self) -> None:
        kept = escape(" · ".join(f"{r.name} {r.kept_on_time}/{r.closed}" for r in self._records))
        self.query_one("#care-status", Static).update(f"Promises kept on time: {kept}" if kept else "")

    def _line(self, item: CareItem) -> str:
        """Icon, client, what is owed, when, OVERDUE, point-person: in columns cut to the list's width, so
        a line never wraps; on a narrow terminal the point-person is left out and the client cut shorter."""
        options = self.query_one(OptionList)
        width = options.scrollable_content_region.width or max(self.size.width - 4, 40)
        client_width = 22 if width >= 90 else 16 if width >= 70 else 12
        person_width = 16 if width >= 96 else 0
        # Cells: icon and margins 4, client, two gaps, when 20, a gap, OVERDUE 9, the point-person.
        fixed = 4 + client_width + 1 + 1 + 20 + 1 + 9 + person_width
        text_width = max(6, width - fixed - 1)
        what = (f"{item.severity}: " if item.severity else "") + item.text
        overdue = "[$error][b]OVERDUE[/b][/]  " if item.overdue else " " * 9
        client = escape(_fit(item.client_name, client_width))
        person = f"[dim]{escape(_fit(item.point_person, person_width))}[/dim]" if person_width else ""
        owed, when = escape(_fit(what, text_width)), escape(_fit(item.when, 20))
        return f"  {ICONS[item.kind]} {client} {owed} [dim]{when}[/dim] {overdue}{person}"

    def _nothing_owed(self) -> str:
        latest = client_page(ClientFilter(sort=ClientSort.LAST_CONTACT), offset=0, limit=1)
        last = ""
        if latest and latest[0].last_contact_at is not None:
            when = ago(latest[0].last_contact_at, self.book.clock(), self.book.settings.timezone)
            last = f" Last client contact: {escape(latest[0].name)}, {when}."
        return f"Nothing owed today.{last}"

    def selected(self) -> CareItem | None:
        index = self.query_one(OptionList).highlighted
        return self.shown[index] if index is not None and index < len(self.shown) else None

    @on(OptionList.OptionHighlighted)
    def moved(self) -> None:
        self._show_records()
        self.refresh_bindings()

    def applies(self, action: str) -> CareItem | None:
        """The highlighted item if `action` applies to it; otherwise say why in the status line."""
        item = self.selected()
        if item is None:
            return None
        if item.kind in ACTIONS[action]:
            return item
        self.query_one("#care-status", Static).update(
            f"{PURPOSE[action]}; this line is {KIND_WORDS[item.kind]}."
        )
        return None

    def action_delete(self) -> None:
        if (item := self.applies("delete")) is not None:
            kind = DELETABLE[item.kind]
            what = f"{item.client_name}: {item.text}"
            self.book.delete_entry(kind, item.ref, what, then=lambda: None)

    @on(OptionList.OptionSelected)
    def chosen(self) -> None:
        self.action_open()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action != "mine" and (self.queue is None or not self.queue.sections):
            return False  # nothing owed: no item keys to offer
        item = self.selected()
        if action in ACTIONS:
            # A key that does not apply to this line still runs, to say why (see `applies`).
            return True if item is not None else None
        if action in ("open", "brief"):
            return True if item is not None else None
        return True

    def action_open(self) -> None:
        if (item := self.selected()) is not None:
            self.book.open_client(item.client_id)

    def action_brief(self) -> None:
        if (item := self.selected()) is not None:
            self.book.show_brief(item.client_id)

    def action_mine(self) -> None:
        self.mine = not self.mine
        self.refresh_queue()

    def action_reply(self) -> None:
        if (item := self.applies("reply")) is not None:
            self.book.log_interaction(
                item.client_slug, direction="outbound", on_saved=lambda _: self.refresh_queue()
            )

    def action_acknowledge(self) -> None:
        item = self.applies("acknowledge")
        if item is None:
            return
        if item.kind is Kind.REPLY:
            self.book.acknowledge_interaction(item.ref, on_done=self.refresh_queue)
        elif item.kind is Kind.CONCERN:
            self.book.acknowledge_concern(item.ref, on_done=self.refresh_queue)

    def action_kept(self) -> None:
        if (item := self.applies("kept")) is not None:
            self.book.keep_promise(item.ref, on_done=self.refresh_queue)

    def action_renegotiate(self) -> None:
        if (item := self.applies("renegotiate")) is not None:
            self.book.renegotiate_promise(item.ref, on_done=self.refresh_queue)

    def action_close(self) -> None:
        item = self.applies("close")
        if item is not None and item.kind is Kind.PROMISE:
            self.book.break_promise(item.ref, on_done=self.refresh_queue)
        elif item is not None and item.kind is Kind.CONCERN:
            self.book.close_concern(item.ref, on_done=self.refresh_queue)

    def action_tick(self) -> None:
        if (item := self.applies("tick")) is not None:
            self.book.tick_step(item.ref, on_done=self.refresh_queue)

    def action_done(self) -> None:
        if (item := self.applies("done")) is not None:
            self.book.follow_up_done(item, on_done=self.refresh_queue)

    def action_snooze(self) -> None:
        if (item := self.applies("snooze")) is not None:
            self.book.snooze(item.client_id, item.client_name, on_done=self.refresh_queue)


def _fit(text: str, width: int) -> str:
    """`text` padded or cut to `width` cells."""
    return set_cell_size(text, width - 1) + "…" if cell_len(text) > width else set_cell_size(text, width)
