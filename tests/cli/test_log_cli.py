"""`clientbook log`: the same parser, rules and exit codes as the app."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from clientbook.cli import main
from clientbook.core.db import close_database
from tests.cli.conftest import run
from tests.conftest import book_rows


@pytest.fixture
def db(
    book_target: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Iterator[str]:
    monkeypatch.setenv("CLIENTBOOK_DB", book_target)
    settings = tmp_path / "settings.toml"
    settings.write_text('timezone = "Europe/London"\n')
    monkeypatch.setenv("CLIENTBOOK_SETTINGS", str(settings))
    main(["--owner", "Pat Owner", "client", "add", "--name", "Alice Anders", "--email", "alice@x.com"])
    capsys.readouterr()
    yield book_target
    close_database()


def count(path: str) -> int:
    return int(book_rows(path, "SELECT count(*) FROM interaction")[0][0])


def add(capsys: pytest.CaptureFixture[str], direction: str, at: str, *extra: str) -> int:
    code, out, err = run(capsys, "log", "add", "alice", "--channel", "email", "--direction", direction,
                         "--summary", f"{direction} at {at}", "--at", at, *extra)  # fmt: skip
    assert code == 0, err
    return int(out)


def test_add_prints_the_id_and_stores_the_instant(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    ident = add(capsys, "inbound", "yesterday 9am")
    row = book_rows(db, "SELECT at, at_zone, awaiting FROM interaction WHERE id = ?", (ident,))
    assert row == [("2026-11-22 09:00:00", "Europe/London", 1)]


def test_a_bare_time_exits_2_with_am_or_pm(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "log", "add", "alice", "--channel", "call", "--direction", "inbound",
                         "--summary", "Audition", "--at", "7:30")  # fmt: skip
    assert (code, out, err) == (2, "", "at: am or pm?\n")
    assert count(db) == 0


def test_invalid_fields_exit_2_and_write_nothing(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "log", "add", "nobody", "--channel", "fax", "--direction", "inbound",
                       "--summary", " ", "--follow-up", "11/12")  # fmt: skip
    assert code == 2
    assert err.splitlines() == [
        "client: no client with slug 'nobody'",
        "channel: one of call, email, meeting, message, note",
        "summary: required",
        "follow-up: '11/12' reads differently in different countries: write 24 Nov or 2026-11-24",
    ]
    assert count(db) == 0


def test_awaiting_reply_list_and_answers(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    first = add(capsys, "inbound", "2026-11-20 09:00")
    second = add(capsys, "inbound", "2026-11-21 09:00")
    code, out, _ = run(capsys, "log", "list", "--awaiting-reply")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:4] == ["ID", "WHEN", "WAITING", "CLIENT"]
    assert lines[1].startswith(f"{first}   Fri 20 Nov 2026, 09:00  3 d 1 h")
    add(capsys, "outbound", "2026-11-22 10:00", "--answers", str(second))
    listed = json.loads(run(capsys, "log", "list", "alice", "--awaiting-reply", "--json")[1])
    assert [(r["id"], r["waiting_seconds"]) for r in listed] == [(first, 3 * 86400 + 3600)]
    add(capsys, "outbound", "now", "--no-answer")
    assert len(json.loads(run(capsys, "log", "list", "--awaiting-reply", "--json")[1])) == 1


def test_ack_ends_the_wait(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    ident = add(capsys, "inbound", "today 08:00")
    assert run(capsys, "log", "ack", str(ident)) == (0, f"{ident}\n", "")
    assert run(capsys, "log", "list", "--awaiting-reply", "--json")[1] == "[]\n"
    assert run(capsys, "log", "ack", str(ident))[0] == 2
    assert run(capsys, "log", "ack", "999") == (2, "", "clientbook: no interaction 999\n")


def test_list_json_holds_everything(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    add(capsys, "inbound", "2026-11-20 09:00", "--details", "Line one\nLine two", "--mood", "upset",
        "--follow-up", "2026-11-25")  # fmt: skip
    row = json.loads(run(capsys, "log", "list", "--json")[1])[0]
    assert row["at"] == "2026-11-20T09:00:00Z" and row["client"] == "alice-anders"
    assert (row["details"], row["mood"], row["follow_up"]) == ("Line one\nLine two", "upset", "2026-11-25")
    assert row["awaiting_reply"] is True


def test_bad_answers_exit_2(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "log", "add", "alice", "--channel", "email", "--direction", "outbound",
                       "--summary", "Re", "--answers", "1,x")  # fmt: skip
    assert (code, err) == (2, "answers: interaction ids separated by commas, e.g. 12,15\n")


def test_a_time_ahead_is_refused_the_log_records_what_happened(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "log", "add", "alice", "--channel", "call", "--direction", "inbound",
                         "--summary", "Planned call", "--at", "in 3 days")  # fmt: skip
    assert (code, out, err) == (
        2,
        "",
        "at: is in the future: use a follow-up or a promise for what is planned\n",
    )
    assert count(db) == 0


@pytest.mark.parametrize(
    ("at", "stored"), [("fri 3pm", "2026-11-20 15:00:00"), ("mon 8am", "2026-11-23 08:00:00")]
)
def test_at_reads_a_weekday_time_as_the_past_one(
    db: str, capsys: pytest.CaptureFixture[str], at: str, stored: str
) -> None:
    ident = add(capsys, "inbound", at)
    row = book_rows(db, "SELECT at FROM interaction WHERE id = ?", (ident,))
    assert row == [(stored,)]
