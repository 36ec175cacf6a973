"""`clientbook client add|edit|archive|unarchive|list|show`: client records from the shell.

A unique prefix of a slug is accepted wherever a slug is. `edit` changes only the fields given.
"""

from __future__ import annotations

import argparse
import dataclasses
from typing import TYPE_CHECKING, Any

from clientbook.cli.output import EXIT_OK, PAGE, fail, print_json, print_json_rows, print_table
from clientbook.core import clock
from clientbook.core.clients.lines import ClientLine, client_lines
from clientbook.core.clients.search import search_terms
from clientbook.core.dates import ago, format_moment, iso_utc
from clientbook.core.text import words_left_out
from clientbook.core.values import ClientKind, Stage

if TYPE_CHECKING:
    from clientbook.cli.running import Context, PlainContext
    from clientbook.core.clients.queries import ClientDetail, Duplicate
    from clientbook.core.drafts import ClientDraft, ContactDraft

# The writes (operations, drafts, rules) are imported by the handlers that write, and the core's peewee
# reads (clientbook.core.clients.queries) by the handlers that read through them: `client list`, which
# scripts run most, is plain SQL and starts without peewee (see clientbook.cli.running), `client show`
# without the writes.

# Option name -> ClientDraft field, for add and edit alike.
TEXT_OPTIONS = {
    "name": "name",
    "kind": "kind",
    "email": "email",
    "phone": "phone",
    "company": "company",
    "stage": "stage",
    "point_person": "point_person",
    "backup_person": "backup_person",
    "timezone": "timezone",
    "tags": "tags",
    "notes": "notes",
    "cadence": "cadence_days",
    "reply_target": "reply_target_hours",
}


def build(client: argparse.ArgumentParser) -> None:
    """`clientbook client`'s actions."""
    actions = client.add_subparsers(dest="action", metavar="ACTION", required=True)

    add = actions.add_parser("add", help="add a client; prints its slug")
    _record_options(add, adding=True)
    add.set_defaults(handler=add_client)

    edit = actions.add_parser("edit", help="change the fields given; prints the slug")
    edit.add_argument("slug")
    _record_options(edit, adding=False)
    edit.add_argument("--new-slug", action="store_true", help="make a new slug from the (new) name")
    for parser in (add, edit):
        parser.add_argument(
            "--allow-duplicate",
            action="store_true",
            help="save even though another client has the same email or phone",
        )
    edit.set_defaults(handler=edit_client)

    for verb, handler, text in (
        ("archive", archive, "hide a client from the list (nothing is deleted)"),
        ("unarchive", unarchive, "bring an archived client back"),
    ):
        parser = actions.add_parser(verb, help=text)
        parser.add_argument("slug")
        parser.set_defaults(handler=handler)

    listing = actions.add_parser("list", help="list clients, by name")
    listing.add_argument("--search", default="", metavar="TEXT", help="only clients matching TEXT")
    listing.add_argument("--archived", action="store_true", help="include archived clients")
    listing.add_argument("--json", action="store_true", help="print a JSON array")
    listing.set_defaults(plain_handler=list_clients)

    show = actions.add_parser("show", help="show one client")
    show.add_argument("slug")
    show.add_argument("--json", action="store_true", help="print a JSON object")
    show.set_defaults(handler=show_client)


def _record_options(parser: argparse.ArgumentParser, *, adding: bool) -> None:
    parser.add_argument(
        "--name", required=False, help="the client's name" + (" (required)" if adding else "")
    )
    parser.add_argument(
        "--kind", choices=[k.value for k in ClientKind], help="person (default) or organisation"
    )
    parser.add_argument("--email")
    parser.add_argument("--phone", help="as you would dial it; +country for abroad")
    parser.add_argument("--company")
    parser.add_argument("--stage", help="one of " + ", ".join(s.value for s in Stage) + " (default lead)")
    parser.add_argument("--point-person", metavar="SLUG", help="staff slug (default: you)")
    parser.add_argument("--backup-person", metavar="SLUG", help="staff slug of a backup")
    parser.add_argument("--timezone", help="the client's IANA time zone, e.g. Europe/London")
    parser.add_argument("--tags", help="comma-separated")
    parser.add_argument("--notes", help="personal notes and preferences")
    parser.add_argument(
        "--cadence", metavar="DAYS", help="contact at least every DAYS days ('' for the stage's)"
    )
    parser.add_argument(
        "--reply-target", metavar="HOURS", help="reply to this client within HOURS ('' for the settings')"
    )
    parser.add_argument(
        "--contact",
        action="append",
        metavar="NAME;ROLE;EMAIL;PHONE",
        help="a contact person of an organisation (repeat for more; the first is primary); "
        "on edit, replaces all contacts",
    )


