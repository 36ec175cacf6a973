"""The checklists screen's table: open checklists with progress and the next step, soonest due first."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from clientbook.core.care.rules import past_due
from clientbook.core.processes.queries import ChecklistFilter, ChecklistRow, checklist_page, count_checklists
from clientbook.ui.widgets.virtual_table import Column, VirtualTable


def due_text(day: date | None, today: date) -> str:
    """`Mon 23 Nov`, with `today` or `N d late` where it matters."""
    if day is None:
        return "—"
    text = f"{day:%a} {day.day} {day:%b}"
    if day == today:
        return text + " today"
    if past_due(day, today):
        return f"{text} · {(today - day).days} d late"
    return text


class ChecklistTable(VirtualTable[ChecklistRow]):
    """Client, process, progress (3/7), the next step and when it is due, and the point-person."""

    def __init__(self, *, today: Callable[[], date], id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.filter = ChecklistFilter()
        self.today = today
        self.empty_message = "No checklist is running. Press k to start a process for a client."
        self._columns: list[Column[ChecklistRow]] = [
            Column("Client", lambda r: r.client_name, share=0.3, keep=100, least=16),
            Column("Process", lambda r: r.process_name, share=0.25, keep=8),
            Column("Done", lambda r: r.progress, width=6, keep=9),
            Column("Next step", lambda r: r.next_step or "all done", share=0.45, keep=99, least=16),
            Column("Due", lambda r: due_text(r.next_due, today()), width=22, keep=98),
            Column("Point-person", lambda r: r.point_person, width=14, keep=5),
        ]

    def show(self, flt: ChecklistFilter, *, keep: int | None = None) -> None:
        self.filter = flt
        self.reload(keep=keep)

    def columns(self) -> Sequence[Column[ChecklistRow]]:
        return self._columns

    def count_rows(self) -> int:
        return count_checklists(self.filter)

    def fetch(self, *, offset: int, limit: int, after: ChecklistRow | None) -> list[ChecklistRow]:
        return checklist_page(self.filter, offset=offset, limit=limit)

    def row_class(self, row: ChecklistRow) -> str | None:
        if row.overdue(self.today()):
            return "virtual-table--alert"
        return "virtual-table--muted" if row.completed else None
