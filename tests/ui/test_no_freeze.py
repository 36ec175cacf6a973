"""The screen never freezes: saves and reads run on thread workers, and what they bring back lands where the
user still is, or nowhere.

A second sqlite3 connection holding `BEGIN IMMEDIATE` stands in for another program writing to the book: a
save then waits for SQLite's lock on its worker while the form keeps drawing. Reads are held back by a gate
around the core call the screen makes, so the test can look at the screen before the answer arrives.
"""

from __future__ import annotations

import io
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

import pytest
from rich.console import Console
from textual.widgets import Input, Label, Static

from clientbook.core.care import brief as brief_module
from clientbook.core.care.brief import brief
from clientbook.core.care.operations import add_promise
from clientbook.core.clients.queries import client_detail
from clientbook.core.db import OpenedBook, close_database, open_database
from clientbook.core.drafts import PromiseDraft
from clientbook.core.models import Client, Promise, Staff
from clientbook.ui.app import ClientbookApp
from clientbook.ui.screens import client_detail as detail_module
from clientbook.ui.screens.client_detail import ClientDetailScreen, DetailRead
from clientbook.ui.screens.client_form import ClientFormScreen
from clientbook.ui.screens.clients import ClientsScreen
from clientbook.ui.screens.confirm import ConfirmScreen
from clientbook.ui.screens.prompt import PromptScreen
from clientbook.ui.widgets.form_field import FormField
from tests.conftest import add
from tests.ui.conftest import SIZE, glance, make_app, press_now
from tests.ui.test_care_screens import lines as care_lines

T = TypeVar("T")


@contextmanager
def write_lock(book_path: Path) -> Iterator[sqlite3.Connection]:
    """Another program in the middle of a write: every other writer waits (up to its busy timeout)."""
    holder = sqlite3.connect(str(book_path), isolation_level=None, timeout=0)
    holder.execute("BEGIN IMMEDIATE")
    try:
        yield holder
    finally:
        if holder.in_transaction:
            holder.execute("ROLLBACK")
        holder.close()


class Gate:
    """Holds back a core call made on a worker until :meth:`open` (the first `held` calls only)."""

    def __init__(self, held: int = 1) -> None:
        self.opened = threading.Event()
        self.held = held
        self.calls = 0

    def wrap(self, call: Callable[..., T]) -> Callable[..., T]:
        def gated(*args: Any, **kwargs: Any) -> T:
            self.calls += 1
            if self.calls <= self.held:
                assert self.opened.wait(10), "the test never opened the gate"
            return call(*args, **kwargs)

        return gated

    def open(self) -> None:
        self.opened.set()


def text_of(static: Static) -> str:
    """What a Static shows, as plain text (tables and markup rendered)."""
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(static.content)
    return console.export_text()


def status_of(form: ClientFormScreen) -> str:
    return str(form.query_one("#form-status", Static).render())


async def open_new_client_form(app: ClientbookApp, pilot: Any) -> ClientFormScreen:
    await pilot.press("n")
    form = app.screen
    assert isinstance(form, ClientFormScreen)
    form.query_one("#name", Input).value = "Dalia Okafor"
    form.query_one("#email", Input).value = "dalia@okafor.example"
    await pilot.pause()
    return form


