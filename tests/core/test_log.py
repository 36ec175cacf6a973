"""The interaction log's rules: awaiting reply, answering, acknowledging, last contact, edits and history."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import pytest

from clientbook.core.clients.operations import add_staff
from clientbook.core.clients.queries import ClientFilter, awaiting_counts, client_page
from clientbook.core.drafts import InteractionDraft
from clientbook.core.errors import ValidationError
from clientbook.core.log.operations import acknowledge, edit_interaction, log_interaction
from clientbook.core.log.queries import (
    InteractionFilter,
    awaiting_replies,
    count_interactions,
    interaction_detail,
    interaction_draft,
    interaction_page,
)
from clientbook.core.models import Client, Interaction, Staff, from_stored
from tests.conftest import add, field_changes

ZONE = "Europe/London"


@pytest.fixture
def alice(owner: Staff) -> Client:
    return add(owner, "Alice Anders", timezone="America/New_York")


def log(owner: Staff, direction: str, when: str, summary: str = "Hello", **fields: Any) -> Interaction:
    draft = InteractionDraft(
        client=fields.pop("client", "alice-anders"),
        when=when,
        channel=fields.pop("channel", "email"),
        direction=direction,
        summary=summary,
        handled_by=fields.pop("handled_by", owner.slug),
        **fields,
    )
    return log_interaction(draft, actor=owner, zone=ZONE)


def reload(interaction: Interaction) -> Interaction:
    return Interaction.get_by_id(interaction.id)


def test_an_interaction_is_stored_as_a_utc_instant_and_its_zone(owner: Staff, alice: Client) -> None:
    call = log(owner, "outbound", "today 9am", channel="call", follow_up="fri", mood="happy")
    stored = reload(call)
    assert from_stored(stored.at) == datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # London is on GMT in November
    assert stored.at_zone == ZONE
    assert (stored.follow_up, stored.mood) == (date(2026, 11, 27), "happy")


def test_a_refused_time_writes_nothing(owner: Staff, alice: Client) -> None:
    with pytest.raises(ValidationError) as caught:
        log(owner, "inbound", "7:30")
    assert caught.value.errors == {"when": "am or pm?"}
    assert Interaction.select().count() == 0


def test_every_bad_field_is_reported(owner: Staff, alice: Client) -> None:
    with pytest.raises(ValidationError) as caught:
        log_interaction(
            InteractionDraft(client="", when="11/12", channel="fax", direction="sideways", summary=" ",
                             handled_by="", follow_up="soon", mood="grumpy"),
            actor=owner,
            zone=ZONE,
        )  # fmt: skip
    assert set(caught.value.errors) == {
        "client", "when", "channel", "direction", "summary", "handled_by", "follow_up", "mood"
    }  # fmt: skip
    assert caught.value.errors["channel"] == "one of call, email, meeting, message, note"


def test_unknown_client_or_staff_are_field_errors(owner: Staff, alice: Client) -> None:
    with pytest.raises(ValidationError) as caught:
        log(owner, "inbound", "now", client="nobody", handled_by="ghost")
    assert caught.value.errors == {
        "client": "no client with slug 'nobody'",
        "handled_by": "no staff member 'ghost'",
    }


def test_inbound_awaits_until_a_later_outbound_answers_it(owner: Staff, alice: Client) -> None:
    first = log(owner, "inbound", "yesterday 9am", "Invoice question")
    second = log(owner, "inbound", "today 08:00", "Also: the logo")
    assert [r.summary for r in awaiting_replies(alice.id)] == ["Invoice question", "Also: the logo"]
    reply = log(owner, "outbound", "today 09:30", "Answered both")
    assert awaiting_replies(alice.id) == []
    assert reload(first).answered_by_id == reply.id and reload(second).answered_by_id == reply.id


def test_a_reply_answers_only_what_came_before_it(owner: Staff, alice: Client) -> None:
    log(owner, "inbound", "today 08:00", "Early")
    log(owner, "outbound", "yesterday 5pm", "Older reply")
    assert [r.summary for r in awaiting_replies(alice.id)] == ["Early"]


def test_a_reply_can_answer_some_messages_or_none(owner: Staff, alice: Client) -> None:
    a = log(owner, "inbound", "yesterday 9am", "A")
    b = log(owner, "inbound", "yesterday 10am", "B")
    log(owner, "outbound", "today 09:00", "Reply to A", answers=(a.id,))
    assert [r.id for r in awaiting_replies(alice.id)] == [b.id]
    log(owner, "outbound", "today 09:05", "Newsletter", answers=())
    assert [r.id for r in awaiting_replies(alice.id)] == [b.id]


def test_answering_a_message_that_is_not_awaiting_is_refused(owner: Staff, alice: Client) -> None:
    note = log(owner, "internal", "yesterday 9am", "Note", channel="note")
    with pytest.raises(ValidationError, match="not an earlier message"):
        log(owner, "outbound", "now", "Reply", answers=(note.id,))
    assert Interaction.select().count() == 1


def test_acknowledging_ends_the_wait(owner: Staff, alice: Client) -> None:
    message = log(owner, "inbound", "yesterday 9am")
    acknowledge(message.id, actor=owner)
    assert awaiting_replies(alice.id) == []
    acknowledged_by = reload(message).acknowledged_by
    assert acknowledged_by is not None and acknowledged_by.id == owner.id
    with pytest.raises(ValidationError, match="not awaiting a reply"):
        acknowledge(message.id, actor=owner)


def test_last_contact_comes_from_inbound_and_outbound_only(owner: Staff, alice: Client) -> None:
    log(owner, "internal", "today 09:00", "Internal note", channel="note")
    assert Client.get_by_id(alice.id).last_contact_at is None
    log(owner, "inbound", "yesterday 3pm", "Called us")
    log(owner, "outbound", "2026-11-20 10:00", "Older email")
    assert from_stored(Client.get_by_id(alice.id).last_contact_at) == datetime(
        2026, 11, 22, 15, 0, tzinfo=UTC
    )
    # Editing the client record does not touch it.
    row = client_page(ClientFilter(), offset=0, limit=1)[0]
    assert row.last_contact_at == datetime(2026, 11, 22, 15, 0, tzinfo=UTC)


def test_the_client_list_counts_messages_awaiting_a_reply(owner: Staff, alice: Client) -> None:
    log(owner, "inbound", "yesterday 9am")
    log(owner, "inbound", "today 08:00")
    assert awaiting_counts([alice.id]) == {alice.id: (2, datetime(2026, 11, 22, 9, 0, tzinfo=UTC))}
    assert client_page(ClientFilter(), offset=0, limit=1)[0].awaiting == 2


def test_edits_are_kept_in_the_history_and_keep_the_time(owner: Staff, alice: Client) -> None:
    sam = add_staff("Sam Rivera")
    message = log(owner, "inbound", "yesterday 9am", "Invoice qestion")
    draft = interaction_draft(message.id, ZONE)
    assert draft.when == "2026-11-22 09:00"
    edit_interaction(
        message.id, replace(draft, summary="Invoice question", handled_by=sam.slug), actor=owner, zone=ZONE
    )
    stored = reload(message)
    assert stored.summary == "Invoice question" and stored.handled_by.id == sam.id
    assert from_stored(stored.at) == datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
    changes = field_changes("interaction", message.id)
    assert changes == {("summary", "Invoice qestion", "Invoice question"), ("handled_by", owner.id, sam.id)}
    edit = interaction_detail(message.id).history[0]
    assert edit.lines == ("Summary: Invoice qestion → Invoice question", "Handled by: Pat Owner → Sam Rivera")


def test_correcting_a_reply_to_a_note_makes_its_messages_wait_again(owner: Staff, alice: Client) -> None:
    message = log(owner, "inbound", "yesterday 9am")
    reply = log(owner, "outbound", "today 09:00")
    assert awaiting_replies(alice.id) == []
    edit_interaction(
        reply.id, replace(interaction_draft(reply.id, ZONE), direction="internal"), actor=owner, zone=ZONE
    )
    assert [r.id for r in awaiting_replies(alice.id)] == [message.id]


def test_the_log_filters_and_searches(owner: Staff, alice: Client) -> None:
    bo = add(owner, "Bo Byrne")
    sam = add_staff("Sam Rivera")
    log(owner, "inbound", "2026-11-20 10:00", "Invoice question", details="About the March invoice")
    log(owner, "outbound", "2026-11-21 10:00", "Sent the brand guide", channel="meeting", handled_by=sam.slug)
    log(owner, "inbound", "2026-11-22 10:00", "Café opening", client=bo.slug, channel="call")
    everything = InteractionFilter(zone=ZONE)
    assert [r.summary for r in interaction_page(everything, offset=0, limit=10)] == [
        "Café opening", "Sent the brand guide", "Invoice question"
    ]  # fmt: skip

    def summaries(**changes: Any) -> list[str]:
        flt = replace(everything, **changes)
        rows = interaction_page(flt, offset=0, limit=10)
        assert count_interactions(flt) == len(rows)
        return [r.summary for r in rows]

    assert summaries(client_id=bo.id) == ["Café opening"]
    assert summaries(channel="meeting") == ["Sent the brand guide"]
    assert summaries(direction="inbound") == ["Café opening", "Invoice question"]
    assert summaries(staff_id=sam.id) == ["Sent the brand guide"]
    assert summaries(since=date(2026, 11, 21), until=date(2026, 11, 21)) == ["Sent the brand guide"]
    assert summaries(search="march") == ["Invoice question"]  # details are searched too
    assert summaries(search="cafe") == ["Café opening"]  # accents folded
    assert summaries(search="inv") == ["Invoice question"]  # words match by prefix
    assert summaries(awaiting_only=True) == ["Café opening"]  # the brand guide answered the invoice question


@pytest.mark.parametrize(
    "search", ['"', "'", '"a" OR b*', "NEAR(x y)", "a AND NOT", "*", "^", "col:val", "-x"]
)
def test_log_search_with_operators_is_only_text(owner: Staff, alice: Client, search: str) -> None:
    log(owner, "inbound", "now", "Hello there")
    interaction_page(InteractionFilter(search=search), offset=0, limit=10)  # no error is the point
    assert count_interactions(InteractionFilter(search=search)) in (0, 1)


def test_keyset_paging_matches_offsets(owner: Staff, alice: Client) -> None:
    for hour in range(60):
        log(owner, "inbound" if hour % 3 else "outbound", f"2026-11-{10 + hour % 5} {hour % 24:02d}:00")
    for awaiting_only in (False, True):
        flt = InteractionFilter(awaiting_only=awaiting_only)
        total = count_interactions(flt)
        by_offset = [
            r.id for start in range(0, total, 7) for r in interaction_page(flt, offset=start, limit=7)
        ]
        walked: list[int] = []
        page = interaction_page(flt, offset=0, limit=7)
        while page:
            walked += [r.id for r in page]
            page = interaction_page(flt, offset=0, limit=7, after=page[-1])
        assert walked == by_offset and len(set(walked)) == total
