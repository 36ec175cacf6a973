"""A change set in words, as the client detail and the interaction view show it."""

from __future__ import annotations

from rich.text import Text

from clientbook.core.history import ChangeSetRow

LINES_SHOWN = 4


def history_text(row: ChangeSetRow) -> Text:
    """The summary, then what changed, one field a line (`Stage: lead → active`); never markup."""
    text = Text(row.summary, style="strike" if row.undone else "")
    if row.undone:
        text.append(" (undone)", style="dim")
    for line in row.lines[:LINES_SHOWN]:
        text.append("\n  " + line, style="dim")
    if len(row.lines) > LINES_SHOWN:
        text.append(f"\n  and {len(row.lines) - LINES_SHOWN} more", style="dim")
    return text
