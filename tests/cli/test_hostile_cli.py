"""The command line under hostile input: every refusal is `field: message` with exit 2, nothing written, and
no message carries raw input (escape sequences, newlines) or a traceback."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.cli.conftest import run
from tests.conftest import book_rows

UNDECODABLE = os.fsdecode(b"caf\xe9 \xff")  # Latin-1 bytes in a UTF-8 shell: lone surrogates in Python
BAD = UNDECODABLE


def clients(target: str | Path) -> list[tuple[str, str]]:
    return [(slug, name) for slug, name in book_rows(target, "SELECT slug, name FROM client ORDER BY id")]


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["client", "add", "--name", UNDECODABLE, "--email", "b@x.com"], "--name"),
        (["client", "add", "--name", "Bo", "--email", UNDECODABLE], "--email"),
        (["client", "list", "--search", UNDECODABLE], "--search"),
        (["client", "show", UNDECODABLE], "slug"),
        (
            ["log", "add", "alice-anders", "--channel", "email", "--direction", "inbound", "--summary", BAD],
            "--summary",
        ),
        (["--owner", UNDECODABLE, "client", "list"], "--owner"),
        (["promise", "add", "alice-anders", UNDECODABLE, "--due", "tomorrow"], "what"),
        ([UNDECODABLE], "COMMAND"),
    ],
)
def test_bytes_that_are_not_utf8_are_refused_naming_the_option(
    book_with_alice: str, capsys: pytest.CaptureFixture[str], args: list[str], option: str
) -> None:
    code, out, err = run(capsys, *args)
    assert code == 2 and out == ""
    assert f"{option}: not valid text (the bytes given are not UTF-8)" in err
    assert "Traceback" not in err and "\udce9" not in err
    assert clients(book_with_alice) == [("alice-anders", "Alice Anders")]


def test_an_option_given_as_double_dash_is_that_text(
    book_with_alice: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "client", "add", "--name=--", "--email=dash@x.com")
    assert code == 0, err
    assert clients(book_with_alice)[-1][1] == "--"
    code, out, _ = run(capsys, "client", "list", "--search=--", "--json")
    assert code == 0 and [row["name"] for row in json.loads(out)] == ["--"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            [
                "log",
                "add",
                "alice-anders",
                "--channel",
                "email",
                "--direction",
                "inbound",
                "--summary",
                "hi",
                "--at",
                "2026-13-01 10:00",
            ],
            "at: there is no month 13: months run from 1 to 12",
        ),
        (
            [
                "log",
                "add",
                "alice-anders",
                "--channel",
                "email",
                "--direction",
                "inbound",
                "--summary",
                "hi",
                "--at",
                "in 999999999 days",
            ],
            "at: '999999999' days is too far",
        ),
        (
            [
                "log",
                "add",
                "alice-anders",
                "--channel",
                "email",
                "--direction",
                "inbound",
                "--summary",
                "hi",
                "--at",
                "1" * 5000,
            ],
            "at: did not understand '1111",
        ),
        (
            [
                "log",
                "add",
                "alice-anders",
                "--channel",
                "email",
                "--direction",
                "inbound",
                "--summary",
                "hi",
                "--at",
                "24",
            ],
            "at: '24': the hour goes up to 23",
        ),
        (["promise", "add", "alice-anders", "Send it", "--due", "2026-13-01"], "due: there is no month 13"),
        (["promise", "add", "alice-anders", "Send it", "--due", "2026-00-10"], "due: there is no month 0"),
        (["keydate", "add", "alice-anders", "Birthday", "--on", "2026-13-01"], "on: there is no month 13"),
        (["keydate", "add", "alice-anders", "Birthday", "--on", "0001-01-01"], "on: dates run from 1900"),
        (["keydate", "add", "alice-anders", "Renewal", "--on", "in 99999999 weeks"], "on: '99999999' weeks"),
    ],
)
def test_dates_the_reader_cannot_read_are_refused_with_exit_2(
    book_with_alice: str, capsys: pytest.CaptureFixture[str], args: list[str], expected: str
) -> None:
    code, out, err = run(capsys, *args)
    assert (code, out) == (2, "")
    assert expected in err and "Traceback" not in err


def test_a_checklist_start_day_with_month_13_is_refused(
    book_with_alice: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    process = tmp_path / "onboarding.toml"
    process.write_text('name = "Onboarding"\n[[step]]\ntitle = "Welcome"\n')
    assert run(capsys, "process", "import", str(process))[0] == 0
    code, _, err = run(capsys, "checklist", "start", "alice-anders", "onboarding", "--on", "2026-13-01")
    assert code == 2 and "on: there is no month 13" in err


@pytest.mark.parametrize("count", [90, 500, 5000])
def test_a_search_of_many_short_words_uses_the_first_dozen_and_says_so(
    book_with_alice: str, capsys: pytest.CaptureFixture[str], count: int
) -> None:
    words = " ".join(["al", *(f"{chr(97 + i % 26)}{i % 7}" for i in range(count))])
    code, out, err = run(capsys, "client", "list", "--search", words, "--json")
    assert code == 0, err
    assert "searched for the first 12 words" in err
    assert json.loads(out) == []  # the dozen words used match nobody: a search, not a crash


def test_a_search_of_repeated_words_counts_each_word_once(
    book_with_alice: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "client", "list", "--search", " ".join(["al"] * 900), "--json")
    assert (code, err) == (0, "")
    assert [row["slug"] for row in json.loads(out)] == ["alice-anders"]


def test_an_escape_sequence_in_input_is_shown_escaped_not_sent_to_the_terminal(
    book_with_alice: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "client", "show", "\x1b]0;pwned\x07")
    assert code == 2
    assert err == "client: no client with slug '\\x1b]0;pwned\\x07'\n"


def test_a_newline_in_input_does_not_make_a_second_message_line(
    book_with_alice: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "client", "show", "nobody\nclientbook: all good")
    assert code == 2
    assert err.count("\n") == 1 and "nobody\\nclientbook: all good" in err


def test_a_long_input_is_cut_in_the_message(
    book_with_alice: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = run(capsys, "client", "show", "x" * 150)
    assert code == 2 and len(err) < 120 and "…" in err


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["client", "show", "a" * 60_000], "client: no client has a name or slug that long (at most 200"),
        (["--owner", "b" * 60_000, "client", "list"], "no staff member has a name or slug that long"),
        (["client", "edit", "alice-anders", "--point-person", "c" * 60_000], "point-person: no staff member"),
        (["log", "list", "d" * 60_000], "client: no client has a name or slug that long"),
        (["process", "show", "e" * 60_000], "no process has a name or slug that long"),
    ],
)
def test_overlong_references_are_invalid_input_naming_the_limit(
    book_with_alice: str, capsys: pytest.CaptureFixture[str], args: list[str], expected: str
) -> None:
    code, _, err = run(capsys, *args)
    assert code == 2 and expected in err, err
    assert "too complex" not in err and len(err) < 400


def test_an_overlong_settings_owner_is_refused_with_exit_2(
    book_with_alice: str, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = tmp_path / "settings.toml"
    settings.write_text(f'owner = "{"o" * 60_000}"\n')
    monkeypatch.setenv("CLIENTBOOK_SETTINGS", str(settings))
    code, _, err = run(capsys, "client", "list")
    assert code == 2 and "too complex" not in err and len(err) < 400


INVISIBLE = ["\u200b", "\u200b\u200c\u200d", "\ufeff", "\u2060", "\u3164", "\u0301 "]


@pytest.mark.parametrize("invisible", INVISIBLE)
def test_a_name_of_invisible_characters_is_refused(
    book_with_alice: str, capsys: pytest.CaptureFixture[str], invisible: str
) -> None:
    code, _, err = run(capsys, "client", "add", "--name", invisible, "--email", "ghost@x.com")
    assert (code, err) == (2, "name: must contain something visible\n")
    code, _, err = run(capsys, "staff", "add", invisible)
    assert code == 2 and "name: must contain something visible" in err
    assert clients(book_with_alice) == [("alice-anders", "Alice Anders")]


def test_a_name_joined_with_zero_width_joiners_is_kept(
    book_with_alice: str, capsys: pytest.CaptureFixture[str]
) -> None:
    family = "Team 👩\u200d👩\u200d👧"
    code, _, err = run(capsys, "client", "add", "--name", family, "--email", "fam@x.com")
    assert code == 0, err
    assert clients(book_with_alice)[-1][1] == family


CONTROLS = "\x00\x1b[31m\x07\u202e"


def test_control_characters_in_a_process_file_are_refused_on_every_field(
    book_with_alice: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    process = tmp_path / "bad.toml"
    body = json.dumps(f"Step {CONTROLS} note")
    process.write_text(
        f'name = "Hostile"\ndescription = {body}\n[[step]]\ntitle = "Welcome"\nnote = {body}\n'
    )
    code, out, err = run(capsys, "process", "import", str(process))
    assert (code, out) == (2, "")
    assert "description: contains control characters" in err
    assert "steps.1.note: contains control characters" in err
    assert "\x1b" not in err and "\x00" not in err
    assert "hostile" not in run(capsys, "process", "list")[1]


def test_control_characters_in_a_remedy_are_refused(
    book_with_alice: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "concern", "add", "alice-anders", "The invoice was wrong", "--severity", "low")
    assert code == 0
    concern = out.strip()
    code, _, err = run(capsys, "concern", "ack", concern, "--remedy", f"Refund {CONTROLS}")
    assert code == 2 and "remedy: contains control characters" in err


def test_a_process_file_with_a_byte_order_mark_is_imported(
    book_with_alice: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    process = tmp_path / "windows.toml"
    process.write_bytes('\ufeffname = "Offboarding"\n[[step]]\ntitle = "Say thanks"\n'.encode())
    code, out, err = run(capsys, "process", "import", str(process))
    assert (code, out.strip(), err) == (0, "offboarding", "")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("x = " + "[" * 3000 + "]" * 3000 + "\n", "file: not a process file: arrays or tables nested too"),
        ("name = " + "{a = " * 3000 + "1" + "}" * 3000 + "\n", "file: not a process file"),
    ],
)
def test_a_deeply_nested_process_file_is_refused(
    book_with_alice: str, capsys: pytest.CaptureFixture[str], tmp_path: Path, content: str, expected: str
) -> None:
    process = tmp_path / "deep.toml"
    process.write_text(content)
    code, _, err = run(capsys, "process", "import", str(process))
    assert code == 2 and expected in err and "Traceback" not in err


def test_a_process_file_that_is_not_a_file_or_not_utf8_is_refused(
    book_with_alice: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "process", "import", str(tmp_path))
    assert code == 2 and "is a folder, not a process file" in err
    latin = tmp_path / "latin.toml"
    latin.write_bytes(b'name = "Caf\xe9"\n')
    code, _, err = run(capsys, "process", "import", str(latin))
    assert code == 2 and "file: not UTF-8 text" in err
    code, _, err = run(capsys, "process", "import", str(tmp_path / "missing.toml"))
    assert code == 2 and "No such file or directory" in err


def test_a_tag_of_invisible_characters_is_refused(
    book_with_alice: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "client", "edit", "alice-anders", "--tags", "vip,\u200b\u200d")
    assert (code, err) == (2, "tags: each tag must contain something visible\n")


def test_a_bug_in_a_command_prints_no_traceback_and_no_client_data(
    book_with_alice: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from clientbook.cli import client_commands
    from clientbook.settings import crash_log_path

    def broken(args: object, ctx: object) -> int:
        notes = "Alice's divorce settlement"  # noqa: F841 - a local a traceback with locals would print
        raise RuntimeError("boom")

    monkeypatch.setattr(client_commands, "list_clients", broken)
    code, out, err = run(capsys, "client", "list")
    assert (code, out) == (70, "")
    assert err.startswith("clientbook stopped after an unexpected error (RuntimeError). What was saved is")
    assert "Traceback" not in err and "divorce" not in err and "boom" not in err
    log = crash_log_path()
    assert str(log) in err and log.stat().st_mode & 0o777 == 0o600
    details = log.read_text()
    assert "RuntimeError: boom" in details and "in broken" in details and "divorce" not in details
