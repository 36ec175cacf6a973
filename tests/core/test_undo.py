"""Undo and delete: every slip can be taken back, and what was entered by mistake can be removed.

Each test makes a real change through the core, undoes it, and checks what the book holds and what the
history says in words.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from clientbook.core.care.operations import (
    add_concern,
    add_key_date,
    add_promise,
    delete_concern,
    delete_promise,
    keep_promise,
    remove_key_date,
    renegotiate_promise,
    snooze_client,
)
from clientbook.core.care.records import concern_rows, key_date_rows, promise_rows
from clientbook.core.clients.operations import (
    add_staff,
    archive_client,
    remove_contact,
    update_client,
)
from clientbook.core.clients.queries import ClientFilter, client_page, count_clients, draft_of
from clientbook.core.db import OpenedBook, close_database, open_database
from clientbook.core.drafts import ConcernDraft, ContactDraft, InteractionDraft, PromiseDraft
from clientbook.core.history import client_history, recent_history
from clientbook.core.log.operations import acknowledge, delete_interaction, edit_interaction, log_interaction
from clientbook.core.log.queries import InteractionFilter, count_interactions, interaction_draft
from clientbook.core.models import (
    ChangeSet,
    Checklist,
    ChecklistStep,
    Client,
    ContactPerson,
    Interaction,
    Process,
    Promise,
    Staff,
)
from clientbook.core.processes.operations import edit_process, start_checklist, tick_step
from clientbook.core.processes.queries import find_process, process_draft
from clientbook.core.undo import CannotUndo, undo_last
from tests.conftest import add

ZONE = "Europe/London"


def log(owner: Staff, direction: str, summary: str, when: str = "now") -> Interaction:
    draft = InteractionDraft(
        client="alice-anders",
        when=when,
        channel="email",
        direction=direction,
        summary=summary,
        handled_by=owner.slug,
    )
    return log_interaction(draft, actor=owner, zone=ZONE)


def edit(owner: Staff, client: Client, **changes: Any) -> None:
    update_client(client.id, replace(draft_of(client.id), **changes), actor=owner, phone_region="GB")


def test_an_edit_is_undone_field_by_field_and_the_history_says_so(owner: Staff) -> None:
    alice = add(owner, "Alice Anders")
    edit(owner, alice, stage="active", company="Anders Design")
    undone = undo_last(owner)
    assert undone.summary == "Edited client Alice Anders"
    stored = Client.get_by_id(alice.id)
    assert (stored.stage, stored.company) == ("lead", "")
    newest, edited = client_history(alice.id, zone=ZONE)[:2]
    assert newest.summary == "Undid: Edited client Alice Anders" and newest.is_undo
    assert "Stage: active → lead" in newest.lines
    assert edited.undone and "Company: none → Anders Design" in edited.lines


def test_undo_is_repeatable_newest_first_and_survives_a_restart(owner: Staff, book: OpenedBook) -> None:
    alice = add(owner, "Alice Anders")
    edit(owner, alice, stage="active")
    edit(owner, alice, stage="post-sale")
    close_database()
    open_database(book.target)  # a restart: the history is in the book, not in memory
    undo_last(owner)
    assert Client.get_by_id(alice.id).stage == "active"
    undo_last(owner)
    assert Client.get_by_id(alice.id).stage == "lead"


def test_undo_refuses_when_a_later_change_touched_the_same_field(owner: Staff) -> None:
    sam = add_staff("Sam Rivera")
    alice = add(owner, "Alice Anders")
    edit(owner, alice, stage="active")
    edit(sam, alice, stage="post-sale")
    later = "a later change touched the same stage: “Edited client Alice Anders” by Sam"
    with pytest.raises(CannotUndo, match=later):
        undo_last(owner)
    assert Client.get_by_id(alice.id).stage == "post-sale"


def test_undo_goes_ahead_when_a_later_change_touched_other_fields(owner: Staff) -> None:
    sam = add_staff("Sam Rivera")
    alice = add(owner, "Alice Anders")
    edit(owner, alice, stage="active")
    edit(sam, alice, company="Anders Design")
    undo_last(owner)
    stored = Client.get_by_id(alice.id)
    assert (stored.stage, stored.company) == ("lead", "Anders Design")


def test_undo_only_takes_back_the_users_own_actions(owner: Staff) -> None:
    sam = add_staff("Sam Rivera")
    alice = add(owner, "Alice Anders")
    bo = add(sam, "Bo Byrne")
    edit(sam, bo, stage="active")
    undo_last(owner)  # the owner's newest action is adding Alice, made by mistake
    assert Client.get_or_none(Client.id == alice.id) is None
    assert Client.get_by_id(bo.id).stage == "active"
    with pytest.raises(CannotUndo, match="nothing of yours to undo"):
        undo_last(owner)


def test_adding_a_client_cannot_be_undone_once_someone_worked_on_it(owner: Staff) -> None:
    sam = add_staff("Sam Rivera")
    alice = add(owner, "Alice Anders")
    edit(sam, alice, stage="active")
    with pytest.raises(CannotUndo, match="Sam Rivera"):
        undo_last(owner)
    assert Client.get_by_id(alice.id).stage == "active"


def test_acknowledging_and_replying_are_undone(owner: Staff) -> None:
    add(owner, "Alice Anders")
    message = log(owner, "inbound", "Invoice question", when="today 9am")
    acknowledge(message.id, actor=owner)
    undo_last(owner)
    stored = Interaction.get_by_id(message.id)
    assert stored.awaiting and stored.acknowledged_at is None
    reply = log(owner, "outbound", "Sent the invoice")
    assert Interaction.get_by_id(message.id).answered_by_id == reply.id
    undo_last(owner)
    assert Interaction.get_or_none(Interaction.id == reply.id) is None
    stored = Interaction.get_by_id(message.id)
    assert stored.awaiting and stored.answered_by_id is None
    assert Client.get().last_contact_at == stored.at  # last contact is the message again, not the reply


def test_a_deleted_interaction_leaves_every_list_and_undo_brings_it_back(owner: Staff) -> None:
    add(owner, "Alice Anders")
    message = log(owner, "inbound", "Invoice question", when="today 9am")
    reply = log(owner, "outbound", "Sent the invoice")
    add_promise(
        PromiseDraft(client="alice-anders", what="Send a receipt", made_by=owner.slug, due="fri"),
        actor=owner,
        zone=ZONE,
        interaction_id=reply.id,
    )
    delete_interaction(reply.id, actor=owner)
    assert count_interactions(InteractionFilter()) == 1
    assert Interaction.get_by_id(message.id).awaiting  # what it answered waits again
    assert Promise.get().interaction_id is None  # the promise stays
    newest = client_history(Client.get().id, zone=ZONE)[0]
    assert newest.summary.startswith("Deleted interaction “Sent the invoice”")
    undo_last(owner)
    restored = Interaction.get_by_id(reply.id)
    assert restored.summary == "Sent the invoice"
    assert Interaction.get_by_id(message.id).answered_by_id == reply.id
    assert Promise.get().interaction_id == reply.id
    assert Client.get().last_contact_at == restored.at


def test_an_interaction_moved_to_another_client_is_moved_back(owner: Staff) -> None:
    alice, bo = add(owner, "Alice Anders"), add(owner, "Bo Byrne")
    call = log(owner, "inbound", "Wrong client", when="today 9am")
    moved = replace(interaction_draft(call.id, ZONE), client="bo-byrne")
    edit_interaction(call.id, moved, actor=owner, zone=ZONE)
    assert Client.get_by_id(alice.id).last_contact_at is None
    assert Client.get_by_id(bo.id).last_contact_at is not None
    undo_last(owner)
    assert Client.get_by_id(alice.id).last_contact_at is not None
    assert Client.get_by_id(bo.id).last_contact_at is None


def test_promises_concerns_and_key_dates_are_deleted_and_restored(owner: Staff) -> None:
    alice = add(owner, "Alice Anders")
    promise = add_promise(
        PromiseDraft(client="alice-anders", what="Send the quote", made_by=owner.slug, due="fri"),
        actor=owner,
        zone=ZONE,
    )
    concern = add_concern(
        ConcernDraft(client="alice-anders", words="Late again", severity="high"), actor=owner
    )
    key_date = add_key_date(alice.id, "Birthday", "14 Mar", yearly=True, actor=owner, zone=ZONE)
    delete_promise(promise.id, actor=owner)
    delete_concern(concern.id, actor=owner)
    remove_key_date(key_date.id, actor=owner)
    today = date(2026, 11, 23)
    assert not promise_rows() and not concern_rows() and not key_date_rows(today=today)
    for _ in range(3):
        undo_last(owner)
    assert [p.id for p in promise_rows()] == [promise.id]
    assert [c.id for c in concern_rows()] == [concern.id]
    assert [k.id for k in key_date_rows(today=today)] == [key_date.id]


def test_promise_outcomes_and_new_days_are_undone(owner: Staff) -> None:
    add(owner, "Alice Anders")
    promise = add_promise(
        PromiseDraft(client="alice-anders", what="Send the quote", made_by=owner.slug, due="2026-11-24"),
        actor=owner,
        zone=ZONE,
    )
    keep_promise(promise.id, actor=owner, zone=ZONE)
    undo_last(owner)
    stored = Promise.get_by_id(promise.id)
    assert (stored.status, stored.closed_at, stored.kept_on_time) == ("open", None, None)
    renegotiate_promise(promise.id, "2026-11-30", actor=owner, zone=ZONE)
    undo_last(owner)
    stored = Promise.get_by_id(promise.id)
    assert (stored.status, stored.due) == ("open", date(2026, 11, 24))


def test_ticks_archive_and_snooze_are_undone(owner: Staff) -> None:
    alice = add(owner, "Alice Anders")
    checklist = start_checklist(
        alice.id, find_process("post-sale-care").id, actor=owner, start=date(2026, 11, 23)
    )
    steps = list(ChecklistStep.select().where(ChecklistStep.checklist == checklist.id))
    for step in steps:
        tick_step(step.id, actor=owner)
    assert Checklist.get_by_id(checklist.id).completed_at is not None
    undo_last(owner)
    assert ChecklistStep.get_by_id(steps[-1].id).done_at is None
    assert Checklist.get_by_id(checklist.id).completed_at is None  # complete no more
    archive_client(alice.id, actor=owner)
    undo_last(owner)
    assert Client.get_by_id(alice.id).archived_at is None
    snooze_client(alice.id, actor=owner, reason="on holiday", until="2026-12-01", zone=ZONE)
    undo_last(owner)
    assert Client.get_by_id(alice.id).care_snoozed_until is None


def test_contact_people_keep_their_ids_and_a_removed_one_comes_back(owner: Staff) -> None:
    okafor = add(
        owner,
        "Okafor & Co",
        kind="organisation",
        contacts=(ContactDraft(name="Dalia Okafor", role="Director", email="dalia@okafor.example"),),
    )
    dalia = ContactPerson.get()
    draft = draft_of(okafor.id)
    renamed = replace(draft.contacts[0], role="CEO")
    update_client(okafor.id, replace(draft, contacts=(renamed,)), actor=owner, phone_region="GB")
    assert ContactPerson.get().id == dalia.id and ContactPerson.get().role == "CEO"
    assert "Contact role: Director → CEO" in client_history(okafor.id, zone=ZONE)[0].lines
    remove_contact(dalia.id, actor=owner)
    assert count_clients(ClientFilter(search="dalia")) == 0
    undo_last(owner)
    assert ContactPerson.get().id == dalia.id
    found = client_page(ClientFilter(search="dalia"), offset=0, limit=5)
    assert [row.name for row in found] == ["Okafor & Co"]


def test_an_unchanged_save_records_nothing(owner: Staff) -> None:
    alice = add(owner, "Alice Anders")
    before = ChangeSet.select().count()
    edit(owner, alice)
    assert ChangeSet.select().count() == before


def test_recent_history_lists_a_persons_actions_in_words(owner: Staff) -> None:
    alice = add(owner, "Alice Anders")
    archive_client(alice.id, actor=owner)
    assert [row.summary for row in recent_history(owner.id, zone=ZONE)] == [
        "Archived Alice Anders",
        "Added client Alice Anders",
    ]


def test_undoing_a_process_edit_that_a_checklist_now_uses_is_refused(owner: Staff) -> None:
    alice = add(owner, "Alice Anders")
    process = find_process("post-sale-care")
    draft = process_draft(process.id)
    edit_process(process.id, replace(draft, description="Revised"), actor=owner)
    sam = add_staff("Sam Rivera")
    start_checklist(alice.id, process.id, actor=sam, start=date(2026, 11, 23))  # on the new version
    with pytest.raises(CannotUndo, match="depends on"):
        undo_last(owner)
    assert Process.get_by_id(process.id).description == "Revised"
