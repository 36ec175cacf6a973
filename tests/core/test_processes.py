"""Processes and checklists: versioning, due dates, ticking, completion and the duplicate-start guard."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from clientbook.core.clients.queries import checklist_progress
from clientbook.core.drafts import ProcessDraft, StepDraft
from clientbook.core.errors import ValidationError
from clientbook.core.models import Checklist, ChecklistStep, Client, Process, Staff
from clientbook.core.processes.operations import (
    AlreadyRunning,
    create_process,
    duplicate_process,
    edit_process,
    note_step,
    retire_process,
    start_checklist,
    tick_step,
    untick_step,
)
from clientbook.core.processes.queries import (
    ChecklistFilter,
    checklist_detail,
    checklist_page,
    count_checklists,
    find_process,
    process_draft,
    processes,
)
from tests.conftest import add, field_changes

START = date(2026, 11, 23)


def steps(client: Client) -> list[ChecklistStep]:
    checklist = Checklist.get(Checklist.client == client.id)
    return list(
        ChecklistStep.select().where(ChecklistStep.checklist == checklist).order_by(ChecklistStep.position)
    )


def test_two_starter_processes_ship_with_a_new_book(owner: Staff) -> None:
    rows = processes()
    assert [(r.slug, r.version) for r in rows] == [("new-client-onboarding", 1), ("post-sale-care", 1)]
    assert rows[0].steps == 7 and rows[1].steps == 5
    assert find_process("post").slug == "post-sale-care"
    assert find_process("New Client Onboarding").slug == "new-client-onboarding"


def test_a_checklist_copies_steps_with_due_dates_from_its_start(owner: Staff) -> None:
    alice = add(owner, "Alice Anders")
    onboarding = find_process("new-client-onboarding")
    start_checklist(alice.id, onboarding.id, actor=owner, start=START)
    copied = steps(alice)
    assert [s.title for s in copied][:2] == ["Send a welcome email", "Agree how and when to keep in touch"]
    assert [s.due_on for s in copied][:3] == [date(2026, 11, 23), date(2026, 11, 24), date(2026, 11, 26)]


def test_editing_a_process_makes_a_version_and_never_changes_running_checklists(owner: Staff) -> None:
    alice, bo = add(owner, "Alice Anders"), add(owner, "Bo Byrne")
    care = find_process("post-sale-care")
    start_checklist(alice.id, care.id, actor=owner, start=START)
    before = [s.title for s in steps(alice)]
    draft = process_draft(care.id)
    edited = replace(draft, steps=(StepDraft("Call to say thanks", "", "0"), *draft.steps[1:]))
    assert edit_process(care.id, edited, actor=owner).current_version == 2
    assert [s.title for s in steps(alice)] == before  # the running checklist kept its steps
    start_checklist(bo.id, care.id, actor=owner, start=START)
    assert steps(bo)[0].title == "Call to say thanks"
    row = next(r for r in processes() if r.slug == "post-sale-care")
    assert row.running == ((2, 1), (1, 1))
    # Saving the same steps again makes no new version.
    assert edit_process(care.id, edited, actor=owner).current_version == 2


def test_starting_a_process_still_open_needs_again(owner: Staff) -> None:
    alice = add(owner, "Alice Anders")
    care = find_process("post-sale-care")
    start_checklist(alice.id, care.id, actor=owner, start=START)
    with pytest.raises(AlreadyRunning, match="Post-sale care is already running for Alice Anders"):
        start_checklist(alice.id, care.id, actor=owner, start=START)
    assert Checklist.select().count() == 1
    start_checklist(alice.id, care.id, actor=owner, start=START, again=True)
    assert Checklist.select().count() == 2


def test_ticking_every_step_completes_and_unticking_reopens(owner: Staff) -> None:
    alice = add(owner, "Alice Anders")
    care = find_process("post-sale-care")
    checklist = start_checklist(alice.id, care.id, actor=owner, start=START)
    for step in steps(alice):
        tick_step(step.id, actor=owner)
    assert Checklist.get_by_id(checklist.id).completed_at is not None
    first = steps(alice)[0]
    assert first.done_by is not None and first.done_by.id == owner.id
    untick_step(first.id, actor=owner)
    assert Checklist.get_by_id(checklist.id).completed_at is None
    changes = field_changes("checklist_step", first.id)
    assert ("done_at", "2026-11-23T10:00:00", None) in changes and ("done_by", owner.id, None) in changes
    note_step(first.id, "sent the welcome pack by post", actor=owner)
    assert ChecklistStep.get_by_id(first.id).done_note == "sent the welcome pack by post"
    with pytest.raises(ValidationError):
        note_step(first.id, "x" * 300, actor=owner)


def test_process_validation_writes_nothing(owner: Staff) -> None:
    before = Process.select().count()
    with pytest.raises(ValidationError) as caught:
        create_process(
            ProcessDraft(" ", "", (StepDraft(" ", "", "three"), StepDraft("ok", "", "5000"))), actor=owner
        )
    assert caught.value.errors == {
        "name": "required",
        "steps.1.title": "required",
        "steps.1.due_days": "whole days after the start, 0 to 3,650",
        "steps.2.due_days": "whole days after the start, 0 to 3,650",
    }
    with pytest.raises(ValidationError, match="there is already a process called POST-SALE CARE"):
        create_process(ProcessDraft("POST-SALE CARE", "", (StepDraft("x"),)), actor=owner)
    with pytest.raises(ValidationError, match="at least one step"):
        create_process(ProcessDraft("Empty"), actor=owner)
    assert Process.select().count() == before


def test_duplicate_and_retire(owner: Staff) -> None:
    alice = add(owner, "Alice Anders")
    care = find_process("post-sale-care")
    copy = duplicate_process(care.id, actor=owner)
    assert copy.name == "Copy of Post-sale care" and copy.slug == "copy-of-post-sale-care"
    assert duplicate_process(care.id, actor=owner).name == "Copy 2 of Post-sale care"
    retire_process(copy.id, actor=owner)
    assert "copy-of-post-sale-care" not in [r.slug for r in processes()]
    with pytest.raises(ValidationError, match="retired"):
        start_checklist(alice.id, copy.id, actor=owner, start=START)


def test_the_checklists_list_shows_progress_next_step_and_overdue(owner: Staff) -> None:
    alice, bo = add(owner, "Alice Anders"), add(owner, "Bo Byrne")
    onboarding, care = find_process("new-client-onboarding"), find_process("post-sale-care")
    start_checklist(alice.id, onboarding.id, actor=owner, start=date(2026, 11, 1))
    start_checklist(bo.id, care.id, actor=owner, start=START)
    first = steps(alice)[0]
    tick_step(first.id, actor=owner)
    rows = checklist_page(ChecklistFilter(), offset=0, limit=10)
    assert [(r.client_name, r.progress, r.next_step, r.next_due) for r in rows] == [
        ("Alice Anders", "1/7", "Agree how and when to keep in touch", date(2026, 11, 2)),
        ("Bo Byrne", "0/5", "Send a thank-you note", date(2026, 11, 23)),
    ]
    overdue = ChecklistFilter(overdue_on=START)
    assert [r.client_name for r in checklist_page(overdue, offset=0, limit=10)] == ["Alice Anders"]
    assert count_checklists(ChecklistFilter(process_id=care.id)) == 1
    assert checklist_progress([alice.id, bo.id]) == {
        alice.id: "1/7 New client onboarding",
        bo.id: "0/5 Post-sale care",
    }
    detail = checklist_detail(rows[0].id)
    assert detail.steps[0].done_by == "Pat Owner" and detail.steps[1].done_at is None


def test_a_completed_checklist_is_not_running_so_starting_again_needs_no_again(owner: Staff) -> None:
    alice = add(owner, "Alice Anders")
    care = find_process("post-sale-care")
    first = start_checklist(alice.id, care.id, actor=owner, start=START)
    for step in steps(alice):
        tick_step(step.id, actor=owner)
    assert Checklist.get_by_id(first.id).completed_at is not None
    second = start_checklist(alice.id, care.id, actor=owner, start=START)  # no again=True
    assert Checklist.select().count() == 2 and second.id != first.id
    with pytest.raises(AlreadyRunning, match="already running for Alice Anders"):
        start_checklist(alice.id, care.id, actor=owner, start=START)  # the second one is open


def test_unticking_a_completed_checklist_makes_it_running_again(owner: Staff) -> None:
    alice = add(owner, "Alice Anders")
    care = find_process("post-sale-care")
    start_checklist(alice.id, care.id, actor=owner, start=START)
    for step in steps(alice):
        tick_step(step.id, actor=owner)
    untick_step(steps(alice)[-1].id, actor=owner)
    with pytest.raises(AlreadyRunning):
        start_checklist(alice.id, care.id, actor=owner, start=START)
    assert Checklist.select().count() == 1
