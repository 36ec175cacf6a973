"""Properties of `promise`, `concern` and `keydate` commands, for any text, any date and any id.

What they saved is read back through `promise list CLIENT --all --json`, `concern list CLIENT --all --json`
and `keydate list CLIENT --json` and compared with what was given, cleaned: one-line `what` and key date
labels, multi-line concern words and remedies, days as the date reader reads them in the user's zone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clientbook.core.care.operations import snooze_client
from clientbook.core.dates import format_date
from clientbook.core.errors import ValidationError
from clientbook.core.models import Staff
from tests.cli.conftest import run
from tests.cli.harness import (
    PROPERTIES,
    STAFF,
    STAFF_NAMES,
    PropertyCLI,
    TextField,
    Verdict,
    as_id,
    combine,
    decodes,
    expect,
    read_day,
    today,
)
from tests.conftest import add
from tests.strategies import dates, hostile_text, multi_line_text, plain_text, record_ids, weighted

pytestmark = pytest.mark.properties

WHAT = TextField(("what",), 300, required=True)
WORDS = TextField(("words",), 20_000, required=True, multi=True)
REMEDY = TextField(("remedy", "--remedy"), 2_000, multi=True)
LABEL = TextField(("label",), 200, required=True)
VALID_DAYS = ["tomorrow", "fri", "2026-12-01", "in 3 days", "24 dec", "next mon", "2027-02-28", "today"]
SEVERITIES = ["low", "medium", "high"]

texts = weighted((2, plain_text()), (2, hostile_text()))
multi_texts = weighted((2, plain_text(max_size=80)), (2, multi_line_text()))
days = weighted((2, st.sampled_from(VALID_DAYS)), (2, dates))
staff_refs = weighted((3, st.none()), (2, st.sampled_from(list(STAFF))), (1, hostile_text(20)))
severities = weighted((4, st.sampled_from(SEVERITIES)), (1, hostile_text(10)))


@dataclass
class Rotating:
    """The client new records go to; every few saves a new one, so each read-back lists a few records, not
    every record the property has made."""

    cli: PropertyCLI
    every: int = 30
    slug: str = ""
    saves: int = 0

    def fresh(self) -> None:
        number = self.saves // self.every + 1
        name, email = f"Care Client {number}", f"care{number}@x.com"
        self.slug = self.cli.ok("client", "add", f"--name={name}", f"--email={email}").out.strip()

    def saved(self) -> None:
        self.saves += 1
        if self.saves % self.every == 0:
            self.fresh()


@pytest.fixture
def client(cli: PropertyCLI) -> Rotating:
    rotating = Rotating(cli)
    rotating.fresh()
    return rotating


CLIENT_REFS: st.SearchStrategy[str | None] = weighted((4, st.none()), (1, hostile_text(20)))
"""None: the client the records go to now (see :class:`Rotating`); otherwise any text. (A strategy made for
each example, around the current slug, would cost more to draw from than the command takes to run.)"""


def argv_value(value: str, *, separated: bool) -> tuple[list[str], Verdict]:
    """A positional value; one that looks like an option is only a value after `--`."""
    return ([value], "either" if not separated and value.startswith("-") else "accept")


def expected_staff(ref: str | None) -> tuple[Verdict, str | None]:
    """Whether `--by`/`--owner REF` names a staff member, and their name (None: unknown). Not given, or
    given empty, is the default: you (Pat Owner), or for a concern the point-person (Pat Owner too)."""
    if not ref:
        return "accept", "Pat Owner"
    if ref in STAFF:
        return "accept", STAFF_NAMES[STAFF[ref]]
    return "either", None


def listed(cli: PropertyCLI, kind: str, slug: str, ident: int) -> dict[str, Any]:
    """Record `ident` as `KIND list SLUG --json` (with --all where there is one) shows it."""
    every = ["--all"] if kind in ("promise", "concern") else []
    rows = cli.ok(kind, "list", slug, *every, "--json").json()
    found = [row for row in rows if row["id"] == ident]
    assert len(found) == 1, (kind, ident, rows)
    row: dict[str, Any] = found[0]
    return row


# Promises ---------------------------------------------------------------------------------------------


@PROPERTIES
@given(drawn_ref=CLIENT_REFS, what=texts, due=days, by=staff_refs, separated=st.booleans())
def test_promise_add_saves_what_was_promised_or_refuses_writing_nothing(
    client: Rotating, *, drawn_ref: str | None, what: str, due: str, by: str | None, separated: bool
) -> None:
    ref = client.slug if drawn_ref is None else drawn_ref
    verdicts: dict[str, Verdict] = {
        "what": WHAT.verdict(what),
        "client": "accept" if ref == client.slug else "either",
    }
    day = read_day(due)
    verdicts["due"] = "accept" if day else "refuse"
    verdicts["by"], made_by = expected_staff(by)
    positional = [ref, what]
    verdicts["argparse"] = combine(argv_value(v, separated=separated)[1] for v in positional)
    if not all(decodes(v) for v in [*positional, due, by or ""]):
        verdicts = {"decoding": "refuse"}
    args = [f"--due={due}", *([f"--by={by}"] if by is not None else [])]
    result = client.cli("promise", "add", *args, *(["--"] if separated else []), *positional)
    refusing = [k for k in ("what", "due") if verdicts.get(k) == "refuse"]
    if expect(result, combine(verdicts.values()), refusing) and ref == client.slug:
        row = listed(client.cli, "promise", ref, int(result.out))
        assert (row["what"], row["due"], row["status"]) == (WHAT.clean(what), str(day), "open")
        assert row["made_by"] == made_by or made_by is None
        client.saved()


@dataclass
class Known:
    """The records the properties may act on, by id, as the last read-back showed them; `make` adds one
    when fewer than three are still open, so the saved path stays as likely as the first time."""

    cli: PropertyCLI
    kind: str
    make: list[str]
    rows: dict[int, dict[str, Any]] = field(default_factory=dict)
    client: str = ""
    made: int = 0

    def add(self) -> None:
        if self.made % 25 == 0:  # a new client now and then: each read-back lists that client's records
            number = self.made // 25 + 1
            name, email = f"{self.kind} client {number}", f"{self.kind}{number}@x.com"
            self.client = self.cli.ok("client", "add", f"--name={name}", f"--email={email}").out.strip()
        ident = int(self.cli.ok(self.kind, "add", self.client, *self.make).out)
        self.rows[ident] = listed(self.cli, self.kind, self.client, ident)
        self.made += 1

    def now(self, ident: int) -> dict[str, Any]:
        """Record `ident` as its client's list shows it now."""
        return listed(self.cli, self.kind, self.rows[ident]["client_slug"], ident)

    def target(self, drawn: Pick | str) -> str:
        """A :class:`Pick` is one of the known records (one still open, mostly); text is as typed."""
        if isinstance(drawn, str):
            return drawn
        still_open = [
            i
            for i, row in self.rows.items()
            if row.get("status", "open") in ("open", "renegotiated") and not row.get("resolved")
        ]
        while len(still_open) < 3:
            self.add()
            still_open = [max(self.rows), *still_open]
        pool = still_open if drawn.number % 4 else sorted(self.rows)
        return str(pool[drawn.number % len(pool)])

    def get(self, target: str) -> tuple[int | None, dict[str, Any] | None]:
        ident = as_id(target) if len(target) < 100 else None
        return ident, self.rows.get(ident) if ident is not None else None


