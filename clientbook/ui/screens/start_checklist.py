"""Apply a process to a client (`k`): which client, which process, and the day its due dates count from.

Starting a process that is still open for the client asks first (care principle 2: one checklist, done
properly, rather than two half-done).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, cast

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Label, Select, Static

from clientbook.core.clients.queries import find_client
from clientbook.core.dates import DateProblem, parse_day
from clientbook.core.errors import NotFound, ValidationError
from clientbook.core.processes.operations import AlreadyRunning
from clientbook.core.processes.queries import ProcessRow
from clientbook.ui.markup import escape
from clientbook.ui.screens.confirm import ConfirmScreen
from clientbook.ui.screens.form import FormScreen
from clientbook.ui.widgets.form_field import FormField
from clientbook.ui.widgets.keys_line import KeysLine
from clientbook.ui.widgets.suggesters import ClientSlugSuggester

if TYPE_CHECKING:
    from clientbook.ui.actions.base import BookApp

StartChecklist = Callable[[int, int, date, bool], int]
"""(client id, process id, start day, again) -> the new checklist's id."""


class StartChecklistScreen(FormScreen):
    """Dismisses with the new checklist's id."""

    DISCARD_QUESTION = "Do not start a checklist?"

    def __init__(
        self,
        *,
        client_slug: str,
        processes: list[ProcessRow],
        zone: str,
        clock: Callable[[], datetime],
        start: StartChecklist,
    ) -> None:
        super().__init__()
        self.client_slug = client_slug
        self.processes = processes
        self.zone = zone
        self.clock = clock
        self.start = start

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form start"):
            yield Label("Start a process for a client", classes="dialog--title")
            with VerticalScroll(classes="form--body"):
                yield FormField(
                    "Client",
                    Input(self.client_slug, id="client", suggester=ClientSlugSuggester(), compact=True),
                    key="client",
                    required=True,
                )
                yield FormField(
                    "Process",
                    Select(
                        [(f"{p.name} ({p.steps} steps)", p.id) for p in self.processes],
                        value=self.processes[0].id if self.processes else Select.NULL,
                        allow_blank=False,
                        id="process",
                        compact=True,
                    ),
                    key="process",
                    required=True,
                )
                yield FormField(
                    "Starting", Input("today", id="start", compact=True), key="start", required=True
                )
            with Horizontal(classes="form--footer"):
                yield Static("", id="form-status")
                yield KeysLine("ctrl+s Start   esc Cancel")

    def on_mount(self) -> None:
        self._read_back()
        self.remember_initial()
        self.query_one("#process" if self.client_slug else "#client").focus()

    @on(Input.Changed)
    def _read_back(self) -> None:
        slug = self.query_one("#client", Input).value
        client_field = self.query_one("#field-client", FormField)
        # Even an empty box goes through the worker group: a name read for what was there before is dropped.
        self.book.read_for(client_field, lambda: _client_name(slug), client_field.show_hint, group="client")
        self.query_one("#field-start", FormField).read_back_day(
            self.query_one("#start", Input).value,
            zone=self.zone,
            now=self.clock(),
            then=": due dates count from this day",
        )

    @property
    def book(self) -> BookApp:
        return cast("BookApp", self.app)

    def current(self) -> tuple[str, object, str]:
        return (
            self.query_one("#client", Input).value,
            self.query_one("#process", Select).value,
            self.query_one("#start", Input).value,
        )

    def submission(self, *, again: bool = False) -> Callable[[], int]:
        slug, process, start_text = self.current()
        zone, now = self.zone, self.clock()

        def job() -> int:
            errors: dict[str, str] = {}
            client_id = process_id = 0
            try:
                client_id = int(find_client(slug).id)
            except NotFound as problem:
                errors["client"] = str(problem)
            if isinstance(process, int):
                process_id = process
            else:
                errors["process"] = "required"
            day = None
            try:
                day = parse_day(start_text, zone=zone, now=now, prefer="future")
            except DateProblem as problem:
                errors["start"] = str(problem)
            if errors or day is None:
                raise ValidationError(errors)
            return self.start(client_id, process_id, day, again)

        return job

    def ask_about(self, error: ValidationError) -> bool:
        """A process still open for the client asks whether to start another one."""
        if not isinstance(error, AlreadyRunning):
            return False

        def answered(yes: bool | None) -> None:
            if yes:
                self.save_with(self.submission(again=True))

        question = error.errors["process"] + ". Start another one?"
        self.app.push_screen(ConfirmScreen(question, yes="Start another", no="No"), answered)
        return True


def _client_name(slug: str) -> str:
    """On a worker: the hint under the client box, the name the slug names or why none (markup)."""
    if not slug.strip():
        return ""
    try:
        return escape(find_client(slug).name)
    except NotFound as problem:
        return f"[$error]{escape(str(problem))}[/]"
