"""Actions on processes and checklists that several screens offer."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from clientbook.core.drafts import (
    ProcessDraft,
    StepDraft,
)
from clientbook.core.process_files import process_to_toml, read_process_file
from clientbook.core.process_operations import (
    create_process,
    duplicate_process,
    edit_process,
    note_step,
    retire_process,
    start_checklist,
    tick_step,
    untick_step,
)
from clientbook.core.process_queries import process_draft, processes
from clientbook.core.validation import ValidationError
from clientbook.ui.actions.base import BookApp
from clientbook.ui.screens.checklist import ChecklistScreen
from clientbook.ui.screens.process_form import ProcessFormScreen
from clientbook.ui.screens.processes import ProcessesScreen
from clientbook.ui.screens.prompt import PromptScreen
from clientbook.ui.screens.start_checklist import StartChecklistScreen


class ProcessActions(BookApp):
    """Starting processes, ticking steps, and writing, versioning, sharing processes."""

    def open_checklist(self, checklist_id: int) -> None:
        self.push_screen(ChecklistScreen(checklist_id))

    def tick_step(self, step_id: int, on_done: Callable[[], None]) -> None:
        user = self.user
        if user is not None and self._core(lambda: tick_step(step_id, actor=user), ""):
            on_done()

    def untick_step(self, step_id: int, on_done: Callable[[], None]) -> None:
        user = self.user
        if user is not None and self._core(lambda: untick_step(step_id, actor=user), "Unticked"):
            on_done()

    def note_step(self, step_id: int, note: str, on_done: Callable[[], None]) -> None:
        user = self.user
        if user is not None and self._core(lambda: note_step(step_id, note, actor=user), ""):
            on_done()

    def start_process(self, client_slug: str = "", on_started: Callable[[int], None] | None = None) -> None:
        """Ask which process to start for a client (and from which day), then start it."""
        if self.user is None:
            return
        user = self.user

        def start(client_id: int, process_id: int, day: date, again: bool) -> int:
            return int(start_checklist(client_id, process_id, actor=user, start=day, again=again).id)

        form = StartChecklistScreen(
            client_slug=client_slug,
            processes=processes(),
            zone=self.settings.timezone,
            clock=self.clock,
            start=start,
        )

        def started(checklist_id: int | None) -> None:
            if checklist_id is not None:
                self.notify("Started: the checklist is on f4", timeout=3)
                if on_started is not None:
                    on_started(checklist_id)

        self.push_screen(form, started)

    def show_processes(self) -> None:
        self.push_screen(ProcessesScreen())

    def new_process(self, on_saved: Callable[[int], None]) -> None:
        self._process_form("New process", ProcessDraft(steps=(StepDraft(),)), None, on_saved)

    def edit_process(self, process_id: int, on_saved: Callable[[int], None]) -> None:
        self._process_form(
            "Edit process (saving makes a new version)", process_draft(process_id), process_id, on_saved
        )

    def _process_form(
        self, title: str, draft: ProcessDraft, process_id: int | None, on_saved: Callable[[int], None]
    ) -> None:
        assert self.user is not None
        user = self.user

        def save(draft: ProcessDraft) -> int:
            if process_id is None:
                return int(create_process(draft, actor=user).id)
            return int(edit_process(process_id, draft, actor=user).id)

        def saved(ident: int | None) -> None:
            if ident is not None:
                on_saved(ident)

        self.push_screen(ProcessFormScreen(title=title, draft=draft, save=save), saved)

    def duplicate_process(self, process_id: int, on_done: Callable[[int], None]) -> None:
        if self.user is None:
            return
        copies: list[int] = []
        user = self.user
        if self._core(lambda: copies.append(int(duplicate_process(process_id, actor=user).id)), "Duplicated"):
            on_done(copies[0])

    def retire_process(self, process_id: int, *, retired: bool, on_done: Callable[[], None]) -> None:
        if self.user is None:
            return
        user = self.user
        if self._core(
            lambda: retire_process(process_id, actor=user, retired=retired),
            "Retired: running checklists carry on" if retired else "Brought back",
        ):
            on_done()

    def export_process(self, process_id: int, slug: str) -> None:
        def chosen(path: str | None) -> None:
            if not path:
                return
            target = Path(path).expanduser()
            try:
                target.write_text(process_to_toml(process_draft(process_id)), encoding="utf-8")
            except OSError as error:
                self.notify(f"Not exported: {error.strerror} ({target})", severity="warning")
                return
            self.notify(f"Exported to {target}", timeout=4)

        self.push_screen(PromptScreen("Export the process to a file", f"{slug}.toml"), chosen)

    def import_process(self, on_done: Callable[[int], None]) -> None:
        if self.user is None:
            return
        user = self.user

        def chosen(path: str | None) -> None:
            if not path:
                return
            try:
                draft = read_process_file(Path(path).expanduser())
            except ValidationError as error:
                self.notify("; ".join(error.errors.values()), severity="warning", timeout=8)
                return
            created: list[int] = []
            if self._core(
                lambda: created.append(int(create_process(draft, actor=user).id)), f"Imported {draft.name}"
            ):
                on_done(created[0])

        self.push_screen(
            PromptScreen("Import a process from a file", placeholder="path/to/process.toml"), chosen
        )
