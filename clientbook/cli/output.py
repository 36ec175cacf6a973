"""Printing for the shell: JSON (UTF-8, never ASCII-escaped), aligned tables, and errors on stderr.

Lists stream: the core reads them a page at a time (`client_lines`, `interaction_pages`),
:func:`print_json_rows` writes a JSON array one element at a time and :func:`print_table` sizes its columns
on the first page, so memory stays flat however large the book (100,000 clients, a million interactions).
Output is written a batch at a time, not a line at a time: a pipe or an unbuffered stdout
(`PYTHONUNBUFFERED`) would otherwise cost a system call per line.
"""

from __future__ import annotations

import functools
import itertools
import json
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Final

EXIT_OK: Final = 0
EXIT_INVALID: Final = 2
EXIT_DATABASE: Final = 3
EXIT_BUG: Final = 70
"""sysexits' EX_SOFTWARE: clientbook itself failed (the details are in the crash log)."""
PAGE: Final = 1_000
"""Rows read from the book at a time by a list command, and the rows a table sizes its columns on."""
BATCH: Final = 1 << 16
"""Characters gathered before they are written to stdout."""


def fields_of(row: Any) -> dict[str, Any]:
    """A frozen row's fields by name, equal to `dataclasses.asdict(row)`.

    `asdict` copies every value deeply, which made it most of `today --json`'s printing (22 ms for 1,300
    care items); a row of plain values is read field by field instead, and one holding a container or
    another row is left to `asdict`.
    """
    values = {name: getattr(row, name) for name in _field_names(type(row))}
    plain = _SCALARS.issuperset(map(type, values.values()))
    if plain or not any(_nests(value) for value in values.values() if not isinstance(value, _SCALAR_KINDS)):
        return values
    import dataclasses  # noqa: PLC0415 - not for --help, which imports this module too

    return dataclasses.asdict(row)


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(kind: type) -> tuple[str, ...]:
    """A row class's field names, looked up once per class."""
    if kind not in _FIELD_NAMES:
        import dataclasses  # noqa: PLC0415 - see fields_of

        _FIELD_NAMES[kind] = tuple(field.name for field in dataclasses.fields(kind))
    return _FIELD_NAMES[kind]


def _nests(value: Any) -> bool:
    """Whether `asdict` would convert `value` rather than copy it: a container, or a row itself."""
    return isinstance(value, list | tuple | dict) or hasattr(type(value), "__dataclass_fields__")


def print_json(value: Any) -> None:
    """`value` as indented JSON, as `json.dump(value, ensure_ascii=False, indent=2)` writes it."""
    sys.stdout.write(_indented(value, 0) + "\n")


def print_json_rows(rows: Iterable[Any]) -> None:
    """A JSON array, written element by element as `rows` yields them: the same text as
    `print_json(list(rows))`, without ever holding the list."""
    batch = _Batch()
    opening = "[\n  "
    stream = iter(rows)
    while chunk := list(itertools.islice(stream, CHUNK)):
        batch.write(opening + _elements(chunk))
        opening = ",\n  "
    batch.write("[]\n" if opening == "[\n  " else "\n]\n")
    batch.flush()


CHUNK: Final = 256
"""Rows a JSON list encodes together."""


def _elements(rows: list[Any]) -> str:
    """`rows` as the elements of an indented JSON array, separated as json separates them.

    Rows that are all non-empty dicts of scalars (a list's usual rows) are encoded in one call of json's C
    encoder: it separates every item, a row's fields and the rows alike, with the fields' comma, line break
    and indent, so the only text to change is between rows, `},<break>    {`, which can occur nowhere else
    (text in JSON holds no raw line break). The rest go one by one.
    """
    if all(type(row) is dict and row and _SCALARS.issuperset(map(type, row.values())) for row in rows):
        text = _flat(1)(rows)
        return "{\n    " + text[2:-2].replace("},\n    {", "\n  },\n  {\n    ") + "\n  }"
    return ",\n  ".join(_indented(row, 1) for row in rows)


_leaf = json.JSONEncoder(ensure_ascii=False).encode
"""One scalar (text, number, true, false, null) as JSON, by json's C encoder."""
_SCALARS: Final = frozenset({str, int, float, bool, type(None)})
_SCALAR_KINDS: Final = (str, int, float, type(None))
"""What json writes as a scalar, subclasses included (a StrEnum as its text, an IntEnum as its number), the
same way from its C encoder as from its Python one. `_SCALARS` is the quick test, by exact type."""


@functools.cache
def _flat(level: int) -> Callable[[Any], str]:
    """A JSON encoder for a dict or list of scalars at nesting `level`: json's C encoder, given the comma,
    line break and indent that `indent=2` puts between items, so only the brackets' lines are left to add.

    The C encoder is made once and called directly: `JSONEncoder.encode` makes a new one (and a closure)
    for every call, which cost more than encoding the row itself.
    """
    between = ",\n" + "  " * (level + 1)
    try:
        from _json import make_encoder  # noqa: PLC0415 - CPython's; json falls back the same way
    except ImportError:
        return json.JSONEncoder(ensure_ascii=False, separators=(between, ": ")).encode
    refuse = json.JSONEncoder().default
    text = json.encoder.encode_basestring
    encode = make_encoder(None, refuse, text, None, ": ", between, False, False, True)
    return lambda value: "".join(encode(value, 0))


def _indented(value: Any, level: int) -> str:
    """`value` as `json.dumps(value, ensure_ascii=False, indent=2)` writes it at nesting `level`.

    json with an indent runs in pure Python (its C encoder has no indent) and took most of a long list's
    time. A row is usually a dict of scalars: the C encoder writes it with the indented separators, which is
    exact when nothing inside is a container; anything nested is laid out here, level by level, the way
    json lays it out.
    """
    if isinstance(value, dict | list | tuple):
        if not value:
            return "{}" if isinstance(value, dict) else "[]"
        items = value.values() if isinstance(value, dict) else value
        if _SCALARS.issuperset(map(type, items)) or all(isinstance(item, _SCALAR_KINDS) for item in items):
            text = _flat(level)(value)
        elif isinstance(value, dict) and not all(isinstance(key, str) for key in value):
            # json converts (or refuses) such keys itself; its text holds line breaks only between items.
            return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + "  " * level)
        else:
            between = ",\n" + "  " * (level + 1)
            if isinstance(value, dict):
                pairs = (_leaf(key) + ": " + _indented(item, level + 1) for key, item in value.items())
                text = "{" + between.join(pairs) + "}"
            else:
                text = "[" + between.join(_indented(item, level + 1) for item in value) + "]"
        # `text` is `{item,<break>item}`: open and close it on lines of their own, as json does.
        return text[0] + "\n" + "  " * (level + 1) + text[1:-1] + "\n" + "  " * level + text[-1]
    return _leaf(value)


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
