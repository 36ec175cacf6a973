"""The care screen's list: every section of the care queue, a title line then its items, drawn virtually.

The queue is read once per visit, in the table's reading worker (:meth:`CareTable.fetch_page` at offset 0),
with what the screen shows around it (the promise records, the last contact when nothing is owed); the
pages after the first are slices of what was read. An OptionList of 1,340 options took two seconds to
build at 100,000 clients; this draws only the lines on screen.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from clientbook.core.care.queries import (
    SHOWN_PER_SECTION,
    CareItem,
    CarePolicy,
    CareQueue,
    Kind,
    care_queue,
)
from clientbook.core.care.records import StaffRecord, promise_records
from clientbook.core.clients.queries import ClientFilter, ClientRow, ClientSort, client_page
from clientbook.core.db import plain
from clientbook.ui.widgets.virtual_table import Column, PageRequest, VirtualTable

ICONS = {
    Kind.REPLY: "✉",
    Kind.FOLLOW_UP: "↻",
    Kind.CHECKIN: "↻",
    Kind.PROMISE: "◆",
    Kind.CONCERN: "⚠",
    Kind.NEGLECT: "◌",
    Kind.STEP: "☐",
    Kind.KEY_DATE: "★",
}


@dataclass(frozen=True)
class CareLine:
    """One line of the list: a section's title (`item` None) or one thing owed."""

    id: int
    """The line's position: unique within one reading of the queue (items of different kinds share refs)."""
    title: str = ""
    item: CareItem | None = None


@dataclass(frozen=True)
class CareView:
    """What one visit to the care screen read: the queue, its lines, and what the status line shows."""

    queue: CareQueue
    lines: tuple[CareLine, ...]
    records: tuple[StaffRecord, ...] = ()
    latest: ClientRow | None = None
    """When nothing is owed: the client contacted last."""
    mine: bool = False


@dataclass
class CareQuestion:
    """What to read: set by the screen before a reload, read in the worker."""

    policy: CarePolicy
    now: Callable[[], datetime]
    zone: str
    staff_id: int | None = None
    mine: bool = False
    found: CareView | None = field(default=None)
    """Read already (the app chose its first screen by it): the next reload shows it rather than reading."""


def read_care(question: CareQuestion) -> CareView:
    """The queue and what goes with it, as the screen shows it (runs in a worker)."""
    queue = care_queue(
        plain(),
        question.policy,
        now=question.now(),
        zone=question.zone,
        staff_id=question.staff_id,
        limit=SHOWN_PER_SECTION,
    )
    lines: list[CareLine] = []
    for section in queue.sections:
        more = (
            f" (showing {len(section.items):,} of {section.count_text})"
            if section.capped or (section.total > len(section.items))
            else ""
        )
        lines.append(CareLine(len(lines), title=f"{section.title}{more}"))
        lines.extend(CareLine(len(lines), item=item) for item in section.items)
    latest = None
    if not queue.sections:
        found = client_page(ClientFilter(sort=ClientSort.LAST_CONTACT), offset=0, limit=1)
        latest = found[0] if found else None
    return CareView(queue, tuple(lines), tuple(promise_records()), latest, question.mine)


def _what(line: CareLine) -> str:
    item = line.item
    if item is None:
        return ""
    return (f"{item.severity}: " if item.severity else "") + item.text


class CareTable(VirtualTable[CareLine]):
    """Icon, client, what is owed, when, OVERDUE, point-person; section titles across the columns."""

    def __init__(self, question: CareQuestion, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.question = question
        self.view: CareView | None = None
        """What the screen shows: the last reading that arrived."""
        self._fresh: CareView | None = None
        """The reading just made in the worker, not yet shown."""
        self._columns: list[Column[CareLine]] = [
            Column("", lambda r: ICONS[r.item.kind] if r.item else "", width=1, keep=90),
            Column("Client", lambda r: r.item.client_name if r.item else "", share=0.3, keep=80, least=12),
            Column("What is owed", _what, share=0.7, keep=100, least=24),
            Column("When", lambda r: r.item.when if r.item else "", share=0.35, keep=70, least=12),
            Column("", lambda r: "OVERDUE" if r.item and r.item.overdue else "", width=7, keep=60),
            Column("Point-person", lambda r: r.item.point_person if r.item else "", width=14, keep=5),
        ]

    def columns(self) -> Sequence[Column[CareLine]]:
        return self._columns

    def fetch_page(self, request: PageRequest[CareLine]) -> list[CareLine]:
        if request.offset == 0 or self._fresh is None:
            self._fresh = read_care(self.question)
        return list(self._fresh.lines[request.offset : request.offset + request.limit])

    def reload(self, *, keep: int | None = None) -> None:
        found, self.question.found = self.question.found, None
        if found is None:
            super().reload(keep=keep)
            return
        self._fresh = found
        self.show_read(found.lines, keep=keep)

    def count_rows(self) -> int:
        return len(self._fresh.lines) if self._fresh is not None else 0

    def _arrived(
        self,
        generation: int,
        count: int | None,
        pages: dict[int, list[CareLine]],
        keep: int | None,
        cursor: int,
    ) -> None:
        if generation == self._generation:
            self.view = self._fresh
        super()._arrived(generation, count, pages, keep, cursor)
        self._off_titles(1)

    def banner(self, row: CareLine) -> str | None:
        return row.title if row.item is None else None

    def row_class(self, row: CareLine) -> str | None:
        if row.item is None:
            return "virtual-table--header"
        return "virtual-table--alert" if row.item.overdue else None

    def action_cursor(self, step: int) -> None:
        super().action_cursor(step)
        self._off_titles(1 if step > 0 else -1)

    def action_jump(self, where: int) -> None:
        super().action_jump(where)
        self._off_titles(1 if where == 0 else -1)

    def _off_titles(self, direction: int) -> None:
        """Move the cursor off a section title onto the nearest item (titles are not things to act on)."""
        view = self.view
        if view is None or not view.lines:
            return
        lines = view.lines
        index = max(0, min(self.cursor, len(lines) - 1))
        for step in (direction, -direction):
            probe = index
            while 0 <= probe < len(lines) and lines[probe].item is None:
                probe += step
            if 0 <= probe < len(lines):
                self.cursor = probe
                return

    @property
    def item(self) -> CareItem | None:
        """The thing owed under the cursor."""
        view = self.view
        if view is None or not 0 <= self.cursor < len(view.lines):
            return None
        return view.lines[self.cursor].item
