"""Printing for the shell: JSON (UTF-8, never ASCII-escaped), aligned tables, and errors on stderr."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Final, TypeVar

EXIT_OK: Final = 0
EXIT_INVALID: Final = 2
EXIT_DATABASE: Final = 3
EXIT_BUG: Final = 70
"""sysexits' EX_SOFTWARE: clientbook itself failed (the details are in the crash log)."""
PAGE: Final = 1_000

R = TypeVar("R")


def every_row(fetch: Callable[[R | None], list[R]]) -> list[R]:
    """Every row of a keyset-paged read; `fetch(after)` gives the page after row `after` (None: the first)."""
    rows: list[R] = []
    page = fetch(None)
    while page:
        rows.extend(page)
        page = fetch(page[-1]) if len(page) == PAGE else []
    return rows


def print_json(value: Any) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def print_table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    """Columns padded to their widest cell; the last column is not padded."""
    materialised = [list(headers), *([str(cell) for cell in row] for row in rows)]
    widths = [max(len(row[i]) for row in materialised) for i in range(len(headers))]
    for row in materialised:
        cells = [cell.ljust(width) for cell, width in zip(row[:-1], widths, strict=False)] + [row[-1]]
        print("  ".join(cells).rstrip())


MESSAGE_MAX: Final = 400
"""Longest message line: enough for a list of a few matches, never a whole pasted input."""


def one_line(message: str) -> str:
    """`message` as one printable line: controls and line breaks escaped as `repr` writes them (so input
    quoted in a message can neither drive the terminal nor forge a second line), cut at :data:`MESSAGE_MAX`.

    Core messages already quote input through :func:`clientbook.core.text.shown`; this is the last guard for
    text that reaches stderr from elsewhere (argparse, SQLite, the file system).
    """
    clean = "".join(repr(ch)[1:-1] if not (ch.isprintable() or ch == " ") else ch for ch in message)
    return clean if len(clean) <= MESSAGE_MAX else clean[: MESSAGE_MAX - 1] + "…"


def fail(message: str) -> None:
    """One line on stderr, prefixed so it is clear which program spoke."""
    print(f"clientbook: {one_line(message)}", file=sys.stderr)


# Core field names that the command line spells as its options (`--at`, `--point-person`).
OPTION_NAMES: Final = {"when": "at", "cadence_days": "cadence", "reply_target_hours": "reply-target"}


def field_errors(errors: dict[str, str]) -> None:
    """One `field: message` line per problem, the field named as its command-line option."""
    for field, message in errors.items():
        name = OPTION_NAMES.get(field, field).replace("_", "-")
        print(f"{name}: {one_line(message)}", file=sys.stderr)
