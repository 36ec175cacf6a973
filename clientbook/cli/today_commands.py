"""`clientbook today`: everything owed to clients today, as the care screen shows it, from the shell.

It exits 0 when nothing is overdue and 1 when something is, so it can run from cron or a shell prompt. It
runs often, so it reads the queue in plain SQL (a `plain_handler`: see :mod:`clientbook.cli.running`) and,
on a book that opens as it is, never imports peewee.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from clientbook.cli.output import EXIT_OK, fields_of, print_json
from clientbook.core import clock
from clientbook.core.care.queries import SECTION_MAX, care_queue
from clientbook.core.dates import format_date
from clientbook.core.text import shown
from clientbook.settings import care_policy

if TYPE_CHECKING:
    from clientbook.cli.running import PlainContext

EXIT_OVERDUE = 1


def section_limit(text: str) -> int:
    """`--limit`: a whole number of items per section, 1 to :data:`SECTION_MAX`."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {shown(text)}") from None
    if not 1 <= value <= SECTION_MAX:
        raise argparse.ArgumentTypeError(
            f"between 1 and {SECTION_MAX}: each section counts up to {SECTION_MAX}"
        )
    return value


def build_today(today: argparse.ArgumentParser) -> None:
    today.add_argument("--mine", action="store_true", help="only your share")
    today.add_argument(
        "--limit",
        type=section_limit,
        default=SECTION_MAX,
        help=f"items per section, 1 to {SECTION_MAX} (default {SECTION_MAX}, all a section counts)",
    )
    today.add_argument("--json", action="store_true", help="print a JSON object")
    today.set_defaults(plain_handler=show_today)


def show_today(args: argparse.Namespace, ctx: PlainContext) -> int:
    queue = care_queue(
        ctx.sql,
        care_policy(ctx.settings),
        now=clock.now(),
        zone=ctx.settings.timezone,
        staff_id=ctx.user.id if args.mine else None,
        limit=args.limit,
    )
    if args.json:
        print_json(
            {
                "today": queue.today.isoformat(),
                "owed": queue.total,
                "owed_capped": queue.capped,
                "overdue": queue.overdue,
                "sections": [
                    {
                        "title": s.title,
                        "total": s.total,
                        "capped": s.capped,
                        "items": [fields_of(i) for i in s.items],
                    }
                    for s in queue.sections
                ],
            }
        )
        return EXIT_OVERDUE if queue.overdue else EXIT_OK
    day = queue.today
    print(
        f"Care · {format_date(day)}{' · mine' if args.mine else ''} · "
        f"{queue.count_text} owed, {queue.overdue_text} overdue"
    )
    if not queue.sections:
        print("Nothing owed today.")
    for section in queue.sections:
        print(f"\n{section.title} ({section.count_text})")
        for item in section.items:
            flag = "OVERDUE  " if item.overdue else ""
            severity = f"{item.severity}: " if item.severity else ""
            who = f"{item.client_name} ({item.client_slug})"
            print(f"  {flag}{who} · {severity}{item.text} · {item.when} · {item.point_person}")
        if section.capped:
            print(f"  ... and more (counting stops at {section.total:,})")
        elif section.total > len(section.items):
            print(f"  ... and {section.total - len(section.items):,} more")
    return EXIT_OVERDUE if queue.overdue else EXIT_OK
