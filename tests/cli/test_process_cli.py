"""`clientbook process` and `clientbook checklist`."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from clientbook.core import clock
from tests.cli.conftest import run
from tests.conftest import FROZEN, book_rows


@pytest.fixture
def db(book_with_alice: str) -> str:
    return book_with_alice


def test_the_starter_processes_are_listed(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    listed = json.loads(run(capsys, "process", "list", "--json")[1])
    assert [(p["slug"], p["steps"]) for p in listed] == [("new-client-onboarding", 7), ("post-sale-care", 5)]
    shown = json.loads(run(capsys, "process", "show", "post-sale-care", "--json")[1])
    assert shown["steps"][2] == {
        "number": 3,
        "title": "14-day check-in",
        "note": "How is it going in real use? Anything to fix or explain?",
        "due_days": 14,
    }


def test_start_tick_untick_and_the_duplicate_guard(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "checklist", "start", "alice", "post-sale-care", "--on", "2026-11-20")[0] == 0
    code, _, err = run(capsys, "checklist", "start", "alice", "post-sale-care")
    assert code == 2
    assert err == (
        "process: Post-sale care is already running for Alice Anders (since Fri 20 Nov 2026); "
        "give --again to start another\n"
    )
    assert run(capsys, "checklist", "tick", "alice", "post-sale-care", "1", "--note", "sent a card") == (
        0,
        "1. Send a thank-you note: done\n",
        "",
    )
    rows = json.loads(run(capsys, "checklist", "list", "--json")[1])
    assert [(r["done"], r["total"], r["next_step"], r["next_due"]) for r in rows] == [
        (1, 5, "Check they have everything they need", "2026-11-23")
    ]
    assert json.loads(run(capsys, "checklist", "list", "--overdue", "--json")[1]) == []
    assert run(capsys, "checklist", "untick", "alice", "post-sale-care", "1")[0] == 0
    assert json.loads(run(capsys, "checklist", "list", "--json")[1])[0]["done"] == 0
    assert (
        run(capsys, "checklist", "tick", "alice", "post-sale-care", "6")[2]
        == "step: this checklist has steps 1 to 5\n"
    )
    assert run(capsys, "checklist", "start", "alice", "post-sale-care", "--again")[0] == 0
    count = book_rows(db, "SELECT count(*) FROM checklist")[0][0]
    assert count == 2


def test_a_process_started_twice_is_not_ticked_by_guess(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "checklist", "start", "alice", "post-sale-care", "--on", "2026-11-20")[1] == "1\n"
    assert run(capsys, "checklist", "start", "alice", "post-sale-care", "--again")[1] == "2\n"
    listed = run(capsys, "checklist", "list")[1].splitlines()
    assert listed[0].split()[:4] == ["ID", "CLIENT", "PROCESS", "STARTED"]
    assert listed[1].startswith("1   alice-anders  post-sale-care  Fri 20 Nov 2026")
    for verb in ("tick", "untick"):
        assert run(capsys, "checklist", verb, "alice", "post-sale-care", "1") == (
            2,
            "",
            "checklist: 2 open checklists of this process for this client: 1 (started Fri 20 Nov 2026), "
            "2 (started Mon 23 Nov 2026); give --checklist ID\n",
        )
    assert run(capsys, "checklist", "tick", "alice", "post-sale-care", "1", "--checklist", "1")[0] == 0
    done = book_rows(db, "SELECT checklist_id FROM checklist_step WHERE done_at IS NOT NULL")
    assert done == [(1,)]
    assert run(capsys, "checklist", "untick", "alice", "post-sale-care", "1", "--checklist", "3") == (
        2,
        "",
        "checklist: no checklist 3 of that process for this client\n",
    )


def test_export_and_import_round_trip(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    exported = tmp_path / "care.toml"
    assert run(capsys, "process", "export", "post-sale-care", "--to", str(exported))[0] == 0
    text = exported.read_text(encoding="utf-8")
    assert text.startswith('name = "Post-sale care"\n') and "[[step]]" in text
    code, _, err = run(capsys, "process", "import", str(exported))
    assert (code, err) == (2, "name: there is already a process called Post-sale care\n")
    exported.write_text(text.replace('"Post-sale care"', '"Après-vente ✨"'), encoding="utf-8")
    assert run(capsys, "process", "import", str(exported))[1] == "apres-vente\n"
    shown = json.loads(run(capsys, "process", "show", "apres-vente", "--json")[1])
    assert shown["name"] == "Après-vente ✨" and len(shown["steps"]) == 5


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("name = \n", "file: not a process file"),
        ('name = "x"\ncolour = "red"\n', "file: unknown key 'colour'"),
        ('name = "x"\n[[step]]\ntitle = 3\n', "file: step 1: title must be text in quotes"),
        (
            'name = "x"\n[[step]]\ntitle = "a"\ndue_days = "soon"\n',
            "file: step 1: due_days must be a whole number",
        ),
        ('name = " "\n[[step]]\ntitle = ""\n', "name: required\nsteps.1.title: required"),
        ('name = "Only a name"\n', "steps: a process needs at least one step"),
    ],
)
def test_a_bad_process_file_exits_2_and_adds_nothing(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(content, encoding="utf-8")
    code, out, err = run(capsys, "process", "import", str(bad))
    assert (code, out) == (2, "") and err.startswith(message)
    assert book_rows(db, "SELECT count(*) FROM process")[0][0] == 2


def test_a_completed_checklist_starts_again_without_again(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "checklist", "start", "alice", "post-sale-care")[1] == "1\n"
    for step in range(1, 6):
        assert run(capsys, "checklist", "tick", "alice", "post-sale-care", str(step))[0] == 0
    assert json.loads(run(capsys, "checklist", "list", "--json")[1]) == []  # none open
    assert run(capsys, "checklist", "start", "alice", "post-sale-care") == (0, "2\n", "")
    code, _, err = run(capsys, "checklist", "start", "alice", "post-sale-care")
    assert code == 2 and "already running" in err


def test_checklist_list_says_overdue_the_day_after_the_step_is_due(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "checklist", "start", "alice", "post-sale-care")  # step 1 due today, Mon 23 Nov
    assert "Mon 23 Nov 2026 " in run(capsys, "checklist", "list")[1]
    assert "OVERDUE" not in run(capsys, "checklist", "list")[1]
    clock.freeze(FROZEN + timedelta(days=1))
    assert "Mon 23 Nov 2026 OVERDUE" in run(capsys, "checklist", "list")[1]
