"""`clientbook log add|ack|list`: the interaction log from the shell, with the app's time parser and rules."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from clientbook.cli import correction_commands
from clientbook.cli.arguments import record_id
from clientbook.cli.output import EXIT_OK, PAGE, every_row, print_json, print_table
from clientbook.core import clock
from clientbook.core.dates import format_moment, format_wait, iso_utc
from clientbook.core.drafts import InteractionDraft
from clientbook.core.log_operations import acknowledge, log_interaction
from clientbook.core.log_queries import (
    InteractionFilter,
    InteractionRow,
    interaction_details,
    interaction_page,
)
from clientbook.core.models import Direction
from clientbook.core.queries import find_client
from clientbook.core.validation import ValidationError

if TYPE_CHECKING:
    from clientbook.cli.main import Context


def register(commands: Any) -> None:
    log = commands.add_parser("log", help="log interactions, acknowledge messages, list the log")
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
    correction_commands.register_log(actions)


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
    rows = every_row(lambda after: interaction_page(flt, offset=0, limit=PAGE, after=after))
    if args.json:
        details = interaction_details([row.id for row in rows])
        print_json([row_json(row, details.get(row.id, ""), now) for row in rows])
        return EXIT_OK
    headers = ["ID", "WHEN", "CLIENT", "CHANNEL", "DIRECTION", "BY", "SUMMARY"]
    if args.awaiting_reply:
        headers.insert(2, "WAITING")
    table = []
    for row in rows:
        line = [str(row.id), format_moment(row.at, zone), row.client_slug, row.channel, _direction(row),
                row.handled_by, row.summary]  # fmt: skip
        if args.awaiting_reply:
            line.insert(2, format_wait(row.at, now))
        table.append(line)
    print_table(headers, table)
    return EXIT_OK


def _direction(row: InteractionRow) -> str:
    if row.awaiting:
        return "inbound (awaiting)"
    return row.direction


def row_json(row: InteractionRow, details: str, now: Any) -> dict[str, Any]:
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
