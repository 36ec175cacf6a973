"""The reads that keep clientbook fast at 100,000 clients, held to the plain reads they replace.

- `care_due` (last contact or creation, plus the cadence that applies) is kept by triggers on every write
  that changes it, and the neglect section reads it; it must always equal what the rule gives.
- Keyset pages (after or before a row), jumps read from the end with the count as a hint, and counts through
  the search index must give exactly the rows and numbers an offset read of the whole list gives.
- Section counts stop at 500 and say so.
"""

from __future__ import annotations

import dataclasses
import itertools
from datetime import datetime, timedelta

import pytest

from clientbook.core.care.due import stored_cadence, use_cadence
from clientbook.core.care.queries import (
    SECTION_MAX,
    CarePolicy,
    Kind,
    care_queue,
    owes,
)
from clientbook.core.clients import queries
from clientbook.core.clients.operations import archive_client, update_client
from clientbook.core.clients.queries import ClientFilter, ClientSort, client_page, count_clients, draft_of
from clientbook.core.db import plain
from clientbook.core.drafts import InteractionDraft
from clientbook.core.log.operations import delete_interaction, edit_interaction, log_interaction
from clientbook.core.log.queries import InteractionFilter, count_interactions, interaction_page
from clientbook.core.models import Client, Interaction, Staff, from_stored
from clientbook.core.undo import undo_last
from clientbook.settings import DEFAULT_CADENCE
from tests.conftest import FROZEN, add

ZONE = "Europe/London"
POLICY = CarePolicy(reply_target_hours=24, cadence=dict(DEFAULT_CADENCE), key_dates_ahead=14)


def log(owner: Staff, client: Client, when: str, direction: str = "outbound") -> Interaction:
    draft = InteractionDraft(client.slug, when, "email", direction, "Hello", handled_by=owner.slug)
    return log_interaction(draft, actor=owner, zone=ZONE)


def expected_due(client_id: int) -> datetime | None:
    """What the rule says: last contact (else creation) plus the client's own cadence, else its stage's."""
    client = Client.get_by_id(client_id)
    days = client.cadence_days or stored_cadence(plain()).get(client.stage)
    since = from_stored(client.last_contact_at or client.created_at)
    return None if not days or since is None else since + timedelta(days=days)


def stored_due(client_id: int) -> datetime | None:
    return from_stored(Client.get_by_id(client_id).care_due)


def assert_due_follows_the_rule(client_id: int) -> None:
    expected, stored = expected_due(client_id), stored_due(client_id)
    assert (expected is None) == (stored is None)
    if expected is not None and stored is not None:
        assert abs(expected - stored) < timedelta(milliseconds=1)


# The maintained care-due value ---------------------------------------------------------------------------


def test_care_due_follows_every_write_that_changes_it(owner: Staff) -> None:
    use_cadence(plain(), POLICY.cadence)
    lena = add(owner, "Lena Lead", stage="lead")
    assert stored_due(lena.id) is not None
    assert_due_follows_the_rule(lena.id)  # never contacted: from its creation

    call = log(owner, lena, "2026-11-20 09:00")
    assert_due_follows_the_rule(lena.id)
    edit_interaction(
        call.id,
        InteractionDraft(lena.slug, "2026-11-21 15:30", "email", "outbound", "Hello", handled_by=owner.slug),
        actor=owner,
        zone=ZONE,
    )
    assert_due_follows_the_rule(lena.id)
    assert stored_due(lena.id) == datetime(2026, 11, 28, 15, 30, tzinfo=stored_due(lena.id).tzinfo)  # type: ignore[union-attr]

    draft = draft_of(lena.id)
    update_client(lena.id, dataclasses.replace(draft, stage="active"), actor=owner, phone_region="GB")
    assert_due_follows_the_rule(lena.id)  # the active cadence, 30 days
    update_client(
        lena.id, dataclasses.replace(draft, stage="active", cadence_days="3"), actor=owner, phone_region="GB"
    )
    assert_due_follows_the_rule(lena.id)
    undo_last(owner, zone=ZONE)  # the own cadence taken back: the stage's again
    assert_due_follows_the_rule(lena.id)

    delete_interaction(call.id, actor=owner)
    assert_due_follows_the_rule(lena.id)  # back to its creation


