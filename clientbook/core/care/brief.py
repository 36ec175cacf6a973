"""The brief before a call (care principle 9): one screen with what a person should know before speaking
to a client. The app shows it with `b`; `clientbook brief SLUG` prints the same."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from clientbook.core.care.records import (
    ConcernRow,
    KeyDateRow,
    PromiseRow,
    concern_rows,
    key_date_rows,
    promise_rows,
)
from clientbook.core.care.rules import key_date_ahead
from clientbook.core.clients.queries import ClientDetail, client_detail
from clientbook.core.dates import format_date, format_moment
from clientbook.core.log.queries import InteractionFilter, InteractionRow, interaction_page
from clientbook.core.processes.queries import ChecklistRow, client_checklists


@dataclass(frozen=True)
class Brief:
    client: ClientDetail
    recent: tuple[InteractionRow, ...]
    promises: tuple[PromiseRow, ...]
    concerns: tuple[ConcernRow, ...]
    checklists: tuple[ChecklistRow, ...]
    key_dates: tuple[KeyDateRow, ...] = ()
    """Key dates coming up within the horizon, soonest first."""
    today: date | None = None
    """The day the brief was made for (what key dates count their days to go from)."""


def brief(client_id: int, *, today: date | None = None, key_dates_ahead: int = 14) -> Brief:
    """Point-person, stage, contact people, the last three interactions, open promises and concerns,
    checklists, key dates within `key_dates_ahead` days of `today` (none without `today`), notes."""
    upcoming: tuple[KeyDateRow, ...] = ()
    if today is not None:
        upcoming = tuple(
            row
            for row in key_date_rows(client_id=client_id, today=today)
            if key_date_ahead(row.next_on, today, key_dates_ahead)
        )
    return Brief(
        client=client_detail(client_id),
        recent=tuple(interaction_page(InteractionFilter(client_id=client_id), offset=0, limit=3)),
        promises=tuple(promise_rows(client_id=client_id)),
        concerns=tuple(concern_rows(client_id=client_id)),
        checklists=tuple(row for row in client_checklists(client_id) if not row.completed),
        key_dates=upcoming,
        today=today,
    )


def _days_to_go(day: date, today: date) -> str:
    days = (day - today).days
    return "today" if days == 0 else "tomorrow" if days == 1 else f"in {days} days"


def brief_lines(b: Brief, *, zone: str) -> list[str]:
    """The brief as plain lines (the CLI prints them; the app shows the same facts)."""
    c = b.client
    lines = [
        f"{c.name} ({c.slug}) · {c.stage} · point-person {c.point_person}"
        + (f" (backup {c.backup_person})" if c.backup_person else "")
    ]
    reach = " · ".join(part for part in (c.email, c.phone, c.company, c.timezone) if part)
    if reach:
        lines.append(reach)
    if c.contacts:
        lines.append("Contact people:")
    for contact in c.contacts:
        extra = " · ".join(part for part in (contact.role, contact.email, contact.phone) if part)
        lines.append(
            f"  {contact.name}{' (primary)' if contact.is_primary else ''}" + (f" · {extra}" if extra else "")
        )
    lines.append("")
    lines.append("Last interactions:" if b.recent else "Last interactions: none logged yet")
    for interaction in b.recent:
        lines.append(
            f"  {format_moment(interaction.at, zone)}  {interaction.direction:<8} "
            f"{interaction.handled_by}: {interaction.summary}"
        )
    lines.append("Open promises:" if b.promises else "Open promises: none")
    for p in b.promises:
        lines.append(f"  due {format_date(p.due)}: {p.what} ({p.made_by})")
    lines.append("Open concerns:" if b.concerns else "Open concerns: none")
    for concern in b.concerns:
        state = "acknowledged" if concern.acknowledged else "NOT acknowledged"
        lines.append(f'  {concern.severity}: "{concern.words}" ({state}; owner {concern.owner})')
    lines.append("Checklists:" if b.checklists else "Checklists: none running")
    for row in b.checklists:
        lines.append(
            f"  {row.process_name} {row.progress}" + (f", next: {row.next_step}" if row.next_step else "")
        )
    if b.today is not None:
        lines.append("Key dates ahead:" if b.key_dates else "Key dates ahead: none")
    for key_date in b.key_dates:
        day = key_date.next_on
        if day is not None and b.today is not None:
            lines.append(f"  {key_date.label}: {format_date(day)}, {_days_to_go(day, b.today)}")
    if c.notes:
        lines.append("Personal notes:")
        lines.extend(f"  {line}" for line in c.notes.splitlines())
    return lines
