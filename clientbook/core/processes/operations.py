"""Writes for documented processes and the checklists made from them (care principle 2).

Editing a process adds a version; a checklist copies the steps of the version it started from, with due
dates counted from its start, so no edit to a process ever changes a checklist already running. Ticking
records who and when; un-ticking is kept in the change history.
"""

from __future__ import annotations

from datetime import date, timedelta

from clientbook.core.clients.operations import stored_now
from clientbook.core.drafts import ProcessDraft, StepDraft
from clientbook.core.errors import NotFound, ValidationError
from clientbook.core.history import Recorder, change_set, quoted
from clientbook.core.models import (
    Checklist,
    ChecklistStep,
    Client,
    Process,
    ProcessStep,
    ProcessVersion,
    Staff,
)
from clientbook.core.processes.queries import process_draft
from clientbook.core.slugs import unique_slug
from clientbook.core.sql import lock_row
from clientbook.core.validation import CleanProcess, validate_process, validate_short_note


class AlreadyRunning(ValidationError):
    """The process is still open for this client; starting it again needs saying so."""


def create_process(draft: ProcessDraft, *, actor: Staff) -> Process:
    """Validate and add a process, as its version 1."""
    clean = validate_process(draft)
    with change_set(actor, "process.create", f"Added process {clean.name}") as record:
        _refuse_taken_name(clean.name)
        now = stored_now()
        slug = unique_slug(clean.name, Process.slug, fallback="process")
        process = record.insert(
            Process,
            name=clean.name,
            name_key=clean.name.casefold(),
            slug=slug,
            description=clean.description,
            current_version=1,
            created_at=now,
            updated_at=now,
        )
        _add_version(record, process, clean, 1, actor)
    return process


def edit_process(process_id: int, draft: ProcessDraft, *, actor: Staff) -> Process:
    """Save `draft` as the process's next version, if it differs from the current one."""
    clean = validate_process(draft)
    process = _get_process(process_id)
    if draft_of_clean(clean) == process_draft(process_id):
        return process
    with change_set(actor, "process.edit", f"Edited process {clean.name}") as record:
        _refuse_taken_name(clean.name, exclude=process.id)
        version = process.current_version + 1
        _add_version(record, process, clean, version, actor)
        record.update(
            process,
            name=clean.name,
            name_key=clean.name.casefold(),
            description=clean.description,
            current_version=version,
            updated_at=stored_now(),
        )
    return process


def duplicate_process(process_id: int, *, actor: Staff, name: str = "") -> Process:
    """A new process with the current steps of another, named `name` or `Copy of …`."""
    draft = process_draft(process_id)
    copy_name = name.strip() or f"Copy of {draft.name}"
    number = 2
    while not name.strip() and Process.get_or_none(Process.name_key == copy_name.casefold()):
        copy_name = f"Copy {number} of {draft.name}"
        number += 1
    return create_process(ProcessDraft(copy_name, draft.description, draft.steps), actor=actor)


def retire_process(process_id: int, *, actor: Staff, retired: bool = True) -> Process:
    """Retire a process (no new checklists; running ones carry on), or bring it back with `retired=False`."""
    process = _get_process(process_id)
    verb = "Retired" if retired else "Brought back"
    with change_set(actor, "process.retire", f"{verb} process {process.name}") as record:
        if (process.retired_at is not None) != retired:
            record.update(process, retired_at=stored_now() if retired else None)
    return process


def running_checklists(client_id: int, process_id: int) -> list[Checklist]:
    """The client's checklists of this process not yet complete, oldest first."""
    return list(
        Checklist.select()
        .where(
            (Checklist.client == client_id)
            & (Checklist.process == process_id)
            & Checklist.completed_at.is_null()
        )
        .order_by(Checklist.started_on, Checklist.id)
    )


def start_checklist(
    client_id: int, process_id: int, *, actor: Staff, start: date, again: bool = False
) -> Checklist:
    """Apply a process's current version to a client, its due dates counted from `start`.

    Raises :class:`AlreadyRunning` when the process is still open for the client, unless `again`.
    """
    process = _get_process(process_id)
    client = Client.get_or_none(Client.id == client_id)
    if client is None:
        raise NotFound(f"no client with id {client_id}")
    if process.retired_at is not None:
        raise ValidationError({"process": f"{process.name} is retired; bring it back to start it"})
    summary = f"Started {process.name} for {client.name}"
    with change_set(actor, "checklist.start", summary, client_id=client_id) as record:
        running = running_checklists(client_id, process_id)
        if running and not again:
            started = running[0].started_on
            when = f"{started:%a} {started.day} {started:%b %Y}"
            message = f"{process.name} is already running for {client.name} (since {when})"
            raise AlreadyRunning({"process": message})
        version = ProcessVersion.get(
            (ProcessVersion.process == process_id) & (ProcessVersion.version == process.current_version)
        )
        checklist = record.insert(
            Checklist,
            client=client_id,
            process=process_id,
            version=version,
            started_on=start,
            started_by=actor,
            created_at=stored_now(),
        )
        steps = ProcessStep.select().where(ProcessStep.version == version).order_by(ProcessStep.position)
        for step in steps:
            record.insert(
                ChecklistStep,
                checklist=checklist,
                position=step.position,
                title=step.title,
                note=step.note,
                due_on=start + timedelta(days=step.due_days) if step.due_days is not None else None,
            )
    return checklist


