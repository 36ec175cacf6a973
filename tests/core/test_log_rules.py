"""The log's "must not" rules and the edits that move things: what answers a message, what counts as contact,
an interaction moved between clients (and the undo of it), and how the log reads a weekday time."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from clientbook.core.clients.queries import awaiting_counts
from clientbook.core.drafts import InteractionDraft
from clientbook.core.errors import ValidationError
from clientbook.core.log.operations import edit_interaction, log_interaction
from clientbook.core.log.queries import awaiting_replies, interaction_draft
from clientbook.core.models import Client, Interaction, Staff, from_stored
from clientbook.core.undo import undo_last
from tests.conftest import add

ZONE = "Europe/London"


def log(
    owner: Staff, client: str, direction: str, when: str, summary: str = "Hello", **fields: str
) -> Interaction:
    return log_interaction(
        InteractionDraft(
            client=client,
            when=when,
            channel=fields.pop("channel", "email"),
            direction=direction,
            summary=summary,
            handled_by=owner.slug,
        ),
        actor=owner,
        zone=fields.pop("zone", ZONE),
    )


def last_contact(client: Client) -> datetime | None:
    return from_stored(Client.get_by_id(client.id).last_contact_at)


def utc(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


def test_an_internal_note_answers_no_message(owner: Staff) -> None:
    alice = add(owner, "Alice Anders")
    message = log(owner, alice.slug, "inbound", "yesterday 9am", "Invoice?")
    log(owner, alice.slug, "internal", "today 09:00", "Asked accounts about it", channel="note")
    assert [r.id for r in awaiting_replies(alice.id)] == [message.id]
    assert Interaction.get_by_id(message.id).answered_by_id is None
    assert awaiting_counts([alice.id]) == {alice.id: (1, utc(22, 9))}


def test_a_reply_answers_a_message_of_the_same_minute_but_not_a_later_one(owner: Staff) -> None:
    alice = add(owner, "Alice Anders")
    same = log(owner, alice.slug, "inbound", "today 09:30", "Quick question")
    later = log(owner, alice.slug, "inbound", "today 09:45", "Another")
    reply = log(owner, alice.slug, "outbound", "today 09:30", "Answered")
    assert Interaction.get_by_id(same.id).answered_by_id == reply.id
    assert [r.id for r in awaiting_replies(alice.id)] == [later.id]


def test_an_interaction_moved_to_another_client_moves_both_last_contacts_and_undo_restores_both(
    owner: Staff,
) -> None:
    alice, bo = add(owner, "Alice Anders"), add(owner, "Bo Byrne")
    log(owner, alice.slug, "outbound", "2026-11-20 10:00", "Alice's own email")
    log(owner, bo.slug, "outbound", "2026-11-21 10:00", "Bo's own email")
    wrong = log(owner, alice.slug, "inbound", "2026-11-22 09:00", "Logged on the wrong client")
    assert (last_contact(alice), last_contact(bo)) == (utc(22, 9), utc(21, 10))

    edit_interaction(
        wrong.id, replace(interaction_draft(wrong.id, ZONE), client=bo.slug), actor=owner, zone=ZONE
    )
    assert Interaction.get_by_id(wrong.id).client_id == bo.id
    assert (last_contact(alice), last_contact(bo)) == (utc(20, 10), utc(22, 9))
    assert awaiting_counts([alice.id, bo.id]) == {bo.id: (1, utc(22, 9))}

    undo_last(owner)
    assert Interaction.get_by_id(wrong.id).client_id == alice.id
    assert (last_contact(alice), last_contact(bo)) == (utc(22, 9), utc(21, 10))
    assert awaiting_counts([alice.id, bo.id]) == {alice.id: (1, utc(22, 9))}


def test_moving_a_clients_only_interaction_leaves_it_never_contacted(owner: Staff) -> None:
    alice, bo = add(owner, "Alice Anders"), add(owner, "Bo Byrne")
    call = log(owner, alice.slug, "outbound", "today 09:00", channel="call")
    edit_interaction(
        call.id, replace(interaction_draft(call.id, ZONE), client=bo.slug), actor=owner, zone=ZONE
    )
    assert (last_contact(alice), last_contact(bo)) == (None, utc(23, 9))


# The log's "when" (Mon 23 Nov 2026, 10:00 UTC): a weekday and a time is the last such moment, not the next


@pytest.mark.parametrize(
    ("when", "zone", "stored"),
    [
        ("fri 3pm", "Europe/London", utc(20, 15)),
        ("friday 15:00", "Europe/London", utc(20, 15)),
        ("sun 9am", "Europe/London", utc(22, 9)),
        ("mon 8am", "Europe/London", utc(23, 8)),  # today, already past
        ("fri 3pm", "America/New_York", utc(20, 20)),  # 05:00 on Monday there: still last Friday
    ],
)
def test_the_log_reads_a_weekday_time_as_the_past_one(
    owner: Staff, when: str, zone: str, stored: datetime
) -> None:
    alice = add(owner, "Alice Anders")
    interaction = log(owner, alice.slug, "inbound", when, zone=zone)
    assert from_stored(Interaction.get_by_id(interaction.id).at) == stored


def test_todays_weekday_with_a_time_still_to_come_is_refused_not_moved_a_week(owner: Staff) -> None:
    alice = add(owner, "Alice Anders")
    with pytest.raises(ValidationError) as refused:
        log(owner, alice.slug, "inbound", "mon 3pm")  # Monday 10:00: 3pm has not happened yet
    assert refused.value.errors == {
        "when": "is in the future: use a follow-up or a promise for what is planned"
    }
    assert Interaction.select().count() == 0


def test_a_message_moved_to_another_client_waits_for_that_clients_reply(owner: Staff) -> None:
    alice, bo = add(owner, "Alice Anders"), add(owner, "Bo Byrne")
    wrong = log(owner, alice.slug, "inbound", "2026-11-22 09:00", "Bo's question, logged on Alice")
    alice_reply = log(owner, alice.slug, "outbound", "2026-11-22 10:00", "Reply to Alice")
    assert Interaction.get_by_id(wrong.id).answered_by_id == alice_reply.id  # answered all earlier ones
    moved = replace(interaction_draft(wrong.id, ZONE), client=bo.slug)
    edit_interaction(wrong.id, moved, actor=owner, zone=ZONE)
    assert [r.id for r in awaiting_replies(bo.id)] == [wrong.id]  # Alice's reply did not answer Bo
    assert Interaction.get_by_id(wrong.id).answered_by_id is None
    undo_last(owner)
    assert Interaction.get_by_id(wrong.id).answered_by_id == alice_reply.id
    assert awaiting_replies(alice.id) == awaiting_replies(bo.id) == []


def test_a_reply_moved_to_another_client_no_longer_answers_the_first_clients_messages(owner: Staff) -> None:
    alice, bo = add(owner, "Alice Anders"), add(owner, "Bo Byrne")
    question = log(owner, alice.slug, "inbound", "2026-11-22 09:00", "Alice's question")
    reply = log(owner, alice.slug, "outbound", "2026-11-22 10:00", "Meant for Bo")
    assert awaiting_replies(alice.id) == []
    moved = replace(interaction_draft(reply.id, ZONE), client=bo.slug)
    edit_interaction(reply.id, moved, actor=owner, zone=ZONE)
    assert [r.id for r in awaiting_replies(alice.id)] == [question.id]
    undo_last(owner)
    assert awaiting_replies(alice.id) == []
    assert Interaction.get_by_id(question.id).answered_by_id == reply.id