@pytest.fixture
def promises(cli: PropertyCLI) -> Known:
    return Known(cli, "promise", ["A promise", "--due=fri"])


@dataclass(frozen=True)
class Pick:
    """One of the records the test knows, the `number`th (see :meth:`Known.target`)."""

    number: int


targets: st.SearchStrategy[Pick | str] = weighted((3, st.builds(Pick, st.integers(0, 1000))), (1, record_ids))
"""Mostly a record the test knows; otherwise any id as typed."""


@PROPERTIES
@given(target=targets, what=st.one_of(st.none(), texts), due=st.one_of(st.none(), days), by=staff_refs)
def test_promise_edit_changes_what_was_given_or_refuses_writing_nothing(
    cli: PropertyCLI,
    *,
    promises: Known,
    target: Pick | str,
    what: str | None,
    due: str | None,
    by: str | None,
) -> None:
    target = promises.target(target)
    ident, row = promises.get(target)
    expected = dict(row or {})
    verdicts: dict[str, Verdict] = {"id": "accept" if row else "refuse"}
    if what is not None:
        verdicts["what"], expected["what"] = WHAT.verdict(what), WHAT.clean(what)
    if due is not None:
        day = read_day(due)
        verdicts["due"], expected["due"] = ("accept" if day else "refuse"), str(day)
    if by is not None:
        verdicts["by"], name = expected_staff(by) if by != "" else ("refuse", None)
        expected["made_by"] = name or expected.get("made_by")
    given = [v for v in (target, what, due, by) if v is not None]
    if not all(decodes(v) for v in given):
        verdicts["decoding"] = "refuse"
    options = [f"--{k}={v}" for k, v in (("what", what), ("due", due), ("by", by)) if v is not None]
    result = cli("promise", "edit", *options, "--", target)
    if expect(result, combine(verdicts.values())):
        assert ident is not None and row is not None
        now = promises.now(ident)
        assert now == expected, (now, expected)
        promises.rows[ident] = now


