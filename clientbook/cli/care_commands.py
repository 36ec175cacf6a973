"""`clientbook promise ...`, `concern ...` and `keydate ...`: what is owed to clients, kept from the shell.

Each group's edit and delete (or remove) commands are here too; deleting asks on a terminal, and without one
needs `--yes`, so a script never deletes by accident.
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from clientbook.cli.arguments import record_id
from clientbook.cli.editing import delete_confirmed, given, yes_option
from clientbook.cli.output import EXIT_OK, fields_of, print_json_rows, print_table
from clientbook.core import clock
from clientbook.core.care.operations import (
    acknowledge_concern,
    add_concern,
    add_key_date,
    add_promise,
    break_promise,
    delete_concern,
    delete_promise,
    edit_concern,
    edit_promise,
    keep_promise,
    remove_key_date,
    renegotiate_promise,
    resolve_concern,
)
from clientbook.core.care.records import (
    concern_draft,
    concern_rows,
    key_date_rows,
    promise_draft,
    promise_records,
    promise_rows,
)
from clientbook.core.clients.queries import find_client
from clientbook.core.dates import format_date, iso_utc, local
from clientbook.core.drafts import ConcernDraft, PromiseDraft
from clientbook.core.errors import NotFound
from clientbook.core.models import KeyDate

if TYPE_CHECKING:
    from clientbook.cli.running import Context


def build_promise(promise: argparse.ArgumentParser) -> None:
    """`clientbook promise`'s actions."""
    promises = promise.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = promises.add_parser("add", help="record a promise; prints its id")
    add.add_argument("client", metavar="CLIENT_SLUG")
    add.add_argument("what")
    add.add_argument("--due", required=True, metavar="DAY", help="e.g. fri, 2026-12-01, in 3 days")
    add.add_argument("--by", metavar="SLUG", help="who made it (default: you)")
    add.set_defaults(handler=promise_add)
    listing = promises.add_parser("list", help="promises still owed, soonest due first")
    listing.add_argument("client", nargs="?", metavar="CLIENT_SLUG")
    listing.add_argument("--all", action="store_true", help="kept and broken ones too")
    listing.add_argument(
        "--records", action="store_true", help="each person's record of promises kept on time"
    )
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=promise_list)
    for verb, text in (("keep", "the promise was kept"), ("break", "the promise was not kept")):
        parser = promises.add_parser(verb, help=text)
        parser.add_argument("id", type=record_id)
        parser.set_defaults(handler=promise_close, verb=verb)
    moved = promises.add_parser("renegotiate", help="a new due day agreed with the client")
    moved.add_argument("id", type=record_id)
    moved.add_argument("--due", required=True, metavar="DAY")
    moved.set_defaults(handler=promise_renegotiate)
    edit = promises.add_parser("edit", help="correct what was promised, by whom or when")
    edit.add_argument("id", type=record_id)
    edit.add_argument("--what")
    edit.add_argument("--due", metavar="DAY")
    edit.add_argument("--by", metavar="SLUG")
    edit.set_defaults(handler=promise_edit)
    delete = promises.add_parser("delete", help="delete a promise entered by mistake")
    delete.add_argument("id", type=record_id)
    yes_option(delete)
    delete.set_defaults(handler=promise_delete)


