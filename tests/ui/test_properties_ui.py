"""Properties of the TUI under any text: the clients search box, and the new-client form saved with any text.

One app runs for each test function, driven by the Pilot; Hypothesis, which cannot run an async test, draws
each example in the test's own thread and hands it to the app's event loop, which runs in a thread of its own
(see :class:`Session`). After every example: the app is still running, on the screen it should be on; the
search's status line is the count the core gives, with what was typed shown escaped; a saved form wrote
exactly the cleaned values, and a refused one wrote nothing and shows a message beside a field.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import dataclasses
import itertools
import threading
import unicodedata
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, TypeVar

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from textual.pilot import Pilot
from textual.widgets import Input, Static, TextArea

from clientbook.core.clients.queries import ClientFilter, count_clients
from clientbook.core.db import OpenedBook
from clientbook.core.models import Client, Staff
from clientbook.core.text import multi_line, shown, single_line
from clientbook.settings import Settings
from clientbook.ui.app import ClientbookApp
from clientbook.ui.screens.client_form import ClientFormScreen
from clientbook.ui.screens.clients import ClientsScreen
from clientbook.ui.screens.confirm import ConfirmScreen
from clientbook.ui.widgets.client_table import ClientTable
from clientbook.ui.widgets.form_field import FormField
from tests.conftest import add
from tests.strategies import examples, hostile_text, multi_line_text, plain_text, weighted
from tests.ui.conftest import SIZE

pytestmark = pytest.mark.properties

T = TypeVar("T")
STEP_TIMEOUT: Final = 30.0

HEALTH: Final = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large]
SEARCH_PROPERTIES: Final = settings(max_examples=examples(140), suppress_health_check=HEALTH)
"""140 searches, ~0.25 s each: the screen redraws its list and status line for each."""
FORM_PROPERTIES: Final = settings(max_examples=examples(50), suppress_health_check=HEALTH)
"""50 forms of seven fields (350 generated inputs), half of them all valid: ~0.5 s each, and ~1 s more to
open the form again after a save (a refused form stays open, and the next example fills it again)."""


@dataclass
class Session:
    """The app running under `run_test` in an event loop on another thread; `run` hands it one step."""

    app: ClientbookApp
    loop: asyncio.AbstractEventLoop
    jobs: asyncio.Queue[Any]

    def run(self, step: Callable[[Pilot[None]], Awaitable[T]]) -> T:
        done: concurrent.futures.Future[T] = concurrent.futures.Future()
        self.loop.call_soon_threadsafe(self.jobs.put_nowait, (step, done))
        result = done.result(timeout=STEP_TIMEOUT)
        assert self.app.is_running, "the app stopped"
        return result


async def _serve(
    app: ClientbookApp, jobs: asyncio.Queue[Any], ready: concurrent.futures.Future[None]
) -> None:
    # Every step runs in this one task, inside run_test, as the body of an ordinary Pilot test would.
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ready.set_result(None)
        while (job := await jobs.get()) is not None:
            step, done = job
            try:
                done.set_result(await step(pilot))
            except BaseException as error:  # handed to the test's thread, which raises it
                done.set_exception(error)


@pytest.fixture
def session(book: OpenedBook, owner: Staff, monkeypatch: pytest.MonkeyPatch) -> Iterator[Session]:
    add(owner, "Alice Anders")
    add(owner, "Bo Byrne", phone="020 7946 0018")
    chosen = Settings(timezone="Europe/London", phone_region="GB", source=Path("settings.toml"))
    app = ClientbookApp(settings=chosen, location=book.location, user=owner, watch_interval=None)
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="app-loop", daemon=True)
    thread.start()
    jobs: asyncio.Queue[Any] = asyncio.Queue()
    ready: concurrent.futures.Future[None] = concurrent.futures.Future()
    served = asyncio.run_coroutine_threadsafe(_serve(app, jobs, ready), loop)
    ready.result(timeout=STEP_TIMEOUT)
    try:
        yield Session(app, loop, jobs)
    finally:
        loop.call_soon_threadsafe(jobs.put_nowait, None)
        served.result(timeout=STEP_TIMEOUT)  # run_test raises here what the app raised, if anything
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=STEP_TIMEOUT)
        loop.close()


def printable(text: str) -> bool:
    """Whether `text` holds nothing that drives or hides in a terminal: controls, format characters (bidi),
    lone surrogates, line and paragraph separators. (Unassigned and private-use characters show as boxes.)"""
    return not any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp") and ch != "\n" for ch in text)


async def _settle(pilot: Pilot[None]) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def _to_clients(pilot: Pilot[None]) -> ClientsScreen:
    app = pilot.app
    while not isinstance(app.screen, ClientsScreen) and len(app.screen_stack) > 1:
        app.pop_screen()
        await pilot.pause()
    assert isinstance(app.screen, ClientsScreen), app.screen
    return app.screen


SEARCHES = weighted(
    (2, hostile_text(40)),
    (
        2,
        st.sampled_from(
            ["al", "alice", "ALI", "anders al", "bo", "020 79", "+44 20", "x.com", '"', "%", "_"]
        ),
    ),
    (
        1,
        st.lists(
            st.sampled_from(["al", "a", "bo", "OR", "*", "[b]", "\x00", "\u202e", "zz"]), max_size=30
        ).map(" ".join),
    ),
    (1, plain_text()),
)


@SEARCH_PROPERTIES
@given(text=SEARCHES)
def test_any_text_in_the_search_box_shows_what_the_core_finds(session: Session, text: str) -> None:
    async def search(pilot: Pilot[None]) -> str:
        screen = await _to_clients(pilot)
        screen.query_one("#search", Input).value = text
        await _settle(pilot)
        assert pilot.app.screen is screen
        return str(screen.query_one("#status", Static).render())

    status = session.run(search)
    if not text.strip():
        return  # an empty search: every client, no "match" line
    assert printable(status), status
    found = count_clients(ClientFilter(search=text))
    event(f"found {min(found, 1)}+")
    assert status.startswith(f"{found:,} of 2 match "), (text, status)
    # What was typed is repeated escaped and cut (the markup of the status line undone: `\[` shows `[`).
    assert shown(text, quote='"').replace("\\[", "[")[:30] in status.replace("\\[", "[") or len(text) > 40


FORM_TEXT = weighted((3, plain_text()), (2, hostile_text(40)))
FRESH: Final = "<a new email address>"
"""An email no client has yet (the test makes one); a likely duplicate is asked about, not saved."""
EMAILS = weighted(
    (3, st.just(FRESH)),
    (1, st.sampled_from(["", "alice0@x.com", "not an email", "a@b"])),
    (1, hostile_text(20)),
)
PHONES = weighted(
    (3, st.just("")), (1, st.sampled_from(["020 7946 0018", "+1 202 555 0143", "123"])), (1, hostile_text(12))
)


@dataclass(frozen=True)
class Typed:
    """What the example types into the new-client form's fields."""

    name: str
    email: str
    phone: str
    company: str
    tags: str
    timezone: str
    notes: str


