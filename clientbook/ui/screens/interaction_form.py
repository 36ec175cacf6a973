"""Log an interaction (`l`), or edit one: client, when, channel, direction, summary, details, who, follow-up,
mood, and, for a reply, which of the client's waiting messages it answers.

`When` is read as it is typed and read back with its weekday ("Tue 24 Nov 2026, 19:30", and the client's own
time when they have a zone), so the user sees what will be stored before saving (care principle 7).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Final, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Label, Select, SelectionList, Static, TextArea
from textual.widgets.selection_list import Selection

from clientbook.core.clients.queries import StaffRow, find_client
from clientbook.core.dates import (
    DateProblem,
    format_moment,
    format_wait,
    local,
    parse_moment,
)
from clientbook.core.drafts import InteractionDraft
from clientbook.core.errors import NotFound
from clientbook.core.log.queries import ChannelRow, InteractionRow, awaiting_replies
from clientbook.core.models import Direction, Mood
from clientbook.core.validation import SUMMARY_MAX
from clientbook.ui.markup import escape
from clientbook.ui.screens.form import FormScreen
from clientbook.ui.widgets.form_field import FormField
from clientbook.ui.widgets.keys_line import KeysLine
from clientbook.ui.widgets.suggesters import ClientSlugSuggester

if TYPE_CHECKING:
    from clientbook.ui.actions.base import BookApp

SaveInteraction = Callable[[InteractionDraft], int]


@dataclass(frozen=True)
class ClientAbout:
    """What the form shows about the client the slug box names: read on a worker as the user types."""

    name: str = ""
    timezone: str = ""
    hint: str = ""
    """The line under the box: the client's name (and zone), or why no client (markup)."""
    waiting: list[InteractionRow] = field(default_factory=list)
    """Their messages awaiting a reply (before the reply's time), for a reply to answer."""


NOBODY_YET: Final = ClientAbout()


def _about(slug: str, at: datetime | None, *, replying: bool) -> ClientAbout:
    """On a worker: the client `slug` names and, for a reply, their messages still awaiting one."""
    if not slug.strip():
        return ClientAbout()
    try:
        client = find_client(slug)
    except NotFound as problem:
        return ClientAbout(hint=f"[$error]{escape(str(problem))}[/]")
    hint = escape(client.name + (f" · {client.timezone}" if client.timezone else ""))
    waiting = awaiting_replies(client.id, before=at) if replying else []
    return ClientAbout(client.name, client.timezone, hint, waiting)


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


