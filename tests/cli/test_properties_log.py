"""Properties of `log add|edit|show|list|delete|ack`, for any text, any date and any id.

What `log add` and `log edit` saved is read back through `log show ID --json` and compared with what was
given after the documented cleaning (one-line summary, multi-line details, the channel in lower case, `--at`
and `--follow-up` as the date reader reads them in the user's zone); what they refused wrote nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clientbook.core.dates import iso_utc
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
    from_pool,
    read_day,
    read_moment,
)
from tests.strategies import dates, hostile_text, multi_line_text, plain_text, record_ids, weighted

pytestmark = pytest.mark.properties

SUMMARY = TextField(("summary", "--summary"), 300, required=True)
DETAILS = TextField(("details", "--details"), 20_000, multi=True)
CHANNELS = ["call", "email", "meeting", "message", "note"]
CLIENTS = {
    "alice-anders": "alice-anders",
    "alice": "alice-anders",
    "bob-byrne": "bob-byrne",
    "b": "bob-byrne",
}
VALID_AT = [
    "now",
    "today 9am",
    "yesterday 14:00",
    "2026-11-20 10:00",
    "3 hours ago",
    "in 4 min",
    "fri 3pm",
    "2026-10-25 00:30 UTC",
    "2026-10-25 01:30 utc",
    "24 Nov 2025 7:30pm",
    "noon",
]
VALID_DAYS = ["", "tomorrow", "fri", "2026-12-01", "in 3 days", "24 dec", "next mon", "2027-02-29"]


@pytest.fixture
def logbook(cli: PropertyCLI) -> PropertyCLI:
    """The property book with a second client and a few interactions (ids 1 to 4)."""
    cli.ok("client", "add", "--name", "Bob Byrne", "--phone", "020 7946 0018")
    for client, direction in (
        ("alice", "inbound"),
        ("bob", "inbound"),
        ("alice", "outbound"),
        ("bob", "internal"),
    ):
        cli.ok(
            "log",
            "add",
            client,
            "--channel",
            "email",
            "--direction",
            direction,
            "--summary",
            "Hello",
            "--at",
            "2026-11-20 10:00",
        )
    return cli


@dataclass
class LogCase:
    """The options of one `log add` or `log edit` (None: not given)."""

    values: dict[str, str | None] = field(default_factory=dict)
    answers: str | None = None
    no_answer: bool = False
    spaced: bool = False
    """Options given as `--summary VALUE` rather than `--summary=VALUE`."""

    def argv(self) -> list[str]:
        args: list[str] = []
        for name, value in self.values.items():
            if value is not None:
                args += [name, value] if self.spaced else [f"{name}={value}"]
        if self.answers is not None:
            args.append(f"--answers={self.answers}")
        if self.no_answer:
            args.append("--no-answer")
        return args


VALID: dict[str, st.SearchStrategy[str]] = {
    "--channel": st.sampled_from([*CHANNELS, "EMAIL", " call "]),
    "--direction": st.sampled_from(["inbound", "outbound", "internal"]),
    "--summary": plain_text(),
    "--at": st.sampled_from(VALID_AT),
    "--details": st.one_of(st.just(""), plain_text(max_size=80)),
    "--handled-by": st.sampled_from(list(STAFF)),
    "--follow-up": st.sampled_from(VALID_DAYS),
    "--mood": st.sampled_from(["", "upset", "neutral", "happy"]),
}
HOSTILE: dict[str, st.SearchStrategy[str]] = {
    "--channel": from_pool(["fax", "", "e-mail"], hostile_text(12)),
    "--direction": from_pool(["Inbound", "in", ""], hostile_text(12)),
    "--summary": hostile_text(),
    "--at": dates,
    "--details": multi_line_text(),
    "--handled-by": from_pool(["", "nobody", "%", "_"], hostile_text(20)),
    "--follow-up": dates,
    "--mood": from_pool(["angry", "Happy"], hostile_text(8)),
}
NAMES = sorted(VALID)
SOME = st.sets(st.sampled_from(NAMES), max_size=len(NAMES))
FEW = weighted(
    (2, st.just(frozenset[str]())),
    (1, st.sets(st.sampled_from(NAMES), max_size=1)),
    (1, st.sets(st.sampled_from(NAMES), max_size=2)),
    (1, SOME),
)
"""Which options are hostile: none (a third of examples), one, two, or any number of them."""
ANSWERS = weighted(
    (12, st.none()),
    (1, st.sampled_from(["1", "1,3", "2", "", ",", "x", "99", "9" * 30])),
    (1, hostile_text(8)),
)


@st.composite
def log_cases(draw: st.DrawFn, *, adding: bool) -> LogCase:
    required = {"--channel", "--direction", "--summary"} if adding else set()
    given = draw(SOME) | required
    hostile = draw(FEW)
    values = {
        name: draw((HOSTILE if name in hostile else VALID)[name]) if name in given else None for name in NAMES
    }
    return LogCase(
        values=values,
        answers=draw(ANSWERS) if adding else None,
        no_answer=draw(st.integers(0, 4)) == 0 if adding else False,
        spaced=draw(st.integers(0, 4)) == 0,
    )


def foretell(
    case: LogCase, current: dict[str, Any], *, adding: bool
) -> tuple[Verdict, list[str], dict[str, Any]]:
    """The verdict, the fields that must be named if refused, and what `log show --json` should then show."""
    v = case.values
    verdicts: dict[str, Verdict] = {}
    expected = dict(current)
    given = [value for value in v.values() if value is not None] + [case.answers or ""]
    if not all(decodes(value) for value in given):
        return "refuse", [], expected
    if case.spaced and any(value.startswith("-") for value in given):
        verdicts["argparse"] = "either"
    for name, key, rule in (("--summary", "summary", SUMMARY), ("--details", "details", DETAILS)):
        if (raw := v[name]) is not None:
            verdicts[key], expected[key] = rule.verdict(raw), rule.clean(raw)
    if (raw := v["--channel"]) is not None:
        channel = raw.strip().lower()
        verdicts["channel"] = "accept" if channel in CHANNELS else "refuse"
        expected["channel"] = channel
    if (raw := v["--direction"]) is not None:
        verdicts["direction"] = "accept" if raw in ("inbound", "outbound", "internal") else "refuse"
        expected["direction"] = raw
    if (raw := v["--mood"]) is not None:
        verdicts["mood"] = "accept" if raw in ("", "upset", "neutral", "happy") else "refuse"
        expected["mood"] = raw or None
    if (raw := v["--handled-by"]) is not None:
        if adding and raw == "":
            raw = "pat-owner"  # `log add --handled-by=` is the default: you
        verdicts["handled-by"] = "accept" if raw in STAFF else "refuse" if not raw.strip() else "either"
        expected["handled_by"] = STAFF_NAMES.get(STAFF.get(raw, ""), UNKNOWN)
    if (raw := v["--at"]) is not None and raw.strip() != current.get("_when"):
        moment = read_moment(raw)
        verdicts["at"] = "refuse" if moment is None else "accept"
        expected["at"] = iso_utc(moment)
        expected["at_zone"] = "Europe/London"
    if (raw := v["--follow-up"]) is not None:
        day = read_day(raw) if raw.strip() else None
        verdicts["follow-up"] = "refuse" if raw.strip() and day is None else "accept"
        expected["follow_up"] = day.isoformat() if day else None
    if case.answers is not None:
        verdicts["answers"] = "either"  # which messages still await a reply depends on the examples before
        if not all(as_id(part) is not None for part in case.answers.split(",") if part.strip()):
            return "refuse", ["answers"], expected  # refused before the rest is looked at
        if case.no_answer:
            verdicts["argparse (--answers with --no-answer)"] = "refuse"
    if (case.answers or "").strip(", ") and expected.get("direction") != "outbound":
        verdicts["answers (not outbound)"] = "refuse"
    return (
        combine(verdicts.values()),
        [k for k, f in verdicts.items() if f == "refuse" and " " not in k],
        expected,
    )


UNKNOWN = "<a staff member named by hostile text: any may be found>"
LOGGED: dict[str, Any] = {
    "channel": "",
    "direction": "",
    "summary": "",
    "details": "",
    "handled_by": "Pat Owner",
    "follow_up": None,
    "mood": None,
    "at": iso_utc(read_moment("now")),
    "at_zone": "Europe/London",
}


def shown(cli: PropertyCLI, ident: int | str) -> dict[str, Any]:
    row: dict[str, Any] = cli.ok("log", "show", str(ident), "--json").json()
    return row


def compare(row: dict[str, Any], expected: dict[str, Any]) -> None:
    for key in LOGGED:
        if expected[key] != UNKNOWN:
            assert row[key] == expected[key], (key, row[key], expected[key])
    if "client" in expected:
        assert row["client"] == expected["client"], (row["client"], expected["client"])


CLIENT_REFS = weighted((2, st.sampled_from(list(CLIENTS))), (1, hostile_text(20)))


@PROPERTIES
@given(case=log_cases(adding=True), client=CLIENT_REFS, separated=st.booleans())
def test_log_add_saves_what_was_given_cleaned_or_refuses_writing_nothing(
    logbook: PropertyCLI, case: LogCase, client: str, separated: bool
) -> None:
    verdict, refusing, expected = foretell(case, LOGGED, adding=True)
    if client in CLIENTS:
        expected["client"] = CLIENTS[client]
    elif not decodes(client):
        verdict, refusing = "refuse", []
    else:
        verdict = combine([verdict, "either"])
    where = [*case.argv(), "--", client] if separated else [client, *case.argv()]
    if not separated and client.startswith("-"):
        verdict = combine([verdict, "either"])
    result = logbook("log", "add", *where)
    if expect(result, verdict, refusing):
        ident = int(result.out)
        compare(shown(logbook, ident), expected)
        logbook.remember("interaction", ident)


@dataclass
class Edits:
    """What the edit property knows of each interaction it can edit: as `log show --json` last showed it."""

    rows: dict[int, dict[str, Any]] = field(default_factory=dict)


@pytest.fixture
def edits(logbook: PropertyCLI) -> Edits:
    known = Edits()
    for ident in range(1, 5):
        known.rows[ident] = shown(logbook, ident)
    return known


def _when(row: dict[str, Any]) -> str:
    """The interaction's time as `log edit` writes it in the draft it starts from (24-hour, London)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    moment = datetime.fromisoformat(row["at"].replace("Z", "+00:00")).astimezone(ZoneInfo("Europe/London"))
    return f"{moment:%Y-%m-%d %H:%M}"


