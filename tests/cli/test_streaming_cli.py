"""Lists stream: each is read from the book a page at a time and written as it is read, in the same text a
list held whole would give; and a command imports only its own part of clientbook.

The lists are checked against the reads the screens make (`client_page`, `interaction_page`,
`checklist_page`), asked for every row at once, and their lengths against SQLite itself, over a book with
more rows than one page of the CLI's lists.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from clientbook.cli.log_commands import row_json
from clientbook.cli.main import COMMANDS, build_parser
from clientbook.cli.output import PAGE
from clientbook.core import clock
from clientbook.core.clients import queries
from clientbook.core.clients.queries import ClientFilter, client_page
from clientbook.core.dates import iso_utc
from clientbook.core.db import close_database, open_database
from clientbook.core.log.queries import (
    InteractionFilter,
    count_interactions,
    interaction_details,
    interaction_page,
)
from clientbook.core.processes.queries import ChecklistFilter, checklist_page, count_checklists
from clientbook.demo import fill_demo_book
from tests.cli.conftest import run
from tests.conftest import FROZEN

CLIENTS = 2_200
"""More than two pages of the CLI's lists."""
INTERACTIONS = 2_400


@pytest.fixture(scope="module")
def big_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo book (organisations with contact people, archived clients, checklists, messages awaiting a
    reply) with more clients and interactions than one page; made once, and only read by the tests."""
    assert CLIENTS > 2 * PAGE and INTERACTIONS > 2 * PAGE
    path = tmp_path_factory.mktemp("big") / "book.db"
    clock.freeze(FROZEN)
    try:
        open_database(path)
        fill_demo_book(CLIENTS, interactions=INTERACTIONS)
    finally:
        close_database()
        clock.freeze(None)
    return path


@pytest.fixture
def book(big_book: Path) -> Iterator[str]:
    yield str(big_book)
    close_database()


def in_book(path: str, sql: str) -> int:
    """One number, asked of SQLite directly."""
    return int(sqlite3.connect(path).execute(sql).fetchone()[0])


def screen_clients(path: str, flt: ClientFilter) -> list[dict[str, Any]]:
    """The clients as the list screen reads them, every row in one read, in `client list --json`'s terms."""
    open_database(path)
    rows = client_page(flt, offset=0, limit=in_book(path, "SELECT COUNT(*) FROM client") + 1)
    close_database()
    return [
        {
            "slug": r.slug,
            "name": r.name,
            "company": r.company,
            "stage": r.stage,
            "point_person": r.point_person,
            "last_contact_at": iso_utc(r.last_contact_at),
            "reach": r.reach,
            "archived": r.archived,
        }
        for r in rows
    ]


@pytest.mark.parametrize("archived", [False, True])
def test_the_client_list_streams_every_client_as_one_json_array(
    book: str, capsys: pytest.CaptureFixture[str], archived: bool
) -> None:
    code, out, err = run(capsys, "--db", book, "client", "list", "--json", *(["--archived"] * archived))
    assert (code, err) == (0, "")
    listed = json.loads(out)
    where = "" if archived else " WHERE archived_at IS NULL"
    current = in_book(book, "SELECT COUNT(*) FROM client" + where)
    assert len(listed) == current > 2 * PAGE
    assert listed == screen_clients(book, ClientFilter(include_archived=archived))
    assert any(row["archived"] for row in listed) is archived
    assert any(row["reach"] and "@" in row["reach"] for row in listed)


@pytest.mark.parametrize("few", [2_000, 1], ids=["from the search index", "along the sort index"])
@pytest.mark.parametrize("kind", ["two letters", "a word", "a word and a company", "a word and two letters"])
def test_a_search_streams_what_it_matches(
    book: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, kind: str, few: int
) -> None:
    """Whichever way the list is read (a search with fewer matches than `SELECTIVE` is read from the search
    index), it holds what the screens' read holds."""
    monkeypatch.setattr(queries, "SELECTIVE", few)
    # Terms taken from the book, so that each finds someone whatever the demo's names.
    name, company = (
        sqlite3.connect(book)
        .execute(
            "SELECT name, company FROM client WHERE company != '' AND archived_at IS NULL ORDER BY id LIMIT 1"
        )
        .fetchone()
    )
    word = max(name.split(), key=len)
    search = {
        "two letters": name[:2],
        "a word": word,
        "a word and a company": f"{name.split()[0]} {max(company.split(), key=len)}",
        "a word and two letters": f"{word} {name.split()[0][:2]}",
    }[kind]
    code, out, _ = run(capsys, "--db", book, "client", "list", "--json", "--search", search)
    assert code == 0
    assert json.loads(out) == screen_clients(book, ClientFilter(search=search)) != []
    code, out, _ = run(capsys, "--db", book, "client", "list", "--json", "--search", "no such client")
    assert (code, out) == (0, "[]\n")