def test_a_stage_without_a_cadence_has_no_care_due(owner: Staff) -> None:
    use_cadence(plain(), POLICY.cadence)
    former = add(owner, "Fay Former", stage="former")
    assert DEFAULT_CADENCE["former"] is None and stored_due(former.id) is None


def test_a_changed_cadence_setting_is_honoured_on_the_next_read(owner: Staff) -> None:
    lead = add(owner, "Lena Lead", stage="lead")
    log(owner, lead, "2026-11-20 10:00")
    assert not [
        i for i in care_queue(plain(), POLICY, now=FROZEN, zone=ZONE).items() if i.kind is Kind.NEGLECT
    ]
    quick = dataclasses.replace(POLICY, cadence={**POLICY.cadence, "lead": 2})
    found = [i for i in care_queue(plain(), quick, now=FROZEN, zone=ZONE).items() if i.kind is Kind.NEGLECT]
    assert [(i.client_name, i.text) for i in found] == [("Lena Lead", "lead · cadence 2 d")]
    assert stored_cadence(plain())["lead"] == 2
    assert not use_cadence(plain(), quick.cadence)  # the same settings again: nothing to compute


def test_the_most_overdue_client_comes_first(owner: Staff) -> None:
    lead, active = add(owner, "Lena Lead", stage="lead"), add(owner, "Ada Active", stage="active")
    log(owner, lead, "2026-11-10 10:00")  # 7-day cadence: due 17 Nov
    log(owner, active, "2026-10-01 10:00")  # 30-day cadence: due 31 Oct, the longer overdue
    found = [
        i.client_name
        for i in care_queue(plain(), POLICY, now=FROZEN, zone=ZONE).items()
        if i.kind is Kind.NEGLECT
    ]
    assert found == ["Ada Active", "Lena Lead"]


def test_an_archived_client_never_needs_care(owner: Staff) -> None:
    lead = add(owner, "Lena Lead", stage="lead")
    log(owner, lead, "2026-11-01 10:00")
    archive_client(lead.id, actor=owner)
    assert not [
        i for i in care_queue(plain(), POLICY, now=FROZEN, zone=ZONE).items() if i.kind is Kind.NEGLECT
    ]


# Capped counts --------------------------------------------------------------------------------------------


def test_a_section_counts_up_to_500_and_says_there_are_more(owner: Staff) -> None:
    for n in range(SECTION_MAX + 3):
        add(owner, f"Lead {n:03}", stage="lead")
    later = FROZEN + timedelta(days=8)
    queue = care_queue(plain(), POLICY, now=later, zone=ZONE, limit=20)
    section = next(s for s in queue.sections if s.title.startswith("Needs care"))
    assert (len(section.items), section.total, section.capped, section.count_text) == (20, 500, True, "500+")
    assert queue.count_text == "500+"
    assert owes(care_queue(plain(), POLICY, now=later, zone=ZONE, limit=1))
    assert not owes(care_queue(plain(), POLICY, now=FROZEN, zone=ZONE, limit=1))


# Paging ---------------------------------------------------------------------------------------------------


@pytest.fixture
def crowd(owner: Staff) -> list[Client]:
    """37 clients: shared names (so ties are broken by id), some contacted, some never, two archived."""
    names = ["Alice Anders", "Bo Byrne", "Carla Alison", "Alice Anders", "Zoë Zed", "Émile Ours"]
    made = []
    for n, name in zip(range(37), itertools.cycle(names), strict=False):
        client = add(owner, name, company="Alison & Co" if n % 3 == 0 else "")
        if n % 4:
            log(owner, client, f"2026-11-{1 + n % 20:02} 10:00")
        made.append(client)
    archive_client(made[5].id, actor=owner)
    archive_client(made[6].id, actor=owner)
    return made