def tick_step(step_id: int, *, actor: Staff, note: str = "") -> ChecklistStep:
    """Mark a step done by `actor` now, with an optional short note; completes the checklist when last."""
    step = _get_step(step_id)
    checklist = Checklist.get_by_id(step.checklist_id)
    summary = f"Ticked {quoted(step.title)}"
    with change_set(actor, "checklist.tick", summary, client_id=checklist.client_id) as record:
        # Ticks of one checklist take turns (on PostgreSQL; SQLite's writes always do), so that whoever ticks
        # the last open step sees the others' ticks and marks the checklist complete.
        lock_row(Checklist, step.checklist_id)
        columns: dict[str, object] = {}
        if step.done_at is None:
            columns.update(done_at=stored_now(), done_by=actor.id)
        if note.strip():
            columns["done_note"] = validate_short_note(note)
        record.update(step, **columns)
        refresh_completion(step.checklist_id)
    return step


def untick_step(step_id: int, *, actor: Staff) -> ChecklistStep:
    """Mark a done step not done again; who had ticked it, and when, is kept in the change history."""
    step = _get_step(step_id)
    checklist = Checklist.get_by_id(step.checklist_id)
    summary = f"Unticked {quoted(step.title)}"
    with change_set(actor, "checklist.untick", summary, client_id=checklist.client_id) as record:
        lock_row(Checklist, step.checklist_id)  # see tick_step
        record.update(step, done_at=None, done_by=None)
        refresh_completion(step.checklist_id)
    return step


def note_step(step_id: int, note: str, *, actor: Staff) -> ChecklistStep:
    """Set a step's short note ("sent the welcome pack by post"); an empty note removes it."""
    step = _get_step(step_id)
    checklist = Checklist.get_by_id(step.checklist_id)
    clean = validate_short_note(note)
    summary = f"{'Noted on' if clean else 'Removed the note of'} {quoted(step.title)}"
    with change_set(actor, "checklist.note", summary, client_id=checklist.client_id) as record:
        record.update(step, done_note=clean)
    return step


def draft_of_clean(clean: CleanProcess) -> ProcessDraft:
    """The draft a clean process would be read back as (to tell whether an edit changed anything)."""
    return ProcessDraft(
        clean.name,
        clean.description,
        tuple(StepDraft(s.title, s.note, "" if s.due_days is None else str(s.due_days)) for s in clean.steps),
    )


def refresh_completion(checklist_id: int) -> None:
    """A checklist is complete exactly when none of its steps is open (kept after ticks and undos)."""
    open_steps = ChecklistStep.select().where(
        (ChecklistStep.checklist == checklist_id) & ChecklistStep.done_at.is_null()
    )
    checklist = Checklist.get_or_none(Checklist.id == checklist_id)
    if checklist is None:
        return
    complete = not open_steps.exists()
    if complete and checklist.completed_at is None:
        Checklist.update(completed_at=stored_now()).where(Checklist.id == checklist_id).execute()
    elif not complete and checklist.completed_at is not None:
        Checklist.update(completed_at=None).where(Checklist.id == checklist_id).execute()


def _add_version(record: Recorder, process: Process, clean: CleanProcess, number: int, actor: Staff) -> None:
    version = record.insert(
        ProcessVersion,
        process=process,
        version=number,
        name=clean.name,
        description=clean.description,
        created_at=stored_now(),
        created_by=actor,
    )
    for position, step in enumerate(clean.steps):
        record.insert(
            ProcessStep,
            version=version,
            position=position,
            title=step.title,
            note=step.note,
            due_days=step.due_days,
        )


def _refuse_taken_name(name: str, *, exclude: int | None = None) -> None:
    query = Process.select().where(Process.name_key == name.casefold())
    if exclude is not None:
        query = query.where(Process.id != exclude)
    if query.exists():
        raise ValidationError({"name": f"there is already a process called {name}"})


def _get_process(process_id: int) -> Process:
    process = Process.get_or_none(Process.id == process_id)
    if process is None:
        raise NotFound(f"no process with id {process_id}")
    return process


def _get_step(step_id: int) -> ChecklistStep:
    step = ChecklistStep.get_or_none(ChecklistStep.id == step_id)
    if step is None:
        raise NotFound(f"no checklist step {step_id}")
    return step
