"""The whole benchmark, phase by phase, in a temporary folder removed at the end.

Phases run one at a time (the machine it is meant for has two cores) and each is announced on stderr. What a
user waits for runs in a child process of its own: the app and the bare Textual app (cold start, then the key
script), and the real `clientbook` command for the CLI metrics.
"""

from __future__ import annotations

import compileall
import json
import os
import platform
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import textual

import clientbook
from clientbook.bench import ROUNDS
from clientbook.bench.book import RARE_TAG, durable_saves, fsync_times, page_reads, seed_book
from clientbook.bench.metrics import Figures, Report, build_report
from clientbook.core.db import close_database
from clientbook.settings import Settings

SMALL_BOOK: Final = 1_000
"""Clients in the book whose resident memory `rss_mb` is compared with."""
CHILD_TIMEOUT_S: Final = 600.0
CLI_TIMEOUT_S: Final = 120.0


class BenchFailed(Exception):
    """A phase could not be measured: a child process failed or timed out (the message says which)."""


@dataclass(frozen=True)
class Plan:
    clients: int
    interactions: int
    rounds: int = ROUNDS
    keep: Path | None = None
    """A folder to make the books in and leave them (default: a temporary one, removed at the end)."""


BOOK: Final = "book.db"
SMALL_BOOK_NAME: Final = "book-1k.db"


@contextmanager
def _folder(keep: Path | None) -> Iterator[Path]:
    if keep is None:
        with tempfile.TemporaryDirectory(prefix="clientbook-bench-") as name:
            yield Path(name)
        return
    keep.mkdir(parents=True, exist_ok=True)
    for name in (BOOK, SMALL_BOOK_NAME):
        if (keep / name).exists():
            raise BenchFailed(f"{keep / name} exists: give --keep a folder without a benchmark book")
    yield keep


def run_bench(plan: Plan, settings: Settings, *, progress: Callable[[str], None]) -> Report:
    """Seed, measure and report; `progress` is told of each phase as it starts."""
    started = time.perf_counter()
    compile_sources()

    def phase(text: str) -> None:
        progress(f"[{time.perf_counter() - started:5.1f} s] {text}")

    with _folder(plan.keep) as folder:
        phase(f"seeding {plan.clients:,} clients and {plan.interactions:,} interactions")
        book = seed_book(
            folder / BOOK,
            clients=plan.clients,
            interactions=plan.interactions,
            you=settings.owner,
            phone_region=settings.phone_region,
        )
        phase(f"durable saves and fsync in {folder}")
        saves = durable_saves(book.busy_client, phone_region=settings.phone_region)
        fsyncs = fsync_times(folder)
        phase("a page of the client list through peewee and through sqlite3")
        peewee_ms, sqlite_ms = page_reads(book.path)
        close_database()
        small_interactions = round(SMALL_BOOK * plan.interactions / max(plan.clients, 1))
        phase(f"seeding a {SMALL_BOOK:,}-client book with {small_interactions:,} interactions")
        small = seed_book(
            folder / SMALL_BOOK_NAME,
            clients=SMALL_BOOK,
            interactions=small_interactions,
            you=settings.owner,
            phone_region=settings.phone_region,
        )
        close_database()
        # Twice the rounds (less one, for an odd count): a start meets the machine as it is at that moment,
        # and the ratio of two medians of five moved by a fifth from run to run.
        starts = 2 * plan.rounds - 1
        phase(f"cold start: the app and a bare Textual app, {starts} starts each")
        app_starts, bare_starts = cold_starts(book.path, starts)
        phase("the key script on the app, with the stall probe")
        script = app_script(book.path, book.busy_client, plan.rounds)
        phase(f"the key script on the {SMALL_BOOK:,}-client book (its memory)")
        small_script = app_script(small.path, small.busy_client, plan.rounds)
        phase(f"the CLI: client list --search and today, {plan.rounds} runs each")
        search = [
            cli_ms(["--db", str(book.path), "client", "list", "--search", RARE_TAG, "--json"])
            for _ in range(plan.rounds)
        ]
        today = [
            cli_ms(["--db", str(book.path), "today", "--json"], ok_codes=(0, 1)) for _ in range(plan.rounds)
        ]
        phase("done")
    steps: dict[str, Any] = script["steps"]
    figures = Figures(
        app_start_ms=app_starts,
        bare_start_ms=bare_starts,
        keystroke_ms=steps["keystroke"]["ms"],
        stall_max_ms=script["stall_max_ms"],
        end_ms=steps["end"]["ms"],
        pagedown_ms=steps["pagedown"]["ms"],
        care_ms=steps["care"]["ms"],
        log_open_ms=steps["log_open"]["ms"],
        detail_ms=steps["detail"]["ms"],
        save_ms=saves.write_ms,
        save_edit_ms=saves.edit_ms,
        fsync_ms=fsyncs,
        rss_mb=script["rss_mb"],
        rss_mb_1k=small_script["rss_mb"],
        seed_s=book.seed_s,
        cli_search_ms=search,
        cli_today_ms=today,
        peewee_ms=peewee_ms,
        sqlite_ms=sqlite_ms,
    )
    extra = {
        "steps": steps,
        "first_screen": script["first_screen"],
        "samples": {
            "app_start_ms": _rounded(app_starts),
            "bare_start_ms": _rounded(bare_starts),
            "save_write_ms": _rounded(saves.write_ms),
            "save_edit_ms": _rounded(saves.edit_ms),
            "fsync_ms": _rounded(fsyncs),
            "page_peewee_ms": _rounded(peewee_ms),
            "page_sqlite_ms": _rounded(sqlite_ms),
            "cli_search_ms": _rounded(search),
            "cli_today_ms": _rounded(today),
            "seed_1k_s": round(small.seed_s, 2),
            "stall_max_ms_1k": small_script["stall_max_ms"],
        },
        "machine": machine(),
    }
    return build_report(figures, clients=book.clients, interactions=book.interactions, extra=extra)