@PROPERTIES
@given(target=targets, due=days)
def test_promise_renegotiate_moves_the_due_day_or_refuses_writing_nothing(
    cli: PropertyCLI, promises: Known, target: Pick | str, due: str
) -> None:
    _close_or_move(cli, promises, "renegotiate", target, due, yes=False)


@PROPERTIES
@given(verb=st.sampled_from(["keep", "break", "delete"]), target=targets, yes=st.booleans())
def test_promise_keep_break_and_delete_take_any_id(
    cli: PropertyCLI, promises: Known, verb: str, target: Pick | str, yes: bool
) -> None:
    _close_or_move(cli, promises, verb, target, "", yes=yes)


def _close_or_move(
    cli: PropertyCLI, promises: Known, verb: str, target: Pick | str, due: str, *, yes: bool
) -> None:
    target = promises.target(target)
    ident, row = promises.get(target)
    verdict: Verdict = "accept" if row else "refuse"
    args = {"renegotiate": [f"--due={due}"], "delete": ["--yes"] if yes else []}.get(verb, [])
    if row and verb in ("keep", "break", "renegotiate") and row["status"] not in ("open", "renegotiated"):
        verdict = "refuse"  # already kept or broken
    day = read_day(due)
    if verb == "renegotiate" and (day is None or day < today()):
        verdict = "refuse"
    if verb == "delete" and not yes:
        verdict = "refuse"  # no terminal to ask on
    if not decodes(target) or (verb == "renegotiate" and not decodes(due)):
        verdict = "refuse"
    result = cli("promise", verb, *args, "--", target)
    if expect(result, verdict) and ident is not None:
        if verb == "delete":
            del promises.rows[ident]
            return
        now = promises.now(ident)
        status = {"keep": "kept", "break": "broken", "renegotiate": "renegotiated"}[verb]
        assert now["status"] == status
        if verb == "renegotiate":
            assert (
                now["due"] == str(day) and result.out == f"{ident}: now due {format_date(day or today())}\n"
            )
        promises.rows[ident] = now


@PROPERTIES
@given(
    client=st.one_of(st.none(), st.sampled_from(["promise-client-1", "alice", "promise"]), hostile_text(20)),
    every=st.booleans(),
    records=st.booleans(),
    as_json=st.booleans(),
)
def test_promise_list_reads_any_client_and_writes_nothing(
    cli: PropertyCLI, *, promises: Known, client: str | None, every: bool, records: bool, as_json: bool
) -> None:
    flags = [flag for flag, on in (("--all", every), ("--records", records), ("--json", as_json)) if on]
    result = cli("promise", "list", *flags, *(["--", client] if client is not None else []))
    assert not result.wrote
    if result.saved and as_json:
        assert isinstance(result.json(), list)


