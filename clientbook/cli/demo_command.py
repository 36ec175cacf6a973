"""`clientbook demo`: a separate book full of plausible sample clients, for trying the app."""

from __future__ import annotations

import argparse
import os
import threading
from pathlib import Path

from clientbook.cli.output import EXIT_DATABASE, EXIT_INVALID, EXIT_OK, fail
from clientbook.core.db import close_database, open_database
from clientbook.core.store.book_file import in_use
from clientbook.demo import fill_demo_book, is_demo_book
from clientbook.settings import Settings, data_dir

DEMO_MAX = 1_000_000


def build(demo: argparse.ArgumentParser) -> None:
    demo.add_argument("--clients", type=int, default=200, help="how many clients (default 200)")
    demo.add_argument(
        "--interactions", type=int, help="how many interactions in all (default: ten per client)"
    )
    demo.add_argument("--path", type=Path, help="where to write it (default: demo.db in your data folder)")
    demo.add_argument(
        "--replace",
        action="store_true",
        help="make a new demo book in place of an existing one (by default an existing one is kept)",
    )
    demo.set_defaults(run_without_book=make_demo)


def make_demo(args: argparse.Namespace, settings: Settings) -> int:
    if not 0 <= args.clients <= DEMO_MAX:
        fail(f"--clients: between 0 and {DEMO_MAX:,}")
        return EXIT_INVALID
    if args.interactions is not None and not 0 <= args.interactions <= DEMO_MAX * 10:
        fail(f"--interactions: between 0 and {DEMO_MAX * 10:,}")
        return EXIT_INVALID
    path: Path = args.path or data_dir() / "demo.db"
    if path.exists() and not path.is_file():
        # Checked first: a FIFO or a device has size 0 like a book not made yet, and would be removed below.
        fail(f"{path} is not a regular file: give a new path for the demo book")
        return EXIT_INVALID
    if path.exists() and path.stat().st_size > 0:
        if not is_demo_book(path):
            fail(f"{path} exists and is not a demo book: give a new path for the demo book")
            return EXIT_INVALID
        if not args.replace:
            # Printed all the same, so `clientbook --db "$(clientbook demo)"` is safe to repeat.
            print(path)
            fail(f"kept the existing demo book {path} (to make a new one: clientbook demo --replace)")
            return EXIT_OK
        if in_use(path):
            fail(f"{path} is open in another clientbook: close it before replacing the demo book")
            return EXIT_DATABASE
    remover = _remove_in_background(path)
    try:
        open_database(path, private_folder=data_dir())
        fill_demo_book(args.clients, interactions=args.interactions, you=settings.owner)
        close_database()
    finally:
        remover.join()
    print(path)
    return EXIT_OK


def _remove_in_background(path: Path) -> threading.Thread:
    """Move the old demo book and its side files out of the way, and delete them on another thread.

    Deleting a book of a million interactions takes seconds on some file systems (freeing its blocks), time
    the new book can be filling in.
    """
    aside = []
    for suffix in ("", "-wal", "-shm"):
        stale = path.with_name(path.name + suffix)
        if stale.exists():
            aside.append(stale.rename(path.with_name(f"{path.name}.replaced-{os.getpid()}{suffix}")))
    remover = threading.Thread(target=_remove, args=(aside,), name="demo-remove-old")
    remover.start()
    return remover


def _remove(paths: list[Path]) -> None:
    for old in paths:
        old.unlink(missing_ok=True)
