"""`clientbook brief SLUG`: the one-screen brief to read before a call, from the shell."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from clientbook.cli.output import EXIT_OK
from clientbook.core import clock
from clientbook.core.care.brief import brief, brief_lines
from clientbook.core.clients.queries import find_client
from clientbook.core.dates import local

if TYPE_CHECKING:
    from clientbook.cli.running import Context


def build(brief_parser: argparse.ArgumentParser) -> None:
    brief_parser.add_argument("slug")
    brief_parser.set_defaults(handler=show_brief)


def show_brief(args: argparse.Namespace, ctx: Context) -> int:
    zone = ctx.settings.timezone
    summary = brief(
        find_client(args.slug).id,
        today=local(clock.now(), zone).date(),
        key_dates_ahead=ctx.settings.key_dates_ahead,
    )
    print("\n".join(brief_lines(summary, zone=zone)))
    return EXIT_OK