# Concerns ---------------------------------------------------------------------------------------------


@PROPERTIES
@given(
    drawn_ref=CLIENT_REFS, words=multi_texts, severity=severities, owner=staff_refs, separated=st.booleans()
)
def test_concern_add_saves_the_clients_words_or_refuses_writing_nothing(
    client: Rotating, *, drawn_ref: str | None, words: str, severity: str, owner: str | None, separated: bool
) -> None:
    ref = client.slug if drawn_ref is None else drawn_ref
    verdicts: dict[str, Verdict] = {
        "words": WORDS.verdict(words),
        "client": "accept" if ref == client.slug else "either",
    }
    verdicts["severity"] = "accept" if severity in SEVERITIES else "refuse"
    verdicts["owner"], owner_name = expected_staff(owner)
    verdicts["argparse"] = combine(argv_value(v, separated=separated)[1] for v in (ref, words))
    if not all(decodes(v) for v in (ref, words, severity, owner or "")):
        verdicts = {"decoding": "refuse"}
    options = [f"--severity={severity}", *([f"--owner={owner}"] if owner is not None else [])]
    result = client.cli("concern", "add", *options, *(["--"] if separated else []), ref, words)
    refusing = ["words"] if verdicts.get("words") == "refuse" else []
    if expect(result, combine(verdicts.values()), refusing) and ref == client.slug:
        row = listed(client.cli, "concern", ref, int(result.out))
        assert (row["words"], row["severity"], row["acknowledged"], row["resolved"]) == (
            WORDS.clean(words),
            severity,
            False,
            False,
        )
        assert row["owner"] == owner_name or owner_name is None
        assert client.cli.ok("history", "--json", "--limit=1").json()[0]["by"] == "Pat Owner"  # who did it
        client.saved()


@pytest.fixture
def concerns(cli: PropertyCLI) -> Known:
    return Known(cli, "concern", ["The invoice was wrong", "--severity=low"])


@PROPERTIES
@given(target=targets, apology=st.booleans(), remedy=st.one_of(st.none(), multi_texts))
def test_concern_ack_records_the_apology_and_remedy_or_refuses_writing_nothing(
    cli: PropertyCLI, concerns: Known, target: Pick | str, apology: bool, remedy: str | None
) -> None:
    target = concerns.target(target)
    ident, row = concerns.get(target)
    verdicts: dict[str, Verdict] = {"id": "accept" if row and not row["resolved"] else "refuse"}
    expected = dict(row or {}) | {"acknowledged": True, "apology": apology or bool(row and row["apology"])}
    if remedy is not None and remedy.strip():
        verdicts["remedy"], expected["remedy"] = REMEDY.verdict(remedy), REMEDY.clean(remedy)
    if not all(decodes(v) for v in (target, remedy or "")):
        verdicts["decoding"] = "refuse"
    options = [*(["--apology"] if apology else []), *([f"--remedy={remedy}"] if remedy is not None else [])]
    result = cli("concern", "ack", *options, "--", target)
    if expect(result, combine(verdicts.values())):
        assert ident is not None
        now = concerns.now(ident)
        assert now == expected, (now, expected)
        concerns.rows[ident] = now


@PROPERTIES
@given(
    target=targets,
    word=weighted((3, st.sampled_from(["resolved", "Resolved", " RESOLVED "])), (1, hostile_text(12))),
    confirmed=st.booleans(),
    checkin=st.one_of(st.none(), days),
)
def test_concern_resolve_closes_it_with_a_checkin_or_refuses_writing_nothing(
    cli: PropertyCLI, *, concerns: Known, target: Pick | str, word: str, confirmed: bool, checkin: str | None
) -> None:
    target = concerns.target(target)
    ident, row = concerns.get(target)
    verdicts: dict[str, Verdict] = {"id": "accept" if row and not row["resolved"] else "refuse"}
    verdicts["resolved"] = "accept" if word.strip().lower() == "resolved" else "refuse"
    day = today() + timedelta(days=7)
    if checkin is not None and checkin.strip():
        read = read_day(checkin)
        verdicts["checkin"] = "accept" if read else "refuse"
        day = read or day
    if not all(decodes(v) for v in (target, word, checkin or "")):
        verdicts["decoding"] = "refuse"
    options = [
        "--confirmed" if confirmed else "--unconfirmed",
        *([f"--checkin={checkin}"] if checkin else []),
    ]
    result = cli("concern", "resolve", *options, "--", target, word)
    if expect(result, combine(verdicts.values())):
        assert ident is not None and row is not None
        assert result.out == f"{ident}: resolved; check in on {format_date(day)}\n"
        now = concerns.now(ident)
        assert now == row | {"resolved": True, "acknowledged": True, "client_confirmed": confirmed}
        concerns.rows[ident] = now