async def test_a_save_waiting_for_a_lock_shows_saving_and_lands_once(
    app: ClientbookApp, book_path: Path
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")
        form = await open_new_client_form(app, pilot)
        with write_lock(book_path):
            await press_now(pilot, "ctrl+s")
            await glance(pilot)
            assert app.screen is form, "the form stays open while the book is busy"
            assert status_of(form) == "saving…"
            name = form.query_one("#name", Input)
            assert name.value == "Dalia Okafor" and name.is_disabled, "what is being saved cannot change"
            await press_now(pilot, "x", "ctrl+s")
            await glance(pilot)
            assert name.value == "Dalia Okafor"
            assert status_of(form).startswith("still saving…")
            assert Client.select().count() == 0
        await pilot.pause()  # the lock is gone: the one save in flight lands
        assert isinstance(app.screen, ClientsScreen)
        assert [c.name for c in Client.select()] == ["Dalia Okafor"]


async def test_a_lock_held_past_the_timeout_keeps_the_form_and_its_text(
    book: OpenedBook, owner: Staff, book_path: Path
) -> None:
    close_database()
    app = make_app(open_database(book_path, timeout=0.2), owner)  # a short wait: the lock outlasts it
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")
        form = await open_new_client_form(app, pilot)
        with write_lock(book_path):
            await pilot.press("ctrl+s")  # waits for the save's worker: it gives up after 0.2 s
            assert app.screen is form
            assert "locked by another program" in status_of(form)
            name = form.query_one("#name", Input)
            assert name.value == "Dalia Okafor" and not name.is_disabled
            assert app.focused is name, "the focus is back where it was"
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, ClientsScreen)
        assert Client.select().count() == 1


