"""Printing for the shell: JSON (UTF-8, never ASCII-escaped), aligned tables, and errors on stderr.

Lists stream: :func:`pages` reads a list a page at a time, :func:`print_json_rows` writes a JSON array one
element at a time and :func:`print_table` sizes its columns on the first page, so memory stays flat however
large the book (100,000 clients, a million interactions). Output is written a batch at a time, not a line
at a time: a pipe or an unbuffered stdout (`PYTHONUNBUFFERED`) would otherwise cost a system call per line.
"""

from __future__ import annotations

import itertools
import json
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Final, TypeVar

EXIT_OK: Final = 0
EXIT_INVALID: Final = 2
EXIT_DATABASE: Final = 3
EXIT_BUG: Final = 70
"""sysexits' EX_SOFTWARE: clientbook itself failed (the details are in the crash log)."""
PAGE: Final = 1_000
"""Rows read from the book at a time by a list command, and the rows a table sizes its columns on."""
BATCH: Final = 1 << 16
"""Characters gathered before they are written to stdout."""

R = TypeVar("R")


def pages(fetch: Callable[[R | None], list[R]], *, size: int = PAGE) -> Iterator[list[R]]:
    """The pages of a keyset-paged read, one at a time: `fetch(after)` gives the `size` rows after row
    `after` (None: the first page); a short page is the last."""
    page = fetch(None)
    while page:
        yield page
        page = fetch(page[-1]) if len(page) == size else []


def every_row(fetch: Callable[[R | None], list[R]], *, size: int = PAGE) -> Iterator[R]:
    """Every row of a keyset-paged read (see :func:`pages`), with only one page in memory at a time."""
    return itertools.chain.from_iterable(pages(fetch, size=size))


def print_json(value: Any) -> None:
    """`value` as indented JSON, as `json.dump(value, ensure_ascii=False, indent=2)` writes it."""
    sys.stdout.write(_indented(value, 0) + "\n")


def print_json_rows(rows: Iterable[Any]) -> None:
    """A JSON array, written element by element as `rows` yields them: the same text as
    `print_json(list(rows))`, without ever holding the list."""
    batch = _Batch()
    opening = "[\n  "
    for row in rows:
        batch.write(opening + _indented(row, 1))
        opening = ",\n  "
    batch.write("[]\n" if opening == "[\n  " else "\n]\n")
    batch.flush()


_leaf = json.JSONEncoder(ensure_ascii=False).encode
"""One scalar (text, number, true, false, null) as JSON, by json's C encoder."""


def _indented(value: Any, level: int) -> str:
    """`value` as `json.dumps(value, ensure_ascii=False, indent=2)` writes it at nesting `level`.

    json with an indent runs in pure Python (its C encoder has no indent) and took most of a long list's
    time; here containers are laid out by hand, the way json lays them out, and each scalar goes through the
    C encoder. A dict with a key that is not text is left to json itself, which converts or refuses it.
    """
    if isinstance(value, dict):
        if not value:
            return "{}"
        if not all(isinstance(key, str) for key in value):
            # Safe to indent by replacing: JSON text holds a line break only between its items.
            return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + "  " * level)
        between = ",\n" + "  " * (level + 1)
        items = between.join(_leaf(key) + ": " + _indented(item, level + 1) for key, item in value.items())
    elif isinstance(value, list | tuple):
        if not value:
            return "[]"
        between = ",\n" + "  " * (level + 1)
        items = between.join(_indented(item, level + 1) for item in value)
    elif value is None:
        return "null"
    elif value is True:
        return "true"
    elif value is False:
        return "false"
    else:
        return _leaf(value)
    opening, closing = ("{", "}") if isinstance(value, dict) else ("[", "]")
    return opening + "\n" + "  " * (level + 1) + items + "\n" + "  " * level + closing


def print_table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    """Columns padded to their widest cell among the headers and the first :data:`PAGE` rows (later rows
    are read and written as they come, so a longer cell there only widens its own line); the last column is
    not padded."""
    stream = iter(rows)
    first = [list(headers), *([str(cell) for cell in row] for row in itertools.islice(stream, PAGE))]
    widths = [max(len(row[i]) for row in first) for i in range(len(headers))]
    batch = _Batch()
    for row in itertools.chain(first, ([str(cell) for cell in row] for row in stream)):
        cells = [cell.ljust(width) for cell, width in zip(row[:-1], widths, strict=False)] + [row[-1]]
        batch.write("  ".join(cells).rstrip() + "\n")
    batch.flush()


class _Batch:
    """Text gathered for stdout and written :data:`BATCH` characters at a time."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._size = 0

    def write(self, text: str) -> None:
        self._parts.append(text)
        self._size += len(text)
        if self._size >= BATCH:
            self.flush()

    def flush(self) -> None:
        sys.stdout.write("".join(self._parts))
        self._parts.clear()
        self._size = 0


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