class InteractionFormScreen(FormScreen):
    """Dismisses with the interaction's id once the core has saved it."""

    DISCARD_QUESTION = "Discard this interaction?"

    def __init__(
        self,
        *,
        title: str,
        draft: InteractionDraft,
        channels: list[ChannelRow],
        staff: list[StaffRow],
        zone: str,
        clock: Callable[[], datetime],
        save: SaveInteraction,
        editing: bool,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.draft = draft
        self.channels = channels
        self.staff = staff
        self.zone = zone
        self.clock = clock
        self.save = save
        self.editing = editing
        self._about = NOBODY_YET

    def compose(self) -> ComposeResult:
        draft = self.draft
        with Vertical(classes="dialog form"):
            yield Label(Text(self.title_text), classes="dialog--title")
            with VerticalScroll(classes="form--body"):
                yield FormField(
                    "Client",
                    Input(
                        draft.client,
                        id="client",
                        suggester=ClientSlugSuggester(),
                        compact=True,
                        placeholder="type a slug: → completes",
                    ),
                    key="client",
                    required=True,
                )
                yield FormField("When", Input(draft.when, id="when", compact=True), key="when", required=True)
                yield FormField(
                    "Channel",
                    Select(
                        [(f"{c.icon} {c.label}", c.key) for c in self.channels],
                        value=draft.channel or self.channels[0].key,
                        allow_blank=False,
                        id="channel",
                        compact=True,
                    ),
                    key="channel",
                    required=True,
                )
                yield FormField(
                    "Direction",
                    Select(
                        [
                            ("inbound (from the client)", "inbound"),
                            ("outbound (to the client)", "outbound"),
                            ("internal (a note)", "internal"),
                        ],
                        value=draft.direction or Select.NULL,
                        prompt="which way?",
                        id="direction",
                        compact=True,
                    ),
                    key="direction",
                    required=True,
                )
                yield FormField(
                    "Summary",
                    Input(draft.summary, id="summary", max_length=SUMMARY_MAX * 2, compact=True),
                    key="summary",
                    required=True,
                )
                yield FormField(
                    "Details",
                    TextArea(draft.details, id="details", soft_wrap=True, compact=True),
                    key="details",
                )
                yield FormField(
                    "Handled by",
                    Select(
                        [(s.name, s.slug) for s in self.staff],
                        value=draft.handled_by or Select.NULL,
                        allow_blank=False,
                        id="handled_by",
                        compact=True,
                    ),
                    key="handled_by",
                    required=True,
                )
                yield FormField(
                    "Follow up on",
                    Input(
                        draft.follow_up,
                        id="follow_up",
                        compact=True,
                        placeholder="e.g. fri, in 3 days, 2026-12-01",
                    ),
                    key="follow_up",
                )
                yield FormField(
                    "Client's mood",
                    Select(
                        [(m.value, m.value) for m in Mood],
                        value=draft.mood or Select.NULL,
                        prompt="—",
                        id="mood",
                        compact=True,
                    ),
                    key="mood",
                )
                with Vertical(id="answers-box"):
                    yield Label("This reply answers (space to untick):", classes="form--section")
                    yield SelectionList[int](id="answers", compact=True)
            with Horizontal(classes="form--footer"):
                yield Static("", id="form-status")
                yield KeysLine("ctrl+s Save   esc Cancel   f1 Keys")

    def on_mount(self) -> None:
        self._read_back()
        self.remember_initial()
        first = (
            "#client" if not self.draft.client else "#direction" if not self.draft.direction else "#summary"
        )
        self.query_one(first).focus()

    @property
    def book(self) -> BookApp:
        return cast("BookApp", self.app)

    # Live read-back -------------------------------------------------------------------------------------

    @on(Input.Changed, "#client, #when, #follow_up")
    @on(Select.Changed, "#direction")
    def changed(self) -> None:
        self._read_back()

    def _read_back(self) -> None:
        """What was typed, read back at once; the client it names and their waiting messages once the
        book has answered (on a worker: an older answer is dropped when the text changes again)."""
        at = self._show_when()
        follow = self.query_one("#follow_up", Input).value
        self.query_one("#field-follow_up", FormField).read_back_day(follow, zone=self.zone, now=self.clock())
        slug = self.query_one("#client", Input).value
        outbound = _text(self.query_one("#direction", Select).value) == Direction.OUTBOUND
        replying = outbound and not self.editing
        self.book.read_for(self, lambda: _about(slug, at, replying=replying), self._show_about, group="about")

    def _show_when(self) -> datetime | None:
        """Read back the `when` box (with the client's own time, once the client is known)."""
        about = self._about
        try:
            at = parse_moment(self.query_one("#when", Input).value, zone=self.zone, now=self.clock())
        except DateProblem as problem:
            self.query_one("#field-when", FormField).show_hint(f"[$error]{escape(str(problem))}[/]")
            return None
        line = format_moment(at, self.zone)
        if about.timezone and about.timezone != self.zone:
            line += f"  ({local(at, about.timezone):%a %H:%M} for {escape(about.name)})"
        self.query_one("#field-when", FormField).show_hint(line)
        return at

    def _show_about(self, about: ClientAbout) -> None:
        first = self._about is NOBODY_YET
        self._about = about
        self.query_one("#field-client", FormField).show_hint(about.hint)
        at = self._show_when()
        self._show_answers(about.waiting, at)
        if first and isinstance(self._initial, InteractionDraft):
            # The reply's ticked messages arrive after the form opened: they are not a change the user made.
            self._initial = dataclasses.replace(self._initial, answers=self.current().answers)

    def _show_answers(self, waiting: list[InteractionRow], at: datetime | None) -> None:
        box = self.query_one("#answers-box")
        answers: SelectionList[int] = self.query_one("#answers", SelectionList)
        box.display = bool(waiting)
        if [answers.get_option_at_index(i).value for i in range(answers.option_count)] == [
            w.id for w in waiting
        ]:
            return
        now = self.clock()
        answers.clear_options()
        answers.add_options(
            [
                Selection(
                    Text(
                        f"{format_moment(w.at, self.zone)} · {w.summary} (waiting {format_wait(w.at, now)})"
                    ),
                    w.id,
                    True,
                )
                for w in waiting
            ]
        )

    # Saving ---------------------------------------------------------------------------------------------

    def current(self) -> InteractionDraft:
        box = self.query_one("#answers-box")
        answers = tuple(self.query_one("#answers", SelectionList).selected) if box.display else None
        return InteractionDraft(
            client=self.query_one("#client", Input).value,
            when=self.query_one("#when", Input).value,
            channel=_text(self.query_one("#channel", Select).value),
            direction=_text(self.query_one("#direction", Select).value),
            summary=self.query_one("#summary", Input).value,
            details=self.query_one("#details", TextArea).text,
            handled_by=_text(self.query_one("#handled_by", Select).value),
            follow_up=self.query_one("#follow_up", Input).value,
            mood=_text(self.query_one("#mood", Select).value),
            answers=answers,
        )

    def submission(self) -> Callable[[], int]:
        return partial(self.save, self.current())