def compile_sources() -> None:
    """Write clientbook's bytecode cache, as `pip install` does, so no timed process compiles its sources.

    An editable install run with PYTHONDONTWRITEBYTECODE set (as on some CI machines) never caches it, and
    every start would then pay for compiling some 15,000 lines: a cost a user's installed copy never has.
    """
    package = Path(clientbook.__file__).parent
    compileall.compile_dir(package, quiet=2)


def _rounded(samples: Sequence[float]) -> list[float]:
    return [round(s, 2) for s in samples]


def _child(args: Sequence[str], *, what: str) -> dict[str, Any]:
    """Run a probe and return the JSON object it printed."""
    try:
        done = subprocess.run(
            [sys.executable, "-m", *args],
            capture_output=True,
            text=True,
            timeout=CHILD_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise BenchFailed(f"{what} took longer than {CHILD_TIMEOUT_S:.0f} s") from None
    if done.returncode != 0:
        raise BenchFailed(f"{what} failed (exit {done.returncode}): {_last_line(done.stderr)}")
    try:
        result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        raise BenchFailed(f"{what} printed no result: {_last_line(done.stderr)}") from None
    return result


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "no message"


def cold_starts(book: Path, rounds: int) -> tuple[list[float], list[float]]:
    """ms from starting a process to its first screen painted: the app on `book`, and a bare Textual app;
    taken in turn, so both meet the same state of the machine."""
    app: list[float] = []
    bare: list[float] = []
    for _ in range(rounds):
        for probe, samples in (("clientbook.bench.bare_probe", bare), ("clientbook.bench.app_probe", app)):
            args = [probe] if probe.endswith("bare_probe") else [probe, "--db", str(book)]
            spawned = time.time()
            painted_at = float(_child(args, what=f"starting {probe}")["painted_at"])
            samples.append((painted_at - spawned) * 1000)
    return app, bare


def app_script(book: Path, busy: int, rounds: int) -> dict[str, Any]:
    args = ["clientbook.bench.app_probe", "--db", str(book), "--busy", str(busy), "--rounds", str(rounds)]
    return _child(args, what=f"the key script on {book.name}")


def clientbook_command() -> list[str]:
    """The installed `clientbook` script beside this Python, else `python -m clientbook` (the same entry)."""
    script = Path(sys.executable).with_name("clientbook")
    return (
        [str(script)]
        if script.is_file() and os.access(script, os.X_OK)
        else [sys.executable, "-m", "clientbook"]
    )


def cli_ms(args: Sequence[str], *, ok_codes: Sequence[int] = (0,)) -> float:
    """ms from starting `clientbook ARGS` to its exit (its output thrown away, as a pipe's reader would)."""
    command = [*clientbook_command(), *args]
    start = time.perf_counter()
    try:
        done = subprocess.run(
            command,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            timeout=CLI_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise BenchFailed(f"clientbook {' '.join(args[2:])} took longer than {CLI_TIMEOUT_S:.0f} s") from None
    elapsed = (time.perf_counter() - start) * 1000
    if done.returncode not in ok_codes:
        raise BenchFailed(
            f"clientbook {' '.join(args[2:])} failed (exit {done.returncode}): {_last_line(done.stderr)}"
        )
    return elapsed


def machine() -> dict[str, Any]:
    """What the figures came from, for README's tables."""
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": cpu or platform.processor(),
        "cores": os.cpu_count(),
        "system": platform.platform(),
        "python": platform.python_version(),
        "textual": textual.__version__,
        "sqlite": sqlite3.sqlite_version,
    }