@PROPERTIES
@given(
    case=log_cases(adding=False),
    target=st.one_of(st.sampled_from(["1", "2", "3", "4"]), record_ids),
    client=st.one_of(st.none(), st.none(), CLIENT_REFS),
)
def test_log_edit_changes_only_the_fields_given_cleaned_or_refuses_writing_nothing(
    logbook: PropertyCLI, edits: Edits, case: LogCase, target: str, client: str | None
) -> None:
    ident = as_id(target) if len(target) < 100 else None
    known = edits.rows.get(ident) if ident is not None else None
    current = dict(known or LOGGED) | ({"_when": _when(known)} if known else {})
    verdict, refusing, expected = foretell(case, current, adding=False)
    if known is None:
        verdict, refusing = "refuse", []  # no interaction has that id (or it is not an id)
    if client is not None:
        if client in CLIENTS:
            expected["client"] = CLIENTS[client]
        elif not decodes(client):
            verdict, refusing = "refuse", []
        else:
            verdict = combine([verdict, "either"])
    args = [*case.argv(), *([f"--client={client}"] if client is not None else [])]
    result = logbook("log", "edit", *args, "--", target)
    if expect(result, verdict, refusing):
        assert known is not None
        assert ident is not None
        row = shown(logbook, ident)
        compare(row, expected)
        edits.rows[ident] = row


