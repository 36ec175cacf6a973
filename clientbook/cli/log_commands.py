"""`clientbook log add|ack|list|show|edit|delete`: the interaction log from the shell, with the app's time
parser and rules."""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from clientbook.cli.arguments import Actions, record_id
from clientbook.cli.editing import delete_confirmed, given, history_json, yes_option
from clientbook.cli.output import EXIT_OK, PAGE, print_json, print_json_rows, print_table
from clientbook.core import clock
from clientbook.core.clients.queries import find_client
from clientbook.core.dates import format_moment, format_wait, iso_utc
from clientbook.core.drafts import InteractionDraft
from clientbook.core.errors import ValidationError
from clientbook.core.log.operations import acknowledge, delete_interaction, edit_interaction, log_interaction
from clientbook.core.log.queries import (
    InteractionFilter,
    InteractionRow,
    interaction_detail,
    interaction_details,
    interaction_draft,
    interaction_pages,
)
from clientbook.core.models import Direction

if TYPE_CHECKING:
    from clientbook.cli.running import Context


def build(log: argparse.ArgumentParser) -> None:
    """`clientbook log`'s actions."""
    actions = log.add_subparsers(dest="action", metavar="ACTION", required=True)

    add = actions.add_parser("add", help="log an interaction; prints its id")
    add.add_argument("client", metavar="CLIENT_SLUG")
    add.add_argument("--channel", required=True, help="call, email, meeting, message, note")
    add.add_argument("--direction", required=True, choices=[d.value for d in Direction])
    add.add_argument("--summary", required=True)
    add.add_argument(
        "--at", default="now", metavar="WHEN", help="when it happened (default now), e.g. 'today 14:00'"
    )
    add.add_argument("--details", default="")
    add.add_argument("--handled-by", metavar="SLUG", help="staff slug (default: you)")
    add.add_argument(
        "--follow-up", default="", metavar="DAY", help="a day to follow up, e.g. fri or 2026-12-01"
    )
    add.add_argument("--mood", default="", choices=["", "upset", "neutral", "happy"])
    answering = add.add_mutually_exclusive_group()
    answering.add_argument(
        "--answers",
        metavar="ID[,ID...]",
        help="the awaiting messages this reply answers (default: all earlier)",
    )
    answering.add_argument(
        "--no-answer", action="store_true", help="this outbound interaction answers nothing"
    )
    add.set_defaults(handler=add_interaction)

    ack = actions.add_parser("ack", help="mark an inbound message acknowledged (no reply needed)")
    ack.add_argument("id", type=record_id)
    ack.set_defaults(handler=ack_interaction)

    listing = actions.add_parser("list", help="list interactions, newest first (awaiting: oldest first)")
    listing.add_argument("client", nargs="?", metavar="CLIENT_SLUG")
    listing.add_argument("--awaiting-reply", action="store_true", help="only messages awaiting a reply")
    listing.add_argument("--json", action="store_true", help="print a JSON array")
    listing.set_defaults(handler=list_interactions)
    _build_corrections(actions)


def _build_corrections(actions: Actions) -> None:
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
    yes_option(delete)
    delete.set_defaults(handler=log_delete)


def _answers(args: argparse.Namespace) -> tuple[int, ...] | None:
    if args.no_answer:
        return ()
    if args.answers is None:
        return None
    try:
        return tuple(int(part) for part in args.answers.split(",") if part.strip())
    except ValueError:
        raise ValidationError({"answers": "interaction ids separated by commas, e.g. 12,15"}) from None


def add_interaction(args: argparse.Namespace, ctx: Context) -> int:
    draft = InteractionDraft(
        client=args.client,
        when=args.at,
        channel=args.channel,
        direction=args.direction,
        summary=args.summary,
        details=args.details,
        handled_by=args.handled_by or ctx.user.slug,
        follow_up=args.follow_up,
        mood=args.mood,
        answers=_answers(args),
    )
    print(log_interaction(draft, actor=ctx.user, zone=ctx.settings.timezone).id)
    return EXIT_OK


