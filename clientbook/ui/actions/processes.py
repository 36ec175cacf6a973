"""Actions on processes and checklists that several screens offer."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from clientbook.ui.actions.base import BookApp

if TYPE_CHECKING:
    from clientbook.core.drafts import ProcessDraft
    from clientbook.core.processes.queries import ProcessRow

# The screens, the forms and the writes are imported by the actions that use them (see ui/actions/__init__).


class ProcessActions(BookApp):
    """Starting processes, ticking steps, and writing, versioning, sharing processes."""

    def open_checklist(self, checklist_id: int) -> None:
        from clientbook.ui.screens.checklist import ChecklistScreen

        self.push_screen(ChecklistScreen(checklist_id))

    def tick_step(self, step_id: int, on_done: Callable[[], None]) -> None:
        from clientbook.core.processes.operations import tick_step

        user = self.user
        if user is not None:
            self.in_background(lambda: tick_step(step_id, actor=user), lambda _: on_done())

    def untick_step(self, step_id: int, on_done: Callable[[], None]) -> None:
        from clientbook.core.processes.operations import untick_step

        user = self.user
        if user is not None:
            self.in_background(lambda: untick_step(step_id, actor=user), lambda _: on_done(), done="Unticked")

    def note_step(self, step_id: int, note: str, on_done: Callable[[], None]) -> None:
        from clientbook.core.processes.operations import note_step

        user = self.user
        if user is not None:
            self.in_background(lambda: note_step(step_id, note, actor=user), lambda _: on_done())

    def start_process(self, client_slug: str = "", on_started: Callable[[int], None] | None = None) -> None:
        """Ask which process to start for a client (and from which day), then start it."""
        from clientbook.core.processes.operations import start_checklist
        from clientbook.core.processes.queries import processes
        from clientbook.ui.screens.start_checklist import StartChecklistScreen

        user = self.user
        if user is None:
            return

        def start(client_id: int, process_id: int, day: date, again: bool) -> int:
            return int(start_checklist(client_id, process_id, actor=user, start=day, again=again).id)

        def started(checklist_id: int | None) -> None:
            if checklist_id is not None:
                self.notify("Started: the checklist is on f4", timeout=3)
                if on_started is not None:
                    on_started(checklist_id)

        def open_form(rows: list[ProcessRow]) -> None:
            form = StartChecklistScreen(
                client_slug=client_slug,
                processes=rows,
                zone=self.settings.timezone,
                clock=self.clock,
                start=start,
            )
            self.push_screen(form, started)

        self.open_after(processes, open_form)

    def show_processes(self) -> None:
        from clientbook.ui.screens.processes import ProcessesScreen

        self.push_screen(ProcessesScreen())

    def new_process(self, on_saved: Callable[[int], None]) -> None:
        from clientbook.core.drafts import ProcessDraft, StepDraft

        self._process_form("New process", ProcessDraft(steps=(StepDraft(),)), None, on_saved)

    def edit_process(self, process_id: int, on_saved: Callable[[int], None]) -> None:
        from clientbook.core.processes.queries import process_draft

        self.open_after(
            lambda: process_draft(process_id),
            lambda draft: self._process_form(
                "Edit process (saving makes a new version)", draft, process_id, on_saved
            ),
        )

    def _process_form(
        self, title: str, draft: ProcessDraft, process_id: int | None, on_saved: Callable[[int], None]
    ) -> None:
        from clientbook.core.processes.operations import create_process, edit_process
        from clientbook.ui.screens.process_form import ProcessFormScreen

        user = self.user
        if user is None:
            return

        def save(draft: ProcessDraft) -> int:
            if process_id is None:
                return int(create_process(draft, actor=user).id)
            return int(edit_process(process_id, draft, actor=user).id)

        def saved(ident: int | None) -> None:
            if ident is not None:
                on_saved(ident)

        self.push_screen(ProcessFormScreen(title=title, draft=draft, save=save), saved)

    def duplicate_process(self, process_id: int, on_done: Callable[[int], None]) -> None:
        from clientbook.core.processes.operations import duplicate_process

        user = self.user
        if user is not None:
            self.in_background(
                lambda: int(duplicate_process(process_id, actor=user).id), on_done, done="Duplicated"
            )

    def retire_process(self, process_id: int, *, retired: bool, on_done: Callable[[], None]) -> None:
        from clientbook.core.processes.operations import retire_process

        user = self.user
        if user is not None:
            self.in_background(
                lambda: retire_process(process_id, actor=user, retired=retired),
                lambda _: on_done(),
                done="Retired: running checklists carry on" if retired else "Brought back",
            )

    def export_process(self, process_id: int, slug: str) -> None:
        from clientbook.core.processes.files import process_to_toml
        from clientbook.core.processes.queries import process_draft
        from clientbook.ui.screens.prompt import PromptScreen

        def export(target: Path) -> str | None:
            """On a worker: the book is read and the file written there; None when done, else why not."""
            try:
                target.write_text(process_to_toml(process_draft(process_id)), encoding="utf-8")
            except OSError as error:
                return f"Not exported: {error.strerror} ({target})"
            return None

        def told(target: Path, problem: str | None) -> None:
            if problem is not None:
                self.notify(problem, severity="warning")
            else:
                self.notify(f"Exported to {target}", timeout=4)

        def chosen(path: str | None) -> None:
            if path:
                target = Path(path).expanduser()
                self.in_background(lambda: export(target), partial(told, target))

        self.push_screen(PromptScreen("Export the process to a file", f"{slug}.toml"), chosen)

    def import_process(self, on_done: Callable[[int], None]) -> None:
        from clientbook.core.processes.files import read_process_file
        from clientbook.core.processes.operations import create_process
        from clientbook.ui.screens.prompt import PromptScreen

        user = self.user
        if user is None:
            return

        def read_and_create(path: Path) -> tuple[str, int]:
            """On a worker: a file that is not a valid process is refused (ValidationError) like a form."""
            draft = read_process_file(path)
            return draft.name, int(create_process(draft, actor=user).id)

        def imported(created: tuple[str, int]) -> None:
            name, ident = created
            self.notify(f"Imported {name}", timeout=3)
            on_done(ident)

        def chosen(path: str | None) -> None:
            if path:
                target = Path(path).expanduser()
                self.in_background(lambda: read_and_create(target), imported)

        self.push_screen(
            PromptScreen("Import a process from a file", placeholder="path/to/process.toml"), chosen
        )