def _apply(draft: ClientDraft, args: argparse.Namespace) -> ClientDraft:
    changes: dict[str, Any] = {
        field: getattr(args, option)
        for option, field in TEXT_OPTIONS.items()
        if getattr(args, option) is not None
    }
    if args.contact is not None:
        changes["contacts"] = tuple(_contact(text, first=i == 0) for i, text in enumerate(args.contact))
        if "kind" not in changes and args.contact:
            changes["kind"] = ClientKind.ORGANISATION.value
    return dataclasses.replace(draft, **changes)


def _contact(text: str, *, first: bool) -> ContactDraft:
    from clientbook.core.drafts import ContactDraft  # noqa: PLC0415
    from clientbook.core.errors import ValidationError  # noqa: PLC0415

    parts = [part.strip() for part in text.split(";")]
    if len(parts) > 4:
        raise ValidationError({"contact": "NAME;ROLE;EMAIL;PHONE (at most four parts)"})
    name, role, email, phone = [*parts, "", "", ""][:4]
    return ContactDraft(name=name, role=role, email=email, phone=phone, is_primary=first)


def add_client(args: argparse.Namespace, ctx: Context) -> int:
    from clientbook.core.clients.operations import create_client  # noqa: PLC0415
    from clientbook.core.clients.queries import likely_duplicates  # noqa: PLC0415
    from clientbook.core.drafts import ClientDraft  # noqa: PLC0415
    from clientbook.core.validation import validate_client  # noqa: PLC0415

    draft = _apply(ClientDraft(point_person=ctx.user.slug), args)
    region = ctx.settings.phone_region
    client = create_client(draft, actor=ctx.user, phone_region=region, allow_duplicate=args.allow_duplicate)
    same_name = likely_duplicates(validate_client(draft, phone_region=region), exclude_id=client.id).same_name
    if same_name:
        fail(f"name: {_also_called(same_name)}; added as {client.slug}")
    print(client.slug)
    return EXIT_OK


def edit_client(args: argparse.Namespace, ctx: Context) -> int:
    from clientbook.core.clients.operations import update_client  # noqa: PLC0415
    from clientbook.core.clients.queries import draft_of, find_client  # noqa: PLC0415

    client = find_client(args.slug)
    # Only the options given change: anything someone else saves meanwhile, to other fields, stays.
    base = draft_of(client.id)
    updated = update_client(
        client.id,
        _apply(base, args),
        actor=ctx.user,
        phone_region=ctx.settings.phone_region,
        base=base,
        new_slug=args.new_slug,
        allow_duplicate=args.allow_duplicate,
    )
    print(updated.slug)
    return EXIT_OK


def _also_called(same_name: tuple[Duplicate, ...]) -> str:
    from clientbook.core.clients.operations import described_duplicate  # noqa: PLC0415
    from clientbook.core.clients.queries import LISTED_MAX  # noqa: PLC0415

    listed = ", ".join(described_duplicate(d) for d in same_name[:LISTED_MAX])
    more = f" and {len(same_name) - LISTED_MAX:,} more" if len(same_name) > LISTED_MAX else ""
    return f"another client has this name: {listed}{more}"