typed = weighted(
    (
        1,
        st.builds(  # every field valid: the saved path, with letters of every script, marks and joiners
            Typed,
            name=plain_text(),
            email=st.just(FRESH),
            phone=st.sampled_from(["", "020 7946 0018", "+1 202 555 0143"]),
            company=weighted((1, st.just("")), (1, plain_text())),
            tags=weighted((1, st.just("")), (1, plain_text(max_size=30))),
            timezone=st.sampled_from(["", "europe/paris", "Asia/Tokyo"]),
            notes=weighted((1, st.just("")), (1, plain_text(max_size=80))),
        ),
    ),
    (
        1,
        st.builds(
            Typed,
            name=FORM_TEXT,
            email=EMAILS,
            phone=PHONES,
            company=weighted((2, st.just("")), (1, FORM_TEXT)),
            tags=weighted((2, st.just("")), (1, FORM_TEXT)),
            timezone=weighted(
                (3, st.just("")),
                (1, st.sampled_from(["europe/paris", "Mars/Olympus"])),
                (1, hostile_text(12)),
            ),
            notes=weighted((2, st.just("")), (1, multi_line_text(60))),
        ),
    ),
)
FRESH_NUMBERS = itertools.count(1)


@dataclass(frozen=True)
class Outcome:
    screen: str
    messages: dict[str, str]
    """The message beside each field the form marked, by the field's name."""
    notices: list[str]
    stored: dict[str, str]
    """What the form held when saved, as the widgets report it (an Input may cut what is pasted)."""
    asked: bool
    """Whether the form asked about a likely duplicate (and the example said: go back)."""