@PROPERTIES
@given(
    target=targets,
    words=st.one_of(st.none(), multi_texts),
    severity=st.one_of(st.none(), severities),
    owner=staff_refs,
)
def test_concern_edit_changes_what_was_given_or_refuses_writing_nothing(
    cli: PropertyCLI,
    *,
    concerns: Known,
    target: Pick | str,
    words: str | None,
    severity: str | None,
    owner: str | None,
) -> None:
    target = concerns.target(target)
    ident, row = concerns.get(target)
    expected = dict(row or {})
    verdicts: dict[str, Verdict] = {"id": "accept" if row else "refuse"}
    if words is not None:
        verdicts["words"], expected["words"] = WORDS.verdict(words), WORDS.clean(words)
    if severity is not None:
        verdicts["severity"] = "accept" if severity in SEVERITIES else "refuse"
        expected["severity"] = severity
    if owner:  # `--owner=` keeps the owner
        verdicts["owner"], name = expected_staff(owner)
        expected["owner"] = name or expected.get("owner")
    if not all(decodes(v) for v in (target, words or "", severity or "", owner or "")):
        verdicts["decoding"] = "refuse"
    options = [
        f"--{k}={v}" for k, v in (("words", words), ("severity", severity), ("owner", owner)) if v is not None
    ]
    result = cli("concern", "edit", *options, "--", target)
    if expect(result, combine(verdicts.values())):
        assert ident is not None
        now = concerns.now(ident)
        assert now == expected, (now, expected)
        concerns.rows[ident] = now


# Key dates --------------------------------------------------------------------------------------------


@PROPERTIES
@given(drawn_ref=CLIENT_REFS, label=texts, on=days, once=st.booleans(), separated=st.booleans())
def test_keydate_add_saves_the_label_and_day_or_refuses_writing_nothing(
    client: Rotating, *, drawn_ref: str | None, label: str, on: str, once: bool, separated: bool
) -> None:
    ref = client.slug if drawn_ref is None else drawn_ref
    day = read_day(on)
    verdicts: dict[str, Verdict] = {"label": LABEL.verdict(label), "on": "accept" if day else "refuse"}
    verdicts["client"] = "accept" if ref == client.slug else "either"
    verdicts["argparse"] = combine(argv_value(v, separated=separated)[1] for v in (ref, label))
    if not all(decodes(v) for v in (ref, label, on)):
        verdicts = {"decoding": "refuse"}
    options = [f"--on={on}", *(["--once"] if once else [])]
    result = client.cli("keydate", "add", *options, *(["--"] if separated else []), ref, label)
    # The client is looked up first: naming another client's problem is no less right.
    refusing = [k for k in ("label", "on") if verdicts.get(k) == "refuse" and ref == client.slug]
    if expect(result, combine(verdicts.values()), refusing) and ref == client.slug:
        row = listed(client.cli, "keydate", ref, int(result.out))
        assert (row["label"], row["on"], row["yearly"]) == (LABEL.clean(label), str(day), not once)
        client.saved()


