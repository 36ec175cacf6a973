"""`clientbook bench`: seed a temporary book, measure the app and the CLI on it, and report each figure
against its budget (README, Performance). Nothing of the user's own book is read or written."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Final

from clientbook.cli.output import EXIT_BUG, EXIT_INVALID, EXIT_OK, fail, print_json, print_table
from clientbook.settings import Settings

if TYPE_CHECKING:
    from clientbook.bench.metrics import Report

DEFAULT_CLIENTS: Final = 100_000
ROUNDS: Final = 5
"""The same as :data:`clientbook.bench.ROUNDS` (a test holds them equal): importing the benchmark
here would slow the start of every command."""
LEAST_CLIENTS: Final = 100
"""Fewer, and the list has no second page for `pagedown` to reach."""
MOST_CLIENTS: Final = 1_000_000


def build(bench: argparse.ArgumentParser) -> None:
    bench.description = (
        "Seed a temporary demo book (removed afterwards unless --keep), run the real app "
        "headless with a key script and the real clientbook command on it, and print each metric beside "
        "its budget. Takes a few minutes at the default size; progress goes to stderr."
    )
    bench.epilog = (
        "Exit status: 0 when the benchmark ran, whether or not every budget was met (it is a "
        'report: read the verdict column, or each metric\'s "ok" in --json); 2 invalid arguments; 3 a '
        "database problem (a disk full while seeding); "
        "70 a measurement could not be made (the reason on stderr)."
    )
    bench.add_argument(
        "--clients",
        type=int,
        default=DEFAULT_CLIENTS,
        help=f"clients in the book (default {DEFAULT_CLIENTS:,})",
    )
    bench.add_argument("--interactions", type=int, help="interactions in the book (default: ten per client)")
    bench.add_argument(
        "--rounds",
        type=int,
        default=ROUNDS,
        help=f"runs of each timed step, start and command (default {ROUNDS}; each metric is their median, "
        "so fewer make for a quick look, not a figure to quote)",
    )
    bench.add_argument(
        "--keep",
        type=Path,
        metavar="FOLDER",
        help="make the two books (book.db, book-1k.db) in FOLDER and keep them, to look into afterwards",
    )
    bench.add_argument(
        "--json",
        action="store_true",
        help='print one JSON object: each metric as {"value", "budget", "ok"}, the book\'s counted '
        "clients and interactions, and the figures behind them (steps, samples, machine)",
    )
    bench.set_defaults(run_without_book=run_bench)


def run_bench(args: argparse.Namespace, settings: Settings) -> int:
    # Imported here: every other command would otherwise pay for the benchmark's imports (Textual among them).
    from clientbook.bench import run  # noqa: PLC0415

    if not LEAST_CLIENTS <= args.clients <= MOST_CLIENTS:
        fail(f"--clients: between {LEAST_CLIENTS:,} and {MOST_CLIENTS:,}")
        return EXIT_INVALID
    interactions = args.clients * 10 if args.interactions is None else args.interactions
    if not 0 <= interactions <= MOST_CLIENTS * 10:
        fail(f"--interactions: between 0 and {MOST_CLIENTS * 10:,}")
        return EXIT_INVALID
    if args.rounds < 1:
        fail("--rounds: at least 1")
        return EXIT_INVALID
    try:
        report = run.run_bench(
            run.Plan(clients=args.clients, interactions=interactions, rounds=args.rounds, keep=args.keep),
            settings,
            progress=lambda line: print(f"clientbook bench: {line}", file=sys.stderr, flush=True),
        )
    except run.BenchFailed as error:
        fail(f"bench: {error}")
        return EXIT_BUG
    print_report(report, as_json=args.json)
    # A budget missed is a finding, not a failure: the report is the result (see the epilog).
    return EXIT_OK


def print_report(report: Report, *, as_json: bool) -> None:
    if as_json:
        print_json(report.as_json())
        return
    print(f"{report.clients:,} clients, {report.interactions:,} interactions (counted in the book)")
    print_table(("metric", "value", "budget", "verdict"), report.table_rows())