def ack_interaction(args: argparse.Namespace, ctx: Context) -> int:
    print(acknowledge(args.id, actor=ctx.user).id)
    return EXIT_OK


def list_interactions(args: argparse.Namespace, ctx: Context) -> int:
    client_id = find_client(args.client).id if args.client else None
    zone, now = ctx.settings.timezone, clock.now()
    flt = InteractionFilter(client_id=client_id, awaiting_only=args.awaiting_reply, zone=zone)
    read = interaction_pages(flt, size=PAGE)
    if args.json:
        print_json_rows(_json_rows(read, now))
        return EXIT_OK
    headers = ["ID", "WHEN", "CLIENT", "CHANNEL", "DIRECTION", "BY", "SUMMARY"]
    if args.awaiting_reply:
        headers.insert(2, "WAITING")
    print_table(headers, (_line(row, args.awaiting_reply, zone, now) for page in read for row in page))
    return EXIT_OK


def _json_rows(read: Iterable[list[InteractionRow]], now: datetime) -> Iterator[dict[str, Any]]:
    """Each row as JSON, with its details text (read a page at a time: rows carry only whether there are
    any)."""
    for page in read:
        details = interaction_details([row.id for row in page])
        for row in page:
            yield row_json(row, details.get(row.id, ""), now)


def _line(row: InteractionRow, awaiting_reply: bool, zone: str, now: datetime) -> list[str]:
    line = [str(row.id), format_moment(row.at, zone), row.client_slug, row.channel, _direction(row),
            row.handled_by, row.summary]  # fmt: skip
    if awaiting_reply:
        line.insert(2, format_wait(row.at, now))
    return line


def _direction(row: InteractionRow) -> str:
    if row.awaiting:
        return "inbound (awaiting)"
    return row.direction


def row_json(row: InteractionRow, details: str, now: datetime) -> dict[str, Any]:
    return {
        "id": row.id,
        "at": iso_utc(row.at),
        "at_zone": row.at_zone,
        "client": row.client_slug,
        "client_name": row.client_name,
        "channel": row.channel,
        "direction": row.direction,
        "summary": row.summary,
        "details": details,
        "handled_by": row.handled_by,
        "follow_up": row.follow_up.isoformat() if row.follow_up else None,
        "mood": row.mood or None,
        "awaiting_reply": row.awaiting,
        "waiting_seconds": int((now - row.at).total_seconds()) if row.awaiting else None,
        "acknowledged": row.acknowledged,
        "answered_by": row.answered_by,
    }


def log_show(args: argparse.Namespace, ctx: Context) -> int:
    zone = ctx.settings.timezone
    detail = interaction_detail(args.id, zone)
    row = detail.row
    if args.json:
        print_json(
            row_json(row, detail.details, clock.now())
            | {"history": [history_json(h) for h in detail.history]}
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
        client=given(args.client, draft.client),
        when=given(args.at, draft.when),
        channel=given(args.channel, draft.channel),
        direction=given(args.direction, draft.direction),
        summary=given(args.summary, draft.summary),
        details=given(args.details, draft.details),
        handled_by=given(args.handled_by, draft.handled_by),
        follow_up=given(args.follow_up, draft.follow_up),
        mood=given(args.mood, draft.mood),
    )
    # Only the options given change: what someone else saves meanwhile, to other fields, stays.
    print(edit_interaction(args.id, changed, actor=ctx.user, zone=zone, base=draft).id)
    return EXIT_OK


def log_delete(args: argparse.Namespace, ctx: Context) -> int:
    detail = interaction_detail(args.id, ctx.settings.timezone)
    when = format_moment(detail.row.at, ctx.settings.timezone)
    question = f"Delete interaction {args.id} ({detail.row.client_slug}, {when}: {detail.row.summary!r})?"
    return delete_confirmed(args, ctx, question, delete_interaction)
