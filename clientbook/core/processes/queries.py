"""Reads for processes and checklists: the process list with versions in use, a checklist's steps, the
checklists screen (progress and next step due), and each client's checklist progress."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import cast

import peewee as pw

from clientbook.core.care.rules import past_due
from clientbook.core.dates import format_date
from clientbook.core.drafts import ProcessDraft, StepDraft
from clientbook.core.errors import NotFound
from clientbook.core.models import (
    Checklist,
    ChecklistStep,
    Client,
    Process,
    ProcessStep,
    ProcessVersion,
    Staff,
    from_stored,
    tuples_of,
)
from clientbook.core.references import reference
from clientbook.core.sql import among
from clientbook.core.text import shown
from clientbook.core.values import stored_date


@dataclass(frozen=True)
class StepRow:
    position: int
    title: str
    note: str
    due_days: int | None


@dataclass(frozen=True)
class ProcessRow:
    """One process, with how many open checklists run each of its versions."""

    id: int
    slug: str
    name: str
    description: str
    version: int
    steps: int
    running: tuple[tuple[int, int], ...]
    """(version, open checklists) for each version still in use, newest first."""
    retired: bool

    @property
    def running_total(self) -> int:
        return sum(count for _, count in self.running)


@dataclass(frozen=True)
class ProcessDetail:
    row: ProcessRow
    steps: tuple[StepRow, ...]


@dataclass(frozen=True)
class ChecklistFilter:
    process_id: int | None = None
    point_person_id: int | None = None
    client_id: int | None = None
    client_ids: tuple[int, ...] | None = None
    overdue_on: date | None = None
    """Only checklists with an unticked step due before this day."""
    include_completed: bool = False


@dataclass(frozen=True)
class ChecklistRow:
    """A checklist's progress: `3/7`, and the next step with its due day."""

    id: int
    client_id: int
    client_slug: str
    client_name: str
    point_person: str
    process_slug: str
    process_name: str
    version: int
    started_on: date
    done: int
    total: int
    next_step: str
    next_due: date | None
    completed: bool

    @property
    def progress(self) -> str:
        return f"{self.done}/{self.total}"

    def overdue(self, today: date) -> bool:
        """Its next open step is past its due day."""
        return self.next_due is not None and past_due(self.next_due, today)


@dataclass(frozen=True)
class ChecklistStepRow:
    id: int
    number: int
    title: str
    note: str
    due_on: date | None
    done_at: datetime | None
    done_by: str
    done_note: str


@dataclass(frozen=True)
class ChecklistDetail:
    row: ChecklistRow
    steps: tuple[ChecklistStepRow, ...]


def processes(*, include_retired: bool = False) -> list[ProcessRow]:
    """Every process by name (retired ones only if asked), with its versions in use."""
    query = Process.select().order_by(Process.name_key)
    if not include_retired:
        query = query.where(Process.retired_at.is_null())
    running: dict[int, list[tuple[int, int]]] = {}
    in_use = (
        Checklist.select(Checklist.process, ProcessVersion.version, pw.fn.COUNT(Checklist.id))
        .join(ProcessVersion, on=(Checklist.version == ProcessVersion.id))
        .where(Checklist.completed_at.is_null())
        .group_by(Checklist.process, ProcessVersion.version)
        .order_by(ProcessVersion.version.desc())
    )
    for process_id, version, count in tuples_of(in_use):
        running.setdefault(int(process_id), []).append((int(version), int(count)))
    counts = dict(
        tuples_of(
            ProcessStep.select(ProcessVersion.process, pw.fn.COUNT(ProcessStep.id))
            .join(ProcessVersion, on=(ProcessStep.version == ProcessVersion.id))
            .join(Process, on=(ProcessVersion.process == Process.id))
            .where(ProcessVersion.version == Process.current_version)
            .group_by(ProcessVersion.process)
        )
    )
    return [
        ProcessRow(
            id=p.id,
            slug=p.slug,
            name=p.name,
            description=p.description,
            version=p.current_version,
            steps=int(counts.get(p.id, 0)),
            running=tuple(running.get(p.id, ())),
            retired=p.retired_at is not None,
        )
        for p in query
    ]


