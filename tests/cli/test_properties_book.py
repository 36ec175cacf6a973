"""Properties of `undo`, `history`, `today` and `brief`: over a book holding any text that can be stored.

`undo` must take back exactly what an accepted write did: every row of the data tables is as it was
before the write (the history tables keep both, as they should). `history`, `today` and `brief` read a
book whose clients, log, promises, concerns, key dates and checklists hold odd but storable text (joiners,
combining marks, right-to-left letters, markup-like brackets, emoji, text at its length limit) and must
never fail, whatever reference, flag or limit they are given.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any, Final

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from tests.cli.harness import PROPERTIES, PropertyCLI, as_id, expect, sqlite_connection
from tests.strategies import FRIENDLY, dates, hostile_text, plain_text, record_ids, weighted

pytestmark = pytest.mark.properties

# Characters every text field keeps: format characters that are not bidi controls, marks, markup and
# shell characters. Joined to letters, so that each text shows something.
ODD: Final = "\u200b\u200c\u200d\u2060\u00ad\ufeff\u034f\u0301\u20dd\u2028[]{}<>%$\\'\"&;|*_`~#"
storable_char = st.sampled_from(FRIENDLY + ODD)
storable = st.builds(
    lambda head, text: head + text, st.sampled_from("AbЖש日é9"), st.text(storable_char, max_size=60)
)
"""One-line text that every field accepts (after cleaning), however odd it looks."""
markup = st.sampled_from(
    ["[bold]x[/bold]", "[red]", "[/]", "[link=http://x]y[/link]", "\\[escaped]", "[[", "]]"]
)
odd_text = weighted((4, storable), (1, markup), (1, st.builds(lambda n: "Ω" * n, st.integers(1, 300))))

DATA_TABLES: Final = (
    "staff",
    "client",
    "contact_person",
    "interaction",
    "process",
    "process_version",
    "process_step",
    "checklist",
    "checklist_step",
    "promise",
    "concern",
    "key_date",
    "setting",
    "channel",
)
"""Every table that holds the book's records (not its history, its search indexes or its schema)."""


def rows(cli: PropertyCLI) -> dict[str, list[tuple[Any, ...]]]:
    connection: sqlite3.Connection = sqlite_connection(cli.book)
    return {
        table: connection.execute(f'SELECT * FROM "{table}" ORDER BY rowid').fetchall()
        for table in DATA_TABLES
    }


def _text(value: str, *, given_as: str) -> list[str]:
    return [f"--{given_as}={value}"]


WRITE_TEXTS = weighted((4, odd_text), (1, hostile_text()))
WRITE_DAYS = weighted(
    (3, st.sampled_from(["today", "tomorrow", "fri", "2026-11-20", "in 3 days"])), (1, dates)
)


@st.composite
def writes(draw: st.DrawFn) -> list[str]:
    """One command that writes, with odd text (mostly accepted) or hostile text (mostly refused)."""
    text = draw(WRITE_TEXTS)
    day = draw(WRITE_DAYS)
    kind = draw(
        st.sampled_from(
            [
                "client edit",
                "client add",
                "client archive",
                "log add",
                "promise add",
                "concern add",
                "keydate add",
                "checklist start",
                "checklist tick",
                "staff add",
                "promise keep",
                "concern ack",
                "log delete",
            ]
        )
    )
    number = draw(st.integers(1, 4))
    commands: dict[str, list[str]] = {
        "client edit": [
            "client",
            "edit",
            "alice-anders",
            *_text(
                text,
                given_as=draw(
                    st.sampled_from(
                        ["name", "company", "notes", "tags", "phone", "email", "stage", "timezone"]
                    )
                ),
            ),
        ],
        "client add": [
            "client",
            "add",
            f"--name={text}",
            f"--email=odd{number}@example.com",
            "--allow-duplicate",
        ],
        "client archive": ["client", draw(st.sampled_from(["archive", "unarchive"])), "alice-anders"],
        "log add": [
            "log",
            "add",
            "alice",
            "--channel=email",
            f"--direction={draw(st.sampled_from(['inbound', 'outbound', 'internal']))}",
            f"--summary={text}",
            f"--details={text}",
            f"--follow-up={day}",
        ],
        "promise add": ["promise", "add", f"--due={day}", "--", "alice", text],
        "concern add": ["concern", "add", "--severity=high", "--", "alice", text],
        "keydate add": ["keydate", "add", f"--on={day}", "--", "alice", text],
        "checklist start": ["checklist", "start", "--again", f"--on={day}", "alice", "post-sale-care"],
        "checklist tick": ["checklist", "tick", f"--note={text}", "alice", "post-sale-care", str(number)],
        "staff add": ["staff", "add", "--", text],
        "promise keep": ["promise", draw(st.sampled_from(["keep", "break"])), str(number)],
        "concern ack": ["concern", "ack", "--apology", f"--remedy={text}", str(number)],
        "log delete": ["log", "delete", "--yes", str(number)],
    }
    return commands[kind]