def build_concern(concern: argparse.ArgumentParser) -> None:
    """`clientbook concern`'s actions."""
    concerns = concern.add_subparsers(dest="action", metavar="ACTION", required=True)
    raised = concerns.add_parser("add", help="record a concern in the client's words; prints its id")
    raised.add_argument("client", metavar="CLIENT_SLUG")
    raised.add_argument("words", help="what the client said")
    raised.add_argument("--severity", required=True, choices=["low", "medium", "high"])
    # Its own dest: `--owner` is also clientbook's, for who is signing in, and argparse would let the
    # subcommand's value stand for both (the concern's owner was recorded as having done the action).
    raised.add_argument(
        "--owner", dest="concern_owner", metavar="SLUG", help="who owns it (default: the point-person)"
    )
    raised.set_defaults(handler=concern_add)
    listing = concerns.add_parser("list", help="open concerns, most severe first")
    listing.add_argument("client", nargs="?", metavar="CLIENT_SLUG")
    listing.add_argument("--all", action="store_true", help="resolved ones too")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=concern_list)
    ack = concerns.add_parser("ack", help="the concern was acknowledged to the client")
    ack.add_argument("id", type=record_id)
    ack.add_argument("--apology", action="store_true", help="an apology was given")
    ack.add_argument("--remedy", default="", help="what is being done about it")
    ack.set_defaults(handler=concern_ack)
    resolve = concerns.add_parser(
        "resolve", help='close a concern: say "resolved" and whether the client confirmed'
    )
    resolve.add_argument("id", type=record_id)
    resolve.add_argument("resolved", metavar="resolved", help='the word "resolved"')
    confirmed = resolve.add_mutually_exclusive_group(required=True)
    confirmed.add_argument("--confirmed", action="store_true", help="the client agreed it is resolved")
    confirmed.add_argument("--unconfirmed", action="store_true", help="the client has not confirmed")
    resolve.add_argument("--checkin", default="", metavar="DAY", help="when to check in (default: in 7 days)")
    resolve.set_defaults(handler=concern_resolve)
    edit = concerns.add_parser("edit", help="correct a concern's words, severity or owner")
    edit.add_argument("id", type=record_id)
    edit.add_argument("--words")
    edit.add_argument("--severity", choices=["low", "medium", "high"])
    edit.add_argument("--owner", dest="concern_owner", metavar="SLUG")  # not clientbook's --owner
    edit.set_defaults(handler=concern_edit)
    delete = concerns.add_parser("delete", help="delete a concern entered by mistake")
    delete.add_argument("id", type=record_id)
    yes_option(delete)
    delete.set_defaults(handler=concern_delete)


def build_key_date(key_date: argparse.ArgumentParser) -> None:
    """`clientbook keydate`'s actions."""
    actions = key_date.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="add a key date; prints its id")
    add.add_argument("client", metavar="CLIENT_SLUG")
    add.add_argument("label", help='e.g. "Birthday" or "Contract renewal"')
    add.add_argument("--on", required=True, metavar="DAY", help="e.g. 14 Mar or 2027-02-01")
    add.add_argument("--once", action="store_true", help="not every year (a renewal, a launch)")
    add.set_defaults(handler=key_date_add)
    listing = actions.add_parser("list", help="key dates, soonest first")
    listing.add_argument("client", nargs="?", metavar="CLIENT_SLUG")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=key_date_list)
    remove = actions.add_parser("remove", help="remove a key date")
    remove.add_argument("id", type=record_id)
    yes_option(remove)
    remove.set_defaults(handler=key_date_remove)


def key_date_add(args: argparse.Namespace, ctx: Context) -> int:
    client = find_client(args.client)
    key_date = add_key_date(
        client.id, args.label, args.on, yearly=not args.once, actor=ctx.user, zone=ctx.settings.timezone
    )
    print(key_date.id)
    return EXIT_OK


def key_date_list(args: argparse.Namespace, ctx: Context) -> int:
    client_id = find_client(args.client).id if args.client else None
    today = local(clock.now(), ctx.settings.timezone).date()
    rows = key_date_rows(client_id=client_id, today=today)
    if args.json:
        print_json_rows(
            {
                "id": r.id,
                "client": r.client_slug,
                "label": r.label,
                "on": r.on.isoformat(),
                "yearly": r.yearly,
                "next": r.next_on.isoformat() if r.next_on else None,
            }
            for r in rows
        )
        return EXIT_OK
    print_table(
        ["ID", "CLIENT", "LABEL", "ON", "NEXT"],
        (
            [
                str(r.id),
                r.client_slug,
                r.label,
                f"{r.on.day} {r.on:%b} (every year)" if r.yearly else format_date(r.on),
                format_date(r.next_on) if r.next_on else "past",
            ]
            for r in rows
        ),
    )
    return EXIT_OK


def promise_add(args: argparse.Namespace, ctx: Context) -> int:
    draft = PromiseDraft(client=args.client, what=args.what, made_by=args.by or ctx.user.slug, due=args.due)
    print(add_promise(draft, actor=ctx.user, zone=ctx.settings.timezone).id)
    return EXIT_OK


def promise_list(args: argparse.Namespace, ctx: Context) -> int:
    if args.records:
        records = promise_records()
        if args.json:
            print_json_rows(fields_of(r) for r in records)
        else:
            print_table(
                ["WHO", "KEPT ON TIME", "CLOSED"],
                ([r.name, str(r.kept_on_time), str(r.closed)] for r in records),
            )
        return EXIT_OK
    client_id = find_client(args.client).id if args.client else None
    rows = promise_rows(client_id=client_id, owed_only=not args.all)
    if args.json:
        print_json_rows(fields_of(r) | {"due": r.due.isoformat()} for r in rows)
        return EXIT_OK
    print_table(
        ["ID", "DUE", "CLIENT", "BY", "STATUS", "WHAT"],
        ([str(r.id), format_date(r.due), r.client_slug, r.made_by, r.status, r.what] for r in rows),
    )
    return EXIT_OK


