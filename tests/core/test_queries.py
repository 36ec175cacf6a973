"""The client list's reads: search, filters, sorting and paging."""

from __future__ import annotations

import pytest

from clientbook.core.clients.operations import add_staff, archive_client, create_client
from clientbook.core.clients.queries import ClientFilter, ClientSort, client_page, count_clients
from clientbook.core.drafts import ClientDraft, ContactDraft
from clientbook.core.models import Client, Staff
from tests.conftest import add


def names(flt: ClientFilter) -> list[str]:
    return [row.name for row in client_page(flt, offset=0, limit=100)]


@pytest.fixture
def clients(owner: Staff) -> None:
    add(owner, "Alice Anders", company="Anders Design", email="alice@anders.example")
    add(owner, "Zoë Núñez", phone="020 7946 0958")
    add(owner, "Carla Alison", stage="onboarding", point_person=add_staff("Sam Rivera").slug)
    create_client(
        ClientDraft(
            name="Okafor & Co",
            kind="organisation",
            point_person=owner.slug,
            contacts=(ContactDraft(name="Dalia Okafor", role="Director", email="dalia@okafor.example"),),
        ),
        actor=owner,
        phone_region="GB",
    )


@pytest.mark.usefixtures("clients")
@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("ali", ["Alice Anders", "Carla Alison", "Okafor & Co"]),  # "dalia" too
        ("ALI anders", ["Alice Anders"]),
        ("zoe nunez", ["Zoë Núñez"]),
        ("Núñez", ["Zoë Núñez"]),
        ("7946 0958", ["Zoë Núñez"]),
        ("02079460958", ["Zoë Núñez"]),
        ("+4420", ["Zoë Núñez"]),
        ("dalia", ["Okafor & Co"]),
        ("director", ["Okafor & Co"]),
        ("anders.example", ["Alice Anders"]),
        ("zz", []),
    ],
)
def test_search_matches_names_companies_emails_phones_and_contacts(search: str, expected: list[str]) -> None:
    flt = ClientFilter(search=search)
    assert names(flt) == expected
    assert count_clients(flt) == len(expected)


@pytest.mark.usefixtures("clients")
@pytest.mark.parametrize(
    "search",
    [
        '"',
        "'",
        '"a" OR b*',
        "NEAR(a b)",
        "a AND NOT b",
        "100%",
        "a_b",
        "\\",
        "--",
        "; DROP TABLE client;",
        "*",
        "^ali",
    ],
)
def test_search_text_full_of_quotes_and_operators_is_only_text(search: str) -> None:
    assert names(ClientFilter(search=search)) == []
    assert Client.select().count() == 4


def test_percent_and_underscore_match_literally(owner: Staff) -> None:
    add(owner, "100% Design")
    add(owner, "a_b Studio")
    add(owner, "Axb Studio")
    assert names(ClientFilter(search="100%")) == ["100% Design"]
    assert names(ClientFilter(search="a_b")) == ["a_b Studio"]
    assert names(ClientFilter(search="%")) == []  # one or two letters: names that start with them
    assert names(ClientFilter(search="a*")) == []  # GLOB's wildcards are literal too


def test_one_or_two_letters_find_names_that_start_with_them(owner: Staff) -> None:
    for name in ("Alice Anders", "Carla Alison", "Al Byrne", "Bo Okafor"):
        add(owner, name)
    assert names(ClientFilter(search="al")) == ["Al Byrne", "Alice Anders"]
    assert names(ClientFilter(search="AL by")) == ["Al Byrne"]
    assert names(ClientFilter(search="b")) == ["Bo Okafor"]
    assert names(ClientFilter(search="al anders")) == ["Alice Anders"]  # with a longer word: anywhere


@pytest.mark.usefixtures("clients")
def test_filters_by_stage_person_and_archived(owner: Staff) -> None:
    assert names(ClientFilter(stage="onboarding")) == ["Carla Alison"]
    assert names(ClientFilter(point_person_id=owner.id)) == ["Alice Anders", "Okafor & Co", "Zoë Núñez"]
    archive_client(Client.get(Client.name == "Alice Anders").id, actor=owner)
    assert "Alice Anders" not in names(ClientFilter())
    assert names(ClientFilter(search="alice", include_archived=True)) == ["Alice Anders"]
    assert client_page(ClientFilter(search="alice", include_archived=True), offset=0, limit=1)[0].archived


