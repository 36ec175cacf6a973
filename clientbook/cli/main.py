"""Argument parsing: the `clientbook` entry point, which builds only the parser of the command it runs.

A script may run clientbook hundreds of times, so start-up is part of the interface. Building every
command's parser took ~25 ms of argparse per run, and importing every command module (and through them the
whole core) ~150 ms. So the top-level parser is built from :data:`COMMANDS`, a table of each command's
name, help line and builder: `clientbook --help` lists them all, and only the command named has its module
imported and its arguments built. Everything else (the core, the settings, the TUI) is imported by
:mod:`clientbook.cli.running` once a command is to run; `--help`, `--version` and a refused argument end
here, having imported argparse and little more.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import io
import os
import sys
from collections.abc import Callable, Sequence
from typing import Final, NamedTuple

from clientbook import __version__
from clientbook.cli.arguments import ArgumentParser
from clientbook.cli.output import EXIT_BUG, EXIT_INVALID


class Command(NamedTuple):
    """A top-level command as the top-level parser lists it, and where its own parser is built.

    (A NamedTuple, not a dataclass: `dataclasses` imports `inspect`, which `--help` need not wait for.)
    """

    name: str
    help: str
    """The line `clientbook --help` shows beside the name."""
    builder: str
    """`module:function` that adds the command's arguments and actions to its parser (and sets each
    action's handler); the module is imported only when the command is run or its help is asked for."""


COMMANDS: Final = (
    Command("client", "add, edit, archive, list and show clients", "clientbook.cli.client_commands:build"),
    Command(
        "log",
        "log interactions, acknowledge messages, list the log",
        "clientbook.cli.log_commands:build",
    ),
    Command(
        "process",
        "list, show, export and import documented processes",
        "clientbook.cli.process_commands:build_process",
    ),
    Command(
        "checklist", "start, tick and list checklists", "clientbook.cli.process_commands:build_checklist"
    ),
    Command(
        "today",
        "everything owed to clients today; exit 1 if anything is overdue",
        "clientbook.cli.today_commands:build_today",
    ),
    Command("brief", "a one-screen brief before a call", "clientbook.cli.brief_command:build"),
    Command(
        "promise", "record and close promises made to clients", "clientbook.cli.care_commands:build_promise"
    ),
    Command(
        "concern",
        "record, acknowledge and resolve concerns and complaints",
        "clientbook.cli.care_commands:build_concern",
    ),
    Command(
        "keydate",
        "birthdays, renewals and other dates that matter to a client",
        "clientbook.cli.care_commands:build_key_date",
    ),
    Command("staff", "list or add staff (point-persons)", "clientbook.cli.staff_commands:build"),
    Command(
        "demo",
        "make a demo book with sample clients (your own book is not touched); prints its path; "
        "an existing demo book is kept unless --replace",
        "clientbook.cli.demo_command:build",
    ),
    Command(
        "bench",
        "measure the app and the CLI on a temporary book of a given size, against their budgets",
        "clientbook.cli.bench_command:build",
    ),
    Command(
        "undo",
        "undo your last action (run again to go further back)",
        "clientbook.cli.correction_commands:build_undo",
    ),
    Command(
        "history",
        "recent actions, newest first, in words",
        "clientbook.cli.correction_commands:build_history",
    ),
)


USER_ENV: Final = "CLIENTBOOK_USER"
"""Who is using clientbook, when `--as` does not say: a staff member's slug or name."""


