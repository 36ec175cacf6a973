"""ClientbookApp: the modes (one per top-level screen), global keys, the command palette, and the few
actions that several screens share (new/edit client, archive, open a client).

The CLI opens the book and works out who the user is before the app starts; the app only renders and turns
keys into core calls.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import re
import sys
from collections.abc import Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

import peewee as pw
import textual
from rich.text import Text
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import Hit, Hits, Provider
from textual.screen import Screen
from textual.widget import Widget

from clientbook.core.care.queries import owes
from clientbook.core.clients.queries import ClientFilter, client_page
from clientbook.core.errors import ValidationError
from clientbook.core.models import Staff
from clientbook.core.watch import BookWatcher, SqliteWatcher, WatchThread
from clientbook.crash_log import crash_message
from clientbook.settings import Settings, SettingsError, save_settings
from clientbook.ui.actions.care import CareActions
from clientbook.ui.actions.clients import ClientActions
from clientbook.ui.actions.corrections import CorrectionActions
from clientbook.ui.actions.log import LogActions
from clientbook.ui.actions.processes import ProcessActions
from clientbook.ui.background import use_book_threads
from clientbook.ui.garbage import freeze_when_painted, resume_collecting
from clientbook.ui.keymap import app_bindings, check_keymap, keymap_notice
from clientbook.ui.preload import load_the_rest
from clientbook.ui.reading import read_then
from clientbook.ui.screens.care import CareScreen
from clientbook.ui.screens.clients import ClientsScreen
from clientbook.ui.screens.confirm import ConfirmScreen
from clientbook.ui.widgets.care_table import CareQuestion, CareView, read_care
from clientbook.ui.widgets.virtual_table import VirtualTable

if TYPE_CHECKING:
    from clientbook.ui.screens.client_detail import ClientDetailScreen

# The first screen is care or the client list: the other screens are imported when first asked for, or by
# `load_the_rest` once the first is painted (see clientbook.ui.actions).

DETAIL_SCREEN = "client-detail"
"""The name the kept client detail screen is installed under."""
DETAIL_WAIT_S = 0.25
"""How long the kept detail screen may take to read a client before it is shown anyway (saying Loading…):
a person notices a key that does nothing for longer than this."""
PRELOAD_DELAY_S = 0.2
"""How long after the first screen has its rows the rest of the app is imported."""
PRELOAD_LATEST_S = 3.0
"""How long after the first screen is shown the rest is imported even if its rows never came."""
GLOBAL_WORDS = {"command_palette": "Command palette: every action, or a client by name", "quit": "Quit"}
"""Descriptions for Textual's own app keys, whose short labels are made for the footer."""


def screen_title(screen: Screen[object]) -> str:
    """What `f1` calls a screen: its title in words (`Log an interaction`, `Clients`)."""
    given = getattr(screen, "title_text", "") or screen.title
    if isinstance(given, str) and given:
        return given
    words = re.findall(r"[A-Z][a-z]*", type(screen).__name__.removesuffix("Screen"))
    return " ".join([words[0], *(w.lower() for w in words[1:])]) if words else "This screen"


class ClientCommands(Provider):
    """Jump to a client from the command palette by typing part of a name, company, email or phone."""

    async def search(self, query: str) -> Hits:
        app = self.app
        if not isinstance(app, ClientbookApp) or not query.strip():
            return
        matcher = self.matcher(query)
        # Off the event loop, so typing in the palette never waits for the book.
        found = await asyncio.to_thread(
            client_page, ClientFilter(search=query, include_archived=True), offset=0, limit=20
        )
        for row in found:
            label = row.name + (f" · {row.company}" if row.company else "")
            yield Hit(
                max(matcher.match(label), 0.2),
                matcher.highlight(label),
                partial(app.open_client, row.id),
                help=f"Open client {row.slug} ({row.stage}, {row.point_person})",
            )


