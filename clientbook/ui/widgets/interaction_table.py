"""The log's table: the interactions a filter matches, newest first (awaiting replies: oldest first)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from clientbook.core.dates import format_short, format_wait
from clientbook.core.log.queries import (
    InteractionFilter,
    InteractionRow,
    count_interactions,
    interaction_page,
)
from clientbook.ui.widgets.virtual_table import Column, PageRequest, VirtualTable

ARROWS = {"inbound": "↙ in", "outbound": "↗ out", "internal": "· int"}


def status_of(row: InteractionRow, now: datetime, reply_target_hours: int = 24) -> str:
    """Where a message stands: awaiting (how long, and OVERDUE past the reply target), answered,
    acknowledged, or its follow-up day."""
    if row.awaiting:
        label = "OVERDUE," if row.overdue(now, reply_target_hours) else "awaiting"
        return f"{label} {format_wait(row.at, now)}"
    if row.direction == "inbound" and row.answered_by is not None:
        return "answered"
    if row.acknowledged:
        return "acknowledged"
    if row.follow_up is not None:
        return f"follow up {row.follow_up.day} {row.follow_up:%b}"
    return ""


class InteractionTable(VirtualTable[InteractionRow]):
    """When, client, channel, direction, who, summary and status; `show_client=False` for a timeline."""

    def __init__(
        self,
        *,
        zone: str,
        clock: Callable[[], datetime],
        reply_target_hours: int = 24,
        show_client: bool = True,
        id: str | None = None,  # noqa: A002
    ) -> None:
        super().__init__(id=id)
        self.filter = InteractionFilter(zone=zone)
        self.empty_message = "Nothing logged yet. Press l to log a call, email, meeting or note."

        def when(row: InteractionRow) -> str:
            return format_short(row.at, zone, clock())

        if show_client:
            self._columns: list[Column[InteractionRow]] = [
                Column("When", when, width=17, keep=100),
                Column("Client", lambda r: r.client_name, share=0.35, keep=9),
                Column("Channel", lambda r: f"{r.icon} {r.channel}", width=9, keep=3),
                Column("Dir", lambda r: ARROWS.get(r.direction, r.direction), width=5, keep=5),
                Column("By", lambda r: r.handled_by, width=12, keep=2),
                Column(
                    "Summary",
                    lambda r: r.summary + (" …" if r.has_details else ""),
                    share=0.65,
                    keep=99,
                    least=20,
                ),
                Column("Status", lambda r: status_of(r, clock(), reply_target_hours), width=18, keep=8),
            ]
        else:  # a client's timeline, in a narrower pane: who and which channel are in the opened view
            self._columns = [
                Column("When", when, width=17, keep=100),
                Column("", lambda r: r.icon, width=1, keep=3),
                Column("Dir", lambda r: ARROWS.get(r.direction, r.direction), width=5, keep=5),
                Column("Summary", lambda r: r.summary + (" …" if r.has_details else ""), share=1.0, keep=99),
                Column("Status", lambda r: status_of(r, clock(), reply_target_hours), width=18, keep=8),
            ]

    def show(self, flt: InteractionFilter, *, keep: int | None = None) -> None:
        self.filter = flt
        self.reload(keep=keep)

    def columns(self) -> Sequence[Column[InteractionRow]]:
        return self._columns

    def count_rows(self) -> int:
        return count_interactions(self.filter)

    def fetch_page(self, request: PageRequest[InteractionRow]) -> list[InteractionRow]:
        return interaction_page(
            self.filter,
            offset=request.offset,
            limit=request.limit,
            after=request.after,
            before=request.before,
            matches=request.matches,
        )

    def row_class(self, row: InteractionRow) -> str | None:
        if row.awaiting:
            return "virtual-table--alert"
        return "virtual-table--muted" if row.direction == "internal" else None