@pytest.mark.usefixtures("clients")
def test_an_organisation_is_reached_through_its_primary_contact() -> None:
    row = client_page(ClientFilter(search="okafor"), offset=0, limit=1)[0]
    assert row.reach == "dalia@okafor.example"


def test_names_sort_ignoring_case_and_accents(owner: Staff) -> None:
    for name in ["zoe", "Émile", "bo", "Élan", "eve", "Ada"]:
        add(owner, name)
    assert names(ClientFilter()) == ["Ada", "bo", "Élan", "Émile", "eve", "zoe"]


@pytest.mark.parametrize("sort", list(ClientSort))
def test_keyset_paging_walks_the_same_rows_as_offsets(owner: Staff, sort: ClientSort) -> None:
    ids = [add(owner, f"Client {number % 7} {number}").id for number in range(230)]
    # Some clients have been in touch, at equal times too, so ties on the sort key are exercised. (Not
    # `Client.id % 3` in SQL: peewee reads `%` as LIKE.)
    for every, at in ((3, "2026-11-01 09:00:00"), (5, "2026-11-02 09:00:00")):
        touched = [ident for ident in ids if ident % every == 0]
        assert Client.update(last_contact_at=at).where(Client.id.in_(touched)).execute() == len(touched)
    flt = ClientFilter(sort=sort)
    by_offset = [r.id for start in range(0, 230, 50) for r in client_page(flt, offset=start, limit=50)]
    by_keyset: list[int] = []
    page = client_page(flt, offset=0, limit=50)
    while page:
        by_keyset += [r.id for r in page]
        page = client_page(flt, offset=0, limit=50, after=page[-1])
    assert by_keyset == by_offset
    assert len(set(by_keyset)) == 230


def test_last_contact_sort_puts_the_never_contacted_last(owner: Staff) -> None:
    a, b, c = add(owner, "A"), add(owner, "B"), add(owner, "C")
    Client.update(last_contact_at="2026-11-20 09:00:00").where(Client.id == b.id).execute()
    Client.update(last_contact_at="2026-10-01 09:00:00").where(Client.id == c.id).execute()
    assert names(ClientFilter(sort=ClientSort.LAST_CONTACT)) == ["B", "C", "A"]
    assert a.id


def test_likely_duplicates_by_reach_block_and_by_name_warn(owner: Staff) -> None:
    from clientbook.core.clients.queries import Duplicate, likely_duplicates
    from clientbook.core.validation import validate_client

    alice = add(owner, "Alice Anders", email="alice@example.com", phone="020 7946 0958")
    dalia = ContactDraft("Dalia Okafor", email="dalia@okafor.example", phone="+44 161 496 0000")
    org = add(owner, "Okafor & Co", kind="organisation", email="", contacts=(dalia,))

    def check(exclude_id: int | None = None, **fields: object) -> tuple[list[Duplicate], list[str]]:
        clean = validate_client(ClientDraft(point_person=owner.slug, **fields), phone_region="GB")  # type: ignore[arg-type]
        found = likely_duplicates(clean, exclude_id=exclude_id)
        return list(found.same_reach), [d.slug for d in found.same_name]

    reach, names = check(name="Álice ANDERS", email="Alice@Example.com", phone="+442079460958")
    assert [(d.field, d.slug, d.matched) for d in reach] == [
        ("email", "alice-anders", "alice@example.com"),
        ("phone", "alice-anders", "020 7946 0958"),
    ]
    assert names == ["alice-anders"]
    reach, _ = check(name="Dalia", kind="organisation",
                     contacts=(ContactDraft("D", phone="0161 496 0000"),))  # fmt: skip
    assert [(d.field, d.client_id, d.contact) for d in reach] == [
        ("contacts.1.phone", org.id, "Dalia Okafor")
    ]
    assert check(alice.id, name="Alice Anders", email="alice@example.com") == ([], [])  # never itself


@pytest.mark.parametrize("search", ['say "hi', 'say "hi"', '"say hi', "o'brien", 'hi"'])
def test_a_search_term_with_an_unbalanced_quote_finds_the_client(owner: Staff, search: str) -> None:
    add(owner, 'Studio "Say "Hi" Ltd')
    add(owner, "Pat O'Brien-Hill")
    add(owner, "Say Nothing")
    found = names(ClientFilter(search=search))
    expected = ["Pat O'Brien-Hill"] if "brien" in search else ['Studio "Say "Hi" Ltd']
    assert found == expected
    assert count_clients(ClientFilter(search=search)) == 1