def find_process(ref: str) -> Process:
    """A process by slug, unique slug prefix, or name (any case)."""
    ref = reference(ref, "process")
    exact = Process.get_or_none((Process.slug == ref) | (Process.name_key == ref.casefold())) if ref else None
    if exact is not None:
        return exact
    matches = list(Process.select().where(Process.slug.startswith(ref)).limit(6)) if ref else []
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise NotFound(f"no process {shown(ref)}")
    raise NotFound(f"{shown(ref)} matches several processes: {', '.join(m.slug for m in matches[:5])}")


def _current_steps(process: Process) -> list[ProcessStep]:
    return list(
        ProcessStep.select()
        .join(ProcessVersion, on=(ProcessStep.version == ProcessVersion.id))
        .where((ProcessVersion.process == process.id) & (ProcessVersion.version == process.current_version))
        .order_by(ProcessStep.position)
    )


def process_detail(process_id: int) -> ProcessDetail:
    row = next((r for r in processes(include_retired=True) if r.id == process_id), None)
    if row is None:
        raise NotFound(f"no process with id {process_id}")
    process = Process.get_by_id(process_id)
    steps = tuple(StepRow(s.position + 1, s.title, s.note, s.due_days) for s in _current_steps(process))
    return ProcessDetail(row=row, steps=steps)


def process_draft(process_id: int) -> ProcessDraft:
    """The process's current version as a draft, for editing, duplicating and export."""
    process = Process.get_or_none(Process.id == process_id)
    if process is None:
        raise NotFound(f"no process with id {process_id}")
    steps = tuple(
        StepDraft(s.title, s.note, "" if s.due_days is None else str(s.due_days))
        for s in _current_steps(process)
    )
    return ProcessDraft(process.name, process.description, steps)


def _checklist_query(flt: ChecklistFilter) -> pw.ModelSelect[Checklist]:
    open_steps = ChecklistStep.done_at.is_null()
    done = ChecklistStep.select(pw.fn.COUNT(ChecklistStep.id)).where(
        (ChecklistStep.checklist == Checklist.id) & ChecklistStep.done_at.is_null(False)
    )
    total = ChecklistStep.select(pw.fn.COUNT(ChecklistStep.id)).where(ChecklistStep.checklist == Checklist.id)
    first_open = (
        ChecklistStep.select(ChecklistStep.id)
        .where((ChecklistStep.checklist == Checklist.id) & open_steps)
        .order_by(ChecklistStep.position)
        .limit(1)
    )
    Next = ChecklistStep.alias("next_step")  # noqa: N806 - a table alias reads as a table
    query = (
        Checklist.select(
            Checklist.id,
            Client.id,
            Client.slug,
            Client.name,
            Staff.name,
            Process.slug,
            Process.name,
            ProcessVersion.version,
            Checklist.started_on,
            done,
            total,
            Next.title,
            Next.due_on,
            Checklist.completed_at,
        )
        .join(Client, on=(Checklist.client == Client.id))
        .join(Staff, on=(Client.point_person == Staff.id))
        .switch(Checklist)
        .join(Process, on=(Checklist.process == Process.id))
        .switch(Checklist)
        .join(ProcessVersion, on=(Checklist.version == ProcessVersion.id))
        .switch(Checklist)
        .join(Next, pw.JOIN.LEFT_OUTER, on=(Next.id == first_open))
    )
    if not flt.include_completed:
        query = query.where(Checklist.completed_at.is_null())
    if flt.process_id is not None:
        query = query.where(Checklist.process == flt.process_id)
    if flt.point_person_id is not None:
        query = query.where(Client.point_person == flt.point_person_id)
    if flt.client_id is not None:
        query = query.where(Checklist.client == flt.client_id)
    if flt.client_ids is not None:
        query = query.where(among(Checklist.client, flt.client_ids))
    if flt.overdue_on is not None:
        # Overdue as care_rules.past_due has it: the due day has passed (due today is not overdue).
        late = ChecklistStep.select(ChecklistStep.id).where(
            (ChecklistStep.checklist == Checklist.id) & open_steps & (ChecklistStep.due_on < flt.overdue_on)
        )
        query = query.where(pw.fn.EXISTS(late))
    return query


def count_checklists(flt: ChecklistFilter) -> int:
    return int(_checklist_query(flt).count())


def _in_list_order(query: pw.ModelSelect[Checklist]) -> pw.ModelSelect[Checklist]:
    """Open checklists first, the next step soonest due first (those with nothing due last)."""
    return query.order_by(
        Checklist.completed_at.is_null(False),
        pw.SQL("next_step.due_on IS NULL"),
        pw.SQL("next_step.due_on"),
        Checklist.id,
    )