TARGETS = st.one_of(record_ids, CLIENT_REFS)


@PROPERTIES
@given(reader=st.sampled_from(["show", "show --json"]), target=TARGETS)
def test_log_show_takes_any_id_and_writes_nothing(logbook: PropertyCLI, reader: str, target: str) -> None:
    _read(logbook, reader, target)


@PROPERTIES
@given(reader=st.sampled_from(["list", "list --json", "list --awaiting-reply"]), target=TARGETS)
def test_log_list_takes_any_client_and_writes_nothing(logbook: PropertyCLI, reader: str, target: str) -> None:
    _read(logbook, reader, target)


@PROPERTIES
@given(target=TARGETS)
def test_log_ack_takes_any_id(logbook: PropertyCLI, target: str) -> None:
    _read(logbook, "ack", target)


def _read(logbook: PropertyCLI, reader: str, target: str) -> None:
    verb, *flags = reader.split()
    result = logbook("log", verb, *flags, "--", target)
    if verb != "ack":
        assert not result.wrote
    if result.saved and reader == "show --json":
        assert result.json()["id"] == as_id(target)
    if result.saved and reader == "list --json" and target in CLIENTS:
        assert {row["client"] for row in result.json()} <= {CLIENTS[target]}


@PROPERTIES
@given(target=st.one_of(st.just("new"), record_ids), yes=st.booleans())
def test_log_delete_removes_the_interaction_or_refuses_writing_nothing(
    logbook: PropertyCLI, target: str, yes: bool
) -> None:
    if target == "new":
        target = logbook.ok(
            "log", "add", "alice", "--channel=note", "--direction=internal", "--summary=x"
        ).out
        target = target.strip()
    result = logbook("log", "delete", *(["--yes"] if yes else []), "--", target)
    if not yes:
        assert result.code == 2, "deleted without --yes and without a terminal to ask on"
    if result.saved:
        assert logbook("log", "show", target).code == 2  # gone from every reader