def promise_close(args: argparse.Namespace, ctx: Context) -> int:
    if args.verb == "keep":
        promise = keep_promise(args.id, actor=ctx.user, zone=ctx.settings.timezone)
        print(f"{promise.id}: kept{' on time' if promise.kept_on_time else ', late'}")
    else:
        print(f"{break_promise(args.id, actor=ctx.user).id}: broken")
    return EXIT_OK


def promise_renegotiate(args: argparse.Namespace, ctx: Context) -> int:
    promise = renegotiate_promise(args.id, args.due, actor=ctx.user, zone=ctx.settings.timezone)
    print(f"{promise.id}: now due {format_date(promise.due)}")
    return EXIT_OK


def concern_add(args: argparse.Namespace, ctx: Context) -> int:
    owner = args.concern_owner or ""
    draft = ConcernDraft(client=args.client, words=args.words, severity=args.severity, owner=owner)
    print(add_concern(draft, actor=ctx.user).id)
    return EXIT_OK


def concern_list(args: argparse.Namespace, ctx: Context) -> int:
    client_id = find_client(args.client).id if args.client else None
    rows = concern_rows(client_id=client_id, open_only=not args.all)
    if args.json:
        print_json_rows(fields_of(r) | {"raised_at": iso_utc(r.raised_at)} for r in rows)
        return EXIT_OK
    print_table(
        ["ID", "SEVERITY", "CLIENT", "OWNER", "STATE", "WORDS"],
        (
            [
                str(r.id),
                r.severity,
                r.client_slug,
                r.owner,
                "resolved" if r.resolved else "acknowledged" if r.acknowledged else "NOT acknowledged",
                r.words.replace("\n", " "),
            ]
            for r in rows
        ),
    )
    return EXIT_OK


def concern_ack(args: argparse.Namespace, ctx: Context) -> int:
    concern = acknowledge_concern(args.id, actor=ctx.user, apology=args.apology, remedy=args.remedy)
    print(f"{concern.id}: acknowledged")
    return EXIT_OK


def concern_resolve(args: argparse.Namespace, ctx: Context) -> int:
    concern = resolve_concern(
        args.id,
        actor=ctx.user,
        resolved=args.resolved,
        client_confirmed=args.confirmed,
        checkin=args.checkin,
        zone=ctx.settings.timezone,
    )
    checkin = concern.checkin_on
    day = checkin if isinstance(checkin, date) else date.fromisoformat(str(checkin))
    print(f"{concern.id}: resolved; check in on {format_date(day)}")
    return EXIT_OK


# Corrections: edit, delete, remove --------------------------------------------------------------------


def promise_edit(args: argparse.Namespace, ctx: Context) -> int:
    draft = promise_draft(args.id)
    changed = replace(
        draft,
        what=given(args.what, draft.what),
        due=given(args.due, draft.due),
        made_by=given(args.by, draft.made_by),
    )
    # Only the options given change (see client edit).
    print(edit_promise(args.id, changed, actor=ctx.user, zone=ctx.settings.timezone, base=draft).id)
    return EXIT_OK


def promise_delete(args: argparse.Namespace, ctx: Context) -> int:
    draft = promise_draft(args.id)
    question = f"Delete promise {args.id} ({draft.client}: {draft.what!r})?"
    return delete_confirmed(args, ctx, question, delete_promise)


def concern_edit(args: argparse.Namespace, ctx: Context) -> int:
    draft = concern_draft(args.id)
    changed = replace(
        draft,
        words=given(args.words, draft.words),
        severity=given(args.severity, draft.severity),
        owner=given(args.concern_owner, draft.owner),
    )
    print(edit_concern(args.id, changed, actor=ctx.user, base=draft).id)
    return EXIT_OK


def concern_delete(args: argparse.Namespace, ctx: Context) -> int:
    draft = concern_draft(args.id)
    question = f"Delete concern {args.id} ({draft.client}: {draft.words!r})?"
    return delete_confirmed(args, ctx, question, delete_concern)


def key_date_remove(args: argparse.Namespace, ctx: Context) -> int:
    key_date = KeyDate.get_or_none(KeyDate.id == args.id)
    if key_date is None:
        raise NotFound(f"no key date {args.id}")
    question = f"Remove key date {args.id} ({key_date.client.slug}: {key_date.label!r})?"
    return delete_confirmed(args, ctx, question, remove_key_date, verb="removed")
