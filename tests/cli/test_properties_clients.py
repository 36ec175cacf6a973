"""Properties of `client add|edit|show|list|archive|unarchive`, `staff add` and `--owner`, for any text.

Each example runs the real command in process; what it saved is read back through `client show --json`
(`staff list --json`) and compared with what was given after the documented cleaning, and what it refused
left the book untouched (the harness checks that, and stderr, for every run).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clientbook.core.models import Stage
from clientbook.core.text import single_line
from clientbook.core.validation import canonical_zone
from tests.cli.conftest import run
from tests.cli.harness import (
    PROPERTIES,
    STAFF,
    STAFF_NAMES,
    Form,
    PropertyCLI,
    TextField,
    Verdict,
    combine,
    controls,
    decodes,
    expect,
    from_pool,
    option,
)
from tests.strategies import hostile_text, multi_line_text, plain_text, text_or_plain, weighted

pytestmark = pytest.mark.properties

NAME = TextField(("name", "--name"), 200, required=True)
COMPANY = TextField(("company", "--company"), 200)
NOTES = TextField(("notes", "--notes"), 20_000, multi=True)
CONTACT_NAME = TextField(("contacts.1.name", "contacts.2.name", "contact"), 200, required=True)
CONTACT_ROLE = TextField(("contacts.1.role", "contacts.2.role", "contact"), 100)

VALID_EMAILS = ["zoe@example.com", " p.q+tag@example.org ", "o'neil@example.co.uk", "A@B.CO"]
VALID_PHONES = ["020 7946 0018", "+44 20 7946 0018", " +1 202 555 0143 ", "+33 1 42 68 53 00"]


@dataclass
class ClientCase:
    """The options of one `client add` or `client edit`, as given (None: not given)."""

    values: dict[str, str | None] = field(default_factory=dict)
    contacts: list[str] | None = None
    forms: dict[str, Form] = field(default_factory=dict)
    allow_duplicate: bool = False
    new_slug: bool = False

    def argv(self) -> list[str]:
        args: list[str] = []
        for name, value in self.values.items():
            args += option(name, value, self.forms.get(name, "="))
        for contact in self.contacts or []:
            args += option("--contact", contact, self.forms.get("--contact", "="))
        if self.allow_duplicate:
            args.append("--allow-duplicate")
        if self.new_slug:
            args.append("--new-slug")
        return args

    def argparse_may_refuse(self) -> bool:
        """A value that looks like an option, given as `--name VALUE`, is refused by argparse."""
        given = [(name, value) for name, value in self.values.items() if value is not None]
        given += [("--contact", value) for value in self.contacts or []]
        return any(self.forms.get(name, "=") == " " and value.startswith("-") for name, value in given)


def contact_text(
    name: st.SearchStrategy[str],
    role: st.SearchStrategy[str],
    email: st.SearchStrategy[str],
    phone: st.SearchStrategy[str],
) -> st.SearchStrategy[str]:
    return st.builds(lambda *parts: ";".join(parts), name, role, email, phone)


# Strategies are built once: one built anew for each example costs more to draw from than the command takes.
# Each option has values that must be accepted and hostile ones; an example makes a few options hostile (or
# none, or all), so a refusal can be told apart and the saved path is taken about as often as not.
VALID: dict[str, st.SearchStrategy[str]] = {
    "--name": plain_text(),
    "--kind": st.sampled_from(["person", "organisation"]),
    "--email": st.sampled_from(VALID_EMAILS),
    "--phone": st.sampled_from(VALID_PHONES),
    "--company": st.one_of(st.just(""), plain_text()),
    "--stage": st.sampled_from([*(stage.value for stage in Stage), "Active", " lead ", "POST-SALE"]),
    "--point-person": st.sampled_from(list(STAFF)),
    "--backup-person": st.sampled_from([*STAFF, ""]),
    "--timezone": st.sampled_from(["Europe/London", "europe/paris", " America/New_York ", "UTC", ""]),
    "--tags": st.lists(plain_text(max_size=12), max_size=6).map(",".join),
    "--notes": st.one_of(
        plain_text(max_size=80),
        st.builds(
            lambda parts, sep: sep.join(parts),
            st.lists(plain_text(max_size=20), max_size=4),
            st.sampled_from(["\n", "\r\n", "\r", "\n\n", "  \n\t"]),
        ),
    ),
    "--cadence": st.sampled_from(["1", "30", "3650", "", " 7 ", "0" * 4400 + "7"]),
    "--reply-target": st.sampled_from(["1", "24", "2160", ""]),
    "--contact": contact_text(
        plain_text(max_size=20),
        st.one_of(st.just(""), plain_text(max_size=12)),
        st.sampled_from(["", *VALID_EMAILS]),
        st.sampled_from(["", *VALID_PHONES]),
    ),
}
HOSTILE: dict[str, st.SearchStrategy[str]] = {
    "--name": hostile_text(),
    "--kind": from_pool(["Person", "org", "", "people"], hostile_text(10)),
    "--email": from_pool(["zoe", "zoe@", "@example.com", "zoe@localhost", "a@b@c.com"], hostile_text(30)),
    "--phone": from_pool(["123", "07700 900123", "+999 1", "020 7946 001"], hostile_text(20)),
    "--company": hostile_text(),
    "--stage": from_pool(["customer", "", "leads"], hostile_text(10)),
    "--point-person": from_pool(["", "nobody", "p%", "s_m"], hostile_text(20)),
    "--backup-person": from_pool(["nobody", "-", "pat_owner"], hostile_text(20)),
    "--timezone": from_pool(["Mars/Olympus", "Europe/", "GMT+1", "../../etc/passwd"], hostile_text(20)),
    "--tags": st.one_of(st.lists(text_or_plain(12, long=0), max_size=25).map(",".join), hostile_text(50)),
    "--notes": multi_line_text(),
    "--cadence": from_pool(["3651", "0", "٣", "-1", "1e3", "9" * 5000], hostile_text(8)),
    "--reply-target": from_pool(["2161", "0", "9" * 5000, "1.5"], hostile_text(8)),
    "--contact": st.one_of(
        contact_text(
            text_or_plain(20, long=0),
            text_or_plain(12, long=0),
            from_pool(["", *VALID_EMAILS], hostile_text(12, long=0)),
            from_pool(["", *VALID_PHONES], hostile_text(12, long=0)),
        ),
        hostile_text(30),
        st.just("a;b;c;d;e"),
    ),
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
FORMS: st.SearchStrategy[Form] = st.sampled_from(["=", "=", "=", "=", " "])


CONTACT_LISTS = {
    bad: st.lists((HOSTILE if bad else VALID)["--contact"], min_size=1, max_size=2) for bad in (False, True)
}


@st.composite
def client_cases(draw: st.DrawFn, *, adding: bool) -> ClientCase:
    given = draw(SOME) | ({"--name"} if adding else set())
    if adding and draw(st.integers(0, 5)):
        given |= {draw(st.sampled_from(["--email", "--phone"]))}  # mostly a way to reach them, as required
    hostile = draw(FEW)
    values: dict[str, str | None] = {}
    for name in NAMES:
        if name != "--contact":
            values[name] = draw((HOSTILE if name in hostile else VALID)[name]) if name in given else None
    contacts = None
    if "--contact" in given:
        contacts = draw(CONTACT_LISTS["--contact" in hostile])
    return ClientCase(
        values=values,
        contacts=contacts,
        forms={name: draw(FORMS) for name in NAMES},
        allow_duplicate=draw(st.integers(0, 3)) > 0,  # the pools of valid emails and phones are small
        new_slug=draw(st.booleans()) if not adding else False,
    )


def expected_tags(raw: str) -> tuple[list[str], Verdict]:
    tags: list[str] = []
    seen: set[str] = set()
    verdict: Verdict = "accept"
    for part in raw.split(","):
        tag = single_line(part)
        if not tag or tag.casefold() in seen:
            continue
        if len(tag) > 40 or controls(tag, multi=False):
            verdict = "refuse"
        seen.add(tag.casefold())
        tags.append(tag)
    return tags, "refuse" if len(tags) > 20 else verdict


def whole(raw: str | None, top: int) -> Verdict:
    if raw is None or not raw.strip():
        return "accept"
    text = raw.strip()
    if not (text.isascii() and text.isdigit()):
        return "refuse"
    digits = text.lstrip("0")  # int() of thousands of digits raises: compare the length first
    return "accept" if len(digits) <= 6 and 1 <= int(digits or "0") <= top else "refuse"


def contact_parts(raw: str) -> list[str]:
    return [*(part.strip() for part in raw.split(";")), "", "", ""][:4]


@dataclass
class Foretold:
    """What a client case should store, and whether it should be saved."""

    verdict: Verdict
    refusing: list[str]
    expected: dict[str, Any]


def _foretell_people(
    v: dict[str, str | None], current: dict[str, Any], expected: dict[str, Any], verdicts: dict[str, Verdict]
) -> None:
    if (raw := v["--point-person"]) is not None:
        verdicts["point-person"] = "accept" if raw in STAFF else "either"
        expected["point_person"] = STAFF.get(raw, UNKNOWN)
    if (raw := v["--backup-person"]) is not None:
        verdicts["backup-person"] = "accept" if raw in STAFF or raw == "" else "either"
        expected["backup_person"] = STAFF_NAMES[STAFF[raw]] if raw in STAFF else "" if raw == "" else UNKNOWN
    raw_backup = v["--backup-person"]
    backup = current.get("_backup") if raw_backup is None else STAFF.get(raw_backup, UNKNOWN)
    if backup not in (None, UNKNOWN) and backup == expected["point_person"]:
        # The same person, however each was named; found once the names are looked up, so a duplicate
        # found before may be what the refusal names.
        verdicts["backup-person (same person)"] = "refuse"


def _foretell_contacts(given: list[str], verdicts: dict[str, Verdict]) -> list[dict[str, Any]]:
    contacts = []
    for number, raw in enumerate(given, start=1):
        parts = contact_parts(raw)
        if len(raw.split(";")) > 4:
            verdicts["contact"] = "refuse"
            continue
        name, role, email, phone = parts
        for rule, value in ((CONTACT_NAME, name), (CONTACT_ROLE, role)):
            verdict = rule.verdict(value)
            if verdict != "accept":
                verdicts[f"contacts.{number}.{rule.names[0].split('.')[-1]}"] = verdict
        for key, value, pool in (("email", email, VALID_EMAILS), ("phone", phone, VALID_PHONES)):
            if value and value not in [p.strip() for p in pool]:
                verdicts[f"contacts.{number}.{key}"] = "either"
        contacts.append(
            {
                "name": single_line(name),
                "role": single_line(role),
                "email": single_line(email),
                "phone": single_line(phone),
                "is_primary": number == 1,
            }
        )
    return contacts


def foretell(case: ClientCase, current: dict[str, Any]) -> Foretold:
    """The verdict and the client `client show --json` should then show, from the case and the client as it
    is (`current`: the defaults, for a new client)."""
    v = case.values
    verdicts: dict[str, Verdict] = {}
    expected = dict(current)

    def text(option_name: str, key: str, rule: TextField) -> None:
        raw = v[option_name]
        if raw is None:
            return
        verdicts[rule.names[0]] = rule.verdict(raw)
        expected[key] = rule.clean(raw)

    if any(value is not None and not decodes(value) for value in [*v.values(), *(case.contacts or [])]):
        return Foretold("refuse", [], expected)
    text("--name", "name", NAME)
    text("--company", "company", COMPANY)
    text("--notes", "notes", NOTES)
    for option_name, key, pool in (("--email", "email", VALID_EMAILS), ("--phone", "phone", VALID_PHONES)):
        raw = v[option_name]
        if raw is not None:
            expected[key] = single_line(raw)
            verdicts[key] = "accept" if raw in pool or not raw.strip() else "either"
    if (raw := v["--kind"]) is not None:
        verdicts["kind"] = "accept" if raw in ("person", "organisation") else "refuse"
        expected["kind"] = raw
    elif case.contacts:
        expected["kind"] = "organisation"
    if (raw := v["--stage"]) is not None:
        stage = raw.strip().lower()
        verdicts["stage"] = "accept" if stage in {s.value for s in Stage} else "refuse"
        expected["stage"] = stage
    _foretell_people(v, current, expected, verdicts)
    if (raw := v["--timezone"]) is not None:
        zone = canonical_zone(raw) if raw.strip() else ""
        verdicts["timezone"] = "accept" if zone is not None else "refuse"
        expected["timezone"] = zone
    if (raw := v["--tags"]) is not None:
        expected["tags"], verdicts["tags"] = expected_tags(raw)
    verdicts["cadence"] = whole(v["--cadence"], 3650)
    verdicts["reply-target"] = whole(v["--reply-target"], 2160)
    if case.contacts:
        expected["contacts"] = _foretell_contacts(case.contacts, verdicts)
    if expected.get("kind") == "person" and expected.get("contacts"):
        verdicts["contacts"] = "refuse"
    if not (
        expected["email"] or expected["phone"] or any(c["email"] or c["phone"] for c in expected["contacts"])
    ):
        verdicts["email"] = "refuse"
    if not case.allow_duplicate and (v["--email"] or v["--phone"] or case.contacts):
        verdicts["duplicates"] = "either"  # another client may be reached the same way
    if case.argparse_may_refuse():
        verdicts["argparse"] = "either"
    verdict = combine(verdicts.values())
    refusing = [name for name, found in verdicts.items() if found == "refuse" and " " not in name]
    return Foretold(verdict, refusing, expected)


NEW_CLIENT: dict[str, Any] = {
    "name": "",
    "kind": "person",
    "stage": "lead",
    "point_person": "pat-owner",
    "backup_person": "",
    "email": "",
    "phone": "",
    "company": "",
    "timezone": "",
    "tags": [],
    "notes": "",
    "contacts": [],
}


def shown_client(cli: PropertyCLI, slug: str) -> dict[str, Any]:
    detail: dict[str, Any] = cli.ok("client", "show", slug, "--json").json()
    detail["contacts"] = [
        {key: contact[key] for key in ("name", "role", "email", "phone", "is_primary")}
        for contact in detail["contacts"]
    ]
    return detail


UNKNOWN = "<a staff member named by hostile text: any may be found>"


def compare(shown: dict[str, Any], expected: dict[str, Any]) -> None:
    for key in NEW_CLIENT:
        if expected[key] != UNKNOWN:
            assert shown[key] == expected[key], (key, shown[key], expected[key])


@PROPERTIES
@given(case=client_cases(adding=True))
def test_client_add_saves_what_was_given_cleaned_or_refuses_writing_nothing(
    cli: PropertyCLI, case: ClientCase
) -> None:
    foretold = foretell(case, NEW_CLIENT)
    result = cli("client", "add", *case.argv())
    if expect(result, foretold.verdict, foretold.refusing):
        compare(shown_client(cli, result.out.strip()), foretold.expected)


@pytest.mark.parametrize("backup", ["pat", "Pat Owner", "PAT-OWNER"])
def test_the_backup_person_must_be_another_person_however_each_is_named(
    book_with_alice: str, capsys: pytest.CaptureFixture[str], backup: str
) -> None:
    # Found by the property above: only the references as typed were compared, so `--backup-person pat`
    # saved the point-person (pat-owner) as their own backup.
    refused = (2, "", "backup-person: must be someone other than the point-person\n")
    assert (
        run(capsys, "client", "add", "--name", "Bo", "--email", "bo@x.com", "--backup-person", backup)
        == refused
    )
    assert run(capsys, "client", "edit", "alice-anders", "--backup-person", backup) == refused
    assert run(capsys, "staff", "add", "Sam Rivera")[0] == 0
    assert run(capsys, "client", "edit", "alice-anders", "--backup-person", "sam")[0] == 0
    assert run(capsys, "client", "edit", "alice-anders", "--point-person", "Sam Rivera") == refused


@pytest.mark.parametrize(("option", "field"), [("--cadence", "cadence"), ("--reply-target", "reply-target")])
def test_a_whole_number_of_thousands_of_digits_is_refused_naming_the_field(
    book_with_alice: str, capsys: pytest.CaptureFixture[str], option: str, field: str
) -> None:
    # Found by the property above: int() refuses more than 4,300 digits with a ValueError (a traceback).
    code, _, err = run(capsys, "client", "edit", "alice-anders", f"{option}={'9' * 5000}")
    assert code == 2 and err.startswith(f"{field}: whole "), err
    code, _, err = run(capsys, "client", "edit", "alice-anders", f"{option}={'0' * 4400}7")
    assert (code, err) == (0, "")  # leading zeros are no reason to refuse


@dataclass
class Edited:
    """The client the edit property works on, as it stands after the last saved edit.

    Every few saved edits it is a new client: `client show` reads the client's whole history, so one
    client edited a thousand times would make the property slower with each example, not more thorough.
    """

    cli: PropertyCLI
    slug: str = ""
    state: dict[str, Any] = field(default_factory=dict)
    saved: int = 0

    def fresh(self) -> None:
        number = self.saved // 25 + 1
        slug = self.cli.ok(
            "client",
            "add",
            "--name",
            f"Ed Ited {number}",
            "--email",
            f"ed{number}@x.com",
            "--backup-person",
            "sam-rivera",
        ).out.strip()
        self.slug, self.state = slug, shown_client(self.cli, slug) | {"_backup": "sam-rivera"}

    def now(self, slug: str, shown: dict[str, Any]) -> None:
        self.saved += 1
        if self.saved % 25 == 0:
            self.fresh()
        else:
            self.slug, self.state = slug, shown | {"_backup": _backup_slug(shown["backup_person"])}


@pytest.fixture
def edited(cli: PropertyCLI) -> Edited:
    client = Edited(cli)
    client.fresh()
    return client


@PROPERTIES
@given(case=client_cases(adding=False))
def test_client_edit_changes_only_the_fields_given_cleaned_or_refuses_writing_nothing(
    cli: PropertyCLI, edited: Edited, case: ClientCase
) -> None:
    foretold = foretell(case, edited.state)
    result = cli("client", "edit", edited.slug, *case.argv())
    if not expect(result, foretold.verdict, foretold.refusing):
        return
    slug = result.out.strip()
    if not case.new_slug:
        assert slug == edited.slug
    shown = shown_client(cli, slug)
    compare(shown, foretold.expected)
    edited.now(slug, shown)


def _backup_slug(name: str) -> str | None:
    return {full: slug for slug, full in STAFF_NAMES.items()}.get(name)


slugs = st.one_of(
    st.sampled_from(
        [
            "alice-anders",
            "alice",
            "al",
            "a",
            "ALICE",
            "Alice-Anders",
            " alice ",
            "a_ice",
            "a%",
            "alice-anders-2",
            "",
            "-",
            "--",
        ]
    ),
    hostile_text(30),
)


@PROPERTIES
@given(ref=slugs, as_json=st.booleans(), separated=st.booleans())
def test_client_show_finds_the_client_a_reference_names_or_says_none_does(
    cli: PropertyCLI, ref: str, as_json: bool, separated: bool
) -> None:
    result = cli("client", "show", *(["--json"] if as_json else []), *(["--"] if separated else []), ref)
    if result.saved and as_json:
        slug = result.json()["slug"]
        assert slug == ref.strip() or slug.startswith(ref.strip().lower()), (ref, slug)
    if result.saved:
        assert ref.strip(), "an empty reference found a client"
    assert not result.wrote


SEARCHES = st.one_of(
    hostile_text(60),
    st.lists(
        st.one_of(
            st.sampled_from(["al", "alice", "anders", "x.com", "OR", '"', "%", "*", "_"]),
            hostile_text(6, long=0),
        ),
        max_size=20,
    ).map(" ".join),
)


@PROPERTIES
@given(search=SEARCHES, archived=st.booleans())
def test_client_list_searches_for_any_text(cli: PropertyCLI, search: str, archived: bool) -> None:
    result = cli("client", "list", f"--search={search}", "--json", *(["--archived"] if archived else []))
    assert not result.wrote
    if not decodes(search):
        assert result.code == 2
        return
    assert result.code == 0
    rows = result.json()
    assert all(row["slug"] for row in rows)
    if set(search.casefold().split()) <= {"al", "alice", "anders"} and search.split():
        assert "alice-anders" in [row["slug"] for row in rows], search
    assert ("searched for the first 12 words" in result.err) == (len(set(_folded_words(search))) > 12)


@pytest.mark.parametrize("search", ["ali\x00ce", "00\x00", "al\x00", "\x00", "and\x01ers \x7f"])
def test_a_search_holding_control_characters_searches_without_them(
    book_with_alice: str, capsys: pytest.CaptureFixture[str], search: str
) -> None:
    # Found by the property above: a NUL ended SQLite's reading of the FTS5 query (exit 3).
    code, out, err = run(capsys, "client", "list", f"--search={search}", "--json")
    assert (code, err) == (0, "")
    found = [row["slug"] for row in json.loads(out)]
    assert found == (["alice-anders"] if search[0] in "aA" else [] if search.startswith("00") else found)


def _folded_words(search: str) -> list[str]:
    """The words a search is documented to use: folded (case and accents ignored), controls left out."""
    import unicodedata

    from clientbook.core.text import fold

    return "".join(ch for ch in fold(search) if unicodedata.category(ch) not in ("Cc", "Cs")).split()


@pytest.fixture
def archivable(cli: PropertyCLI) -> None:
    cli.ok("client", "add", "--name", "Arch Ived", "--email", "arch@x.com")


@PROPERTIES
@pytest.mark.parametrize("verb", ["archive", "unarchive"])  # a thousand examples each
@given(ref=st.one_of(slugs, st.sampled_from(["arch", "arch-ived"])))
def test_client_archive_and_unarchive_take_any_reference(
    cli: PropertyCLI, archivable: None, verb: str, ref: str
) -> None:
    result = cli("client", verb, "--", ref)
    if result.saved:
        shown = cli.ok("client", "show", result.out.strip(), "--json").json()
        assert (shown["archived_at"] is not None) == (verb == "archive")


STAFF_NAME = TextField(("name",), 200, required=True)


@PROPERTIES
@given(name=text_or_plain(), separated=st.booleans())
def test_staff_add_saves_the_name_cleaned_or_refuses_writing_nothing(
    cli: PropertyCLI, name: str, separated: bool
) -> None:
    verdict = STAFF_NAME.verdict(name)
    if not separated and name.startswith("-"):
        verdict = combine([verdict, "either"])
    result = cli("staff", "add", *(["--"] if separated else []), name)
    if expect(result, verdict, STAFF_NAME.names):
        slug = result.out.strip()
        # Read back as the new staff member: they can sign in by their slug.
        staff = {
            row["slug"]: row["name"] for row in cli.ok("--owner", slug, "staff", "list", "--json").json()
        }
        assert staff[slug] == STAFF_NAME.clean(name)


@PROPERTIES
@given(
    owner=st.one_of(
        st.sampled_from(["pat-owner", "Pat Owner", "pat", "sam", "SAM RIVERA", "", "p"]), hostile_text(30)
    )
)
def test_any_owner_signs_in_a_staff_member_or_is_refused(cli: PropertyCLI, owner: str) -> None:
    result = cli(f"--owner={owner}", "client", "list", "--json")
    assert not result.wrote
    if owner in ("pat-owner", "Pat Owner", "pat", "sam", "SAM RIVERA"):
        assert result.code == 0
