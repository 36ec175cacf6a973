"""ClientbookApp: the modes (one per top-level screen), global keys, the command palette, and the few
actions that several screens share (new/edit client, archive, open a client).

The CLI opens the book and works out who the user is before the app starts; the app only renders and turns
keys into core calls.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import ClassVar

import peewee as pw
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import Hit, Hits, Provider
from textual.screen import Screen

from clientbook.core import clock
from clientbook.core.brief import brief, brief_lines
from clientbook.core.care_operations import (
    acknowledge_concern,
    add_concern,
    add_key_date,
    add_promise,
    break_promise,
    complete_checkin,
    complete_follow_up,
    keep_promise,
    renegotiate_promise,
    resolve_concern,
    snooze_client,
)
from clientbook.core.care_queries import CareItem, CarePolicy, Kind, care_queue
from clientbook.core.db import explain
from clientbook.core.drafts import (
    ClientDraft,
    ConcernDraft,
    InteractionDraft,
    ProcessDraft,
    PromiseDraft,
    StepDraft,
)
from clientbook.core.log_operations import acknowledge, edit_interaction, log_interaction
from clientbook.core.log_queries import channels, interaction_draft
from clientbook.core.models import Client, Staff
from clientbook.core.operations import (
    archive_client,
    create_client,
    ensure_owner,
    unarchive_client,
    update_client,
)
from clientbook.core.process_files import process_from_toml, process_to_toml
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
from clientbook.core.queries import ClientFilter, client_detail, client_page, draft_of, staff_rows
from clientbook.core.validation import ValidationError
from clientbook.settings import Settings, care_policy
from clientbook.ui.screens.brief import BriefScreen
from clientbook.ui.screens.care import CareScreen
from clientbook.ui.screens.care_forms import ConcernFormScreen, KeyDateFormScreen, PromiseFormScreen
from clientbook.ui.screens.checklist import ChecklistScreen
from clientbook.ui.screens.checklists import ChecklistsScreen
from clientbook.ui.screens.client_detail import ClientDetailScreen
from clientbook.ui.screens.client_form import ClientFormScreen
from clientbook.ui.screens.clients import ClientsScreen
from clientbook.ui.screens.confirm import ConfirmScreen
from clientbook.ui.screens.help import HelpScreen
from clientbook.ui.screens.interaction import InteractionScreen
from clientbook.ui.screens.interaction_form import InteractionFormScreen
from clientbook.ui.screens.log import LogScreen
from clientbook.ui.screens.process_form import ProcessFormScreen
from clientbook.ui.screens.processes import ProcessesScreen
from clientbook.ui.screens.prompt import PromptScreen
from clientbook.ui.screens.start_checklist import StartChecklistScreen
from clientbook.ui.screens.welcome import WelcomeScreen


class ClientCommands(Provider):
    """Jump to a client from the command palette by typing part of a name, company, email or phone."""

    async def search(self, query: str) -> Hits:
        app = self.app
        if not isinstance(app, ClientbookApp) or not query.strip():
            return
        matcher = self.matcher(query)
        for row in client_page(ClientFilter(search=query, include_archived=True), offset=0, limit=20):
            label = row.name + (f" · {row.company}" if row.company else "")
            yield Hit(
                max(matcher.match(label), 0.2),
                matcher.highlight(label),
                partial(app.open_client, row.id),
                help=f"Open client {row.slug} ({row.stage}, {row.point_person})",
            )


class ClientbookApp(App[None]):
    """The clientbook TUI over an already-open book."""

    CSS_PATH = "app.tcss"
    TITLE = "clientbook"
    COMMANDS = App.COMMANDS | {ClientCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority, so they work while an input has focus and inside modal forms.
        Binding("f1", "help", "Help", priority=True, id="app.help"),
        Binding("f2", "clients", "Clients", priority=True, id="app.clients"),
        Binding("f3", "log", "Log", priority=True, id="app.log"),
        Binding("f4", "checklists", "Checklists", priority=True, id="app.checklists"),
        Binding("f5", "care", "Care", priority=True, id="app.care"),
    ]

    def __init__(
        self,
        *,
        settings: Settings,
        location: str,
        user: Staff | None,
        suggested_owner: str = "",
    ) -> None:
        super().__init__()
        self.settings = settings
        self.location = location
        self.user = user
        self.suggested_owner = suggested_owner

    @property
    def location_name(self) -> str:
        """The book's file name, as shown in title bars."""
        return Path(self.location).name

    def clock(self) -> datetime:
        return clock.now()

    def on_mount(self) -> None:
        if self.settings.keymap:
            self.set_keymap(dict(self.settings.keymap))
        self.add_mode("clients", ClientsScreen)
        self.add_mode("log", LogScreen)
        self.add_mode("checklists", ChecklistsScreen)
        self.add_mode("care", CareScreen)
        if self.user is None:
            self.push_screen(
                WelcomeScreen(suggested=self.suggested_owner, create_owner=self._create_owner),
                lambda _: self.switch_mode("clients"),
            )
        else:
            self.switch_mode(self.first_mode())

    def first_mode(self) -> str:
        """Care when anything is owed (the daily habit), else the client list."""
        try:
            queue = care_queue(self.care_policy(), now=self.clock(), zone=self.settings.timezone)
            # Key dates ahead are reminders, not something due: they alone do not open the care screen.
            owed = sum(section.total for section in queue.sections if section.title != "Key dates ahead")
        except pw.PeeweeException:
            owed = 0
        return "care" if owed else "clients"

    def care_policy(self) -> CarePolicy:
        return care_policy(self.settings)

    def _create_owner(self, name: str) -> int:
        self.user = ensure_owner(name)
        return int(self.user.id)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Clients", "Show the client list (f2)", self.action_clients)
        yield SystemCommand("New client", "Add a client", self.new_client)
        yield SystemCommand("Log", "Show every interaction (f3)", self.action_log)
        yield SystemCommand("Awaiting reply", "Client messages still awaiting a reply", self.show_awaiting)
        yield SystemCommand("Log interaction", "A call, email, meeting or note", self.log_interaction)
        yield SystemCommand("Checklists", "Open checklists across clients (f4)", self.action_checklists)
        yield SystemCommand("Care", "Everything owed to clients today (f5)", self.action_care)
        yield SystemCommand(
            "Processes", "The documented processes: edit, version, export", self.show_processes
        )
        yield SystemCommand("Start a process", "Apply a process to a client", self.start_process)

    def action_clients(self) -> None:
        self._go_to("clients", ClientsScreen)

    def action_log(self) -> None:
        self._go_to("log", LogScreen)

    def action_care(self) -> None:
        self._go_to("care", CareScreen)

    def action_checklists(self) -> None:
        self._go_to("checklists", ChecklistsScreen)

    def show_awaiting(self) -> None:
        self.action_log()
        screen = self.screen
        if isinstance(screen, LogScreen) and not screen.filter.awaiting_only:
            screen.action_awaiting()

    def _go_to(self, mode: str, top: type[Screen[None]]) -> None:
        """Switch to a mode's own screen: from a detail screen or dialog, f2/f3 mean the list itself."""
        while len(self.screen_stack) > 1 and not isinstance(self.screen, top):
            self.pop_screen()
        self.switch_mode(mode)
        while len(self.screen_stack) > 1 and not isinstance(self.screen, top):
            self.pop_screen()

    def action_help(self) -> None:
        screen = self.screen
        if isinstance(screen, HelpScreen):
            screen.dismiss(None)
            return
        keys: list[tuple[str, str, str]] = []
        seen: set[str] = set()
        for key, active in screen.active_bindings.items():
            binding = active.binding
            # Our bindings all have ids; a text box's own editing keys would bury them.
            if not binding.description or not (binding.id or binding.show) or binding.id in seen:
                continue
            seen.add(binding.id or key)
            keys.append((self.get_key_display(binding), binding.description, binding.id or ""))
        title = screen.title or type(screen).__name__.removesuffix("Screen")
        self.push_screen(HelpScreen(title, keys))

    # Shared actions -------------------------------------------------------------------------------------

    def report(self, error: pw.PeeweeException) -> None:
        """Tell the user a database problem in one line; nothing else happens."""
        self.notify(explain(error, self.location), title="Database problem", severity="error", timeout=10)

    def _save_client(self, client_id: int | None, draft: ClientDraft, new_slug: bool) -> int:
        assert self.user is not None
        region = self.settings.phone_region
        if client_id is None:
            return int(create_client(draft, actor=self.user, phone_region=region).id)
        return int(
            update_client(client_id, draft, actor=self.user, phone_region=region, new_slug=new_slug).id
        )

    def new_client(self, on_saved: Callable[[int], None] | None = None) -> None:
        if self.user is None:
            return
        form = ClientFormScreen(
            title="New client",
            draft=ClientDraft(point_person=self.user.slug),
            staff=staff_rows(),
            save=partial(self._save_client, None),
            editing=False,
        )
        self.push_screen(form, partial(self._saved, "Added", on_saved))

    def edit_client(self, client_id: int, on_saved: Callable[[int], None] | None = None) -> None:
        try:
            draft = draft_of(client_id)
        except pw.PeeweeException as error:
            self.report(error)
            return
        form = ClientFormScreen(
            title=f"Edit {draft.name}",
            draft=draft,
            staff=staff_rows(),
            save=partial(self._save_client, client_id),
            editing=True,
        )
        self.push_screen(form, partial(self._saved, "Saved", on_saved))

    def _saved(self, verb: str, then: Callable[[int], None] | None, client_id: int | None) -> None:
        if client_id is None:
            return
        client = Client.get_by_id(client_id)
        self.notify(f"{verb} {client.name} ({client.slug})", timeout=3)
        if then is not None:
            then(client_id)

    def toggle_archive(self, client_id: int, on_done: Callable[[], None]) -> None:
        """Archive (or bring back) a client, after asking."""
        assert self.user is not None
        client = Client.get_by_id(client_id)
        archived = client.archived_at is not None
        question = (
            f"Bring {client.name} back to the client list?"
            if archived
            else f"Archive {client.name}? They leave the list; nothing is deleted and A shows them again."
        )

        def answered(yes: bool | None) -> None:
            if not yes or self.user is None:
                return
            try:
                (unarchive_client if archived else archive_client)(client_id, actor=self.user)
            except pw.PeeweeException as error:
                self.report(error)
                return
            self.notify(f"{'Brought back' if archived else 'Archived'} {client.name}", timeout=3)
            on_done()

        self.push_screen(ConfirmScreen(question, yes="Bring back" if archived else "Archive"), answered)

    def log_interaction(
        self,
        client_slug: str | None = None,
        *,
        direction: str = "",
        channel: str = "",
        on_saved: Callable[[int], None] | None = None,
    ) -> None:
        """Open the log form for a new interaction, with what is known already filled in."""
        if self.user is None:
            return
        draft = InteractionDraft(
            client=client_slug or "", direction=direction, channel=channel, handled_by=self.user.slug
        )
        self._interaction_form("Log an interaction", draft, None, on_saved)

    def edit_interaction(self, interaction_id: int, on_saved: Callable[[int], None] | None = None) -> None:
        draft = interaction_draft(interaction_id, self.settings.timezone)
        self._interaction_form("Edit interaction", draft, interaction_id, on_saved)

    def _interaction_form(
        self,
        title: str,
        draft: InteractionDraft,
        interaction_id: int | None,
        on_saved: Callable[[int], None] | None,
    ) -> None:
        def save(draft: InteractionDraft) -> int:
            assert self.user is not None
            zone = self.settings.timezone
            if interaction_id is None:
                return int(log_interaction(draft, actor=self.user, zone=zone).id)
            return int(edit_interaction(interaction_id, draft, actor=self.user, zone=zone).id)

        form = InteractionFormScreen(
            title=title,
            draft=draft,
            channels=channels(),
            staff=staff_rows(),
            zone=self.settings.timezone,
            clock=self.clock,
            save=save,
            editing=interaction_id is not None,
        )

        def saved(ident: int | None) -> None:
            if ident is not None:
                self.notify("Logged" if interaction_id is None else "Saved", timeout=3)
                if on_saved is not None:
                    on_saved(ident)

        self.push_screen(form, saved)

    def open_interaction(self, interaction_id: int) -> None:
        self.push_screen(InteractionScreen(interaction_id))

    def acknowledge_interaction(self, interaction_id: int, on_done: Callable[[], None]) -> None:
        """Mark a waiting message acknowledged (no reply needed)."""
        if self.user is None:
            return
        try:
            acknowledge(interaction_id, actor=self.user)
        except (ValidationError, pw.PeeweeException) as error:
            self.notify(str(error), severity="warning")
            return
        self.notify("Acknowledged: no longer awaiting a reply", timeout=3)
        on_done()

    def open_client(self, client_id: int) -> None:
        if not isinstance(self.screen, ClientsScreen):
            self.action_clients()
        self.push_screen(ClientDetailScreen(client_id))

    # Processes and checklists --------------------------------------------------------------------------

    def _core(self, write: Callable[[], object], done: str) -> bool:
        """Run a core write; tell the user what happened, or why it did not (nothing else changes)."""
        try:
            write()
        except ValidationError as error:
            self.notify("; ".join(error.errors.values()), severity="warning", timeout=6)
            return False
        except pw.PeeweeException as error:
            self.report(error)
            return False
        if done:
            self.notify(done, timeout=3)
        return True

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
            source = Path(path).expanduser()
            try:
                draft = process_from_toml(source.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError) as error:
                self.notify(f"Cannot read {source}: {error}", severity="warning")
                return
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

    # Care --------------------------------------------------------------------------------------------------

    def show_brief(self, client_id: int) -> None:
        """The one-screen brief before a call."""
        summary = brief(client_id)
        self.push_screen(BriefScreen(summary.client.name, brief_lines(summary, zone=self.settings.timezone)))

    def keep_promise(self, promise_id: int, on_done: Callable[[], None]) -> None:
        user = self.user
        if user is not None and self._core(
            lambda: keep_promise(promise_id, actor=user, zone=self.settings.timezone), "Promise kept"
        ):
            on_done()

    def acknowledge_concern(self, concern_id: int, on_done: Callable[[], None]) -> None:
        """Acknowledge a concern, saying whether an apology was given and the remedy (care principle 6)."""
        user = self.user
        if user is None:
            return

        def apologised(apology: bool | None) -> None:
            if apology is None:
                return

            def remedied(remedy: str | None) -> None:
                if remedy is not None and self._core(
                    lambda: acknowledge_concern(concern_id, actor=user, apology=apology, remedy=remedy),
                    "Concern acknowledged",
                ):
                    on_done()

            self.push_screen(
                PromptScreen("The remedy: what will put it right? (may be left empty)"), remedied
            )

        self.push_screen(
            ConfirmScreen("Was a simple, genuine apology given?", yes="Yes", no="Not yet"), apologised
        )

    def follow_up_done(self, item: CareItem, on_done: Callable[[], None]) -> None:
        user = self.user
        if user is None:
            return
        if item.kind is Kind.CHECKIN:
            done = self._core(lambda: complete_checkin(item.ref, actor=user), "Check-in done")
        else:
            done = self._core(lambda: complete_follow_up(item.ref, actor=user), "Follow-up done")
        if done:
            on_done()

    def snooze(self, client_id: int, name: str, on_done: Callable[[], None]) -> None:
        """Quiet "needs care" for two weeks, after asking why (the reason is required and kept)."""
        user = self.user
        if user is None:
            return

        def answered(reason: str | None) -> None:
            if reason is None:
                return
            snoozed = self._core(
                lambda: snooze_client(
                    client_id, actor=user, reason=reason, until="in 14 days", zone=self.settings.timezone
                ),
                f"{name} snoozed for two weeks",
            )
            if snoozed:
                on_done()

        self.push_screen(
            PromptScreen(f"Why can {name} wait two weeks?", placeholder="e.g. on holiday until the 7th"),
            answered,
        )

    def new_promise(
        self,
        client_slug: str,
        on_saved: Callable[[int], None] | None = None,
        *,
        interaction_id: int | None = None,
    ) -> None:
        """Record a promise for a client (made during interaction `interaction_id`, if given)."""
        user = self.user
        if user is None:
            return

        def save(draft: PromiseDraft) -> int:
            zone = self.settings.timezone
            return int(add_promise(draft, actor=user, zone=zone, interaction_id=interaction_id).id)

        form = PromiseFormScreen(
            draft=PromiseDraft(client=client_slug, made_by=user.slug),
            staff=staff_rows(),
            zone=self.settings.timezone,
            clock=self.clock,
            save=save,
        )
        self.push_screen(form, lambda ident: on_saved(ident) if ident is not None and on_saved else None)

    def new_concern(self, client_slug: str, on_saved: Callable[[int], None] | None = None) -> None:
        user = self.user
        if user is None:
            return

        def save(draft: ConcernDraft) -> int:
            return int(add_concern(draft, actor=user).id)

        form = ConcernFormScreen(draft=ConcernDraft(client=client_slug), staff=staff_rows(), save=save)
        self.push_screen(form, lambda ident: on_saved(ident) if ident is not None and on_saved else None)

    def new_key_date(self, client_id: int, on_saved: Callable[[int], None] | None = None) -> None:
        user = self.user
        if user is None:
            return

        def save(label: str, on: str, yearly: bool) -> int:
            zone = self.settings.timezone
            return int(add_key_date(client_id, label, on, yearly=yearly, actor=user, zone=zone).id)

        form = KeyDateFormScreen(
            client_name=client_detail(client_id).name,
            zone=self.settings.timezone,
            clock=self.clock,
            save=save,
        )
        self.push_screen(form, lambda ident: on_saved(ident) if ident is not None and on_saved else None)

    def break_promise(self, promise_id: int, on_done: Callable[[], None]) -> None:
        user = self.user

        def answered(yes: bool | None) -> None:
            if (
                yes
                and user is not None
                and self._core(lambda: break_promise(promise_id, actor=user), "Marked broken")
            ):
                on_done()

        self.push_screen(
            ConfirmScreen(
                "Mark this promise broken? Owning it may need a concern and an apology too.", yes="Broken"
            ),
            answered,
        )

    def renegotiate_promise(self, promise_id: int, on_done: Callable[[], None]) -> None:
        user = self.user

        def answered(day: str | None) -> None:
            zone = self.settings.timezone
            if (
                day
                and user is not None
                and self._core(
                    lambda: renegotiate_promise(promise_id, day, actor=user, zone=zone), "New due day agreed"
                )
            ):
                on_done()

        self.push_screen(
            PromptScreen("The new due day agreed with the client", placeholder="e.g. next fri"), answered
        )

    def close_concern(self, concern_id: int, on_done: Callable[[], None]) -> None:
        """Closing asks for the word "resolved", then whether the client confirmed it; a check-in follows."""
        user = self.user
        if user is None:
            return

        def typed(word: str | None) -> None:
            if word is None:
                return
            if word.strip().lower() != "resolved":
                self.notify('Not closed: type "resolved" to close a concern', severity="warning")
                return

            def confirmed(yes: bool | None) -> None:
                if yes is None:
                    return

                def scheduled(checkin: str | None) -> None:
                    zone = self.settings.timezone
                    if checkin is not None and self._core(
                        lambda: resolve_concern(
                            concern_id,
                            actor=user,
                            resolved=word,
                            client_confirmed=yes,
                            checkin=checkin,
                            zone=zone,
                        ),
                        "Resolved: the check-in will show among the follow-ups",
                    ):
                        on_done()

                self.push_screen(PromptScreen("Check in with the client on", "in 7 days"), scheduled)

            self.push_screen(
                ConfirmScreen("Did the client confirm it is resolved?", yes="Confirmed", no="Not yet"),
                confirmed,
            )

        self.push_screen(PromptScreen('Type "resolved" to close this concern'), typed)