@pytest.mark.parametrize("awaiting", [False, True])
def test_the_log_streams_every_interaction_with_its_details(
    book: str, capsys: pytest.CaptureFixture[str], awaiting: bool
) -> None:
    code, out, _ = run(capsys, "--db", book, "log", "list", "--json", *(["--awaiting-reply"] * awaiting))
    assert code == 0
    listed = json.loads(out)
    open_database(book)
    flt = InteractionFilter(awaiting_only=awaiting, zone="UTC")
    rows = interaction_page(flt, offset=0, limit=count_interactions(flt) + 1)
    details = interaction_details([row.id for row in rows])
    close_database()
    assert listed == [row_json(row, details.get(row.id, ""), FROZEN) for row in rows]
    assert awaiting or any(row["details"] for row in listed)
    only = " WHERE awaiting" if awaiting else ""
    assert len(listed) == in_book(book, "SELECT COUNT(*) FROM interaction" + only)
    assert awaiting or len(listed) > 2 * PAGE


def test_the_checklists_stream_in_the_screens_order(book: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--db", book, "checklist", "list", "--json")
    assert code == 0
    open_database(book)
    flt = ChecklistFilter()
    expected = checklist_page(flt, offset=0, limit=count_checklists(flt) + 1)
    close_database()
    assert (
        [(r["id"], r["next_due"]) for r in json.loads(out)]
        == [(row.id, row.next_due.isoformat() if row.next_due else None) for row in expected]
        != []
    )


def test_a_long_table_sizes_its_columns_on_the_first_page(
    book: str, capsys: pytest.CaptureFixture[str]
) -> None:
    slugs = [row["slug"] for row in json.loads(run(capsys, "--db", book, "client", "list", "--json")[1])]
    code, out, _ = run(capsys, "--db", book, "client", "list")
    lines = out.splitlines()
    assert code == 0 and len(lines) == len(slugs) + 1
    assert [line.split()[0] for line in lines[1:]] == slugs
    width = max(len(slug) for slug in ["SLUG", *slugs[:PAGE]])
    assert lines[0].index("NAME") == width + 2
    # Every line that fits the first page's widths is aligned with the header.
    assert all(line[width : width + 2] == "  " for line in lines[1:] if len(line.split()[0]) <= width)


def test_a_short_table_is_aligned_as_before(book_with_alice: str, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "client", "add", "--name", "Bo", "--phone", "+44 20 7946 0958")
    run(capsys, "client", "add", "--name", "Okafor & Co", "--contact", "Dalia Okafor;;dalia@okafor.example")
    code, out, _ = run(capsys, "client", "list")
    assert (code, out) == (
        0,
        "SLUG          NAME          STAGE  POINT-PERSON  LAST CONTACT  REACH\n"
        "alice-anders  Alice Anders  lead   Pat Owner     never         alice@x.com\n"
        "bo            Bo            lead   Pat Owner     never         +44 20 7946 0958\n"
        "okafor-co     Okafor & Co   lead   Pat Owner     never         dalia@okafor.example\n",
    )
    assert run(capsys, "staff", "list")[1] == "SLUG       NAME\npat-owner  Pat Owner\n"
    assert run(capsys, "client", "list", "--json", "--search", "nobody")[1] == "[]\n"


def clientbook(*args: str) -> subprocess.Popen[bytes]:
    """`clientbook ARGS` in a child process, its stdout a pipe, its stdout buffered as in a real shell."""
    env = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
    command = [sys.executable, "-m", "clientbook", *args]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)


@pytest.mark.parametrize("command", [["client", "list", "--json"], ["log", "list"]])
def test_a_reader_that_stops_reading_ends_the_list_quietly(book: str, command: list[str]) -> None:
    """`clientbook ... | head`: the pipe closes mid-list; no traceback, no message, exit 0."""
    listing = clientbook("--db", book, *command)
    assert listing.stdout is not None and listing.stderr is not None
    assert len(listing.stdout.read(4096)) == 4096
    listing.stdout.close()
    err = listing.stderr.read()
    assert (listing.wait(timeout=60), err) == (0, b"")


@pytest.mark.parametrize("command", [["staff", "list"], ["--help"]])
def test_output_into_a_pipe_already_closed_ends_quietly(book: str, command: list[str]) -> None:
    """`clientbook staff list | true`: all of it waits in stdout's buffer, which Python flushed only at exit,
    into the closed pipe (it printed `Exception ignored ... BrokenPipeError` and exited 120)."""
    listing = clientbook("--db", book, *command)
    assert listing.stdout is not None and listing.stderr is not None
    listing.stdout.close()
    err = listing.stderr.read()
    assert (listing.wait(timeout=60), err) == (0, b"")