@pytest.fixture
def odd_book(cli: PropertyCLI) -> PropertyCLI:
    """The property book with records of every kind for Alice, holding odd text."""
    cli.ok(
        "client",
        "edit",
        "alice",
        "--company=[bold]Anders[/] & Co",
        "--tags=vip,\u200dx,שלום",
        "--notes=Line one\n[red]two[/]\n\u05e9\u05dc\u05d5\u05dd \U0001f469\u200d\U0001f467",
        "--phone=020 7946 0018",
        "--timezone=America/New_York",
    )
    for number in range(1, 4):
        cli.ok(
            "log",
            "add",
            "alice",
            "--channel=call",
            "--direction=inbound",
            f"--summary=Called [b]{number}[/b]",
            "--at=2026-11-20 10:00",
            "--follow-up=2026-11-21",
        )
        cli.ok("promise", "add", "--due=2026-11-22", "--", "alice", f"Send \u0301 it {number}")
        cli.ok("concern", "add", "--severity=high", "--", "alice", f"Late\nagain {number} \u200d")
        cli.ok("keydate", "add", "--on=in 3 days", "--", "alice", f"Renewal {number} 👩\u200d👧")
    cli.ok("checklist", "start", "alice", "post-sale-care", "--on=2026-11-01")
    return cli


SOMETIMES_A_WRITE = weighted((3, st.none()), (1, writes()))
"""Now and then a write before the read, so the book keeps gaining odd text as the examples run."""


@PROPERTIES
@given(write=writes())
def test_undo_takes_back_exactly_what_an_accepted_write_did(odd_book: PropertyCLI, write: list[str]) -> None:
    before = rows(odd_book)
    result = odd_book(*write)
    if not result.saved or rows(odd_book) == before:
        return  # refused, or nothing to change (unarchiving a current client): undo would take back another
    shown = odd_book.ok("undo", "--show")
    assert shown.out.startswith("Would undo: ")
    undone = odd_book.ok("undo")
    assert undone.out == f"Undid: {shown.out.removeprefix('Would undo: ')}"
    event("undone")
    after = rows(odd_book)
    changed = {table: (before[table], after[table]) for table in DATA_TABLES if before[table] != after[table]}
    assert not changed, (write, changed)


HISTORY_CLIENTS = weighted(
    (1, st.none()), (2, st.sampled_from(["alice", "alice-anders", "a"])), (1, hostile_text(20))
)
LIMITS = weighted((2, st.none()), (2, st.integers(-5, 50).map(str)), (1, record_ids))
BRIEF_REFS = weighted(
    (3, st.sampled_from(["alice", "alice-anders"])), (1, plain_text()), (1, hostile_text(30))
)


@dataclass(frozen=True)
class Reads:
    """One example of the readers' property: `history`, `today` and `brief`, each with its own options."""

    history_client: str | None
    limit: str | None
    mine: bool
    as_json: bool
    brief_ref: str


reads = st.builds(Reads, HISTORY_CLIENTS, LIMITS, st.booleans(), st.booleans(), BRIEF_REFS)


@PROPERTIES
@given(write=SOMETIMES_A_WRITE, read=reads)
def test_history_today_and_brief_read_a_book_of_any_text_and_write_nothing(
    odd_book: PropertyCLI, write: list[str] | None, read: Reads
) -> None:
    # The three readers share each example (and the write before it, now and then): each gets a thousand.
    if write is not None:
        odd_book(*write)
    flags = [f for f, on in (("--mine", read.mine), ("--json", read.as_json)) if on]
    limit = [f"--limit={read.limit}"] if read.limit is not None else []
    client = ["--", read.history_client] if read.history_client is not None else []
    history = odd_book("history", *flags, *limit, *client)
    assert not history.wrote
    if history.saved and read.as_json:
        entries = history.json()
        given = as_id(read.limit) if read.limit is not None and len(read.limit) < 4000 else None
        most = 20 if given is None else max(1, min(given, 10_000))  # --limit is read as int() reads it
        assert len(entries) <= most and all(isinstance(entry["summary"], str) for entry in entries)

    today = odd_book("today", *flags, allow=(0, 1))
    assert not today.wrote
    if read.as_json:
        queue = json.loads(today.out)
        assert queue["owed"] == sum(section["total"] for section in queue["sections"])
        assert (today.code == 1) == (queue["overdue"] > 0)

    brief = odd_book("brief", "--", read.brief_ref)
    assert not brief.wrote
    if read.brief_ref in ("alice", "alice-anders"):
        assert brief.saved and "(alice-anders)" in brief.out.splitlines()[0]
    expect(brief, "either")
