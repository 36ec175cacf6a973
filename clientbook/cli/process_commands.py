"""`clientbook process ...` and `clientbook checklist ...`: documented processes and the checklists made
from them, from the shell."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clientbook.cli.arguments import record_id
from clientbook.cli.output import EXIT_OK, print_json, print_json_rows, print_table
from clientbook.core import clock
from clientbook.core.clients.queries import find_client
from clientbook.core.dates import DateProblem, format_date, local, parse_day
from clientbook.core.errors import ValidationError
from clientbook.core.processes.files import process_to_toml, read_process_file
from clientbook.core.processes.operations import (
    AlreadyRunning,
    create_process,
    start_checklist,
    tick_step,
    untick_step,
)
from clientbook.core.processes.queries import (
    ChecklistFilter,
    ChecklistRow,
    checklist_detail,
    checklist_rows,
    find_checklist,
    find_process,
    process_detail,
    process_draft,
    processes,
)

if TYPE_CHECKING:
    from clientbook.cli.running import Context


def build_process(process: argparse.ArgumentParser) -> None:
    """`clientbook process`'s actions."""
    actions = process.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="list processes")
    listing.add_argument("--retired", action="store_true", help="include retired processes")
    listing.add_argument("--json", action="store_true", help="print a JSON array")
    listing.set_defaults(handler=list_processes)
    show = actions.add_parser("show", help="show a process and its steps")
    show.add_argument("slug")
    show.add_argument("--json", action="store_true", help="print a JSON object")
    show.set_defaults(handler=show_process)
    export = actions.add_parser("export", help="write a process as a TOML file (to stdout unless --to)")
    export.add_argument("slug")
    export.add_argument("--to", type=Path, metavar="FILE")
    export.set_defaults(handler=export_process)
    imported = actions.add_parser("import", help="add a process from a TOML file; prints its slug")
    imported.add_argument("file", type=Path)
    imported.set_defaults(handler=import_process)


def build_checklist(checklist: argparse.ArgumentParser) -> None:
    """`clientbook checklist`'s actions."""
    steps = checklist.add_subparsers(dest="action", metavar="ACTION", required=True)
    start = steps.add_parser("start", help="apply a process to a client")
    start.add_argument("client", metavar="CLIENT_SLUG")
    start.add_argument("process", metavar="PROCESS_SLUG")
    start.add_argument("--again", action="store_true", help="start it even though one is still open")
    start.add_argument("--on", default="today", metavar="DAY", help="the start day due dates count from")
    start.set_defaults(handler=start_one)
    for verb, handler, text in (
        ("tick", tick_one, "mark a step done"),
        ("untick", untick_one, "mark a step not done"),
    ):
        parser = steps.add_parser(verb, help=text)
        parser.add_argument("client", metavar="CLIENT_SLUG")
        parser.add_argument("process", metavar="PROCESS_SLUG")
        parser.add_argument("step", type=int, metavar="STEP_NUMBER", help="steps are numbered from 1")
        parser.add_argument(
            "--checklist",
            type=record_id,
            metavar="ID",
            help="which checklist, when the process was started more than once (ids: checklist list)",
        )
        if verb == "tick":
            parser.add_argument("--note", default="", help='a short note ("sent by post")')
        parser.set_defaults(handler=handler)
    listing = steps.add_parser("list", help="open checklists, the next step soonest due first")
    listing.add_argument("--overdue", action="store_true", help="only those with a step past its due day")
    listing.add_argument("--json", action="store_true", help="print a JSON array")
    listing.set_defaults(handler=list_checklists)


def list_processes(args: argparse.Namespace, ctx: Context) -> int:
    rows = processes(include_retired=args.retired)
    if args.json:
        print_json(
            [
                {
                    "slug": r.slug,
                    "name": r.name,
                    "version": r.version,
                    "steps": r.steps,
                    "retired": r.retired,
                    "running": {f"v{version}": count for version, count in r.running},
                }
                for r in rows
            ]
        )
        return EXIT_OK
    print_table(
        ["SLUG", "NAME", "VERSION", "STEPS", "RUNNING"],
        [
            [
                r.slug,
                r.name + (" (retired)" if r.retired else ""),
                str(r.version),
                str(r.steps),
                ", ".join(f"{count} on v{version}" for version, count in r.running) or "-",
            ]
            for r in rows
        ],
    )
    return EXIT_OK


