"""Taking back slips from the shell: `undo`, `history`, and the edit, show and delete commands of the log,
promises, concerns and key dates.

Deleting asks on a terminal; without one it needs `--yes`, so a script never deletes by accident. Every
deletion and edit is one change set in the history, so `clientbook undo` takes it back.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from clientbook.cli.arguments import record_id
from clientbook.cli.output import EXIT_OK, print_json
from clientbook.core import clock
from clientbook.core.care_operations import (
    delete_concern,
    delete_promise,
    edit_concern,
    edit_promise,
    remove_key_date,
)
from clientbook.core.care_queries import concern_draft, promise_draft
from clientbook.core.dates import format_moment, iso_utc
from clientbook.core.history import ChangeSetRow, client_history, recent_history
from clientbook.core.log_operations import delete_interaction, edit_interaction
from clientbook.core.log_queries import interaction_detail, interaction_draft
from clientbook.core.models import Direction, KeyDate
from clientbook.core.queries import NotFound, find_client
from clientbook.core.undo import last_undoable, undo_last
from clientbook.core.validation import ValidationError

if TYPE_CHECKING:
    from clientbook.cli.main import Context


def register(commands: Any) -> None:
    """The top-level `undo` and `history` commands."""
    undo = commands.add_parser("undo", help="undo your last action (run again to go further back)")
    undo.add_argument("--show", action="store_true", help="only say what would be undone")
    undo.set_defaults(handler=undo_command)
    history = commands.add_parser("history", help="recent actions, newest first, in words")
    history.add_argument("client", nargs="?", metavar="CLIENT_SLUG", help="only this client's")
    history.add_argument("--mine", action="store_true", help="only your own actions")
    history.add_argument("--limit", type=int, default=20, metavar="N")
    history.add_argument("--json", action="store_true")
    history.set_defaults(handler=history_command)


def _yes(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--yes", action="store_true", help="do not ask (needed without a terminal)")


def register_log(actions: Any) -> None:
    """`log show|edit|delete ID`."""
    show = actions.add_parser("show", help="one interaction in full, with its history")
    show.add_argument("id", type=record_id)
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=log_show)
    edit = actions.add_parser("edit", help="correct an interaction; only the options given change")
    edit.add_argument("id", type=record_id)
    edit.add_argument("--client", metavar="CLIENT_SLUG", help="move it to another client")
    edit.add_argument("--at", metavar="WHEN")
    edit.add_argument("--channel")
    edit.add_argument("--direction", choices=[d.value for d in Direction])
    edit.add_argument("--summary")
    edit.add_argument("--details")
    edit.add_argument("--handled-by", metavar="SLUG")
    edit.add_argument("--follow-up", metavar="DAY", help='a day, or "" for none')
    edit.add_argument("--mood", choices=["", "upset", "neutral", "happy"])
    edit.set_defaults(handler=log_edit)
    delete = actions.add_parser("delete", help="delete an interaction logged by mistake (undo restores it)")
    delete.add_argument("id", type=record_id)
    _yes(delete)
    delete.set_defaults(handler=log_delete)


def register_promise(promises: Any) -> None:
    """`promise edit|delete ID`."""
    edit = promises.add_parser("edit", help="correct what was promised, by whom or when")
    edit.add_argument("id", type=record_id)
    edit.add_argument("--what")
    edit.add_argument("--due", metavar="DAY")
    edit.add_argument("--by", metavar="SLUG")
    edit.set_defaults(handler=promise_edit)
    delete = promises.add_parser("delete", help="delete a promise entered by mistake")
    delete.add_argument("id", type=record_id)
    _yes(delete)
    delete.set_defaults(handler=promise_delete)


def register_concern(concerns: Any) -> None:
    """`concern edit|delete ID`."""
    edit = concerns.add_parser("edit", help="correct a concern's words, severity or owner")
    edit.add_argument("id", type=record_id)
    edit.add_argument("--words")
    edit.add_argument("--severity", choices=["low", "medium", "high"])
    edit.add_argument("--owner", dest="concern_owner", metavar="SLUG")  # not clientbook's --owner
    edit.set_defaults(handler=concern_edit)
    delete = concerns.add_parser("delete", help="delete a concern entered by mistake")
    delete.add_argument("id", type=record_id)
    _yes(delete)
    delete.set_defaults(handler=concern_delete)


def register_key_date(actions: Any) -> None:
    """`keydate remove ID`."""
    remove = actions.add_parser("remove", help="remove a key date")
    remove.add_argument("id", type=record_id)
    _yes(remove)
    remove.set_defaults(handler=key_date_remove)


def confirm(args: argparse.Namespace, question: str) -> bool:
    """True when the user agreed: `--yes`, or `y` typed at the terminal; without a terminal, refuse."""
    if args.yes:
        return True
    if not sys.stdin.isatty():
        raise ValidationError({"yes": "nothing deleted: add --yes to delete without a terminal to ask on"})
    sys.stderr.write(f"{question} [y/N] ")
    sys.stderr.flush()
    answer = sys.stdin.readline().strip().lower()
    if answer not in ("y", "yes"):
        print("Kept: nothing was deleted.", file=sys.stderr)
        return False
    return True


def _delete_confirmed(
    args: argparse.Namespace,
    ctx: Context,
    question: str,
    delete: Callable[..., object],
    verb: str = "deleted",
) -> int:
    """Ask (or take `--yes`), then delete record `args.id` as the user; say how to take it back."""
    if confirm(args, question):
        delete(args.id, actor=ctx.user)
        print(f"{args.id}: {verb} (clientbook undo brings it back)")
    return EXIT_OK


def _given(value: str | None, current: str) -> str:
    return current if value is None else value


# Undo and history -------------------------------------------------------------------------------------


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
    limit = max(1, min(args.limit, 10_000))
    if args.client:
        rows = client_history(find_client(args.client).id, zone=zone, limit=limit)
        if args.mine:
            rows = [row for row in rows if row.actor == ctx.user.name]
    else:
        rows = recent_history(ctx.user.id if args.mine else None, zone=zone, limit=limit)
    if args.json:
        print_json([_history_json(row) for row in rows])
        return EXIT_OK
    if not rows:
        print("No history yet.")
    for row in rows:
        state = " (undone)" if row.undone else ""
        print(f"{format_moment(row.at, zone)}  {row.actor or '—'}  {row.summary}{state}")
        for line in row.lines:
            print(f"    {line}")
    return EXIT_OK


def _history_json(row: ChangeSetRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "at": iso_utc(row.at),
        "by": row.actor,
        "action": row.action,
        "summary": row.summary,
        "changes": list(row.lines),
        "undone": row.undone,
        "undo": row.is_undo,
    }


# The log ------------------------------------------------------------------------------------------------


def log_show(args: argparse.Namespace, ctx: Context) -> int:
    zone = ctx.settings.timezone
    detail = interaction_detail(args.id, zone)
    row = detail.row
    if args.json:
        from clientbook.cli.log_commands import row_json  # noqa: PLC0415 (one group imports another lazily)

        print_json(
            row_json(row, detail.details, clock.now())
            | {"history": [_history_json(h) for h in detail.history]}
        )
        return EXIT_OK
    facts = [
        ("Interaction", str(row.id)),
        ("Client", f"{row.client_name} ({row.client_slug})"),
        ("When", format_moment(row.at, zone)),
        ("Channel", row.channel),
        ("Direction", "inbound, awaiting a reply" if row.awaiting else row.direction),
        ("Handled by", row.handled_by),
        ("Summary", row.summary),
        ("Follow-up", row.follow_up.isoformat() if row.follow_up else ""),
        ("Mood", row.mood or ""),
        ("Answered by", detail.answered_by_summary),
    ]
    for name, value in facts:
        if value:
            print(f"{name + ':':<13}{value}")
    if detail.details:
        print(f"\n{detail.details}")
    if detail.history:
        print("\nHistory:")
        for h in detail.history:
            print(f"  {format_moment(h.at, zone)}  {h.actor or '—'}  {h.summary}")
            for line in h.lines:
                print(f"      {line}")
    return EXIT_OK


def log_edit(args: argparse.Namespace, ctx: Context) -> int:
    zone = ctx.settings.timezone
    draft = interaction_draft(args.id, zone)
    changed = replace(
        draft,
        client=_given(args.client, draft.client),
        when=_given(args.at, draft.when),
        channel=_given(args.channel, draft.channel),
        direction=_given(args.direction, draft.direction),
        summary=_given(args.summary, draft.summary),
        details=_given(args.details, draft.details),
        handled_by=_given(args.handled_by, draft.handled_by),
        follow_up=_given(args.follow_up, draft.follow_up),
        mood=_given(args.mood, draft.mood),
    )
    print(edit_interaction(args.id, changed, actor=ctx.user, zone=zone).id)
    return EXIT_OK


def log_delete(args: argparse.Namespace, ctx: Context) -> int:
    detail = interaction_detail(args.id, ctx.settings.timezone)
    when = format_moment(detail.row.at, ctx.settings.timezone)
    question = f"Delete interaction {args.id} ({detail.row.client_slug}, {when}: {detail.row.summary!r})?"
    return _delete_confirmed(args, ctx, question, delete_interaction)


# Promises, concerns, key dates ----------------------------------------------------------------------------


def promise_edit(args: argparse.Namespace, ctx: Context) -> int:
    draft = promise_draft(args.id)
    changed = replace(
        draft,
        what=_given(args.what, draft.what),
        due=_given(args.due, draft.due),
        made_by=_given(args.by, draft.made_by),
    )
    print(edit_promise(args.id, changed, actor=ctx.user, zone=ctx.settings.timezone).id)
    return EXIT_OK


def promise_delete(args: argparse.Namespace, ctx: Context) -> int:
    draft = promise_draft(args.id)
    question = f"Delete promise {args.id} ({draft.client}: {draft.what!r})?"
    return _delete_confirmed(args, ctx, question, delete_promise)


def concern_edit(args: argparse.Namespace, ctx: Context) -> int:
    draft = concern_draft(args.id)
    changed = replace(
        draft,
        words=_given(args.words, draft.words),
        severity=_given(args.severity, draft.severity),
        owner=_given(args.concern_owner, draft.owner),
    )
    print(edit_concern(args.id, changed, actor=ctx.user).id)
    return EXIT_OK


def concern_delete(args: argparse.Namespace, ctx: Context) -> int:
    draft = concern_draft(args.id)
    question = f"Delete concern {args.id} ({draft.client}: {draft.words!r})?"
    return _delete_confirmed(args, ctx, question, delete_concern)


def key_date_remove(args: argparse.Namespace, ctx: Context) -> int:
    key_date = KeyDate.get_or_none(KeyDate.id == args.id)
    if key_date is None:
        raise NotFound(f"no key date {args.id}")
    question = f"Remove key date {args.id} ({key_date.client.slug}: {key_date.label!r})?"
    return _delete_confirmed(args, ctx, question, remove_key_date, verb="removed")