@PROPERTIES
@given(target=st.one_of(st.just("new"), record_ids), yes=st.booleans())
def test_keydate_remove_takes_any_id_or_refuses_writing_nothing(
    cli: PropertyCLI, target: str, yes: bool
) -> None:
    if target == "new":
        target = cli.ok("keydate", "add", "alice", "Renewal", "--on=2027-01-31", "--once").out.strip()
    result = cli("keydate", "remove", *(["--yes"] if yes else []), "--", target)
    if not yes:
        assert result.code == 2
    if result.saved:
        assert as_id(target) not in [row["id"] for row in cli.ok("keydate", "list", "--json").json()]


@PROPERTIES
@given(
    kind=st.sampled_from(["concern", "keydate"]),
    client=st.one_of(st.none(), hostile_text(20)),
    flags=st.sets(st.sampled_from(["--all", "--json"])),
)
def test_concern_and_keydate_lists_read_any_client_and_write_nothing(
    cli: PropertyCLI, kind: str, client: str | None, flags: set[str]
) -> None:
    if kind == "keydate":
        flags.discard("--all")
    result = cli(kind, "list", *sorted(flags), *(["--", client] if client is not None else []))
    assert not result.wrote


# Found by the properties above ------------------------------------------------------------------------


@pytest.mark.parametrize("label", ["\u200b", "\u200b\u200c", "\ufeff", "\u3164", "\u2800"])
def test_a_key_date_label_of_invisible_characters_is_refused(
    book_with_alice: str, capsys: pytest.CaptureFixture[str], label: str
) -> None:
    # A required field must show something (issue 9, defect 14); the key date label was only checked for
    # being empty, so a label of zero-width characters was saved and listed as blank.
    code, _, err = run(capsys, "keydate", "add", "alice", label, "--on=14 mar")
    assert (code, err) == (2, "label: must contain something visible\n")


def test_a_concerns_owner_is_not_who_signs_in(
    book_with_alice: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # Found by the concern property: `concern add --owner` and `concern edit --owner` shared their dest with
    # clientbook's own `--owner`, so the concern's owner was signed in and recorded as having done it.
    assert run(capsys, "staff", "add", "Sam Rivera")[0] == 0
    code, out, err = run(capsys, "concern", "add", "alice", "Late again", "--severity=high", "--owner=sam")
    assert code == 0, err
    assert run(capsys, "concern", "edit", out.strip(), "--owner=sam-rivera", "--severity=low")[0] == 0
    history = json.loads(run(capsys, "history", "--json", "--limit=2")[1])
    assert [row["by"] for row in history] == ["Pat Owner", "Pat Owner"]
    assert json.loads(run(capsys, "concern", "list", "--json")[1])[0]["owner"] == "Sam Rivera"
    code, _, err = run(capsys, "--owner=sam", "concern", "add", "alice", "Rude reply", "--severity=low")
    assert code == 0 and json.loads(run(capsys, "history", "--json", "--limit=1")[1])[0]["by"] == "Sam Rivera"


def test_a_positional_given_as_double_dash_is_that_text(
    book_with_alice: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # Found by the resolve property: after the `--` that ends the options, a positional given as `--` came
    # through argparse as an empty list (AttributeError: 'list' object has no attribute 'strip').
    code, out, _ = run(capsys, "concern", "add", "alice", "Broken", "--severity=low")
    code, _, err = run(capsys, "concern", "resolve", "--confirmed", "--", out.strip(), "--")
    assert (code, err) == (2, 'resolved: type "resolved" to close a concern\n')
    code, out, err = run(capsys, "promise", "add", "--due=fri", "--", "alice", "--")
    assert code == 0, err
    assert json.loads(run(capsys, "promise", "list", "--json")[1])[0]["what"] == "--"


@pytest.mark.parametrize("reason", ["\u200b", "\u3164 \u2800"])
def test_a_snooze_reason_of_invisible_characters_is_refused(owner: Staff, reason: str) -> None:
    # The same gap as the key date label's (the TUI's snooze dialog has no CLI command to drive it from).
    client = add(owner, "Alice Anders")
    with pytest.raises(ValidationError) as refused:
        snooze_client(client.id, actor=owner, reason=reason, until="", zone="Europe/London")
    assert refused.value.errors == {"reason": "must contain something visible"}
