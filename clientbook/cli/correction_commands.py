"""Taking back slips from the shell: `clientbook undo` and `clientbook history`.

Every deletion and edit (the show, edit and delete commands live with their groups: the log, promises,
concerns and key dates) is one change set in the history, so `clientbook undo` takes it back.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from clientbook.cli.editing import history_json
from clientbook.cli.output import EXIT_OK, print_json_rows
from clientbook.core.clients.queries import find_client
from clientbook.core.dates import format_moment
from clientbook.core.history import client_history, recent_history
from clientbook.core.undo import last_undoable, undo_last

if TYPE_CHECKING:
    from clientbook.cli.running import Context

HISTORY_MAX = 10_000
"""The most change sets `history --limit` prints: a bounded read, however long the book's history."""


def build_undo(undo: argparse.ArgumentParser) -> None:
    undo.add_argument("--show", action="store_true", help="only say what would be undone")
    undo.set_defaults(handler=undo_command)


def build_history(history: argparse.ArgumentParser) -> None:
    history.add_argument("client", nargs="?", metavar="CLIENT_SLUG", help="only this client's")
    history.add_argument("--mine", action="store_true", help="only your own actions")
    history.add_argument("--limit", type=int, default=20, metavar="N")
    history.add_argument("--json", action="store_true")
    history.set_defaults(handler=history_command)


def undo_command(args: argparse.Namespace, ctx: Context) -> int:
    if args.show:
        target = last_undoable(ctx.user)
        print(f"Would undo: {target.summary}" if target else "Nothing of yours to undo.")
        return EXIT_OK
    undone = undo_last(ctx.user, zone=ctx.settings.timezone)
    print(f"Undid: {undone.summary}")
    return EXIT_OK


def history_command(args: argparse.Namespace, ctx: Context) -> int:
    zone = ctx.settings.timezone
    limit = max(1, min(args.limit, HISTORY_MAX))
    if args.client:
        rows = client_history(find_client(args.client).id, zone=zone, limit=limit)
        if args.mine:
            rows = [row for row in rows if row.actor == ctx.user.name]
    else:
        rows = recent_history(ctx.user.id if args.mine else None, zone=zone, limit=limit)
    if args.json:
        print_json_rows(history_json(row) for row in rows)
        return EXIT_OK
    if not rows:
        print("No history yet.")
    for row in rows:
        state = " (undone)" if row.undone else ""
        print(f"{format_moment(row.at, zone)}  {row.actor or '—'}  {row.summary}{state}")
        for line in row.lines:
            print(f"    {line}")
    return EXIT_OK
