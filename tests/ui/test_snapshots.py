"""Pictures of the three client screens, compared with the approved SVGs in __snapshots__/.

Regenerate after an intended change with `pytest tests/ui/test_snapshots.py --snapshot-update`, then look at
snapshot_report.html or the SVGs before committing them.
"""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from clientbook.core.db import OpenedBook
from clientbook.core.models import Staff
from clientbook.core.who import book_owner
from clientbook.demo import fill_demo_book
from tests.ui.conftest import SIZE, make_app


def demo_app(book: OpenedBook) -> Any:
    fill_demo_book(60)
    owner = book_owner()
    assert isinstance(owner, Staff)
    app = make_app(book, owner)
    app.watch_interval = None  # no background refreshes: a picture must not depend on timing
    return app


def test_client_list(book: OpenedBook, snap_compare: Any) -> None:
    assert snap_compare(demo_app(book), terminal_size=SIZE, press=["f2"])


def test_client_form_with_errors(book: OpenedBook, snap_compare: Any) -> None:
    async def fill_badly(pilot: Pilot[None]) -> None:
        await pilot.press("f2", "n")
        await pilot.pause()
        pilot.app.screen.query_one("#email", Input).value = "pat@example"
        await pilot.pause()  # the box's Changed (which clears a stale message) lands before saving
        await pilot.press("ctrl+s")
        await pilot.pause()

    assert snap_compare(demo_app(book), terminal_size=SIZE, run_before=fill_badly)


def test_client_detail(book: OpenedBook, snap_compare: Any) -> None:
    assert snap_compare(demo_app(book), terminal_size=SIZE, press=["f2", "down", "down", "enter"])


def test_log(book: OpenedBook, snap_compare: Any) -> None:
    assert snap_compare(demo_app(book), terminal_size=SIZE, press=["f3"])


def test_log_awaiting_reply(book: OpenedBook, snap_compare: Any) -> None:
    assert snap_compare(demo_app(book), terminal_size=SIZE, press=["f3", "w"])


def test_interaction_form_reading_back(book: OpenedBook, snap_compare: Any) -> None:
    async def log_a_call(pilot: Pilot[None]) -> None:
        await pilot.press("f2", "l")
        await pilot.pause()
        pilot.app.screen.query_one("#when", Input).value = "7:30"
        pilot.app.screen.query_one("#follow_up", Input).value = "fri"
        await pilot.pause()

    assert snap_compare(demo_app(book), terminal_size=SIZE, run_before=log_a_call)


def test_checklists(book: OpenedBook, snap_compare: Any) -> None:
    assert snap_compare(demo_app(book), terminal_size=SIZE, press=["f4"])


def test_checklist(book: OpenedBook, snap_compare: Any) -> None:
    assert snap_compare(demo_app(book), terminal_size=SIZE, press=["f4", "enter"])


def test_processes(book: OpenedBook, snap_compare: Any) -> None:
    assert snap_compare(demo_app(book), terminal_size=SIZE, press=["f4", "p"])


def test_care(book: OpenedBook, snap_compare: Any) -> None:
    assert snap_compare(demo_app(book), terminal_size=SIZE, press=["f5"])


def test_care_with_nothing_owed(book: OpenedBook, owner: Staff, snap_compare: Any) -> None:
    assert snap_compare(make_app(book, owner), terminal_size=SIZE, press=["f5"])


def test_brief(book: OpenedBook, snap_compare: Any) -> None:
    assert snap_compare(demo_app(book), terminal_size=SIZE, press=["f2", "b"])


# The smallest terminal every screen must serve: forms take the whole screen, labels beside their fields.
SMALL = (80, 24)


def test_client_list_80x24(book: OpenedBook, snap_compare: Any) -> None:
    assert snap_compare(demo_app(book), terminal_size=SMALL, press=["f2"])


def test_client_detail_80x24(book: OpenedBook, snap_compare: Any) -> None:
    assert snap_compare(demo_app(book), terminal_size=SMALL, press=["f2", "down", "down", "enter"])


def test_log_80x24(book: OpenedBook, snap_compare: Any) -> None:
    assert snap_compare(demo_app(book), terminal_size=SMALL, press=["f3", "w"])


def test_care_80x24(book: OpenedBook, snap_compare: Any) -> None:
    assert snap_compare(demo_app(book), terminal_size=SMALL, press=["f5"])


def test_checklists_80x24(book: OpenedBook, snap_compare: Any) -> None:
    assert snap_compare(demo_app(book), terminal_size=SMALL, press=["f4"])


def test_client_form_80x24(book: OpenedBook, snap_compare: Any) -> None:
    async def fill_badly(pilot: Pilot[None]) -> None:
        await pilot.press("f2", "n")
        await pilot.pause()
        pilot.app.screen.query_one("#email", Input).value = "pat@example"
        await pilot.pause()  # the box's Changed (which clears a stale message) lands before saving
        await pilot.press("ctrl+s")
        await pilot.pause()

    assert snap_compare(demo_app(book), terminal_size=SMALL, run_before=fill_badly)


def test_interaction_form_80x24(book: OpenedBook, snap_compare: Any) -> None:
    async def log_a_call(pilot: Pilot[None]) -> None:
        await pilot.press("f2", "l")
        await pilot.pause()
        pilot.app.screen.query_one("#when", Input).value = "7:30"
        await pilot.pause()

    assert snap_compare(demo_app(book), terminal_size=SMALL, run_before=log_a_call)