def builder_of(command: Command) -> Callable[[argparse.ArgumentParser], None]:
    """The function that builds `command`'s parser, its module imported now."""
    module, function = command.builder.split(":")
    build: Callable[[argparse.ArgumentParser], None] = getattr(importlib.import_module(module), function)
    return build


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser, with every command listed and only `command`'s own arguments built (None: none).

    The other commands' parsers are empty placeholders without `-h`, so that a first pass over the
    arguments (see :func:`parse_arguments`) hands everything after the command's name to one untouched.
    """
    parser = ArgumentParser(
        prog="clientbook",
        description="Client-care records for small-business owners, kept in the terminal. "
        "With no command, opens the app.",
        epilog="Exit status: 0 done, 2 invalid input, 3 database problem; today: 1 if anything is overdue.",
    )
    parser.add_argument("--version", action="version", version=f"clientbook {__version__}")
    parser.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        help="the book to open (default: $CLIENTBOOK_DB, else clientbook.db in your data folder)",
    )
    parser.add_argument(
        "--as",
        dest="as_staff",
        metavar="SLUG",
        help="who you are: a staff member's slug or name (default: $CLIENTBOOK_USER, else --owner, else the "
        "settings' owner, else the book's owner); recorded on everything you do",
    )
    parser.add_argument(
        "--owner",
        metavar="NAME",
        help="who you are: on a new book, the owner to create; afterwards a staff member's name or slug",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for entry in COMMANDS:
        chosen = entry.name == command
        sub = commands.add_parser(entry.name, help=entry.help, add_help=chosen)
        if chosen:
            builder_of(entry)(sub)
    return parser


def parse_arguments(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """`argv` (default: the process's) parsed exactly as one parser holding every command would parse it.

    The first pass, over the top-level parser alone, learns which command is named; it is the same top level
    as the full parser's, so `--help`, `--version`, an unknown command and a refused top-level option end
    the run there with the same output. The second pass parses everything with that command's parser built.
    Raises SystemExit where argparse exits.
    """
    arguments = sys.argv[1:] if argv is None else list(argv)
    named, _ = build_parser().parse_known_args(arguments)
    parsed = build_parser(named.command).parse_args(arguments)
    # One answer to "who is this?" from here on: `--as`, else CLIENTBOOK_USER (a team member's shell sets it
    # once), else `--owner` as before (so existing scripts keep working), else the settings (see running.py).
    parsed.owner = parsed.as_staff or os.environ.get(USER_ENV) or parsed.owner
    return parsed


def _drop_output() -> None:
    """Send what is left of stdout to /dev/null: Python flushes stdout at exit, and a flush into a closed
    pipe printed `Exception ignored ... BrokenPipeError` and made the exit status 120."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        # No file descriptor to replace (stdout is not a file): at least say nothing about it.
        sys.stderr.close()


def main(argv: Sequence[str] | None = None) -> int:
    """Run clientbook with `argv` (default: the process's); returns the exit status.

    The whole run holds umask 077, so that files made by code that takes no mode (Textual's screenshots,
    exports) are private too; see :mod:`clientbook.core.privacy` for why the book needs more than that.

    The cyclic garbage collector is off while clientbook starts: what it imports and builds then lives as long
    as the process, and each automatic collection walked all of it again. The TUI turns it back on once its
    first screen is painted and the rest loaded (:mod:`clientbook.ui.garbage`), a command just before it runs.
    """
    gc.disable()
    try:
        return _main(argv)
    finally:
        gc.enable()


def _main(argv: Sequence[str] | None) -> int:
    try:
        args = parse_arguments(argv)
    except SystemExit as stop:
        # --help, --version and refused arguments end here: a status to return, for scripts and tests alike.
        return _flushed(stop.code if isinstance(stop.code, int) else EXIT_INVALID)
    try:
        # The core, the settings and the book's models load only now that a command is to run.
        from clientbook.cli.running import run  # noqa: PLC0415

        status = run(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader (`| head`) went away: not an error worth a traceback.
        _drop_output()
        return 0
    except Exception as error:
        # A bug: one message naming no value on the terminal, the traceback in the private crash log.
        from clientbook.crash_log import crash_message  # noqa: PLC0415 - only ever needed after a bug

        print(crash_message(error), file=sys.stderr)
        return EXIT_BUG
    return _flushed(status)


def _flushed(status: int) -> int:
    """`status`, once stdout is flushed: a reader gone before the end of the output is met here, not when
    Python exits."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _drop_output()
    return status
