"""End to end: the real `clientbook` in a real terminal (tmux), driven by keys, read off the screen."""

from __future__ import annotations

import os
import shlex
import shutil
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]
ROOT = Path(__file__).resolve().parents[2]


class Terminal:
    def __init__(self, session: str) -> None:
        self.session = session

    def screen(self) -> str:
        return subprocess.run(
            ["tmux", "capture-pane", "-p", "-t", self.session], capture_output=True, text=True, check=True
        ).stdout

    def keys(self, *keys: str) -> None:
        # One key at a time with a pause, as a person types: a burst can reach the app as one read.
        for key in keys:
            subprocess.run(["tmux", "send-keys", "-t", self.session, key], check=True)
            time.sleep(0.15)

    def type(self, text: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.session, "-l", text], check=True)
        time.sleep(0.3)

    def wait_for(self, text: str, timeout: float = 15.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared; the screen was:\n{self.screen()}")

    def wait_until_gone(self, text: str, timeout: float = 15.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text not in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never went; the screen was:\n{self.screen()}")


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[tuple[Terminal, Path]]:
    book = tmp_path / "book.db"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CLIENTBOOK_DB": str(book), "TERM": "xterm-256color"}
    cli = [sys.executable, "-m", "clientbook", "--owner", "Pat Owner"]
    subprocess.run(
        [*cli, "client", "add", "--name", "Alice Anders", "--email", "alice@anders.example"],
        env=env,
        check=True,
        capture_output=True,
    )
    session = f"clientbook-e2e-{uuid.uuid4().hex[:8]}"
    command = " ".join(shlex.quote(part) for part in cli)
    subprocess.run(
        [
            "tmux",
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-s",
            session,
            "-x",
            "120",
            "-y",
            "40",
            "-e",
            f"PYTHONPATH={ROOT}",
            "-e",
            f"CLIENTBOOK_DB={book}",
            "-e",
            "TERM=xterm-256color",
            "-e",
            f"XDG_CONFIG_HOME={env['XDG_CONFIG_HOME']}",
            f"{command}; sleep 5",
        ],
        check=True,
    )
    # A server started earlier may impose its own default size; the test's terminal is 120x40 regardless.
    subprocess.run(["tmux", "resize-window", "-t", session, "-x", "120", "-y", "40"], check=False)
    try:
        yield Terminal(session), book
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], check=False, capture_output=True)


def test_add_a_client_by_keyboard_in_a_real_terminal(terminal: tuple[Terminal, Path]) -> None:
    term, book = terminal
    term.wait_for("Alice Anders")  # keys sent before the first screen would be cooked by the terminal
    term.keys("n")
    term.wait_for("New client")
    term.keys("C-s")
    term.wait_for("nothing saved")
    term.type("Zoë Núñez")
    term.keys(*["Tab"] * 5)
    term.type("zoe@example.com")
    term.keys("C-s")
    # The list behind the form is read again as the save lands: wait for the form to close, as a person
    # would, before typing into the list's search box.
    term.wait_for("2 clients")
    term.wait_until_gone("New client")
    screen = term.wait_for("n New")  # the list's own keys in the footer: the list has the focus again
    assert "Zoë Núñez" in screen
    term.keys("/")
    term.type("zoe")
    screen = term.wait_for('1 of 2 match "zoe"')
    assert "Alice Anders" not in screen
    term.keys("C-q")
    rows = sqlite3.connect(book).execute("SELECT slug, email FROM client ORDER BY slug").fetchall()
    assert rows == [("alice-anders", "alice@anders.example"), ("zoe-nunez", "zoe@example.com")]
