"""Care (`f5`): everything owed to clients today, in one list, the daily habit of care principle 10.

Sections in working order: replies awaiting, follow-ups and check-ins due, promises due, concerns open,
clients needing care, checklist steps due, key dates ahead. Each line names the client and point-person;
`enter` opens the client and one key acts in place: `r` log a reply, `a` acknowledge (a message or a
concern), `k` promise kept, `space` tick the step, `d` follow-up done, `z` snooze a neglected client (with a
reason), `b` brief. `m` shows only your share. When nothing is owed, it says so plainly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from clientbook.core.care.queries import CareItem, Kind
from clientbook.core.dates import ago
from clientbook.ui.key_state import refresh_keys
from clientbook.ui.markup import escape
from clientbook.ui.messages import BookChanged
from clientbook.ui.screens.page import PageScreen
from clientbook.ui.widgets.care_table import CareQuestion, CareTable, CareView
from clientbook.ui.widgets.fitted_footer import FittedFooter
from clientbook.ui.widgets.text_line import TextLine
from clientbook.ui.widgets.title_bar import TitleBar
from clientbook.ui.widgets.virtual_table import VirtualTable

if TYPE_CHECKING:
    from clientbook.ui.app import ClientbookApp

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


class CareScreen(PageScreen[None]):
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
        self._just_mounted = False
        """Mounting read the queue: the ScreenResume that follows it (the first visit) need not read again."""

    @property
    def book(self) -> ClientbookApp:
        return cast("ClientbookApp", self.app)

    @property
    def view(self) -> CareView | None:
        """The queue as last read (None until the first reading arrives)."""
        return self.query_one(CareTable).view

    def compose(self) -> ComposeResult:
        question = CareQuestion(self.book.care_policy(), self.book.clock, self.book.settings.timezone)
        yield TitleBar(classes="title-bar")
        yield CareTable(question, id="care-list")
        yield Static(id="care-empty")
        yield TextLine(id="care-status", classes="status-bar")
        yield FittedFooter()

    def on_mount(self) -> None:
        self.query_one("#care-empty", Static).display = False
        # Read now, not on the ScreenResume that follows: that one waits for the screen's first paint.
        self.refresh_queue()
        self._just_mounted = True
        self.query_one(CareTable).focus()

    def on_book_changed(self, _: BookChanged) -> None:
        self.refresh_queue()

    def on_screen_resume(self) -> None:
        if self._just_mounted:
            self._just_mounted = False  # the first visit: mounting has just read the queue
            return
        self.refresh_queue()

    def refresh_queue(self) -> None:
        """Read what is owed again (in the background), keeping the cursor near where it was."""
        table = self.query_one(CareTable)
        user = self.book.user
        found = None if self.mine else self.book.take_first_care()
        table.question = CareQuestion(
            self.book.care_policy(),
            self.book.clock,
            self.book.settings.timezone,
            staff_id=user.id if self.mine and user else None,
            mine=self.mine,
            found=found,
        )
        table.reload()
        if found is not None:
            # Shown from a reading made already (the one the app chose this screen by): the title, the
            # status and the footer's keys follow at once, so the first paint is the whole screen.
            self.loaded()

    @on(VirtualTable.Loaded, "#care-list")
    def loaded(self) -> None:
        view = self.view
        if view is None:
            return
        queue = view.queue
        day = queue.today
        self.query_one(TitleBar).show(
            f"[b]clientbook[/b] · Care · {day:%a} {day.day} {day:%b %Y}" + (" · mine" if view.mine else ""),
            f"{queue.count_text} owed, {queue.overdue_text} overdue",
        )
        empty = not queue.sections
        self.query_one(CareTable).display = not empty
        nothing = self.query_one("#care-empty", Static)
        nothing.display = empty
        if empty:
            nothing.update(self._nothing_owed(view))
        self._show_records()
        refresh_keys(self)

    @on(VirtualTable.Failed, "#care-list")
    def failed(self, event: VirtualTable.Failed) -> None:
        self.book.report(event.error)

    def _show_records(self) -> None:
        view = self.view
        records = view.records if view else ()
        kept = escape(" · ".join(f"{r.name} {r.kept_on_time}/{r.closed}" for r in records))
        self.query_one("#care-status", Static).update(f"Promises kept on time: {kept}" if kept else "")

    def _nothing_owed(self, view: CareView) -> str:
        latest, last = view.latest, ""
        if latest is not None and latest.last_contact_at is not None:
            when = ago(latest.last_contact_at, self.book.clock(), self.book.settings.timezone)
            last = f" Last client contact: {escape(latest.name)}, {when}."
        return f"Nothing owed today.{last}"

    def selected(self) -> CareItem | None:
        return self.query_one(CareTable).item

    @on(VirtualTable.Highlighted, "#care-list")
    def moved(self) -> None:
        self._show_records()
        refresh_keys(self)

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

    @on(VirtualTable.Opened, "#care-list")
    def chosen(self) -> None:
        self.action_open()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        view = self.view
        if action != "mine" and (view is None or not view.queue.sections):
            return False  # nothing owed (or not read yet): no item keys to offer
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