async def test_a_save_that_lands_after_the_form_was_closed_is_told_not_applied(
    app: ClientbookApp, book_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    notices: list[str] = []
    notify = app.notify

    def noted(message: str, **kwargs: Any) -> None:
        notices.append(message)
        notify(message, **kwargs)

    monkeypatch.setattr(app, "notify", noted)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")
        form = await open_new_client_form(app, pilot)
        with write_lock(book_path):
            await press_now(pilot, "ctrl+s")
            await glance(pilot)
            await press_now(pilot, "escape")
            await glance(pilot)
            assert isinstance(app.screen, ConfirmScreen)
            assert "Still saving" in app.screen.question
            await press_now(pilot, "y")
            await glance(pilot)
            assert not form.is_attached or form not in app.screen_stack
            assert isinstance(app.screen, ClientsScreen)
        await pilot.pause()
        # The late result closed nothing more (the list is still there) and said what happened.
        assert isinstance(app.screen, ClientsScreen)
        assert len(app.screen_stack) == 1
        assert Client.select().count() == 1
        assert "Saved, after the dialog was closed" in notices


async def test_a_prompt_that_writes_shows_saving_and_closes_once_saved(
    app: ClientbookApp, owner: Staff, book_path: Path
) -> None:
    alice = add(owner, "Alice Anders")
    draft = PromiseDraft(client=alice.slug, what="Send the quote", made_by=owner.slug, due="today")
    promise = add_promise(draft, actor=owner, zone="Europe/London")
    done: list[bool] = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.renegotiate_promise(promise.id, on_done=lambda: done.append(True))
        await pilot.pause()
        prompt = app.screen
        assert isinstance(prompt, PromptScreen)
        prompt.query_one(Input).value = "fri"
        await pilot.pause()
        with write_lock(book_path):
            await press_now(pilot, "enter")
            await glance(pilot)
            assert app.screen is prompt
            hint = prompt.query_one(FormField).query_one(".form-field--hint", Static)
            assert str(hint.render()) == "saving…"
            assert prompt.query_one(Input).disabled and prompt.query_one(Input).value == "fri"
        await pilot.pause()
        assert app.screen is not prompt and done == [True]
        assert str(Promise.get_by_id(promise.id).due) == "2026-11-27"


@pytest.fixture
def gated_detail(monkeypatch: pytest.MonkeyPatch) -> Gate:
    """The detail screen's read of the client waits for the test."""
    gate = Gate()
    monkeypatch.setattr(detail_module, "client_detail", gate.wrap(client_detail))
    return gate


async def test_the_detail_says_loading_until_the_client_arrives(
    app: ClientbookApp, owner: Staff, gated_detail: Gate
) -> None:
    alice = add(owner, "Alice Anders", email="alice@example.com")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")
        app.open_client(alice.id)
        await glance(pilot)
        await glance(pilot)
        screen = app.screen
        assert isinstance(screen, ClientDetailScreen)
        for part in ("#overview", "#owed", "#checklists", "#history"):
            assert "Loading…" in str(screen.query_one(part, Static).render()), part
        assert "Nothing owed" not in str(screen.query_one("#owed", Static).render())
        gated_detail.open()
        await pilot.pause()
        assert "alice@example.com" in text_of(screen.query_one("#overview", Static))
        assert "Nothing owed" in str(screen.query_one("#owed", Static).render())


async def test_a_read_for_a_screen_already_left_is_dropped(
    app: ClientbookApp, owner: Staff, gated_detail: Gate, monkeypatch: pytest.MonkeyPatch
) -> None:
    alice = add(owner, "Alice Anders")
    drawn: list[DetailRead] = []
    draw = ClientDetailScreen._draw

    def spy(self: ClientDetailScreen, read: DetailRead) -> None:
        drawn.append(read)
        draw(self, read)

    monkeypatch.setattr(ClientDetailScreen, "_draw", spy)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")
        app.open_client(alice.id)
        await glance(pilot)
        await press_now(pilot, "escape")
        await glance(pilot)
        assert isinstance(app.screen, ClientsScreen)
        gated_detail.open()
        await pilot.pause()
        assert isinstance(app.screen, ClientsScreen) and app.is_running
        assert drawn == []


async def test_a_newer_read_replaces_one_still_in_flight(
    app: ClientbookApp, owner: Staff, gated_detail: Gate, monkeypatch: pytest.MonkeyPatch
) -> None:
    alice = add(owner, "Alice Anders")
    drawn: list[str] = []
    draw = ClientDetailScreen._draw

    def spy(self: ClientDetailScreen, read: DetailRead) -> None:
        drawn.append(read.detail.name)
        draw(self, read)

    monkeypatch.setattr(ClientDetailScreen, "_draw", spy)
    app.watch_interval = None  # the change below would have the screen read again by itself
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")
        app.open_client(alice.id)
        await glance(pilot)
        screen = app.screen
        assert isinstance(screen, ClientDetailScreen)
        Client.update(name="Alice Byrne").where(Client.id == alice.id).execute()
        screen.show()  # the second read is not held back, and answers first
        await pilot.pause()
        assert drawn == ["Alice Byrne"]
        gated_detail.open()  # the first read's answer (the name before) now arrives, and is dropped
        await pilot.pause()
        assert drawn == ["Alice Byrne"]
        assert "Alice Byrne" in str(screen.query_one("#title").query(Static).first().render())


async def test_the_brief_says_loading_until_it_is_read(
    app: ClientbookApp, owner: Staff, monkeypatch: pytest.MonkeyPatch
) -> None:
    alice = add(owner, "Alice Anders")
    gate = Gate()
    monkeypatch.setattr(brief_module, "brief", gate.wrap(brief))  # the action imports it when it runs
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")
        app.show_brief(alice.id)
        await glance(pilot)
        await glance(pilot)
        body = app.screen.query_one("#brief-body", Static)
        assert "Loading…" in str(body.render())
        gate.open()
        await pilot.pause()
        assert "Alice Anders" in str(app.screen.query_one("#brief-title", Label).render())


async def test_care_opened_after_the_user_moved_on_reads_the_book_afresh(
    app: ClientbookApp, owner: Staff
) -> None:
    """The reading that chooses the first screen is shown only by the care screen it opens at once; when it
    comes back after the user went elsewhere, care, opened later, reads what the book holds by then."""
    alice = add(owner, "Alice Anders")
    promise = PromiseDraft(client=alice.slug, what="Send the quote", due="today", made_by=owner.slug)
    add_promise(promise, actor=owner, zone="UTC")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")
        chosen = app.first_screen()  # the first screen's reading, as if it came back only now
        app._open_first(chosen)
        await pilot.pause()
        assert isinstance(app.screen, ClientsScreen), "the user's choice stands"
        add_promise(replace(promise, what="Call back"), actor=owner, zone="UTC")
        await pilot.press("f5")
        shown = " ".join(care_lines(app))
        assert "Send the quote" in shown and "Call back" in shown