# Start-up: the parser and what a command imports ----------------------------------------------------------

EVERY_COMMAND = [
    "client", "log", "process", "checklist", "today", "brief", "promise", "concern", "keydate", "staff",
    "demo", "bench", "undo", "history",
]  # fmt: skip


def test_help_lists_every_command_and_each_commands_help_works(capsys: pytest.CaptureFixture[str]) -> None:
    assert [command.name for command in COMMANDS] == EVERY_COMMAND
    code, out, _ = run(capsys, "--help")
    words = " ".join(out.split())
    usage = "usage: clientbook [-h] [--version] [--db PATH_OR_URL] [--as SLUG] [--owner NAME] COMMAND"
    assert code == 0 and usage in words
    for command in COMMANDS:
        assert f"\n    {command.name} " in out and " ".join(command.help.split()) in words
        code, out_of_command, _ = run(capsys, command.name, "--help")
        assert code == 0 and out_of_command.startswith(f"usage: clientbook {command.name} ")


def test_the_top_level_is_the_same_whichever_command_is_built() -> None:
    """So the first pass over the arguments (only the top level) ends a run exactly as the second would."""
    top = build_parser().format_help()
    assert all(build_parser(name).format_help() == top for name in EVERY_COMMAND)


def imported_by(*args: str) -> set[str]:
    """The modules a fresh interpreter holds after importing the CLI and running `clientbook ARGS` in it."""
    code = (
        "import sys, io, contextlib\n"
        "import clientbook.cli.main\n"
        "before = set(sys.modules)\n"
        "from clientbook.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    code = main({list(args)!r})\n"
        "assert code in (0, 1), code\n"
        "print(' '.join(sorted(before)))\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    before, after = done.stdout.splitlines()
    assert "peewee" not in before.split() and "clientbook.core.db" not in before.split()
    assert not {"textual", "rich"} & {name.split(".")[0] for name in before.split()}
    return set(after.split())


COMMAND_MODULES = {
    "clientbook.cli." + module
    for module in ("client_commands", "log_commands", "process_commands", "today_commands", "brief_command",
                   "care_commands", "staff_commands", "demo_command", "correction_commands")
}  # fmt: skip


@pytest.mark.parametrize(
    ("args", "group"),
    [
        (["client", "list", "--search", "an"], "clientbook.cli.client_commands"),
        (["today", "--json"], "clientbook.cli.today_commands"),
        (["log", "list"], "clientbook.cli.log_commands"),
    ],
)
def test_a_command_imports_only_its_own_group_and_never_the_ui(
    big_book: Path, args: list[str], group: str
) -> None:
    loaded = imported_by("--db", str(big_book), *args)
    assert loaded & COMMAND_MODULES == {group}
    assert not {"textual", "rich"} & {name.split(".")[0] for name in loaded}
    assert not any(name.startswith("clientbook.ui") for name in loaded)
    # Reading checks no email or phone number: their libraries are the slowest imports after peewee.
    assert not {"email_validator", "phonenumbers"} & loaded


@pytest.mark.parametrize(
    "args", [["today", "--json"], ["client", "list", "--search", "an", "--json"], ["client", "list"]]
)
def test_reads_scripts_run_most_load_no_peewee(big_book: Path, args: list[str]) -> None:
    """`today` and `client list` run in plain SQL on a book that opens as it is (peewee's import was 60 ms of
    their 150 ms budget)."""
    loaded = imported_by("--db", str(big_book), *args)
    assert (
        not {"peewee", "clientbook.core.db", "clientbook.core.models", "clientbook.core.clients.queries"}
        & loaded
    )


def test_today_on_a_new_book_still_gets_its_first_run(tmp_path: Path) -> None:
    """A new book takes the careful way, which creates it and its owner; the next run needs it no more."""
    new = tmp_path / "new.db"
    loaded = imported_by("--db", str(new), "--owner", "Pat Owner", "today")
    assert "peewee" in loaded and new.exists()
    assert imported_by("--db", str(new), "--owner", "pat", "today", "--mine") & {"peewee"} == set()


def test_help_imports_no_command_group() -> None:
    code = "import sys, clientbook.cli\nclientbook.cli.main(['--help'])\nprint(*sorted(sys.modules))\n"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(done.stdout.split("\n")[-2].split())
    assert not loaded & COMMAND_MODULES and "peewee" not in loaded
