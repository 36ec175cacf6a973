"""The harness for the CLI's property tests: the real `clientbook.cli.main([...])`, in process, over one book
per test function, with every outcome checked against the CLI's promise.

The only outcomes allowed for any input:

- exit 0 (and, for `today`, 1): the test then reads the value back and compares it with what was given;
- exit 2: one `field: message` line per problem on stderr (or argparse's usage and one `error:` line), and
  nothing written: no row of any table inserted, updated or deleted (counted by triggers, see
  :func:`count_writes`).

Never an exception out of `main`, never exit 3, never a traceback or a raw control character on stderr, and
never a transaction left open. Each example is cheap: each command's parser is built once (building them is
most of what `main` costs before the command runs) and the book is opened once, not per call (~4 ms); `main`
still runs in full.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import re
import sqlite3
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Final, Literal, cast
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, currently_in_test_context, event, note, settings
from hypothesis import strategies as st

from clientbook.cli import main
from clientbook.cli import running as cli_running
from clientbook.core import db as core_db
from clientbook.core.dates import DateProblem, Prefer, parse_day, parse_moment
from clientbook.core.db import OpenedBook, open_database
from clientbook.core.text import multi_line, single_line
from clientbook.core.validation import visible
from tests.conftest import FROZEN
from tests.strategies import examples

cli_main = sys.modules["clientbook.cli.main"]

PROPERTIES: Final = settings(
    max_examples=examples(1000),
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # one book per test function, reused by every example
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)
"""Settings for a property over one command: 1,000 examples in CI (derandomized by the profile)."""

# `name: required`, `contacts.2.email: ...`, `steps.1.due-days: ...`, `clientbook: ...`
FIELD_LINE: Final = re.compile(r"[a-z][a-z0-9]*(?:[._-][a-z0-9]+)*: \S.*")
ARGPARSE_ERROR: Final = re.compile(r"clientbook(?: [a-z]+)*: error: \S.*")


def printable(text: str) -> bool:
    """Whether `text` holds nothing a terminal acts on or hides: only printable characters and newlines."""
    return all(ch == "\n" or ch.isprintable() for ch in text)


def cut(args: Sequence[str]) -> list[str]:
    """`args` for a failure message: long values cut (an example may hold 60,000 characters)."""
    return [arg if len(arg) <= 80 else f"{arg[:60]!r}... ({len(arg):,} characters)" for arg in args]


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str
    args: tuple[str, ...]
    wrote: bool
    """Whether any row of the book changed."""

    @property
    def helped(self) -> bool:
        """Whether argparse printed help (`-h` or `--help`, however abbreviated, where an option may be)."""
        return self.code == 0 and self.out.startswith("usage: ")

    @property
    def saved(self) -> bool:
        """Whether the command ran and did what it was asked (not help)."""
        return self.code == 0 and not self.helped

    def json(self) -> Any:
        assert self.saved, (cut(self.args), self.err)
        return json.loads(self.out)

    def names(self, *fields: str) -> bool:
        """Whether stderr names one of `fields`: `field:` at a line's start, or `--option:` in argparse's."""
        lines = self.err.splitlines()
        return any(
            line.startswith(f"{name}: ") or f"error: {name}: " in line or f"argument {name}: " in line
            for line in lines
            for name in fields
        )


@dataclass
class PropertyCLI:
    """`clientbook` run in this process on one book; remembers what the properties need between examples."""

    book: OpenedBook
    path: Path
    tmp: Path
    ids: dict[str, list[int]] = field(default_factory=dict)
    """Ids of records made by the test (interaction, promise, concern, keydate, checklist), for commands
    that take one."""
    runs: int = 0

    def __call__(self, *args: str, allow: Iterable[int] = (0, 2)) -> Result:
        """Run `clientbook ARGS`; checks every outcome rule, and that the exit status is one of `allow`."""
        connection = sqlite_connection(self.book)
        before = self.writes()
        out, err = io.StringIO(), io.StringIO()
        stdin, sys.stdin = sys.stdin, io.StringIO()  # no terminal: deletions need --yes
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = main(list(args))
        except KeyboardInterrupt:
            raise
        except BaseException as error:
            raise AssertionError(f"an exception escaped main({cut(args)})") from error
        finally:
            sys.stdin = stdin
        self.runs += 1
        assert sqlite_connection(self.book) is connection, "main closed or replaced the book's connection"
        result = Result(code, out.getvalue(), err.getvalue(), tuple(args), self.writes() != before)
        if currently_in_test_context():
            note(f"clientbook {cut(args)} -> {code}; stderr {result.err[:300]!r}")
        self._check(result, set(allow), connection.in_transaction)
        return result

    def _check(self, result: Result, allow: set[int], in_transaction: bool) -> None:
        where = (cut(result.args), result.code, result.err[:500])
        assert not in_transaction and not self.book.db.in_transaction(), ("transaction left open", *where)
        assert "Traceback" not in result.err, where
        assert printable(result.err), ("raw control characters on stderr", *where)
        assert result.code != 3, ("exit 3 (a database problem) for input", *where)
        assert result.code in allow, ("unexpected exit status", *where)
        if result.helped:
            assert not result.wrote, ("help wrote to the book", *where)
        if result.code != 2:
            return
        assert not result.wrote, ("refused, yet rows were written", *where)
        assert result.out == "", ("refused, yet printed on stdout", *where)
        lines = result.err.splitlines()
        assert lines, ("exit 2 with nothing on stderr", *where)
        if lines[0].startswith("usage: "):
            assert ARGPARSE_ERROR.fullmatch(lines[-1]), where
            assert all(line.startswith(("usage: ", " ")) for line in lines[:-1]), where
        else:
            assert all(FIELD_LINE.fullmatch(line) for line in lines), ("not `field: message` lines", *where)

    def writes(self) -> int:
        """How many rows committed statements have inserted, updated or deleted (see :func:`count_writes`)."""
        return int(sqlite_connection(self.book).execute("SELECT n FROM temp.property_writes").fetchone()[0])

    def ok(self, *args: str) -> Result:
        """Run a command that must succeed (the test's own setup and read-backs)."""
        return self(*args, allow=(0,))

    def remember(self, kind: str, ident: int) -> None:
        self.ids.setdefault(kind, []).append(ident)


def open_property_book(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> PropertyCLI:
    """A new book (owner Pat Owner, staff Sam Rivera) with the user's settings in Europe/London and GB, opened
    once: `main` is handed it instead of opening the file again, and its `finally` leaves it open."""
    settings_file = tmp_path / "settings.toml"
    settings_file.write_text('timezone = "Europe/London"\nphone_region = "GB"\n', encoding="utf-8")
    path = tmp_path / "book.db"
    monkeypatch.setenv("CLIENTBOOK_SETTINGS", str(settings_file))
    monkeypatch.setenv("CLIENTBOOK_DB", str(path))
    monkeypatch.setattr(cli_main, "build_parser", functools.cache(cli_main.build_parser))
    book = open_database(path)
    # The commands import these from the core when they run (see `clientbook.cli.running`), so the core's are
    # replaced; the plain-SQL route is closed, so that `today` too reads through this one connection.
    monkeypatch.setattr(core_db, "open_database", lambda *_args, **_kwargs: book)
    monkeypatch.setattr(core_db, "close_database", lambda: None)
    monkeypatch.setattr(cli_running, "open_plain", lambda *_args, **_kwargs: None)
    count_writes(book)
    cli = PropertyCLI(book=book, path=path, tmp=tmp_path)
    cli.ok("--owner", "Pat Owner", "client", "add", "--name", "Alice Anders", "--email", "alice@x.com")
    cli.ok("staff", "add", "Sam Rivera")
    return cli


def sqlite_connection(book: OpenedBook) -> sqlite3.Connection:
    """The book's connection for this thread (peewee's `connection()` is untyped)."""
    return cast("sqlite3.Connection", book.db.connection())  # type: ignore[no-untyped-call]


def count_writes(book: OpenedBook) -> None:
    """Count every row written to the book's tables, on this connection, in a TEMP table kept by TEMP
    triggers. The count is part of each transaction, so a write rolled back is uncounted with it: unlike
    SQLite's `total_changes`, it tells a refusal that wrote nothing (a change set begun, then rolled back)
    from one that left something behind."""
    connection = sqlite_connection(book)
    connection.execute("CREATE TEMP TABLE property_writes (n INTEGER NOT NULL)")
    connection.execute("INSERT INTO temp.property_writes VALUES (0)")
    tables = [
        name
        for (name,) in connection.execute(
            "SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND sql NOT LIKE 'CREATE VIRTUAL%'"
        )
    ]
    virtual = [
        name
        for (name,) in connection.execute(
            "SELECT name FROM main.sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL%'"
        )
    ]
    for table in tables:
        if any(table.startswith(f"{name}_") for name in virtual):
            continue  # an FTS index's own tables, written by SQLite for the table it indexes
        for statement in ("INSERT", "UPDATE", "DELETE"):
            connection.execute(
                f'CREATE TEMP TRIGGER "count_{statement}_{table}" AFTER {statement} ON main."{table}" '
                "BEGIN UPDATE property_writes SET n = n + 1; END"
            )


# The book's people, and references that name each of them (by slug, prefix, or name in any case).
STAFF: Final = {
    "pat-owner": "pat-owner",
    "pat": "pat-owner",
    "Sam Rivera": "sam-rivera",
    "SAM": "sam-rivera",
    "sam-rivera": "sam-rivera",
    "s": "sam-rivera",
}
STAFF_NAMES: Final = {"pat-owner": "Pat Owner", "sam-rivera": "Sam Rivera"}


def from_pool(pool: Sequence[str], hostile: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Half the time one of the `pool`'s values, half the time `hostile` text."""
    return st.one_of(st.sampled_from(pool), hostile)


# Dates, read as the README documents: the one strict reader, in the user's zone, at the frozen now -------

ZONE: Final = "Europe/London"
FUTURE_SKEW: Final = timedelta(minutes=5)


def read_moment(raw: str) -> datetime | None:
    """The instant `--at RAW` means for an interaction (a past or present time), or None if refused."""
    try:
        moment = parse_moment(raw, zone=ZONE, now=FROZEN, prefer="past")
    except DateProblem:
        return None
    return moment if moment <= FROZEN + FUTURE_SKEW else None


def read_day(raw: str, *, prefer: Prefer = "future") -> date | None:
    """The day `--due RAW` (`--on`, `--follow-up`...) means, or None if refused."""
    try:
        return parse_day(raw, zone=ZONE, now=FROZEN, prefer=prefer)
    except DateProblem:
        return None


def today() -> date:
    return FROZEN.astimezone(ZoneInfo(ZONE)).date()


# Options and the cleaning each field documents --------------------------------------------------------

Form = Literal["=", " ", "absent"]


def option(name: str, value: str | None, form: Form = "=") -> list[str]:
    """`--name=value` or `--name value` (which argparse refuses when the value looks like an option)."""
    if value is None or form == "absent":
        return []
    return [f"{name}={value}"] if form == "=" else [name, value]


def as_id(text: str) -> int | None:
    """`text` as an id argument reads it (`int()`, which takes ` 2 `, `1_0` and `٣`), or None."""
    try:
        return int(text)
    except ValueError:
        return None


def decodes(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


BIDI: Final = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def controls(text: str, *, multi: bool) -> bool:
    """Whether cleaned `text` holds what every text field refuses: C0/C1 controls (line breaks and tabs
    only in multi-line fields) and bidirectional overrides and isolates."""
    import unicodedata

    return any(
        (unicodedata.category(ch) in ("Cc", "Cs") and not (multi and ch in "\n\t")) or ch in BIDI
        for ch in text
    )


Verdict = Literal["refuse", "accept", "either"]


@dataclass(frozen=True)
class TextField:
    """A text field as the README documents it: cleaned (one line: NFC, trimmed, inner white space to one
    space; multi-line: NFC, line endings unified, lines right-trimmed), then checked (required, limit, no
    controls)."""

    names: tuple[str, ...]
    """How stderr names the field: its core name (`name`) and its option (`--name`) or metavar."""
    limit: int
    required: bool = False
    multi: bool = False

    def clean(self, raw: str) -> str:
        return multi_line(raw) if self.multi else single_line(raw)

    def verdict(self, raw: str | None) -> Verdict:
        if raw is None:
            return "accept"
        if not decodes(raw):
            return "refuse"
        value = self.clean(raw)
        if controls(value, multi=self.multi) or len(value) > self.limit:
            return "refuse"
        if self.required and not visible(value):
            return "refuse"  # a required field must show something (the core's `visible` says what does)
        return "accept"


def combine(verdicts: Iterable[Verdict]) -> Verdict:
    found = set(verdicts)
    if "refuse" in found:
        return "refuse"
    return "either" if "either" in found else "accept"


def expect(result: Result, verdict: Verdict, refusing: Sequence[str] = ()) -> bool:
    """Check `result` against what the fields' verdicts foretold; True when it was saved (exit 0)."""
    where = (cut(result.args), result.code, result.err[:500])
    event(f"foretold {verdict}: {'saved' if result.saved else 'help' if result.helped else 'refused'}")
    if result.helped:
        # `-h` (or `--he`...) where argparse looks for an option prints help, whatever else was given.
        assert any(arg == "-h" or arg.startswith("--h") for arg in result.args), ("help unasked", *where)
        return False
    if verdict == "refuse":
        assert result.code == 2, ("should have been refused", *where)
        if refusing and not result.err.startswith("usage: "):
            assert result.names(*refusing) or "not valid text" in result.err, (
                "refusal names no field",
                *where,
            )
    elif verdict == "accept":
        assert result.saved, ("should have been saved", *where)
    return result.saved
