"""The scriptable CLI: output, exit codes (0 done, 2 invalid input, 3 database problem), nothing half-done."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from clientbook import __version__
from clientbook.core.db import close_database
from tests.cli.conftest import run
from tests.conftest import book_rows


@pytest.fixture
def db(book_target: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("CLIENTBOOK_DB", book_target)
    yield book_target
    close_database()


def clients_in(target: str | Path) -> list[tuple[str, str]]:
    return sorted(book_rows(target, "SELECT slug, name FROM client"))


def test_add_prints_the_new_slug(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "--owner", "Pat Owner", "client", "add", "--name", "Zoë Núñez", "--email", "zoe@x.com"
    )
    assert (code, out) == (0, "zoe-nunez\n")
    assert (
        run(capsys, "client", "add", "--name", "Zoë Núñez", "--phone", "020 7946 0958")[1] == "zoe-nunez-2\n"
    )
    assert clients_in(db) == [("zoe-nunez", "Zoë Núñez"), ("zoe-nunez-2", "Zoë Núñez")]


def test_invalid_input_exits_2_with_a_line_per_field_and_writes_nothing(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "client", "add", "--name", "Existing", "--email", "e@x.com")
    code, out, err = run(capsys, "client", "add", "--name", "   ", "--email", "pat@", "--stage", "vip")
    assert code == 2 and out == ""
    assert err.splitlines() == [
        "name: required",
        "stage: one of lead, onboarding, active, post-sale, dormant, former",
        "email: not a valid email: There must be something after the @-sign",
    ]
    assert clients_in(db) == [("existing", "Existing")]


def test_first_run_without_owner_uses_the_os_user(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "client", "add", "--name", "A", "--email", "a@x.com")
    staff = book_rows(db, "SELECT name FROM staff")
    assert len(staff) == 1 and staff[0][0]
    code, _, err = run(capsys, "--owner", "Nobody Here", "client", "list")
    assert code == 2 and "no staff member 'Nobody Here'" in err


def test_list_and_show_as_json(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    run(
        capsys,
        "--owner",
        "Pat Owner",
        "client",
        "add",
        "--name",
        "Zoë Núñez",
        "--email",
        "zoe@x.com",
        "--tags",
        "vip, design",
        "--timezone",
        "europe/london",
    )
    run(
        capsys,
        "client",
        "add",
        "--name",
        "Okafor & Co",
        "--contact",
        "Dalia Okafor;Director;dalia@okafor.example",
    )
    code, out, _ = run(capsys, "client", "list", "--json")
    assert code == 0 and "Zoë" in out  # UTF-8, not \u-escaped
    rows = json.loads(out)
    assert [r["slug"] for r in rows] == ["okafor-co", "zoe-nunez"]
    assert rows[0]["reach"] == "dalia@okafor.example"
    assert (
        json.loads(run(capsys, "client", "list", "--json", "--search", "dalia")[1])[0]["name"]
        == "Okafor & Co"
    )
    shown = json.loads(run(capsys, "client", "show", "zoe", "--json")[1])
    assert shown["tags"] == ["vip", "design"] and shown["timezone"] == "Europe/London"
    assert shown["point_person"] == "pat-owner" and shown["created_at"] == "2026-11-23T10:00:00Z"
    contacts = json.loads(run(capsys, "client", "show", "okafor", "--json")[1])["contacts"]
    assert contacts == [
        {
            "name": "Dalia Okafor",
            "role": "Director",
            "email": "dalia@okafor.example",
            "phone": "",
            "is_primary": True,
            "id": 1,
        }
    ]


def test_plain_list_and_show(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "--owner", "Pat Owner", "client", "add", "--name", "Alice Anders", "--email", "alice@x.com")
    out = run(capsys, "client", "list")[1]
    assert out.splitlines()[0].split() == [
        "SLUG",
        "NAME",
        "STAGE",
        "POINT-PERSON",
        "LAST",
        "CONTACT",
        "REACH",
    ]
    assert "alice-anders  Alice Anders  lead   Pat Owner     never" in out
    assert "Added:        Mon 23 Nov 2026, 10:00" in run(capsys, "client", "show", "alice")[1]


def test_edit_changes_only_what_is_given(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    run(
        capsys,
        "client",
        "add",
        "--name",
        "Alice Anders",
        "--email",
        "alice@x.com",
        "--company",
        "Anders Design",
    )
    assert run(capsys, "client", "edit", "alice", "--stage", "active", "--name", "Alice Byrne") == (
        0,
        "alice-anders\n",
        "",
    )
    shown = json.loads(run(capsys, "client", "show", "alice-anders", "--json")[1])
    assert (shown["name"], shown["stage"], shown["company"], shown["email"]) == (
        "Alice Byrne",
        "active",
        "Anders Design",
        "alice@x.com",
    )
    assert run(capsys, "client", "edit", "alice", "--new-slug")[1] == "alice-byrne\n"
    code, _, err = run(capsys, "client", "edit", "alice", "--email", "")
    assert (code, err) == (2, "email: give an email or a phone number\n")


def test_archive_and_unarchive(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "client", "add", "--name", "Alice Anders", "--email", "alice@x.com")
    assert run(capsys, "client", "archive", "alice")[0] == 0
    assert json.loads(run(capsys, "client", "list", "--json")[1]) == []
    assert json.loads(run(capsys, "client", "list", "--json", "--archived")[1])[0]["archived"] is True
    assert run(capsys, "client", "unarchive", "alice")[0] == 0
    assert len(json.loads(run(capsys, "client", "list", "--json")[1])) == 1


def test_a_client_with_anothers_email_or_phone_is_refused_unless_allowed(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "--owner", "Pat Owner", "client", "add", "--name", "Alice Anders", "--email", "alice@x.com",
        "--phone", "020 7946 0958")  # fmt: skip
    run(capsys, "client", "add", "--name", "Okafor & Co", "--contact", "Dalia Okafor;;dalia@okafor.example")
    code, out, err = run(capsys, "client", "add", "--name", "A. Anders", "--email", "ALICE@x.com",
                         "--phone", "+44 20 7946 0958")  # fmt: skip
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        "email: matches an existing client: Alice Anders (alice-anders)",
        "phone: matches an existing client: Alice Anders (alice-anders)",
        "clientbook: to save it all the same, give --allow-duplicate",
    ]
    code, _, err = run(capsys, "client", "add", "--name", "Dalia", "--email", "dalia@okafor.example")
    assert (code, err) == (
        2,
        "email: matches an existing client: Okafor & Co (okafor-co), contact Dalia Okafor\n"
        "clientbook: to save it all the same, give --allow-duplicate\n",
    )
    assert len(clients_in(db)) == 2
    assert run(capsys, "client", "add", "--name", "Dalia", "--email", "dalia@okafor.example",
               "--allow-duplicate")[0] == 0  # fmt: skip
    # A shared name alone is only a warning: the client is added, with the next slug.
    code, out, err = run(capsys, "client", "add", "--name", "alice anders", "--email", "other@x.com")
    assert (code, out) == (0, "alice-anders-2\n")
    assert err == (
        "clientbook: name: another client has this name: Alice Anders (alice-anders); "
        "added as alice-anders-2\n"
    )
    # An edit is refused only when it changes the email or phone to another client's.
    assert run(capsys, "client", "edit", "alice-anders-2", "--email", "alice@x.com")[0] == 2
    assert run(capsys, "client", "edit", "dalia", "--stage", "active")[0] == 0  # unchanged, still matches
    allowed = run(capsys, "client", "edit", "alice-anders-2", "--email", "alice@x.com", "--allow-duplicate")
    assert allowed[0] == 0


def test_unknown_and_ambiguous_slugs_exit_2(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "client", "add", "--name", "Zoe A", "--email", "a@x.com")
    run(capsys, "client", "add", "--name", "Zoe B", "--email", "b@x.com")
    assert run(capsys, "client", "show", "zoe") == (
        2,
        "",
        "client: 'zoe' matches 2 clients: zoe-a, zoe-b\n",
    )
    assert run(capsys, "client", "archive", "nobody") == (2, "", "client: no client with slug 'nobody'\n")
    assert run(capsys, "client", "show", "zoe-b")[0] == 0  # a unique prefix or the whole slug works


def test_an_ambiguous_prefix_lists_at_most_ten_and_says_how_many_more(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    for n in range(12):
        run(capsys, "client", "add", "--name", f"Al {chr(ord('a') + n)}", "--email", f"al{n}@x.com")
    listed = ", ".join(f"al-{chr(ord('a') + n)}" for n in range(10))
    message = f"client: 'al' matches 12 clients: {listed} and 2 more\n"
    assert run(capsys, "log", "list", "al") == (2, "", message)
    assert run(capsys, "log", "list", "al-l")[0] == 0


def test_database_problems_exit_3_and_leave_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not a book")
    code, out, err = run(capsys, "--db", str(notes), "client", "list")
    assert (code, out) == (3, "")
    assert (
        err == f"clientbook: {notes} is not a clientbook database (it is not a SQLite file); left as it is\n"
    )
    assert notes.read_text() == "not a book"


def test_a_malformed_settings_file_exits_2(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = tmp_path / "settings.toml"
    settings.write_text('owner = "Pat"\nphone_region = 44\n')
    monkeypatch.setenv("CLIENTBOOK_SETTINGS", str(settings))
    code, _, err = run(capsys, "client", "list")
    assert code == 2 and "line 2: phone_region: must be text in quotes" in err


def test_a_settings_owner_not_in_the_book_is_refused_pointing_at_its_line(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(capsys, "--owner", "Pat Owner", "staff", "list")[0] == 0
    settings = tmp_path / "settings.toml"
    settings.write_text('timezone = "Europe/London"\nowner = "Robin Mine"\n')
    monkeypatch.setenv("CLIENTBOOK_SETTINGS", str(settings))
    code, out, err = run(capsys, "client", "add", "--name", "Alice Anders", "--email", "a@x.com")
    assert (code, out) == (2, "")
    assert err == (
        f"clientbook: {settings} line 2: owner: 'Robin Mine' is not a staff member of this book; "
        "add them (clientbook staff add NAME) or give --as\n"
    )
    assert "alice" not in run(capsys, "--owner", "Pat Owner", "client", "list")[1]  # nothing was written
    # Asked for by name on the command line, an unknown person is an error too.
    code, _, err = run(capsys, "--owner", "Robin Mine", "client", "list")
    assert code == 2 and "no staff member 'Robin Mine' in this book" in err


def test_the_demo_book_opens_with_the_users_settings_owner(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = tmp_path / "settings.toml"
    settings.write_text('owner = "Robin Mine"\n')
    monkeypatch.setenv("CLIENTBOOK_SETTINGS", str(settings))
    code, out, _ = run(capsys, "demo", "--clients", "3")
    assert code == 0
    code, staff, _ = run(capsys, "--db", out.strip(), "staff", "list")
    assert code == 0 and "Robin Mine" in staff


def test_demo_makes_a_separate_book(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "demo", "--clients", "25")
    demo = Path(out.strip())
    assert code == 0 and demo == tmp_path / "data" / "clientbook" / "demo.db"
    assert len(clients_in(demo)) == 25
    # The user's own book is not touched: not made at all.
    if "://" in db:
        tables = "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        assert book_rows(db, tables) == [(0,)]
    else:
        assert not Path(db).exists()
    # Asked again, it keeps the book (so `clientbook --db "$(clientbook demo)"` is safe to repeat)...
    assert run(capsys, "demo", "--clients", "10") == (
        0,
        f"{demo}\n",
        f"clientbook: kept the existing demo book {demo} (to make a new one: clientbook demo --replace)\n",
    )
    assert len(clients_in(demo)) == 25
    # ...and remakes it, not adds to it, only when told.
    assert run(capsys, "demo", "--clients", "10", "--replace")[:2] == (0, f"{demo}\n")
    assert len(clients_in(demo)) == 10
    assert not [p.name for p in demo.parent.iterdir() if ".replaced-" in p.name]  # the old one is gone


def test_demo_never_replaces_a_book_in_use_or_not_a_demo(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    demo = Path(run(capsys, "demo", "--clients", "5")[1].strip())
    # Another clientbook has it open (idle, in WAL mode: it holds no lock on the book file itself).
    other = subprocess.Popen(
        [sys.executable, "-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
         "c.execute('SELECT count(*) FROM client').fetchall(); print('open', flush=True); sys.stdin.read()",
         str(demo)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert other.stdout is not None and other.stdout.readline() == "open\n"
        assert run(capsys, "demo", "--clients", "3", "--replace") == (
            3,
            "",
            f"clientbook: {demo} is open in another clientbook: close it before replacing the demo book\n",
        )
        assert len(clients_in(demo)) == 5
    finally:
        other.communicate("")
    assert run(capsys, "demo", "--clients", "3", "--replace")[0] == 0
    assert len(clients_in(demo)) == 3
    mine = tmp_path / "mine.db"
    run(capsys, "--db", str(mine), "--owner", "Pat", "client", "add", "--name", "Al", "--email", "a@x.com")
    assert run(capsys, "demo", "--path", str(mine), "--replace") == (
        2,
        "",
        f"clientbook: {mine} exists and is not a demo book: give a new path for the demo book\n",
    )
    assert clients_in(mine) == [("al", "Al")]


def test_version_help_and_module_entry_point() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "clientbook", "--version"], capture_output=True, text=True, check=True
    )
    assert result.stdout == f"clientbook {__version__}\n"
    helped = subprocess.run(
        [sys.executable, "-m", "clientbook", "client", "add", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "--point-person SLUG" in helped.stdout


def test_the_first_run_says_who_owns_the_book_and_the_zone_and_region(
    db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANG", "C.UTF-8")
    code, _, err = run(capsys, "--owner", "Pat Owner", "staff", "list")
    assert code == 0
    assert err.startswith(
        "clientbook: new book, owned by Pat Owner; time zone UTC, phone region none (every number needs its "
        "+country); set timezone and phone_region in "
    )
    assert run(capsys, "staff", "list")[2] == ""  # said once


def mode_of(path: Path) -> str:
    return oct(stat.S_IMODE(path.stat().st_mode))


def test_everything_clientbook_writes_is_private_under_the_usual_umask(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The default book and its folder, the demo book, an exported file: none readable by other users."""
    previous = os.umask(0o022)
    try:
        added = run(capsys, "--owner", "Pat Owner", "client", "add", "--name", "Alice", "--email", "a@x.com")
        exported = tmp_path / "care.toml"
        assert run(capsys, "process", "export", "post-sale-care", "--to", str(exported))[0] == added[0] == 0
        close_database()
        demo = Path(run(capsys, "demo", "--clients", "3")[1].strip())
        assert os.umask(0o022) == 0o022  # main gave the umask back
    finally:
        os.umask(previous)
    data = tmp_path / "data" / "clientbook"
    assert {p.name: mode_of(p) for p in (data, data / "clientbook.db", demo, exported)} == {
        "clientbook": "0o700",
        "clientbook.db": "0o600",
        "demo.db": "0o600",
        "care.toml": "0o600",  # written by code that takes no mode: private through the umask main holds
    }