def checklist_page(flt: ChecklistFilter, *, offset: int, limit: int) -> list[ChecklistRow]:
    """Open checklists, the next step soonest due first (those with nothing due last)."""
    query = _in_list_order(_checklist_query(flt))
    return [_row(values) for values in tuples_of(query.offset(offset).limit(limit))]


def checklist_rows(flt: ChecklistFilter) -> Iterator[ChecklistRow]:
    """Every checklist `flt` matches, in :func:`checklist_page`'s order, read from one statement as the caller
    takes them, so memory stays flat however many there are (the CLI's `checklist list`).

    Not pages: the order is computed (each checklist's next due step), so every offset page would compute and
    sort them all again. The statement holds one read snapshot until the last row is taken.
    """
    query = _in_list_order(_checklist_query(flt)).tuples()
    for values in cast("Iterator[tuple[object, ...]]", query.iterator()):
        yield _row(values)


def _row(values: tuple[object, ...]) -> ChecklistRow:
    (ident, client_id, client_slug, client_name, person, process_slug, process_name, version,
     started_on, done, total, next_step, next_due, completed_at) = values  # fmt: skip
    return ChecklistRow(
        id=int(ident),  # type: ignore[call-overload]
        client_id=int(client_id),  # type: ignore[call-overload]
        client_slug=str(client_slug),
        client_name=str(client_name),
        point_person=str(person),
        process_slug=str(process_slug),
        process_name=str(process_name),
        version=int(version),  # type: ignore[call-overload]
        started_on=stored_date(started_on) or date.min,
        done=int(done),  # type: ignore[call-overload]
        total=int(total),  # type: ignore[call-overload]
        next_step=str(next_step or ""),
        next_due=stored_date(next_due),
        completed=completed_at is not None,
    )


def client_checklists(client_id: int) -> list[ChecklistRow]:
    """A client's checklists, open ones first."""
    return checklist_page(ChecklistFilter(client_id=client_id, include_completed=True), offset=0, limit=200)


def checklist_detail(checklist_id: int) -> ChecklistDetail:
    rows = [
        _row(v)
        for v in tuples_of(
            _checklist_query(ChecklistFilter(include_completed=True)).where(Checklist.id == checklist_id)
        )
    ]
    if not rows:
        raise NotFound(f"no checklist {checklist_id}")
    steps = (
        ChecklistStep.select(ChecklistStep, Staff.name)
        .join(Staff, pw.JOIN.LEFT_OUTER, on=(ChecklistStep.done_by == Staff.id))
        .where(ChecklistStep.checklist == checklist_id)
        .order_by(ChecklistStep.position)
    )
    return ChecklistDetail(
        row=rows[0],
        steps=tuple(
            ChecklistStepRow(
                id=s.id,
                number=s.position + 1,
                title=s.title,
                note=s.note,
                due_on=stored_date(s.due_on),
                done_at=from_stored(s.done_at),
                done_by=s.done_by.name if s.done_at and s.done_by else "",
                done_note=s.done_note,
            )
            for s in steps
        ),
    )


def find_checklist(client_id: int, process_id: int, checklist_id: int | None = None) -> Checklist:
    """The client's checklist of this process: the one open, else the one closed.

    When the process was started more than once and several are open (or, none open, several closed), which
    one is meant cannot be guessed: :class:`NotFound` on `checklist` lists them with their ids and start
    days, and `checklist_id` picks one (it must be this client's, of this process).
    """
    of_both = (Checklist.client == client_id) & (Checklist.process == process_id)
    if checklist_id is not None:
        chosen = Checklist.get_or_none(of_both & (Checklist.id == checklist_id))
        if chosen is None:
            raise NotFound(f"no checklist {checklist_id} of that process for this client", field="checklist")
        return chosen
    found = list(Checklist.select().where(of_both).order_by(Checklist.id))
    if not found:
        raise NotFound("that process has not been started for this client")
    still_open = [c for c in found if c.completed_at is None]
    candidates = still_open or found
    if len(candidates) == 1:
        return candidates[0]
    state = "open" if still_open else "closed"
    listed = ", ".join(
        f"{c.id} (started {format_date(stored_date(c.started_on) or date.min)})" for c in candidates
    )
    raise NotFound(
        f"{len(candidates)} {state} checklists of this process for this client: {listed}; "
        "give --checklist ID",
        field="checklist",
    )