def show_process(args: argparse.Namespace, ctx: Context) -> int:
    detail = process_detail(find_process(args.slug).id)
    if args.json:
        print_json(
            {
                "slug": detail.row.slug,
                "name": detail.row.name,
                "description": detail.row.description,
                "version": detail.row.version,
                "retired": detail.row.retired,
                "steps": [
                    {"number": s.position, "title": s.title, "note": s.note, "due_days": s.due_days}
                    for s in detail.steps
                ],
            }
        )
        return EXIT_OK
    print(f"{detail.row.name} (v{detail.row.version}){' - retired' if detail.row.retired else ''}")
    if detail.row.description:
        print(detail.row.description)
    for step in detail.steps:
        due = f"day {step.due_days}" if step.due_days is not None else "no due day"
        print(f"{step.position:>3}. {step.title}  ({due})")
        if step.note:
            print(f"     {step.note}")
    return EXIT_OK


def export_process(args: argparse.Namespace, ctx: Context) -> int:
    text = process_to_toml(process_draft(find_process(args.slug).id))
    if args.to is None:
        sys.stdout.write(text)
        return EXIT_OK
    try:
        args.to.write_text(text, encoding="utf-8")
    except OSError as error:
        raise ValidationError({"to": f"cannot write {args.to}: {error.strerror}"}) from error
    print(args.to)
    return EXIT_OK


def import_process(args: argparse.Namespace, ctx: Context) -> int:
    print(create_process(read_process_file(args.file), actor=ctx.user).slug)
    return EXIT_OK


def start_one(args: argparse.Namespace, ctx: Context) -> int:
    client, process = find_client(args.client), find_process(args.process)
    try:
        day = parse_day(args.on, zone=ctx.settings.timezone, now=clock.now(), prefer="future")
    except DateProblem as problem:
        raise ValidationError({"on": str(problem)}) from None
    try:
        checklist = start_checklist(client.id, process.id, actor=ctx.user, start=day, again=args.again)
    except AlreadyRunning as running:
        raise ValidationError(
            {"process": running.errors["process"] + "; give --again to start another"}
        ) from None
    print(checklist.id)
    return EXIT_OK


def _step_id(args: argparse.Namespace) -> int:
    checklist = find_checklist(find_client(args.client).id, find_process(args.process).id, args.checklist)
    steps = checklist_detail(checklist.id).steps
    if not 1 <= args.step <= len(steps):
        raise ValidationError({"step": f"this checklist has steps 1 to {len(steps)}"})
    return int(steps[int(args.step) - 1].id)


def tick_one(args: argparse.Namespace, ctx: Context) -> int:
    step = tick_step(_step_id(args), actor=ctx.user, note=args.note)
    print(f"{args.step}. {step.title}: done")
    return EXIT_OK


def untick_one(args: argparse.Namespace, ctx: Context) -> int:
    step = untick_step(_step_id(args), actor=ctx.user)
    print(f"{args.step}. {step.title}: not done")
    return EXIT_OK


def checklist_json(row: ChecklistRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "client": row.client_slug,
        "client_name": row.client_name,
        "point_person": row.point_person,
        "process": row.process_slug,
        "version": row.version,
        "started_on": row.started_on.isoformat(),
        "done": row.done,
        "total": row.total,
        "next_step": row.next_step or None,
        "next_due": row.next_due.isoformat() if row.next_due else None,
        "completed": row.completed,
    }


def list_checklists(args: argparse.Namespace, ctx: Context) -> int:
    today = local(clock.now(), ctx.settings.timezone).date()
    flt = ChecklistFilter(overdue_on=today if args.overdue else None)
    rows = checklist_rows(flt)
    if args.json:
        print_json_rows(checklist_json(row) for row in rows)
        return EXIT_OK
    print_table(
        ["ID", "CLIENT", "PROCESS", "STARTED", "DONE", "NEXT STEP", "DUE", "POINT-PERSON"],
        (
            [
                str(r.id),
                r.client_slug,
                r.process_slug,
                format_date(r.started_on),
                r.progress,
                r.next_step,
                (format_date(r.next_due) + (" OVERDUE" if r.overdue(today) else "")) if r.next_due else "-",
                r.point_person,
            ]
            for r in rows
        ),
    )
    return EXIT_OK