class ClientbookApp(ClientActions, LogActions, ProcessActions, CareActions, CorrectionActions):
    """The clientbook TUI over an already-open book."""

    CSS_PATH = "app.tcss"
    TITLE = "clientbook"
    COMMANDS = App.COMMANDS | {ClientCommands}
    # Screens get `-narrow` below 100 columns: forms take the whole screen there (see app.tcss).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]  # noqa: RUF012 - App declares the type
    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority, so they work while an input has focus and inside modal forms.
        Binding("f1", "help", "Help", priority=True, id="app.help"),
        Binding("f2", "clients", "Clients", priority=True, id="app.clients"),
        Binding("f3", "log", "Log", priority=True, id="app.log"),
        Binding("f4", "checklists", "Checklists", priority=True, id="app.checklists"),
        Binding("f5", "care", "Care", priority=True, id="app.care"),
        # Not priority: a text area's own ctrl+z (undo typing) comes first; see CorrectionActions.
        Binding("ctrl+z", "undo", "Undo", id="app.undo"),
    ]

    def __init__(
        self,
        *,
        settings: Settings,
        location: str,
        user: Staff | None,
        suggested_owner: str = "",
        watch_interval: float | None = 1.0,
        notices: tuple[str, ...] = (),
        watcher: Callable[[], BookWatcher] | None = None,
    ) -> None:
        """`watch_interval`: seconds between looks for changes made by others (None: never look), with
        `watcher` (made on the watching thread; by default `PRAGMA data_version` of the file at `location`).
        `notices`: what opening the book did that the user should know (it was made private), shown once."""
        super().__init__()
        self.settings = settings
        self.location = location
        self.user = user
        self.suggested_owner = suggested_owner
        self.watch_interval = watch_interval
        self.notices = notices
        self._watcher = watcher
        self._watch: WatchThread | None = None
        self._css_key: tuple[tuple[tuple[str, str], ...], int] | None = None
        self._kept_detail: ClientDetailScreen | None = None
        self._preloading = False
        self._loading_started = False
        self.rest_loaded = False
        """Whether what the first screen did not need has been imported (see :mod:`clientbook.ui.preload`)."""
        self._first_care: CareView | None = None

    def refresh_css(self, animate: bool = True) -> None:
        """Textual's, unless nothing it would redo has changed.

        Textual calls this whenever a screen is first shown, and again each time until it has been shown
        mounted: a reparse of the whole stylesheet and a restyle of every widget, 40-100 ms of event loop for
        a screen switch. The widgets of a newly mounted screen are styled as they mount, as they are on any
        later mount, so the work is needed only when the stylesheet's variables or the theme changed.
        """
        variables = self.get_css_variables()
        key = (tuple(sorted(variables.items())), self._css_update_count)
        previous, self._css_key = self._css_key, key
        # The first call comes as the first screen is shown; the stylesheet was parsed moments before with
        # these very variables (made with the app, after its theme), so re-parsing it would change nothing.
        unchanged = key == previous if previous is not None else self.stylesheet._variables == variables
        if unchanged:
            if self.screen.is_mounted:
                self.screen._css_update_count = self._css_update_count
            return
        super().refresh_css(animate)

    def on_load(self) -> None:
        use_book_threads(asyncio.get_running_loop())

    def on_mount(self) -> None:
        for notice in self.notices:
            self.notify(notice, title="Your book", timeout=15)
        self._start_watching()
        self.screen_change_signal.subscribe(self, self._screen_shown)
        if self.settings.keymap:
            self._apply_keymap()
        self.add_mode("clients", ClientsScreen)
        self.add_mode("log", _log_screen)
        self.add_mode("checklists", _checklists_screen)
        self.add_mode("care", CareScreen)
        if self.user is None:
            from clientbook.ui.screens.welcome import WelcomeScreen  # noqa: PLC0415 - only on the first run

            resume_collecting()  # the first run's form may stay up a while: no start-up to hurry

            self.push_screen(
                WelcomeScreen(
                    suggested=self.suggested_owner,
                    create_owner=self._create_owner,
                    timezone=self.settings.timezone,
                    phone_region=self.settings.phone_region,
                    save_place=self._save_place,
                ),
                lambda _: self.switch_mode("clients"),
            )
        else:
            # Which screen to open is read off the loop too, by the care screen's own first read.
            read_then(
                self, self.first_screen, self._open_first, group="first-screen", failed=self._open_clients
            )

    def _apply_keymap(self) -> None:
        """Remap keys from the settings, leaving out (and reporting) entries that would break a binding."""
        scopes = [bindings for _, bindings in app_bindings([Screen, Widget])]
        everywhere = [binding for _, bindings in app_bindings([type(self)]) for binding in bindings]
        keymap, problems = check_keymap(self.settings, scopes, everywhere)
        self.set_keymap(keymap)
        if problems:
            notice = keymap_notice(self.settings, problems)
            self.notify(notice, title="Settings", severity="warning", timeout=30)

    def _fatal_error(self) -> None:
        """Textual's handler for an exception nothing caught, replaced: the one override of its private API.

        Textual prints a Rich traceback with `show_locals=True`, which shows the values of local variables:
        a client's notes, a draft, a search. Textual offers no public setting for it (checked on 8.2.8), so
        this prints a short message that names no value, and writes the traceback (Python's own, without
        locals) to the private crash log. Textual calls this inside its `except` block, so the exception is
        `sys.exception()`; exceptions that render themselves (`__rich__`, Textual's CSS errors) never come
        here and are shown as Textual shows them.
        """
        self.bell()
        self.panic(Text(crash_message(sys.exception(), versions=f"Textual {textual.__version__}")))

    def make_watcher(self) -> BookWatcher:
        """How this book tells of changes made by others (a SQLite file's data version, a PostgreSQL book's
        notifications)."""
        return self._watcher() if self._watcher is not None else SqliteWatcher(self.location)

    def _start_watching(self) -> None:
        if self.watch_interval is None:
            return
        loop = asyncio.get_running_loop()

        def tell_the_app() -> None:  # on the watch thread: hand over to the event loop, never wait for it
            with contextlib.suppress(RuntimeError):  # the app closed meanwhile
                loop.call_soon_threadsafe(self.book_changed)

        self._watch = WatchThread(self.make_watcher, tell_the_app, interval=self.watch_interval)
        self._watch.start()

    def on_unmount(self) -> None:
        if self._watch is not None:
            self._watch.stop()

    def book_changed(self) -> None:
        """Someone else changed the book: the screen on show reads again what it shows."""
        if self.is_running and self.screen_stack:
            self.refresh_screen()

    def first_screen(self) -> tuple[str, CareView | None]:
        """Care when anything is owed (the daily habit), else the client list. Runs in a worker.

        Told by reading the care screen's first page (one page and a capped count per section, never the
        whole queue); when it is care, the care screen shows that reading rather than making it again."""
        view = read_care(CareQuestion(self.care_policy(), self.clock, self.settings.timezone))
        return ("care", view) if owes(view.queue) else ("clients", None)

    def take_first_care(self) -> CareView | None:
        """The care reading the first screen was chosen by, once (the care screen's first visit shows it)."""
        view, self._first_care = self._first_care, None
        return view

    def _screen_shown(self, screen: Screen[Any]) -> None:
        if any(stack and stack[0] is screen for stack in self._screen_stacks.values()):  # a mode's own
            freeze_when_painted(screen)
            if not self._preloading:
                self._preloading = True
                screen.call_after_refresh(self._load_after_painting, screen)

    def _load_after_painting(self, screen: Screen[Any]) -> None:
        """Once the first screen has its rows on screen, load the rest: sooner, it would compete with them."""

        def painted() -> None:
            # A moment later: the screen's first paint is followed by a few small refreshes (its title, the
            # footer's keys), which a worker importing beside them would hold up.
            self.set_timer(PRELOAD_DELAY_S, self._load_the_rest)

        tables = list(screen.query(VirtualTable))
        if tables:
            tables[0].when_ready(painted)
            # Whatever becomes of that read (a locked book fails it), the rest loads, and collecting resumes.
            self.set_timer(PRELOAD_LATEST_S, self._load_the_rest)
        else:
            painted()

    def _load_the_rest(self) -> None:
        if self._loading_started:
            return
        self._loading_started = True

        def load() -> None:
            try:
                load_the_rest()
            finally:
                resume_collecting()
                self.rest_loaded = True

        # Not exit_on_error: a module that fails to load fails again, with the usual report, when it is used.
        self.run_worker(load, thread=True, group="preload", name="load the rest", exit_on_error=False)

    def _open_first(self, chosen: tuple[str, CareView | None]) -> None:
        mode, view = chosen
        # Kept only for the care screen about to open with it: shown later, it would be an old reading.
        if mode == "care" and self.current_mode == self.DEFAULT_MODE:
            self._first_care = view
        self._open(mode)

    def _open(self, mode: str) -> None:
        # A key pressed meanwhile (f2, f5) has chosen a screen already: the user's choice stands.
        if self.current_mode == self.DEFAULT_MODE:
            self.switch_mode(mode)

    def _open_clients(self, error: pw.PeeweeException) -> None:
        """The book could not say whether anything is owed: open on the client list, and say why."""
        self._open("clients")
        self.report(error)

    def _save_place(self, timezone: str, phone_region: str) -> None:
        """Keep the first run's confirmed zone and region in the settings file, and use them from now on."""
        try:
            save_settings({"timezone": timezone, "phone_region": phone_region}, self.settings.source)
        except SettingsError as error:
            raise ValidationError({"timezone": str(error)}) from None
        self.settings = dataclasses.replace(self.settings, timezone=timezone, phone_region=phone_region)

    def _create_owner(self, name: str) -> int:
        from clientbook.core.clients.operations import ensure_owner  # noqa: PLC0415 - only on the first run

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
        yield SystemCommand("Undo", "Undo your last action (ctrl+z)", self.action_undo)

    def action_clients(self) -> None:
        self._go_to("clients", ClientsScreen)

    def action_log(self) -> None:
        from clientbook.ui.screens.log import LogScreen  # noqa: PLC0415 - see the imports

        self._go_to("log", LogScreen)

    def action_care(self) -> None:
        self._go_to("care", CareScreen)

    def action_checklists(self) -> None:
        from clientbook.ui.screens.checklists import ChecklistsScreen  # noqa: PLC0415 - see the imports

        self._go_to("checklists", ChecklistsScreen)

    def show_awaiting(self) -> None:
        from clientbook.ui.screens.log import LogScreen  # noqa: PLC0415 - see the imports

        self.action_log()
        screen = self.screen
        if isinstance(screen, LogScreen) and not screen.filter.awaiting_only:
            screen.action_awaiting()

    def _form_has_changes(self) -> bool:
        from clientbook.ui.screens.form import FormScreen  # noqa: PLC0415 - see the imports

        return any(isinstance(screen, FormScreen) and screen.has_changes for screen in self.screen_stack)

    def _go_to(self, mode: str, top: type[Screen[None]]) -> None:
        """Switch to a mode's own screen: from a detail screen or dialog, f2/f3 mean the list itself.

        Leaving closes the dialogs on the way, so a form holding changes asks first, as `escape` does.
        """
        if not self._form_has_changes():
            self._leave_to(mode, top)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self._leave_to(mode, top)

        question = "Leave and discard the changes in this form?"
        self.push_screen(ConfirmScreen(question, yes="Discard", no="Keep editing"), answered)

    def _leave_to(self, mode: str, top: type[Screen[None]]) -> None:
        while len(self.screen_stack) > 1 and not isinstance(self.screen, top):
            self.pop_screen()
        self.switch_mode(mode)
        while len(self.screen_stack) > 1 and not isinstance(self.screen, top):
            self.pop_screen()

    async def action_quit(self) -> None:
        """`ctrl+q` and the palette's *Quit*: ask first while a form holds changes, as `escape` does."""
        if not self._form_has_changes():
            self.exit()
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.exit()

        question = ConfirmScreen("Quit and discard the changes in this form?", yes="Quit", no="Keep editing")
        await self.push_screen(question, answered)

    def action_help(self) -> None:
        from clientbook.ui.screens.help import HelpScreen  # noqa: PLC0415 - see the imports

        screen = self.screen
        if isinstance(screen, HelpScreen):
            screen.dismiss(None)
            return
        keys: list[tuple[str, str, str]] = []
        everywhere: list[tuple[str, str, str]] = []
        seen: set[str] = set()
        # A modal form's own bindings leave out the app's; the screen beneath the stack still has them.
        everything = {**self.screen_stack[0].active_bindings, **screen.active_bindings}
        for key, active in everything.items():
            binding = active.binding
            app_wide = active.node is self
            # Ours all have ids, and the app's quit and palette are worth listing; a text box's own editing
            # keys would bury them.
            if not binding.description or binding.system or binding.id in seen:
                continue
            if not (binding.id or binding.show or app_wide):
                continue
            seen.add(binding.id or key)
            description = GLOBAL_WORDS.get(binding.action, binding.description)
            row = (self.get_key_display(binding), description, binding.id or "")
            (everywhere if app_wide else keys).append(row)
        self.push_screen(HelpScreen(screen_title(screen), keys, everywhere))

    def open_client(self, client_id: int) -> None:
        """Open a client over the screen the user is on, so `escape` comes back to it (care, the list...).

        One detail screen is kept (installed) and shown again for each client: building it cost more than
        reading the client. It reads the client before it is shown (see :meth:`ClientDetailScreen.prepare`),
        for at most :data:`DETAIL_WAIT_S`; if the user has moved to another screen by then, it is not
        shown. A second is made only while the kept one is still open somewhere (a client opened from
        another screen's stack, or from a screen over the first client)."""
        from clientbook.ui.screens.client_detail import ClientDetailScreen  # noqa: PLC0415 - see the imports

        kept = self._kept_detail
        if kept is None:
            kept = self._kept_detail = ClientDetailScreen(client_id)
            self.install_screen(kept, name=DETAIL_SCREEN)
            self.push_screen(kept)
        elif self._is_open(kept):
            self.push_screen(ClientDetailScreen(client_id))
        else:
            origin = self.screen

            def show() -> None:
                wait.stop()
                if self.screen is origin and not self._is_open(kept):
                    self.push_screen(kept)

            wait = self.set_timer(DETAIL_WAIT_S, show)
            kept.prepare(client_id, ready=show)

    def _is_open(self, screen: Screen[Any]) -> bool:
        """Whether `screen` is on any mode's stack."""
        return any(screen in stack for stack in self._screen_stacks.values())


def _log_screen() -> Screen[None]:
    from clientbook.ui.screens.log import LogScreen  # noqa: PLC0415 - see the imports

    return LogScreen()


def _checklists_screen() -> Screen[None]:
    from clientbook.ui.screens.checklists import ChecklistsScreen  # noqa: PLC0415 - see the imports

    return ChecklistsScreen()