def archive(args: argparse.Namespace, ctx: Context) -> int:
    from clientbook.core.clients.operations import archive_client  # noqa: PLC0415
    from clientbook.core.clients.queries import find_client  # noqa: PLC0415

    print(archive_client(find_client(args.slug).id, actor=ctx.user).slug)
    return EXIT_OK


def unarchive(args: argparse.Namespace, ctx: Context) -> int:
    from clientbook.core.clients.operations import unarchive_client  # noqa: PLC0415
    from clientbook.core.clients.queries import find_client  # noqa: PLC0415

    print(unarchive_client(find_client(args.slug).id, actor=ctx.user).slug)
    return EXIT_OK


def row_json(row: ClientLine) -> dict[str, Any]:
    return {
        "slug": row.slug,
        "name": row.name,
        "company": row.company,
        "stage": row.stage,
        "point_person": row.point_person,
        "last_contact_at": iso_utc(row.last_contact_at),
        "reach": row.reach,
        "archived": row.archived,
    }


def list_clients(args: argparse.Namespace, ctx: PlainContext) -> int:
    _, left_out = search_terms(args.search)
    if left_out:
        fail(words_left_out(left_out))
    rows = client_lines(ctx.sql, search=args.search, include_archived=args.archived, page=PAGE)
    if args.json:
        print_json_rows(row_json(row) for row in rows)
        return EXIT_OK
    now, zone = clock.now(), ctx.settings.timezone
    print_table(
        ["SLUG", "NAME", "STAGE", "POINT-PERSON", "LAST CONTACT", "REACH"],
        (
            [
                r.slug,
                r.name + (" (archived)" if r.archived else ""),
                r.stage,
                r.point_person,
                ago(r.last_contact_at, now, zone),
                r.reach,
            ]
            for r in rows
        ),
    )
    return EXIT_OK


def detail_json(detail: ClientDetail) -> dict[str, Any]:
    return {
        "slug": detail.slug,
        "name": detail.name,
        "kind": detail.kind,
        "stage": detail.stage,
        "point_person": detail.point_person_slug,
        "point_person_name": detail.point_person,
        "backup_person": detail.backup_person,
        "email": detail.email,
        "phone": detail.phone,
        "company": detail.company,
        "timezone": detail.timezone,
        "tags": list(detail.tags),
        "notes": detail.notes,
        "contacts": [dataclasses.asdict(contact) for contact in detail.contacts],
        "created_at": iso_utc(detail.created_at),
        "updated_at": iso_utc(detail.updated_at),
        "archived_at": iso_utc(detail.archived_at),
        "last_contact_at": iso_utc(detail.last_contact_at),
    }


def show_client(args: argparse.Namespace, ctx: Context) -> int:
    from clientbook.core.clients.queries import client_detail, find_client  # noqa: PLC0415

    detail = client_detail(find_client(args.slug).id)
    if args.json:
        print_json(detail_json(detail))
        return EXIT_OK
    zone = ctx.settings.timezone
    lines = [
        ("Name", detail.name),
        ("Slug", detail.slug),
        ("Kind", detail.kind),
        ("Stage", detail.stage + (" (archived)" if detail.archived_at else "")),
        (
            "Point-person",
            detail.point_person + (f" (backup: {detail.backup_person})" if detail.backup_person else ""),
        ),
        ("Email", detail.email),
        ("Phone", detail.phone),
        ("Company", detail.company),
        ("Time zone", detail.timezone),
        ("Tags", ", ".join(detail.tags)),
        ("Last contact", format_moment(detail.last_contact_at, zone) if detail.last_contact_at else "never"),
        ("Added", format_moment(detail.created_at, zone)),
    ]
    for label, value in lines:
        if value:
            print(f"{label + ':':<14}{value}")
    for contact in detail.contacts:
        extra = ", ".join(p for p in (contact.role, contact.email, contact.phone) if p)
        print(
            f"{'Contact:':<14}{contact.name}{' (primary)' if contact.is_primary else ''}"
            + (f" - {extra}" if extra else "")
        )
    if detail.notes:
        print("Notes:")
        for line in detail.notes.splitlines():
            print(f"  {line}")
    return EXIT_OK