def test_an_interaction_in_the_hour_that_happens_twice_can_be_edited(
    book_with_alice: str, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Found by the edit property: the draft an edit starts from holds the time as London's wall clock showed
    # it (01:30 on the night clocks go back), which the reader refuses as ambiguous, so every edit of that
    # interaction was refused with "at: 01:30 happens twice", whatever was edited.
    settings = tmp_path / "settings.toml"
    settings.write_text('timezone = "Europe/London"\n')
    monkeypatch.setenv("CLIENTBOOK_SETTINGS", str(settings))
    logged = ["log", "add", "alice", "--channel=call", "--direction=inbound", "--summary=Called"]
    for when, iso in (
        ("2026-10-25 00:30 UTC", "2026-10-25T00:30:00Z"),
        ("2026-10-25 01:30 UTC", "2026-10-25T01:30:00Z"),
    ):
        code, out, err = run(capsys, *logged, f"--at={when}")
        assert code == 0, err
        ident = out.strip()
        code, _, err = run(capsys, "log", "edit", ident, "--summary=Called back")
        assert (code, err) == (0, "")
        row = json.loads(run(capsys, "log", "show", ident, "--json")[1])
        assert (row["summary"], row["at"]) == ("Called back", iso)


@pytest.mark.parametrize(
    "args",
    [
        ["log", "show"],
        ["log", "edit"],
        ["log", "delete", "--yes"],
        ["log", "ack"],
        ["promise", "keep"],
        ["promise", "break"],
        ["promise", "edit"],
        ["promise", "delete", "--yes"],
        ["concern", "ack"],
        ["concern", "edit"],
        ["concern", "delete", "--yes"],
        ["keydate", "remove", "--yes"],
        ["promise", "renegotiate", "--due=fri"],
        ["concern", "resolve", "--confirmed", "resolved"],
    ],
)
@pytest.mark.parametrize("ident", ["9223372036854775808", "-9223372036854775808", str(10**40)])
def test_an_id_beyond_sqlites_integers_is_refused_not_a_traceback(
    book_with_alice: str, capsys: pytest.CaptureFixture[str], args: list[str], ident: str
) -> None:
    # Found by the properties: a number past 2**63 - 1 raised OverflowError from the query.
    *command, last = args if args[-1] == "resolved" else [*args, None]
    code, _, err = run(capsys, *command, "--", ident, *([last] if last else []))
    assert code == 2 and "argument id: no record has an id that large" in err, err
    assert (
        run(capsys, "log", "show", "9223372036854775807")[2]
        == "clientbook: no interaction 9223372036854775807\n"
    )
