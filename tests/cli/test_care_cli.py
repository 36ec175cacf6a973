"""`clientbook today`, `brief`, `promise` and `concern`: the care rules from the shell."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from clientbook.core import clock
from tests.cli.conftest import run
from tests.conftest import FROZEN, book_rows


@pytest.fixture
def db(book_with_alice: str) -> str:
    return book_with_alice


def test_today_exits_0_when_nothing_is_overdue_and_1_when_something_is(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "today")
    assert code == 0 and "Nothing owed today." in out
    run(capsys, "promise", "add", "alice", "Send the quote", "--due", "today")
    code, out, _ = run(capsys, "today")
    assert code == 0 and "Send the quote (promised by Pat Owner) · due today" in out  # due, not overdue
    run(
        capsys,
        "log",
        "add",
        "alice",
        "--channel",
        "email",
        "--direction",
        "inbound",
        "--summary",
        "Invoice?",
        "--at",
        "2 days ago",
    )
    code, out, _ = run(capsys, "today")
    assert code == 1 and "OVERDUE  Alice Anders (alice-anders) · Invoice? · waiting 2 d" in out
    listed = json.loads(run(capsys, "today", "--json")[1])
    assert (listed["owed"], listed["overdue"]) == (2, 1)
    assert [s["title"] for s in listed["sections"]] == ["Awaiting reply", "Promises due"]


def test_today_lists_fewer_a_section_on_asking_and_still_counts_them_all(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    for day in range(1, 5):
        run(capsys, "promise", "add", "alice", f"Promise {day}", "--due", f"2026-11-1{day}")
    code, out, _ = run(capsys, "today", "--limit", "3")
    assert code == 1
    assert out.count("Promise ") == 3 and "... and 1 more" in out
    listed = json.loads(run(capsys, "today", "--limit", "3", "--json")[1])
    (promises,) = listed["sections"]
    assert (len(promises["items"]), promises["total"], listed["owed"]) == (3, 4, 4)
    assert run(capsys, "today")[1].count("Promise ") == 4  # the default: all a section counts (500)


@pytest.mark.parametrize("limit", ["0", "501", "ten", "-1", "1e3"])
def test_a_limit_that_lists_nothing_or_more_than_is_counted_is_refused(
    db: str, capsys: pytest.CaptureFixture[str], limit: str
) -> None:
    code, out, err = run(capsys, "today", f"--limit={limit}")
    assert (code, out) == (2, "")
    assert "--limit" in err and "Traceback" not in err


def test_today_mine_is_one_persons_share(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "staff", "add", "Sam Rivera")
    run(capsys, "client", "add", "--name", "Bo Byrne", "--email", "b@x.com", "--point-person", "sam-rivera")
    run(capsys, "promise", "add", "bo", "Call back", "--due", "today", "--by", "sam-rivera")
    assert json.loads(run(capsys, "today", "--mine", "--json")[1])["owed"] == 0
    assert json.loads(run(capsys, "--owner", "sam", "today", "--mine", "--json")[1])["owed"] == 1


def test_promises_keep_break_renegotiate_and_records(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "promise", "add", "alice", "Quote", "--due", "2026-11-20")[1] == "1\n"
    assert run(capsys, "promise", "add", "alice", "Guide", "--due", "fri")[1] == "2\n"
    assert run(capsys, "promise", "renegotiate", "2", "--due", "2026-12-04") == (
        0,
        "2: now due Fri 4 Dec 2026\n",
        "",
    )
    assert run(capsys, "promise", "keep", "1")[1] == "1: kept, late\n"
    assert run(capsys, "promise", "break", "2")[1] == "2: broken\n"
    assert run(capsys, "promise", "keep", "2") == (2, "", "promise: promise 2 is already broken\n")
    records = json.loads(run(capsys, "promise", "list", "--records", "--json")[1])
    assert records == [{"name": "Pat Owner", "kept_on_time": 0, "closed": 2}]
    code, _, err = run(capsys, "promise", "add", "alice", " ", "--due", "7:30")
    assert code == 2 and err.startswith("what: required\ndue: ")


def test_concerns_need_resolved_and_confirmation(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "concern", "add", "alice", "Second missed deadline", "--severity", "high")[1] == "1\n"
    rows = json.loads(run(capsys, "concern", "list", "--json")[1])
    assert (rows[0]["severity"], rows[0]["owner"], rows[0]["acknowledged"]) == ("high", "Pat Owner", False)
    assert run(capsys, "concern", "ack", "1", "--apology", "--remedy", "Two days free")[0] == 0
    assert (
        run(capsys, "concern", "resolve", "1", "sorted", "--confirmed")[2]
        == 'resolved: type "resolved" to close a concern\n'
    )
    assert (
        run(capsys, "concern", "resolve", "1", "resolved", "--confirmed")[1]
        == "1: resolved; check in on Mon 30 Nov 2026\n"
    )
    stored = book_rows(db, "SELECT client_confirmed, apology_at IS NOT NULL, remedy FROM concern")[0]
    assert stored == (1, 1, "Two days free")
    assert json.loads(run(capsys, "concern", "list", "--json")[1]) == []


def test_brief_prints_what_to_know_before_a_call(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "client", "edit", "alice", "--notes", "Prefers mornings")
    run(capsys, "promise", "add", "alice", "Send the guide", "--due", "fri")
    run(capsys, "checklist", "start", "alice", "post-sale-care")
    out = run(capsys, "brief", "alice")[1]
    assert out.splitlines()[0] == "Alice Anders (alice-anders) · lead · point-person Pat Owner"
    assert "  due Fri 27 Nov 2026: Send the guide (Pat Owner)" in out
    assert "  Post-sale care 0/5, next: Send a thank-you note" in out
    assert "Personal notes:\n  Prefers mornings" in out
    assert "Last interactions: none logged yet" in out


def test_the_brief_shows_contact_people_and_key_dates_ahead(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    dalia, sam = "Dalia Okafor;Director;dalia@okafor.example", "Sam Lee;;;020 7946 0958"
    run(capsys, "client", "add", "--name", "Okafor & Co", "--contact", dalia, "--contact", sam)
    run(capsys, "keydate", "add", "okafor", "Contract renewal", "--on", "2026-12-01", "--once")
    run(capsys, "keydate", "add", "okafor", "Founded", "--on", "24 Nov")
    run(capsys, "keydate", "add", "okafor", "Dalia's birthday", "--on", "14 Mar")  # beyond 14 days
    out = run(capsys, "brief", "okafor")[1]
    assert (
        "Contact people:\n"
        "  Dalia Okafor (primary) · Director · dalia@okafor.example\n"
        "  Sam Lee · 020 7946 0958\n"
    ) in out
    assert (
        "Key dates ahead:\n"
        "  Founded: Tue 24 Nov 2026, tomorrow\n"
        "  Contract renewal: Tue 1 Dec 2026, in 8 days\n"
    ) in out
    assert "birthday" not in out
    assert "Key dates ahead: none" in run(capsys, "brief", "alice")[1]


def test_a_promise_cannot_be_renegotiated_to_a_past_day(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "promise", "add", "alice", "Guide", "--due", "fri")[1] == "1\n"
    assert run(capsys, "promise", "renegotiate", "1", "--due", "2026-11-20") == (
        2,
        "",
        "due: Fri 20 Nov 2026 is past: agree a day from today on\n",
    )
    assert json.loads(run(capsys, "promise", "list", "--json")[1])[0]["status"] == "open"


def test_the_cli_prints_every_date_in_one_form(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "promise", "add", "alice", "Send the guide", "--due", "2026-12-01")
    run(capsys, "keydate", "add", "alice", "Birthday", "--on", "14 Mar")
    run(capsys, "keydate", "add", "alice", "Renewal", "--on", "2027-02-01", "--once")
    run(capsys, "concern", "add", "alice", "Late again", "--severity", "low")
    assert run(capsys, "today")[1].startswith("Care · Mon 23 Nov 2026 · ")
    assert "Tue 1 Dec 2026" in run(capsys, "promise", "list")[1].splitlines()[1]
    keydates = run(capsys, "keydate", "list")[1].splitlines()
    assert keydates[1].endswith("Renewal   Mon 1 Feb 2027       Mon 1 Feb 2027")
    assert keydates[2].endswith("Birthday  14 Mar (every year)  Sun 14 Mar 2027")
    shown = run(capsys, "client", "show", "alice")[1]
    assert "Added:        Mon 23 Nov 2026, 10:00\n" in shown
    # JSON keeps ISO 8601.
    assert json.loads(run(capsys, "concern", "list", "--json")[1])[0]["raised_at"] == "2026-11-23T10:00:00Z"
    assert json.loads(run(capsys, "promise", "list", "--json")[1])[0]["due"] == "2026-12-01"


def test_a_concern_resolved_unconfirmed_stays_unconfirmed(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "concern", "add", "alice", "Second missed deadline", "--severity", "high")
    assert run(capsys, "concern", "resolve", "1", "resolved", "--unconfirmed")[0] == 0
    stored = book_rows(db, "SELECT client_confirmed, resolved_at IS NOT NULL FROM concern")
    assert stored == [(0, 1)]
    row = json.loads(run(capsys, "concern", "list", "--all", "--json")[1])[0]
    assert (row["resolved"], row["client_confirmed"]) == (True, False)


def test_today_exits_1_one_minute_past_the_reply_target_not_at_it(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    logged = run(capsys, "log", "add", "alice", "--channel", "email", "--direction", "inbound",
                 "--summary", "Invoice?", "--at", "yesterday 10am")  # fmt: skip
    assert logged[0] == 0
    code, out, _ = run(capsys, "today")  # exactly 24 h
    assert code == 0 and "OVERDUE" not in out and "Invoice? · waiting 1 d" in out
    clock.freeze(FROZEN + timedelta(minutes=1))
    code, out, _ = run(capsys, "today")
    assert code == 1 and "OVERDUE  Alice Anders (alice-anders) · Invoice? · waiting 1 d" in out


def test_the_brief_shows_a_key_date_exactly_14_days_ahead(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "keydate", "add", "alice", "Renewal", "--on", "2026-12-07", "--once")
    run(capsys, "keydate", "add", "alice", "Launch", "--on", "2026-12-08", "--once")
    out = run(capsys, "brief", "alice")[1]
    assert "Key dates ahead:\n  Renewal: Mon 7 Dec 2026, in 14 days\n" in out
    assert "Launch" not in out
    today = json.loads(run(capsys, "today", "--json")[1])
    assert [i["text"] for s in today["sections"] for i in s["items"]] == ["Renewal"]
