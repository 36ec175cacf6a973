"""What the show, edit and delete commands of every group share: asking before deleting, options left out,
and a change set as JSON.

Kept apart from the command groups (and light: no core write is imported here) so that each group imports
only its own part of the core.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from clientbook.cli.output import EXIT_OK
from clientbook.core.dates import iso_utc
from clientbook.core.errors import ValidationError

if TYPE_CHECKING:
    from clientbook.cli.running import Context
    from clientbook.core.history import ChangeSetRow


def yes_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--yes", action="store_true", help="do not ask (needed without a terminal)")


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


def delete_confirmed(
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


def given(value: str | None, current: str) -> str:
    """An edit option's value, or the record's `current` one when the option was left out."""
    return current if value is None else value


def history_json(row: ChangeSetRow) -> dict[str, Any]:
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
