"""Taking back slips from the shell: undo, history, and show/edit/delete for the log, promises, concerns
and key dates. Each test checks the exit status, what was printed and what the book holds."""

from __future__ import annotations

import io
import json

import pytest

from clientbook.core.models import Client, Concern, Interaction, KeyDate, Promise
from tests.cli.conftest import run


def log_call(capsys: pytest.CaptureFixture[str], summary: str = "Asked for a quote") -> int:
    code, out, _ = run(
        capsys, "log", "add", "alice", "--channel", "call", "--direction", "inbound", "--summary", summary,
        "--at", "today 9am",
    )  # fmt: skip
    assert code == 0
    return int(out)


def test_undo_takes_back_the_last_action_and_says_what(
    book_with_alice: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "client", "edit", "alice", "--stage", "active")[0] == 0
    code, out, _ = run(capsys, "undo", "--show")
    assert (code, out) == (0, "Would undo: Edited client Alice Anders\n")
    assert Client.get().stage == "active"
    code, out, _ = run(capsys, "undo")
    assert (code, out) == (0, "Undid: Edited client Alice Anders\n")
    assert Client.get().stage == "lead"
    code, out, _ = run(capsys, "history", "alice")
    assert "Undid: Edited client Alice Anders" in out and "Stage: active → lead" in out
    assert "Edited client Alice Anders (undone)" in out


def test_undo_with_nothing_left_is_refused_clearly(
    book_with_alice: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "undo")[0] == 0  # adding Alice
    code, _, err = run(capsys, "undo")
    assert (code, err) == (2, "undo: nothing of yours to undo\n")


def test_log_show_edit_and_delete(book_with_alice: str, capsys: pytest.CaptureFixture[str]) -> None:
    ident = log_call(capsys, "Asked for a qoute")
    assert run(capsys, "log", "edit", str(ident), "--summary", "Asked for a quote")[0] == 0
    code, out, _ = run(capsys, "log", "show", str(ident))
    assert code == 0 and "Summary:     Asked for a quote" in out
    assert "Summary: Asked for a qoute → Asked for a quote" in out
    shown = json.loads(run(capsys, "log", "show", str(ident), "--json")[1])
    assert shown["summary"] == "Asked for a quote" and shown["history"][0]["summary"].startswith("Edited")
    code, _, err = run(capsys, "log", "delete", str(ident))  # no terminal: needs --yes
    assert code == 2 and err.startswith("yes: nothing deleted") and Interaction.select().count() == 1
    code, out, _ = run(capsys, "log", "delete", str(ident), "--yes")
    assert code == 0 and Interaction.select().count() == 0
    assert json.loads(run(capsys, "log", "list", "--json")[1]) == []
    assert run(capsys, "undo")[1].startswith("Undid: Deleted interaction")
    assert Interaction.get().id == ident


def test_delete_asks_on_a_terminal(
    book_with_alice: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    ident = log_call(capsys)

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("sys.stdin", Terminal("n\n"))
    code, _, err = run(capsys, "log", "delete", str(ident))
    assert code == 0 and "Delete interaction" in err and "Kept" in err
    assert Interaction.select().count() == 1
    monkeypatch.setattr("sys.stdin", Terminal("y\n"))
    assert run(capsys, "log", "delete", str(ident))[0] == 0
    assert Interaction.select().count() == 0


def test_promise_and_concern_edit_and_delete(
    book_with_alice: str, capsys: pytest.CaptureFixture[str]
) -> None:
    promise = run(capsys, "promise", "add", "alice", "Send the qoute", "--due", "fri")[1].strip()
    assert run(capsys, "promise", "edit", promise, "--what", "Send the quote")[0] == 0
    assert Promise.get().what == "Send the quote"
    assert run(capsys, "promise", "delete", promise, "--yes")[0] == 0
    assert json.loads(run(capsys, "promise", "list", "--json")[1]) == []
    concern = run(capsys, "concern", "add", "alice", "Late proofs", "--severity", "low")[1].strip()
    assert run(capsys, "concern", "edit", concern, "--severity", "high")[0] == 0
    assert Concern.get().severity == "high"
    assert run(capsys, "concern", "delete", concern, "--yes")[0] == 0
    assert Concern.select().count() == 0
    key_date = run(capsys, "keydate", "add", "alice", "Birthday", "--on", "14 Mar")[1].strip()
    assert run(capsys, "keydate", "remove", key_date, "--yes")[0] == 0
    assert KeyDate.select().count() == 0
    assert run(capsys, "undo")[1] == "Undid: Removed key date “Birthday” of Alice Anders\n"
    assert KeyDate.select().count() == 1


def test_deleting_what_does_not_exist_is_an_invalid_request(
    book_with_alice: str, capsys: pytest.CaptureFixture[str]
) -> None:
    for group in ("log", "promise", "concern"):
        code, _, err = run(capsys, group, "delete", "999", "--yes")
        assert code == 2 and "999" in err
