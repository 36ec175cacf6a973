"""One interaction, read in full: when (and the client's own time), details, what answered it or what it
answered, and its change history. `e` edits, `a` acknowledges a waiting message, `r` logs a reply.

It opens at once saying *Loading…*; the interaction is read on a thread worker and drawn when it arrives."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from rich.console import Group
from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from clientbook.core.dates import format_moment, format_wait, local
from clientbook.core.log.queries import InteractionDetail, interaction_detail
from clientbook.ui.background import bring_to_top
from clientbook.ui.markup import escape
from clientbook.ui.messages import BookChanged
from clientbook.ui.widgets.history import history_text
from clientbook.ui.widgets.keys_line import KeysLine

if TYPE_CHECKING:
    from clientbook.ui.app import ClientbookApp


class InteractionScreen(ModalScreen[None]):
    """Shows interaction `interaction_id`; closes with escape."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "edit", "Edit", id="interaction.edit"),
        Binding("a", "acknowledge", "Acknowledge", id="interaction.acknowledge"),
        Binding("r", "reply", "Log reply", id="interaction.reply"),
        Binding("p", "promise", "Promise", id="interaction.promise"),
        Binding("delete", "delete", "Delete…", id="interaction.delete"),
        Binding("escape", "close", "Close", id="interaction.close"),
    ]

    def __init__(self, interaction_id: int) -> None:
        super().__init__()
        self.interaction_id = interaction_id
        self.detail: InteractionDetail | None = None

    @property
    def book(self) -> ClientbookApp:
        return cast("ClientbookApp", self.app)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog interaction"):
            yield Label("Loading…", id="interaction-title", classes="dialog--title")
            with VerticalScroll():
                yield Static("[dim]Loading…[/dim]", id="interaction-body")
            yield KeysLine("e Edit   a Acknowledge   r Log reply   p Promise   esc Close")

    def on_mount(self) -> None:
        self.show()

    def on_book_changed(self, _: BookChanged) -> None:
        self.show()

    def show(self) -> None:
        """Read the interaction again (on a worker), and draw it when the book answers."""
        ident, zone = self.interaction_id, self.book.settings.timezone
        self.book.read_for(
            self, lambda: interaction_detail(ident, zone), self._draw, group="interaction", gone=self._gone
        )

    def _gone(self) -> None:
        """Deleted meanwhile (here, or by another program): nothing left to show."""
        bring_to_top(self)
        self.dismiss(None)

    def _draw(self, detail: InteractionDetail) -> None:
        self.detail = detail
        row, zone, now = detail.row, self.book.settings.timezone, self.book.clock()
        self.query_one("#interaction-title", Label).update(f"{row.icon} {escape(row.summary)}")
        facts = Table(box=None, show_header=False, pad_edge=False)
        facts.add_column(style="bold", no_wrap=True, min_width=13)
        facts.add_column()
        when = format_moment(row.at, zone)
        if row.client_timezone and row.client_timezone != zone:
            when += f"  ({local(row.at, row.client_timezone):%a %H:%M} for the client, {row.client_timezone})"
        if row.at_zone != zone:
            when += f"  · entered in {row.at_zone}"
        status = ""
        if row.awaiting:
            status = f"awaiting a reply for {format_wait(row.at, now)}"
        elif row.answered_by is not None:
            status = f"answered by #{row.answered_by}: {detail.answered_by_summary}"
        elif row.acknowledged:
            status = "acknowledged"
        for label, value in (
            ("Client", f"{row.client_name} ({row.client_slug})"),
            ("When", when),
            ("Channel", row.channel),
            ("Direction", row.direction),
            ("Handled by", row.handled_by),
            ("Status", status),
            (
                "Follow up on",
                f"{row.follow_up:%a} {row.follow_up.day} {row.follow_up:%b %Y}" if row.follow_up else "",
            ),
            ("Client's mood", row.mood),
            ("Answers", "; ".join(f"#{a.id} {a.summary}" for a in detail.answers)),
        ):
            if value:
                facts.add_row(label, escape(value))
        body = self.query_one("#interaction-body", Static)
        text = ""
        if detail.details:
            text += f"\n[b]Details[/b]\n{escape(detail.details)}\n"
        if detail.history:
            text += "\n[b]History[/b]\n" + "\n".join(
                f"[dim]{format_moment(h.at, zone)}[/dim]  {escape(h.actor)}  {history_text(h).markup}"
                for h in detail.history
            )
        body.update(Group(facts, text))
        self.refresh_bindings()

    def action_delete(self) -> None:
        if self.detail is not None:
            row = self.detail.row
            what = f"{row.client_name}, {format_moment(row.at, self.book.settings.timezone)}: {row.summary}"
            self.book.delete_entry("interaction", row.id, what, then=self._deleted)

    def _deleted(self) -> None:
        self.dismiss(None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Until the interaction has been read there is nothing to act on yet (greyed, not hidden).
        return True if action == "close" or self.detail is not None else None

    def action_edit(self) -> None:
        self.book.edit_interaction(self.interaction_id, on_saved=lambda _: self.show())

    def action_acknowledge(self) -> None:
        if self.detail is None:
            return
        if not self.detail.row.awaiting:
            self.notify("a acknowledges a message awaiting a reply; this one is not waiting.", timeout=4)
            return
        self.book.acknowledge_interaction(self.interaction_id, on_done=self.show)

    def action_reply(self) -> None:
        if self.detail is not None:
            slug = self.detail.row.client_slug
            channel = self.detail.row.channel
            self.book.log_interaction(
                slug, direction="outbound", channel=channel, on_saved=lambda _: self.show()
            )

    def action_promise(self) -> None:
        if self.detail is not None:
            self.book.new_promise(self.detail.row.client_slug, interaction_id=self.interaction_id)

    def action_close(self) -> None:
        self.dismiss(None)
