"""What the CLI tests share: running `clientbook` in-process, and a real book holding one client."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from clientbook.cli import main
from clientbook.core.db import close_database
from tests.cli.harness import PropertyCLI, open_property_book


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run `clientbook ARGS` in this process; returns (exit status, stdout, stderr)."""
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def book_with_alice(
    book_target: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Iterator[str]:
    """A book (where it is, in CLIENTBOOK_DB: a file, or a PostgreSQL URL) owned by Pat Owner, with one
    client: Alice Anders."""
    monkeypatch.setenv("CLIENTBOOK_DB", book_target)
    main(["--owner", "Pat Owner", "client", "add", "--name", "Alice Anders", "--email", "alice@x.com"])
    capsys.readouterr()
    yield book_target
    close_database()


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[PropertyCLI]:
    """For the property tests: `clientbook` in process over one book, opened once for the test function."""
    yield open_property_book(tmp_path, monkeypatch)
    close_database()
