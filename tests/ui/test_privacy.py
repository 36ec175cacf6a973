"""Privacy in the TUI: a book made private on opening says so once, and a crash prints no client data (a
short message on the terminal, the traceback without the values of local variables in a private log)."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import ClassVar

import pytest
from textual import work
from textual.binding import Binding, BindingType

from clientbook.core.clients.queries import get_client
from clientbook.core.db import OpenedBook, close_database, open_database
from clientbook.core.models import Staff
from clientbook.settings import Settings
from clientbook.ui import app as app_module
from clientbook.ui.app import ClientbookApp
from tests.conftest import add
from tests.ui.conftest import SIZE

SECRET = "Alice's diagnosis: confidential"


class CrashingApp(ClientbookApp):
    """The real app, with two keys that crash while a client's notes are in a local variable."""

    CSS_PATH = str(Path(app_module.__file__).parent / "app.tcss")  # a relative path is read beside this test
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f9", "crash", "Crash"),
        Binding("f10", "crash_in_worker", "Crash in a worker"),
    ]

    def action_crash(self) -> None:
        notes = get_client(1).notes  # what Textual's traceback printed, among the locals
        raise RuntimeError(f"a bug after reading {len(notes)} characters")

    @work(thread=True)
    def action_crash_in_worker(self) -> None:
        notes = get_client(1).notes
        raise RuntimeError(f"a bug after reading {len(notes)} characters")


@pytest.mark.parametrize("key", ["f9", "f10"])
async def test_a_crash_prints_no_client_data_and_logs_no_locals(
    book: OpenedBook, owner: Staff, key: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add(owner, "Alice Anders", notes=SECRET)
    app = CrashingApp(
        settings=Settings(timezone="Europe/London", phone_region="GB"),
        location=book.location,
        user=owner,
        watch_interval=None,
    )
    previous = os.umask(0o022)
    try:
        # Re-raised by run_test (a worker's wrapped in WorkerFailed).
        with pytest.raises(Exception, match="a bug after reading"):
            async with app.run_test(size=SIZE) as pilot:
                await pilot.pause()
                await pilot.press(key)
                await pilot.pause()
                await app.workers.wait_for_complete()
                await pilot.pause()
    finally:
        os.umask(previous)
    printed = capsys.readouterr()
    log = tmp_path / "state" / "clientbook" / "crash.log"
    assert SECRET not in printed.out + printed.err
    assert "clientbook stopped after an unexpected error (RuntimeError)" in printed.err
    assert str(log) in printed.err.replace("\n", "")  # on a line of its own, folded only when too long
    written = log.read_text()
    assert "Traceback" in written and "raise RuntimeError" in written  # where, for a bug report
    assert SECRET not in written
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    assert stat.S_IMODE(log.parent.stat().st_mode) == 0o700


async def test_a_book_made_private_says_so_in_a_notice(book: OpenedBook, owner: Staff) -> None:
    close_database()
    Path(book.location).chmod(0o644)
    opened = open_database(book.location)
    notice = opened.privacy_notice()
    assert notice == f"other users could read {book.location}: now only you can"
    app = ClientbookApp(
        settings=Settings(timezone="Europe/London", phone_region="GB"),
        location=opened.location,
        user=owner,
        watch_interval=None,
        notices=(notice,),
    )
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        shown = [(n.title, n.message) for n in app._notifications]
    assert shown == [("Your book", notice)]
