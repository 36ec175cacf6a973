"""Every limit of the care queue tested on both sides of its exact edge, and its "must not" rules.

The clock is frozen at Mon 23 Nov 2026, 10:00 UTC (10:00 in London, which is on GMT in November). Each test
moves `now` a minute or a day either side of an edge and checks what the care screen would list.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from clientbook.core import clock
from clientbook.core.care.brief import brief, brief_lines
from clientbook.core.care.operations import (
    acknowledge_concern,
    add_concern,
    add_key_date,
    add_promise,
    keep_promise,
    renegotiate_promise,
    resolve_concern,
    snooze_client,
)
from clientbook.core.care.queries import CareItem, CarePolicy, Kind, care_queue
from clientbook.core.care.records import concern_rows
from clientbook.core.clients.operations import add_staff
from clientbook.core.clients.queries import ClientFilter, client_page
from clientbook.core.db import plain
from clientbook.core.drafts import ConcernDraft, InteractionDraft, ProcessDraft, PromiseDraft, StepDraft
from clientbook.core.history import client_history
from clientbook.core.log.operations import log_interaction
from clientbook.core.log.queries import InteractionFilter, interaction_page
from clientbook.core.models import Client, Concern, Interaction, Promise, Staff
from clientbook.core.processes.operations import create_process, start_checklist
from clientbook.core.processes.queries import ChecklistFilter, checklist_page, count_checklists
from clientbook.settings import DEFAULT_CADENCE
from tests.conftest import FROZEN, add

ZONE = "Europe/London"
POLICY = CarePolicy(reply_target_hours=24, cadence=dict(DEFAULT_CADENCE), key_dates_ahead=14)
MINUTE = timedelta(minutes=1)
DAY = timedelta(days=1)


def items(
    kind: Kind, now: datetime = FROZEN, zone: str = ZONE, staff_id: int | None = None
) -> list[CareItem]:
    return [
        i
        for i in care_queue(plain(), POLICY, now=now, zone=zone, staff_id=staff_id).items()
        if i.kind is kind
    ]


def listed(kind: Kind, now: datetime = FROZEN, zone: str = ZONE) -> list[tuple[str, str, bool]]:
    """(client, when, overdue) of each item of `kind` the care screen lists at `now`."""
    return [(i.client_name, i.when, i.overdue) for i in items(kind, now, zone)]


def log(owner: Staff, client: Client, when: str, direction: str = "outbound", **fields: str) -> Interaction:
    return log_interaction(
        InteractionDraft(
            client=client.slug,
            when=when,
            channel=fields.pop("channel", "email"),
            direction=direction,
            summary=fields.pop("summary", "Hello"),
            handled_by=fields.pop("handled_by", owner.slug),
            follow_up=fields.pop("follow_up", ""),
        ),
        actor=owner,
        zone=ZONE,
    )


def created_long_ago(client: Client) -> Client:
    """So that only its last contact decides whether it needs care."""
    Client.update(created_at=datetime(2025, 1, 1)).where(Client.id == client.id).execute()
    return client


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


# Cadence: a lead (7 days) last contacted Mon 16 Nov 10:00 needs care from Mon 23 Nov 10:01 ---------------


@pytest.mark.parametrize(
    ("now", "needs_care"), [(FROZEN - MINUTE, False), (FROZEN, False), (FROZEN + MINUTE, True)]
)
def test_a_stage_cadence_is_past_one_minute_after_n_days_not_before(
    owner: Staff, now: datetime, needs_care: bool
) -> None:
    lead = created_long_ago(add(owner, "Lena Lead", stage="lead"))
    log(owner, lead, "2026-11-16 10:00")
    assert [i.client_name for i in items(Kind.NEGLECT, now)] == (["Lena Lead"] if needs_care else [])


@pytest.mark.parametrize(
    ("now", "needs_care"), [(FROZEN - MINUTE, False), (FROZEN, False), (FROZEN + MINUTE, True)]
)
def test_a_clients_own_cadence_is_past_one_minute_after_n_days_not_before(
    owner: Staff, now: datetime, needs_care: bool
) -> None:
    active = created_long_ago(add(owner, "Ada Active", stage="active", cadence_days="3"))
    log(owner, active, "2026-11-20 10:00")
    found = items(Kind.NEGLECT, now)
    assert [(i.client_name, i.text) for i in found] == (
        [("Ada Active", "active · cadence 3 d")] if needs_care else []
    )


@pytest.mark.parametrize(("days", "needs_care"), [(7, False), (8, True)])
def test_a_client_never_contacted_counts_its_cadence_from_its_creation(
    owner: Staff, days: int, needs_care: bool
) -> None:
    add(owner, "New Lead", stage="lead")  # created at FROZEN
    assert [i.client_name for i in items(Kind.NEGLECT, FROZEN + timedelta(days=days))] == (
        ["New Lead"] if needs_care else []
    )


def test_an_internal_note_is_not_contact_and_keeps_a_client_needing_care(owner: Staff) -> None:
    lead = created_long_ago(add(owner, "Lena Lead", stage="lead"))
    log(owner, lead, "2026-11-10 10:00")
    log(owner, lead, "today 09:00", "internal", channel="note", summary="Thought about Lena")
    assert [i.client_name for i in items(Kind.NEGLECT)] == ["Lena Lead"]


# Snooze: "until" is the snooze's last day; the client is back the day after ------------------------------


@pytest.mark.parametrize(
    ("now", "needs_care"),
    [
        (at(date(2026, 11, 30), 23, 59), False),  # the last day of the snooze, to its last minute
        (at(date(2026, 12, 1), 0, 0), True),  # the day after: back in the queue
    ],
)
def test_a_snooze_lasts_through_its_last_day(owner: Staff, now: datetime, needs_care: bool) -> None:
    lead = created_long_ago(add(owner, "Lena Lead", stage="lead"))
    snooze_client(lead.id, actor=owner, reason="on holiday", until="2026-11-30", zone=ZONE)
    assert Client.get_by_id(lead.id).care_snoozed_until == date(2026, 11, 30)
    assert [i.client_name for i in items(Kind.NEGLECT, now)] == (["Lena Lead"] if needs_care else [])


def test_a_snooze_ends_by_the_users_day_not_by_utc(owner: Staff) -> None:
    lead = created_long_ago(add(owner, "Lena Lead", stage="lead"))
    snooze_client(lead.id, actor=owner, reason="on holiday", until="2026-11-30", zone=ZONE)
    noon_utc = at(date(2026, 11, 30), 12, 0)  # Tue 1 Dec, 01:00 in Auckland; still Mon 30 Nov in London
    assert items(Kind.NEGLECT, noon_utc, ZONE) == []
    assert [i.client_name for i in items(Kind.NEGLECT, noon_utc, "Pacific/Auckland")] == ["Lena Lead"]


def test_the_care_screens_two_week_snooze_ends_fourteen_days_on(owner: Staff) -> None:
    lead = created_long_ago(add(owner, "Lena Lead", stage="lead"))
    snooze_client(lead.id, actor=owner, reason="on holiday", until="in 14 days", zone=ZONE)  # the `z` key
    assert items(Kind.NEGLECT, at(date(2026, 12, 7), 23, 59)) == []
    assert [i.client_name for i in items(Kind.NEGLECT, at(date(2026, 12, 8), 0, 0))] == ["Lena Lead"]


# Reply target: a message from Sun 22 Nov 10:00 is overdue from Mon 23 Nov 10:01 (24 h), everywhere ---------


@pytest.mark.parametrize(
    ("now", "overdue"), [(FROZEN - MINUTE, False), (FROZEN, False), (FROZEN + MINUTE, True)]
)
def test_a_reply_is_overdue_one_minute_past_the_target_on_every_screen(
    owner: Staff, now: datetime, overdue: bool
) -> None:
    alice = add(owner, "Alice Anders")
    log(owner, alice, "2026-11-22 10:00", "inbound", summary="Invoice?")
    care = items(Kind.REPLY, now)
    assert [(i.text, i.overdue) for i in care] == [("Invoice?", overdue)]
    log_row = interaction_page(InteractionFilter(awaiting_only=True), offset=0, limit=10)[0]
    assert log_row.overdue(now, POLICY.reply_target_hours) is overdue  # the log screen's status
    client_row = client_page(ClientFilter(), offset=0, limit=10)[0]
    assert (
        client_row.reply_overdue(now, POLICY.reply_target_hours) is overdue
    )  # the client list's care column


@pytest.mark.parametrize(("hours", "overdue"), [(3, False), (4, False), (5, True)])
def test_a_clients_own_reply_target_decides_on_every_screen(owner: Staff, hours: int, overdue: bool) -> None:
    alice = add(owner, "Alice Anders", reply_target_hours="4")
    log(owner, alice, "today 06:00", "inbound")
    now = at(date(2026, 11, 23), 6 + hours, 0)
    assert [i.overdue for i in items(Kind.REPLY, now)] == [overdue]
    log_row = interaction_page(InteractionFilter(awaiting_only=True), offset=0, limit=10)[0]
    assert log_row.overdue(now, 24) is overdue
    assert client_page(ClientFilter(), offset=0, limit=10)[0].reply_overdue(now, 24) is overdue


def test_an_answered_message_is_never_overdue(owner: Staff) -> None:
    alice = add(owner, "Alice Anders")
    log(owner, alice, "2026-11-20 10:00", "inbound")
    log(owner, alice, "2026-11-21 10:00", "outbound")
    row = interaction_page(InteractionFilter(direction="inbound"), offset=0, limit=10)[0]
    assert row.overdue(FROZEN, 24) is False
    assert client_page(ClientFilter(), offset=0, limit=10)[0].reply_overdue(FROZEN, 24) is False
    assert items(Kind.REPLY) == []


# Due days: listed from the day on, overdue only once it has passed ----------------------------------------


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        ("tomorrow", []),
        ("today", [("Alice Anders", "due today", False)]),
        ("yesterday", [("Alice Anders", "1 d late", True)]),
    ],
)
def test_a_promise_is_due_on_its_day_and_overdue_the_day_after(
    owner: Staff, due: str, expected: list[tuple[str, str, bool]]
) -> None:
    alice = add(owner, "Alice Anders")
    add_promise(PromiseDraft(alice.slug, "Send the quote", owner.slug, due), actor=owner, zone=ZONE)
    assert listed(Kind.PROMISE) == expected


@pytest.mark.parametrize(("kept_on", "on_time"), [(FROZEN, True), (FROZEN + DAY, False)])
def test_a_promise_kept_on_its_due_day_is_kept_on_time(
    owner: Staff, kept_on: datetime, on_time: bool
) -> None:
    alice = add(owner, "Alice Anders")
    promise = add_promise(
        PromiseDraft(alice.slug, "Send the quote", owner.slug, "today"), actor=owner, zone=ZONE
    )
    clock.freeze(kept_on)
    keep_promise(promise.id, actor=owner, zone=ZONE)
    assert Promise.get_by_id(promise.id).kept_on_time is on_time


def test_a_renegotiated_promise_is_still_owed_on_its_new_day(owner: Staff) -> None:
    alice = add(owner, "Alice Anders")
    promise = add_promise(
        PromiseDraft(alice.slug, "Send the quote", owner.slug, "2026-11-20"), actor=owner, zone=ZONE
    )
    renegotiate_promise(promise.id, "tomorrow", actor=owner, zone=ZONE)
    assert listed(Kind.PROMISE) == []
    assert listed(Kind.PROMISE, FROZEN + DAY) == [("Alice Anders", "due today", False)]


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (FROZEN, []),
        (FROZEN + DAY, [("Alice Anders", "due today", False)]),
        (FROZEN + 2 * DAY, [("Alice Anders", "1 d late", True)]),
    ],
)
def test_a_follow_up_is_due_on_its_day(
    owner: Staff, now: datetime, expected: list[tuple[str, str, bool]]
) -> None:
    alice = add(owner, "Alice Anders")
    log(owner, alice, "today 09:00", follow_up="tomorrow")
    assert listed(Kind.FOLLOW_UP, now) == expected


@pytest.mark.parametrize(
    ("days", "expected"),
    [(6, []), (7, [("Bo Byrne", "due today", False)]), (8, [("Bo Byrne", "1 d late", True)])],
)
def test_the_check_in_after_a_resolved_concern_is_due_a_week_later(
    owner: Staff, days: int, expected: list[tuple[str, str, bool]]
) -> None:
    bo = add(owner, "Bo Byrne")
    concern = add_concern(ConcernDraft(bo.slug, "Missed deadline", "high"), actor=owner)
    resolve_concern(concern.id, actor=owner, resolved="resolved", client_confirmed=True, zone=ZONE)
    assert Concern.get_by_id(concern.id).checkin_on == date(2026, 11, 30)
    assert listed(Kind.CHECKIN, FROZEN + timedelta(days=days)) == expected


@pytest.mark.parametrize(
    ("days", "expected", "overdue_checklists"),
    [
        (2, [], 0),
        (3, [("Alice Anders", "due today", False)], 0),
        (4, [("Alice Anders", "1 d late", True)], 1),
    ],
)
def test_a_checklist_step_is_due_its_offset_in_days_after_the_start(
    owner: Staff, days: int, expected: list[tuple[str, str, bool]], overdue_checklists: int
) -> None:
    alice = add(owner, "Alice Anders")
    process = create_process(
        ProcessDraft("Quick check", "", (StepDraft("Call in three days", "", "3"),)), actor=owner
    )
    start_checklist(alice.id, process.id, actor=owner, start=date(2026, 11, 23))
    now = FROZEN + timedelta(days=days)
    assert listed(Kind.STEP, now) == expected
    # The checklists screen's "overdue only" filter and its red rows agree with the care screen.
    today = now.date()
    assert count_checklists(ChecklistFilter(overdue_on=today)) == overdue_checklists
    assert [row.overdue(today) for row in checklist_page(ChecklistFilter(), offset=0, limit=10)] == [
        overdue_checklists == 1
    ]


# Key dates: shown from today to exactly N days ahead, on the care screen and in the brief -----------------


@pytest.mark.parametrize(
    ("on", "shown", "when"),
    [
        ("2026-11-22", False, ""),  # a one-off already past
        ("2026-11-23", True, "today"),
        ("2026-12-07", True, "in 14 d, Mon 7 Dec"),  # exactly 14 days ahead
        ("2026-12-08", False, ""),  # 15 days ahead
    ],
)
def test_a_key_date_exactly_n_days_ahead_is_shown_and_one_more_is_not(
    owner: Staff, on: str, shown: bool, when: str
) -> None:
    alice = add(owner, "Alice Anders")
    add_key_date(alice.id, "Renewal", on, yearly=False, actor=owner, zone=ZONE)
    assert listed(Kind.KEY_DATE) == ([("Alice Anders", when, False)] if shown else [])
    in_brief = brief(alice.id, today=date(2026, 11, 23), key_dates_ahead=14).key_dates
    assert [row.label for row in in_brief] == (["Renewal"] if shown else [])


def test_a_yearly_key_date_today_is_today_not_next_year(owner: Staff) -> None:
    alice = add(owner, "Alice Anders")
    add_key_date(alice.id, "Birthday", "23 Nov", yearly=True, actor=owner, zone=ZONE)
    assert listed(Kind.KEY_DATE) == [("Alice Anders", "today", False)]
    lines = brief_lines(brief(alice.id, today=date(2026, 11, 23)), zone=ZONE)
    assert "  Birthday: Mon 23 Nov 2026, today" in lines


# Must-nots --------------------------------------------------------------------------------------------


def test_a_concern_resolved_without_the_clients_confirmation_stays_unconfirmed(owner: Staff) -> None:
    bo = add(owner, "Bo Byrne")
    concern = add_concern(ConcernDraft(bo.slug, "Missed deadline", "high"), actor=owner)
    acknowledge_concern(concern.id, actor=owner, apology=True, remedy="Two days free")
    resolve_concern(concern.id, actor=owner, resolved="resolved", client_confirmed=False, zone=ZONE)
    stored = Concern.get_by_id(concern.id)
    assert stored.resolved_at is not None and stored.client_confirmed is False
    row = concern_rows(open_only=False)[0]
    assert (row.resolved, row.client_confirmed) == (True, False)
    assert client_history(bo.id, zone=ZONE)[0].summary == (
        "Closed concern “Missed deadline”, not confirmed by the client"
    )


def test_mine_holds_what_i_handled_promised_or_own_for_someone_elses_client(owner: Staff) -> None:
    sam = add_staff("Sam Rivera")
    alice = add(owner, "Alice Anders")  # Pat's client
    log(owner, alice, "yesterday 9am", "inbound", summary="Call me", handled_by=sam.slug)
    add_promise(PromiseDraft(alice.slug, "Send the quote", sam.slug, "today"), actor=owner, zone=ZONE)
    add_concern(ConcernDraft(alice.slug, "Late again", "low", owner=sam.slug), actor=owner)
    mine = care_queue(plain(), POLICY, now=FROZEN, zone=ZONE, staff_id=sam.id).items()
    assert sorted(i.kind.value for i in mine) == ["concern", "promise", "reply"]
    bo = add(owner, "Bo Byrne")  # Pat's too, and nothing of Sam's
    log(owner, bo, "yesterday 9am", "inbound")
    assert len(care_queue(plain(), POLICY, now=FROZEN, zone=ZONE, staff_id=sam.id).items()) == 3
