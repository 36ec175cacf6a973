"""`clientbook staff list|add`: the people who can be a client's point-person."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from clientbook.cli.output import EXIT_OK, print_json_rows, print_table
from clientbook.core.clients.operations import add_staff
from clientbook.core.clients.queries import staff_rows

if TYPE_CHECKING:
    from clientbook.cli.running import Context


def build(staff: argparse.ArgumentParser) -> None:
    """`clientbook staff`'s actions."""
    actions = staff.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="list staff")
    listing.add_argument("--json", action="store_true", help="print a JSON array")
    listing.set_defaults(handler=list_staff)
    adding = actions.add_parser("add", help="add a staff member; prints the slug")
    adding.add_argument("name")
    adding.set_defaults(handler=add)


def list_staff(args: argparse.Namespace, ctx: Context) -> int:
    rows = staff_rows()
    if args.json:
        print_json_rows({"slug": r.slug, "name": r.name} for r in rows)
    else:
        print_table(["SLUG", "NAME"], ([r.slug, r.name] for r in rows))
    return EXIT_OK


def add(args: argparse.Namespace, ctx: Context) -> int:
    print(add_staff(args.name, actor=ctx.user).slug)
    return EXIT_OK