@pytest.mark.sqlite_only("file modes")
def test_an_existing_book_other_users_could_read_is_made_private_saying_so_once(
    book_with_alice: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = Path(book_with_alice)
    path.chmod(0o644)
    code, out, err = run(capsys, "client", "list")
    assert code == 0 and "alice-anders" in out
    assert err == f"clientbook: other users could read {path}: now only you can\n"
    assert mode_of(path) == "0o600"
    assert run(capsys, "client", "list")[2] == ""


def test_a_fifo_or_device_as_the_book_exits_3_without_waiting(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for target, kind in ((fifo, "a FIFO"), (Path("/dev/null"), "a device")):
        done = subprocess.run(
            [sys.executable, "-m", "clientbook", "--db", str(target), "client", "list"],
            capture_output=True, text=True, timeout=60, check=False,
            env={**os.environ, "XDG_DATA_HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path)},
        )  # fmt: skip
        assert done.returncode == 3
        assert done.stderr == (
            f"clientbook: {target} is not a regular file (it is {kind}): give the path of a clientbook book\n"
        )
    assert not Path("/dev/null-journal").exists()


def test_demo_never_removes_a_special_file_given_as_its_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A FIFO or device has size 0, like a book not made yet: it used to be removed to make room (as root,
    `--path /dev/null` would have removed /dev/null)."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    code, out, err = run(capsys, "demo", "--path", str(fifo))
    assert (code, out) == (2, "")
    assert err == f"clientbook: {fifo} is not a regular file: give a new path for the demo book\n"
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_the_fourth_and_tenth_of_one_name_get_4_and_10(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    slugs = [
        run(capsys, "client", "add", "--name", "Alice Anders", "--email", f"a{n}@x.com")[1].strip()
        for n in range(10)
    ]
    assert (slugs[3], slugs[9]) == ("alice-anders-4", "alice-anders-10")
    assert run(capsys, "client", "edit", "alice-anders-10", "--new-slug")[1] == "alice-anders-10\n"


def test_a_search_with_an_unbalanced_quote_finds_the_client(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "client", "add", "--name", 'Say "Hi" Studio', "--email", "hi@x.com")
    run(capsys, "client", "add", "--name", "Say Nothing", "--email", "no@x.com")
    code, out, err = run(capsys, "client", "list", "--json", "--search", 'say "hi')
    assert (code, err) == (0, "")
    assert [c["name"] for c in json.loads(out)] == ['Say "Hi" Studio']


@pytest.mark.parametrize(
    "command", [["client", "list"], ["today", "--json"], ["client", "add", "--name", "X"]]
)
def test_a_team_book_that_cannot_be_reached_is_one_line_without_its_password(
    command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--db", "postgresql://pat:hunter2@127.0.0.1:1/book", *command)
    assert code == 3 and out == ""
    assert err.strip() == (
        "clientbook: postgresql://pat@127.0.0.1:1/book: the PostgreSQL server is not answering; "
        "is it running, and is the address right?"
    )


def test_each_person_works_as_themselves_with_as_or_clientbook_user(
    db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    run(capsys, "--owner", "Pat Owner", "staff", "add", "Sam Field")
    assert run(capsys, "--as", "sam-field", "client", "add", "--name", "Ada", "--email", "ada@x.com")[0] == 0
    monkeypatch.setenv("CLIENTBOOK_USER", "sam-field")
    assert run(capsys, "client", "add", "--name", "Bo", "--email", "bo@x.com")[0] == 0
    assert run(capsys, "--as", "pat-owner", "client", "add", "--name", "Cy", "--email", "cy@x.com")[0] == 0
    actors = book_rows(
        db,
        "SELECT c.name, s.slug FROM change_set AS cs JOIN staff AS s ON s.id = cs.actor_id "
        "JOIN client AS c ON c.id = cs.client_id ORDER BY cs.id",
    )
    assert actors == [("Ada", "sam-field"), ("Bo", "sam-field"), ("Cy", "pat-owner")]
    code, out, err = run(capsys, "--as", "nobody-here", "client", "list")
    assert (code, out) == (2, "") and "no staff member 'nobody-here'" in err