@FORM_PROPERTIES
@given(form=typed)
def test_the_new_client_form_saves_the_cleaned_text_or_shows_why_not(session: Session, form: Typed) -> None:
    if form.email == FRESH:
        form = dataclasses.replace(form, email=f"new{next(FRESH_NUMBERS)}@example.com")
    before = Client.select().count()

    async def fill_and_save(pilot: Pilot[None]) -> Outcome:
        app = pilot.app
        if not isinstance(app.screen, ClientFormScreen):  # a form the last example could not save stays open
            clients = await _to_clients(pilot)
            clients.query_one(ClientTable).focus()  # on the list, so `n` is a key, not a letter typed
            await pilot.press("n")
            await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ClientFormScreen), screen
        for field in ("name", "email", "phone", "company", "tags", "timezone"):
            screen.query_one(f"#{field}", Input).value = getattr(form, field)
        screen.query_one("#notes", TextArea).text = form.notes
        stored = {f: screen.query_one(f"#{f}", Input).value for f in ("name", "email", "phone", "company")}
        stored["notes"] = screen.query_one("#notes", TextArea).text
        earlier = {id(n) for n in app._notifications}  # they expire: the list shrinks as well as grows
        await pilot.press("ctrl+s")
        await _settle(pilot)
        asked = isinstance(app.screen, ConfirmScreen)
        if asked:  # a likely duplicate: go back to the form
            await pilot.press("escape")
            await pilot.pause()
        after = app.screen
        messages = {
            f.key: str(f.query_one(".form-field--error", Static).render())
            for f in after.query(FormField)
            if f.has_class("-invalid")
        }
        new_notices = [str(n.message) for n in app._notifications if id(n) not in earlier]
        # Opening the form costs a second (it has a score of fields): one left open is filled again next time.
        return Outcome(type(after).__name__, messages, new_notices, stored, asked)

    outcome = session.run(fill_and_save)
    added = (
        list(Client.select().order_by(Client.id.desc()).limit(1)) if Client.select().count() > before else []
    )
    event("refused" if outcome.screen == "ClientFormScreen" else "saved")
    if outcome.screen == "ClientFormScreen":
        assert not added, "the form stayed open, yet a client was written"
        assert outcome.messages or outcome.asked, ("refused without a message beside a field", form, outcome)
        assert all(message and printable(message) for message in outcome.messages.values()), outcome
        return
    assert outcome.screen == "ClientsScreen", outcome
    assert len(added) == 1 and Client.select().count() == before + 1, (
        "the form closed, yet nothing new",
        outcome,
    )
    client = added[0]
    assert (client.name, client.email, client.phone, client.company) == (
        single_line(outcome.stored["name"]),
        single_line(outcome.stored["email"]),
        single_line(outcome.stored["phone"]),
        single_line(outcome.stored["company"]),
    )
    assert client.notes == multi_line(outcome.stored["notes"])
    assert any(f"Added {client.name} ({client.slug})" in notice for notice in outcome.notices), (
        outcome.notices
    )