FILTERS = [
    ClientFilter(),
    ClientFilter(sort=ClientSort.LAST_CONTACT),
    ClientFilter(include_archived=True, sort=ClientSort.LAST_CONTACT),
    ClientFilter(search="alis"),
    ClientFilter(search="ali", sort=ClientSort.LAST_CONTACT),
    ClientFilter(search="al"),
    ClientFilter(search="al co"),
    ClientFilter(search="alison co"),  # a long word and a short one: the short one is "contains"
]


@pytest.mark.parametrize("plan", ["selective", "membership"])
@pytest.mark.parametrize(
    "flt", FILTERS, ids=lambda f: f"{f.search or '-'}/{f.sort.value}/{f.include_archived}"
)
def test_every_way_of_reading_a_page_gives_the_rows_an_offset_read_gives(
    crowd: list[Client], flt: ClientFilter, plan: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    everything = [row.id for row in client_page(flt, offset=0, limit=1000)]
    count = count_clients(flt)
    assert count == len(everything) > 0
    if plan == "membership":  # as with thousands of matches: walk the sort index, test each client
        monkeypatch.setattr(queries, "SELECTIVE", 0)
    for limit in (1, 4):
        for offset in range(count + 2):
            window = everything[offset : offset + limit]
            for matches in (None, count):
                got = client_page(flt, offset=offset, limit=limit, matches=matches)
                assert [r.id for r in got] == window, (offset, limit, matches)
            if 0 < offset <= count:
                previous = client_page(flt, offset=offset - 1, limit=1)
                after = client_page(flt, offset=0, limit=limit, after=previous[0])
                assert [r.id for r in after] == window
            if offset + limit < count:
                following = client_page(flt, offset=offset + limit, limit=1)
                before = client_page(flt, offset=0, limit=limit, before=following[0])
                assert [r.id for r in before] == window


HOSTILE = [
    '"',
    '""',
    "a*",
    "AND",
    "OR NOT",
    "NEAR(alice",
    "(ali",
    "ali)",
    "al^",
    "👩‍💻",
    "'; DROP",
    "-ali",
    "ali:",
]


@pytest.mark.parametrize("search", HOSTILE)
def test_search_text_full_of_operators_is_only_text(crowd: list[Client], search: str) -> None:
    flt = ClientFilter(search=search)
    rows = client_page(flt, offset=0, limit=1000)
    assert count_clients(flt) == len(rows)


def test_the_count_through_the_search_index_leaves_out_archived_clients(crowd: list[Client]) -> None:
    shown = ClientFilter(search="ali", include_archived=True)
    hidden = ClientFilter(search="ali")
    assert count_clients(shown) == len(client_page(shown, offset=0, limit=1000))
    assert count_clients(hidden) == len(client_page(hidden, offset=0, limit=1000)) < count_clients(shown)


@pytest.mark.parametrize("awaiting_only", [False, True])
def test_the_log_reads_every_page_the_same_way_from_either_end(owner: Staff, awaiting_only: bool) -> None:
    alice, bo = add(owner, "Alice Anders"), add(owner, "Bo Byrne")
    for n in range(23):
        client = alice if n % 2 else bo
        # Two share each minute, so the order's tie-break (the id) is exercised.
        log(owner, client, f"2026-11-{1 + n // 2:02} 10:00", direction="inbound" if n % 3 else "outbound")
    flt = InteractionFilter(zone=ZONE, awaiting_only=awaiting_only)
    everything = [row.id for row in interaction_page(flt, offset=0, limit=1000)]
    count = count_interactions(flt)
    assert count == len(everything) > 0
    for limit in (1, 5):
        for offset in range(count + 2):
            window = everything[offset : offset + limit]
            assert [r.id for r in interaction_page(flt, offset=offset, limit=limit, matches=count)] == window
            if offset + limit < count:
                following = interaction_page(flt, offset=offset + limit, limit=1)
                assert [
                    r.id for r in interaction_page(flt, offset=0, limit=limit, before=following[0])
                ] == window
