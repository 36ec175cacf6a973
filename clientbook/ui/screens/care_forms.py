"""Record a promise (`p`) or a concern (`c`) for a client: the same form behaviour as everywhere, the due day
read back as it is typed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Checkbox, Input, Label, Select, Static, TextArea

from clientbook.core.clients.queries import StaffRow
from clientbook.core.drafts import ConcernDraft, PromiseDraft
from clientbook.core.models import Severity
from clientbook.core.validation import PROMISE_MAX
from clientbook.ui.screens.form import FormScreen
from clientbook.ui.widgets.form_field import FormField
from clientbook.ui.widgets.keys_line import KeysLine
from clientbook.ui.widgets.suggesters import ClientSlugSuggester


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _footer() -> ComposeResult:
    with Horizontal(classes="form--footer"):
        yield Static("", id="form-status")
        yield KeysLine("ctrl+s Save   esc Cancel")


class PromiseFormScreen(FormScreen):
    """What was promised, to whom, by whom and by when."""

    DISCARD_QUESTION = "Discard this promise?"

    def __init__(
        self,
        *,
        draft: PromiseDraft,
        staff: list[StaffRow],
        zone: str,
        clock: Callable[[], datetime],
        save: Callable[[PromiseDraft], int],
    ) -> None:
        super().__init__()
        self.draft, self.staff, self.zone, self.clock, self.save = draft, staff, zone, clock, save

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form small"):
            yield Label("Record a promise", classes="dialog--title")
            with VerticalScroll(classes="form--body"):
                yield FormField(
                    "Client",
                    Input(self.draft.client, id="client", suggester=ClientSlugSuggester(), compact=True),
                    key="client",
                    required=True,
                )
                yield FormField(
                    "What",
                    Input(self.draft.what, id="what", max_length=PROMISE_MAX * 2, compact=True),
                    key="what",
                    required=True,
                )
                yield FormField(
                    "Due",
                    Input(self.draft.due, id="due", placeholder="e.g. fri, in 3 days", compact=True),
                    key="due",
                    required=True,
                )
                yield FormField(
                    "Made by",
                    Select(
                        [(s.name, s.slug) for s in self.staff],
                        value=self.draft.made_by,
                        allow_blank=False,
                        id="made_by",
                        compact=True,
                    ),
                    key="made_by",
                    required=True,
                )
            yield from _footer()

    def on_mount(self) -> None:
        self.remember_initial()
        self.query_one("#what" if self.draft.client else "#client").focus()

    @on(Input.Changed, "#due")
    def read_back(self, event: Input.Changed) -> None:
        self.query_one("#field-due", FormField).read_back_day(event.value, zone=self.zone, now=self.clock())

    def current(self) -> PromiseDraft:
        return PromiseDraft(
            client=self.query_one("#client", Input).value,
            what=self.query_one("#what", Input).value,
            made_by=_text(self.query_one("#made_by", Select).value),
            due=self.query_one("#due", Input).value,
        )

    def submission(self) -> Callable[[], int]:
        return partial(self.save, self.current())


class ConcernFormScreen(FormScreen):
    """A complaint or mistake in the client's own words, how severe, and who owns it."""

    DISCARD_QUESTION = "Discard this concern?"

    def __init__(
        self, *, draft: ConcernDraft, staff: list[StaffRow], save: Callable[[ConcernDraft], int]
    ) -> None:
        super().__init__()
        self.draft, self.staff, self.save = draft, staff, save

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form small"):
            yield Label("Record a concern", classes="dialog--title")
            with VerticalScroll(classes="form--body"):
                yield FormField(
                    "Client",
                    Input(self.draft.client, id="client", suggester=ClientSlugSuggester(), compact=True),
                    key="client",
                    required=True,
                )
                yield FormField(
                    "Their words",
                    TextArea(self.draft.words, id="words", soft_wrap=True, compact=True),
                    key="words",
                    required=True,
                )
                yield FormField(
                    "Severity",
                    Select(
                        [(s.value, s.value) for s in Severity],
                        value=Select.NULL,
                        prompt="how serious?",
                        id="severity",
                        compact=True,
                    ),
                    key="severity",
                    required=True,
                )
                yield FormField(
                    "Owner",
                    Select(
                        [(s.name, s.slug) for s in self.staff],
                        prompt="the point-person",
                        id="owner",
                        compact=True,
                    ),
                    key="owner",
                )
            yield from _footer()

    def on_mount(self) -> None:
        self.remember_initial()
        self.query_one("#words" if self.draft.client else "#client").focus()

    def current(self) -> ConcernDraft:
        return ConcernDraft(
            client=self.query_one("#client", Input).value,
            words=self.query_one("#words", TextArea).text,
            severity=_text(self.query_one("#severity", Select).value),
            owner=_text(self.query_one("#owner", Select).value),
        )

    def submission(self) -> Callable[[], int]:
        return partial(self.save, self.current())


class KeyDateFormScreen(FormScreen):
    """A date that matters to a client: a birthday every year, or a renewal once."""

    DISCARD_QUESTION = "Discard this key date?"

    def __init__(
        self,
        *,
        client_name: str,
        zone: str,
        clock: Callable[[], datetime],
        save: Callable[[str, str, bool], int],
    ) -> None:
        super().__init__()
        self.client_name, self.zone, self.clock, self.save = client_name, zone, clock, save

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form small"):
            yield Label(Text(f"A key date for {self.client_name}"), classes="dialog--title")
            with VerticalScroll(classes="form--body"):
                yield FormField(
                    "What",
                    Input(id="label", placeholder="e.g. Birthday, Contract renewal", compact=True),
                    key="label",
                    required=True,
                )
                yield FormField(
                    "On",
                    Input(id="on", placeholder="e.g. 14 Mar, 2027-02-01", compact=True),
                    key="on",
                    required=True,
                )
                yield FormField(
                    "Repeats", Checkbox("every year", True, id="yearly", compact=True), key="yearly"
                )
            yield from _footer()

    def on_mount(self) -> None:
        self.remember_initial()
        self.query_one("#label").focus()

    @on(Input.Changed, "#on")
    def read_back(self, event: Input.Changed) -> None:
        self.query_one("#field-on", FormField).read_back_day(event.value, zone=self.zone, now=self.clock())

    def current(self) -> tuple[str, str, bool]:
        return (
            self.query_one("#label", Input).value,
            self.query_one("#on", Input).value,
            self.query_one("#yearly", Checkbox).value,
        )

    def submission(self) -> Callable[[], int]:
        return partial(self.save, *self.current())
