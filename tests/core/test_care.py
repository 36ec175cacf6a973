"""The care rules with a frozen clock (Mon 23 Nov 2026, 10:00 UTC): what is owed, in which order, and
what counts as overdue."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from clientbook.core.care.operations import (
    acknowledge_concern,
    add_concern,
    add_key_date,
    add_promise,
    break_promise,
    complete_checkin,
    complete_follow_up,
    keep_promise,
    renegotiate_promise,
    resolve_concern,
    snooze_client,
)
from clientbook.core.care.queries import CarePolicy, CareQueue, Kind, care_queue
from clientbook.core.care.rules import next_occurrence
from clientbook.core.clients.operations import add_staff
from clientbook.core.db import plain
from clientbook.core.drafts import ConcernDraft, InteractionDraft, PromiseDraft
from clientbook.core.errors import ValidationError
from clientbook.core.log.operations import log_interaction
from clientbook.core.models import Client, Promise, Staff
from clientbook.core.processes.operations import start_checklist
from clientbook.core.processes.queries import find_process
from clientbook.settings import DEFAULT_CADENCE
from tests.conftest import FROZEN, add, field_changes

ZONE = "Europe/London"
POLICY = CarePolicy(reply_target_hours=24, cadence=dict(DEFAULT_CADENCE), key_dates_ahead=14)


def queue(staff_id: int | None = None) -> CareQueue:
    return care_queue(plain(), POLICY, now=FROZEN, zone=ZONE, staff_id=staff_id)


def kinds(q: CareQueue) -> list[tuple[Kind, str, bool]]:
    return [(item.kind, item.client_name, item.overdue) for item in q.items()]


def contacted(owner: Staff, client: Client, when: str, direction: str = "outbound") -> None:
    log_interaction(
        InteractionDraft(
            client=client.slug,
            when=when,
            channel="email",
            direction=direction,
            summary="Hello",
            handled_by=owner.slug,
        ),
        actor=owner,
        zone=ZONE,
    )


def backdate(client: Client, days: int) -> None:
    Client.update(created_at=(FROZEN - timedelta(days=days)).replace(tzinfo=None)).where(
        Client.id == client.id
    ).execute()


def test_nothing_owed_in_an_empty_book(owner: Staff) -> None:
    q = queue()
    assert q.total == 0 and q.overdue == 0 and q.sections == ()


def test_cadence_per_stage_and_per_client(owner: Staff) -> None:
    lead = add(owner, "Lena Lead", stage="lead")  # cadence 7 d
    active = add(owner, "Ada Active", stage="active")  # cadence 30 d
    former = add(owner, "Fred Former", stage="former")  # never needs care
    for client in (lead, active, former):
        backdate(client, 400)
    contacted(owner, lead, "2026-11-10 10:00")  # 13 days ago: past 7
    contacted(owner, active, "2026-11-10 10:00")  # 13 days ago: within 30
    assert [(i.client_name, i.overdue) for i in queue().items() if i.kind is Kind.NEGLECT] == [
        ("Lena Lead", True)
    ]
    Client.update(cadence_days=10).where(Client.id == active.id).execute()  # this client wants more contact
    names = [i.client_name for i in queue().items() if i.kind is Kind.NEGLECT]
    assert sorted(names) == ["Ada Active", "Lena Lead"]  # both last contacted at the same moment
    strict = CarePolicy(cadence={**DEFAULT_CADENCE, "former": 30})
    assert "Fred Former" in [
        i.client_name for i in care_queue(plain(), strict, now=FROZEN, zone=ZONE).items()
    ]


def test_never_contacted_counts_from_creation_and_longest_neglected_comes_first(owner: Staff) -> None:
    new = add(owner, "New Lead")
    old = add(owner, "Old Lead")
    backdate(new, 3)
    backdate(old, 60)
    assert [i.client_name for i in queue().items() if i.kind is Kind.NEGLECT] == ["Old Lead"]
    backdate(new, 30)
    assert [i.client_name for i in queue().items() if i.kind is Kind.NEGLECT] == ["Old Lead", "New Lead"]


def test_a_snoozed_client_waits_with_a_reason(owner: Staff) -> None:
    lead = add(owner, "Lena Lead")
    backdate(lead, 60)
    with pytest.raises(ValidationError, match="say why"):
        snooze_client(lead.id, actor=owner, reason=" ", until="2026-12-01", zone=ZONE)
    snooze_client(lead.id, actor=owner, reason="on holiday", until="2026-12-01", zone=ZONE)
    assert not [i for i in queue().items() if i.kind is Kind.NEGLECT]
    changes = field_changes("client", lead.id)
    assert ("care_snoozed_until", None, "2026-12-01") in changes
    assert ("care_snooze_reason", "", "on holiday") in changes


def test_replies_are_overdue_after_the_reply_target(owner: Staff) -> None:
    alice, bo = add(owner, "Alice Anders"), add(owner, "Bo Byrne")
    contacted(owner, alice, "yesterday 9am", "inbound")  # 25 h ago
    contacted(owner, bo, "today 08:00", "inbound")  # 2 h ago
    replies = [(i.client_name, i.overdue, i.when) for i in queue().items() if i.kind is Kind.REPLY]
    assert replies == [("Alice Anders", True, "waiting 1 d 1 h"), ("Bo Byrne", False, "waiting 2 h")]
    Client.update(reply_target_hours=48).where(Client.id == alice.id).execute()
    assert not next(i for i in queue().items() if i.kind is Kind.REPLY).overdue


def test_promise_transitions_and_due_rules(owner: Staff) -> None:
    alice = add(owner, "Alice Anders")
    today = add_promise(
        PromiseDraft(alice.slug, "Send the quote", owner.slug, "today"), actor=owner, zone=ZONE
    )
    late = add_promise(
        PromiseDraft(alice.slug, "Call back", owner.slug, "2026-11-20"), actor=owner, zone=ZONE
    )
    add_promise(
        PromiseDraft(alice.slug, "Brand guide", owner.slug, "fri"), actor=owner, zone=ZONE
    )  # not due yet
    promised = [(i.text, i.when, i.overdue) for i in queue().items() if i.kind is Kind.PROMISE]
    assert promised == [
        ("Call back (promised by Pat Owner)", "3 d late", True),
        ("Send the quote (promised by Pat Owner)", "due today", False),
    ]
    keep_promise(today.id, actor=owner, zone=ZONE)
    assert Promise.get_by_id(today.id).kept_on_time is True
    renegotiate_promise(late.id, "2026-11-30", actor=owner, zone=ZONE)
    stored = Promise.get_by_id(late.id)
    assert (stored.status, stored.due) == ("renegotiated", date(2026, 11, 30))
    assert ("due", "2026-11-20", "2026-11-30") in field_changes("promise", late.id)
    assert not [i for i in queue().items() if i.kind is Kind.PROMISE]
    break_promise(late.id, actor=owner)
    with pytest.raises(ValidationError, match="already broken"):
        keep_promise(late.id, actor=owner, zone=ZONE)


def test_a_promise_needs_what_who_and_a_clear_due_day(owner: Staff) -> None:
    alice = add(owner, "Alice Anders")
    with pytest.raises(ValidationError) as caught:
        add_promise(PromiseDraft(alice.slug, " ", owner.slug, "11/12"), actor=owner, zone=ZONE)
    assert set(caught.value.errors) == {"what", "due"}
    assert Promise.select().count() == 0


def test_concerns_by_severity_and_closing_schedules_a_checkin(owner: Staff) -> None:
    alice, bo = add(owner, "Alice Anders"), add(owner, "Bo Byrne")
    low = add_concern(ConcernDraft(alice.slug, "Invoice had a typo", "low"), actor=owner)
    high = add_concern(ConcernDraft(bo.slug, "Second missed deadline", "high"), actor=owner)
    assert low.owner.id == owner.id  # the point-person, by default
    concerns = [(i.client_name, i.severity, i.overdue) for i in queue().items() if i.kind is Kind.CONCERN]
    assert concerns == [("Bo Byrne", "high", False), ("Alice Anders", "low", False)]
    acknowledge_concern(high.id, actor=owner, apology=True, remedy="Two days free")
    with pytest.raises(ValidationError, match='type "resolved"'):
        resolve_concern(high.id, actor=owner, resolved="done", client_confirmed=True, zone=ZONE)
    resolve_concern(high.id, actor=owner, resolved="resolved", client_confirmed=True, zone=ZONE)
    assert [i.client_name for i in queue().items() if i.kind is Kind.CONCERN] == ["Alice Anders"]
    later = care_queue(plain(), POLICY, now=FROZEN + timedelta(days=8), zone=ZONE)
    checkins = [(i.client_name, i.overdue) for i in later.items() if i.kind is Kind.CHECKIN]
    assert checkins == [("Bo Byrne", True)]  # due on day 7, looked at on day 8
    complete_checkin(high.id, actor=owner)
    assert not [
        i
        for i in care_queue(plain(), POLICY, now=FROZEN + timedelta(days=8), zone=ZONE).items()
        if i.kind is Kind.CHECKIN
    ]


def test_follow_ups_and_checklist_steps_due(owner: Staff) -> None:
    alice = add(owner, "Alice Anders")
    log_interaction(
        InteractionDraft(
            client=alice.slug,
            when="2026-11-19 10:00",
            channel="call",
            direction="outbound",
            summary="Kickoff",
            handled_by=owner.slug,
            follow_up="2026-11-21",
        ),
        actor=owner,
        zone=ZONE,
    )
    start_checklist(alice.id, find_process("post-sale-care").id, actor=owner, start=date(2026, 11, 23))
    q = queue()
    assert [(i.kind, i.when, i.overdue) for i in q.items() if i.kind in (Kind.FOLLOW_UP, Kind.STEP)] == [
        (Kind.FOLLOW_UP, "2 d late", True),
        (Kind.STEP, "due today", False),
    ]
    follow_up = next(i for i in q.items() if i.kind is Kind.FOLLOW_UP)
    complete_follow_up(follow_up.ref, actor=owner)
    assert not [i for i in queue().items() if i.kind is Kind.FOLLOW_UP]


def test_key_dates_show_a_configurable_number_of_days_ahead(owner: Staff) -> None:
    alice = add(owner, "Alice Anders")
    add_key_date(alice.id, "Birthday", "2026-12-01", yearly=True, actor=owner, zone=ZONE)
    add_key_date(alice.id, "Contract renewal", "2027-02-01", yearly=False, actor=owner, zone=ZONE)
    assert [i.text for i in queue().items() if i.kind is Kind.KEY_DATE] == ["Birthday"]
    wide = CarePolicy(cadence=dict(DEFAULT_CADENCE), key_dates_ahead=90)
    texts = [
        i.text for i in care_queue(plain(), wide, now=FROZEN, zone=ZONE).items() if i.kind is Kind.KEY_DATE
    ]
    assert texts == ["Birthday", "Contract renewal"]
    assert next_occurrence(date(2000, 2, 29), True, date(2026, 11, 23)) == date(2027, 3, 1)
    assert next_occurrence(date(2026, 1, 1), False, date(2026, 11, 23)) is None


def test_mine_keeps_one_persons_share(owner: Staff) -> None:
    sam = add_staff("Sam Rivera")
    mine, theirs = add(owner, "Alice Anders"), add(owner, "Bo Byrne", point_person=sam.slug)
    contacted(owner, mine, "yesterday 9am", "inbound")
    contacted(owner, theirs, "yesterday 9am", "inbound")
    assert [i.client_name for i in queue(staff_id=sam.id).items()] == ["Bo Byrne"]
    assert len(queue().items()) == 2


def test_sections_come_in_working_order(owner: Staff) -> None:
    alice = add(owner, "Alice Anders")
    backdate(alice, 60)
    add_concern(ConcernDraft(alice.slug, "Unhappy", "medium"), actor=owner)
    add_promise(PromiseDraft(alice.slug, "Call", owner.slug, "today"), actor=owner, zone=ZONE)
    contacted(owner, alice, "2026-11-01 10:00", "inbound")
    assert [s.title for s in queue().sections] == [
        "Awaiting reply",
        "Promises due",
        "Concerns open",
        "Needs care (past cadence)",
    ]
    assert queue().overdue == 2  # the 22-day-old message and the neglect; today's promise is only due
    assert isinstance(FROZEN, datetime) and FROZEN.tzinfo is UTC


def test_a_client_can_have_its_own_cadence_and_reply_target(owner: Staff) -> None:
    from clientbook.core.clients.operations import update_client
    from clientbook.core.clients.queries import draft_of

    alice = add(owner, "Alice Anders", cadence_days="3", reply_target_hours="4")
    stored = Client.get_by_id(alice.id)
    assert (stored.cadence_days, stored.reply_target_hours) == (3, 4)
    with pytest.raises(ValidationError) as caught:
        update_client(
            alice.id, replace(draft_of(alice.id), cadence_days="often"), actor=owner, phone_region="GB"
        )
    assert caught.value.errors == {"cadence_days": "whole days from 1 to 3,650, or empty"}
    contacted(owner, alice, "today 05:00", "inbound")  # 5 h ago: past this client's 4 h
    assert next(i for i in queue().items() if i.kind is Kind.REPLY).overdue


def test_a_promise_cannot_be_renegotiated_to_a_day_already_past(owner: Staff) -> None:
    add(owner, "Alice Anders")
    promise = add_promise(
        PromiseDraft("alice-anders", "Send the quote", owner.slug, "2026-11-20"), actor=owner, zone=ZONE
    )
    with pytest.raises(ValidationError, match="Sun 22 Nov 2026 is past"):
        renegotiate_promise(promise.id, "2026-11-22", actor=owner, zone=ZONE)
    assert Promise.get_by_id(promise.id).due == date(2026, 11, 20)
    renegotiate_promise(promise.id, "today", actor=owner, zone=ZONE)  # today is still to come
    assert Promise.get_by_id(promise.id).due == date(2026, 11, 23)


@pytest.mark.parametrize("promises", [2, 3, 4])
def test_a_section_counts_every_item_whether_or_not_all_are_listed(owner: Staff, promises: int) -> None:
    """A section lists its first `limit` items; its total is all of them, one fewer, as many or more."""
    alice = add(owner, "Alice Anders")
    for number in range(promises):
        draft = PromiseDraft(alice.slug, f"Send part {number}", owner.slug, "today")
        add_promise(draft, actor=owner, zone=ZONE)
    q = care_queue(plain(), POLICY, now=FROZEN, zone=ZONE, limit=3)
    (section,) = q.sections
    assert len(section.items) == min(promises, 3)
    assert section.total == promises and not section.capped
