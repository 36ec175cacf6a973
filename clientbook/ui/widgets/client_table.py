"""The client list's table: every client a :class:`ClientFilter` matches, drawn virtually."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from clientbook.core.clients.queries import ClientFilter, ClientRow, client_page, count_clients
from clientbook.core.dates import ago
from clientbook.ui.widgets.virtual_table import Column, PageRequest, VirtualTable


class ClientTable(VirtualTable[ClientRow]):
    """Name, company, stage, point-person, last contact, how to reach them, and what needs care."""

    def __init__(
        self,
        *,
        zone: str,
        clock: Callable[[], datetime],
        reply_target_hours: int = 24,
        id: str | None = None,  # noqa: A002
    ) -> None:
        super().__init__(id=id)
        self.filter = ClientFilter()
        self._counts: dict[ClientFilter, int] = {}
        """Counts made since the book was last read afresh, by filter (written by the reading worker)."""
        self.empty_message = "No clients yet. Press n to add your first."
        now = clock
        self._columns: list[Column[ClientRow]] = [
            Column("Name", lambda r: r.name, share=0.4, keep=100, least=24),
            Column("Company", lambda r: r.company or "—", share=0.25, keep=3, least=14),
            Column("Stage", lambda r: r.stage, width=11, keep=6),
            Column("Point-person", lambda r: r.point_person, width=12, keep=4),
            Column("Last contact", lambda r: ago(r.last_contact_at, now(), zone), width=13, keep=7),
            Column("Email / phone", lambda r: r.reach or "—", share=0.35, keep=2),
            Column("Care", lambda r: _care(r, now(), reply_target_hours), share=0.2, keep=8, least=14),
        ]

    def show(self, flt: ClientFilter, *, keep: int | None = None, fresh: bool = True) -> None:
        """Show the clients `flt` matches. `fresh` False lets a count made since the last fresh read stand
        (typing `ali`, `alic`, then backspace counts `ali` once): only the search box passes it."""
        if fresh:
            self._counts.clear()
        self.filter = flt
        self.reload(keep=keep)

    def columns(self) -> Sequence[Column[ClientRow]]:
        return self._columns

    def count_rows(self) -> int:
        flt = self.filter
        if flt not in self._counts:
            self._counts[flt] = count_clients(flt)
        return self._counts[flt]

    def fetch_page(self, request: PageRequest[ClientRow]) -> list[ClientRow]:
        return client_page(
            self.filter,
            offset=request.offset,
            limit=request.limit,
            after=request.after,
            before=request.before,
            matches=request.matches,
        )

    def row_class(self, row: ClientRow) -> str | None:
        if row.archived:
            return "virtual-table--muted"
        return "virtual-table--alert" if row.awaiting or row.at_risk else None


def _care(row: ClientRow, now: datetime, default_target: int) -> str:
    """What the client needs most: at risk, an overdue or awaited reply, or its checklist's progress."""
    if row.archived:
        return "archived"
    if row.at_risk:
        return "⚠ at risk"
    if row.awaiting:
        return f"✉ {row.awaiting} {'overdue' if row.reply_overdue(now, default_target) else 'awaiting'}"
    return f"✓ {row.checklist}" if row.checklist else ""
