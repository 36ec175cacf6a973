"""The shell's printing: streamed JSON is the text json itself writes, and tables align as they always did."""

from __future__ import annotations

import contextlib
import dataclasses
import io
import json
from datetime import UTC, datetime
from enum import IntEnum
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clientbook.cli import output
from clientbook.cli.output import fields_of, print_json, print_json_rows, print_table
from clientbook.core.care.queries import Kind
from tests.strategies import examples


class _Level(IntEnum):
    LOW = 1
    HIGH = 3


# Enum members too: rows carry StrEnum values (a care item's kind), which json writes as their text.
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text()
    | st.sampled_from(list(Kind))
    | st.sampled_from(list(_Level))
)
KEYS = st.text(max_size=6) | st.integers() | st.booleans() | st.none() | st.floats()
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=6), inner, max_size=4)
        | st.dictionaries(KEYS, inner, max_size=3)
    ),
    max_leaves=20,
)


@settings(max_examples=examples(200))
@given(rows=st.lists(VALUES, max_size=5), value=VALUES)
def test_json_is_what_json_dump_writes(rows: list[Any], value: Any) -> None:
    """Any JSON value (nested, empty, NaN, non-text keys, any text): the same characters as
    `json.dumps(..., ensure_ascii=False, indent=2)`, whether streamed row by row or printed whole."""
    written = io.StringIO()
    with contextlib.redirect_stdout(written):
        print_json_rows(iter(rows))
        print_json(value)
    assert written.getvalue() == (
        json.dumps(rows, ensure_ascii=False, indent=2)
        + "\n"
        + json.dumps(value, ensure_ascii=False, indent=2)
        + "\n"
    )


FLAT_ROWS = st.lists(
    st.dictionaries(st.text(max_size=6), SCALARS, min_size=1, max_size=4)
    | st.just({})
    | st.dictionaries(st.text(max_size=3), st.lists(SCALARS, max_size=2), max_size=2),
    max_size=2 * output.CHUNK + 10,
)


@settings(max_examples=examples(50))
@given(rows=FLAT_ROWS)
def test_long_lists_of_flat_rows_are_what_json_dump_writes(rows: list[Any]) -> None:
    """Lists' usual rows (dicts of scalars) are encoded a chunk at a time; now and then an empty or nested
    one among them, and lists longer than a chunk."""
    written = io.StringIO()
    with contextlib.redirect_stdout(written):
        print_json_rows(iter(rows))
    assert written.getvalue() == json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


def test_json_refuses_what_json_refuses() -> None:
    with pytest.raises(TypeError, match="not JSON serializable"):
        print_json_rows([{"when": object()}])


def test_a_table_is_sized_on_its_first_page(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(output, "PAGE", 2)
    print_table(["ID", "NAME", "NOTE"], iter([["1", "Al", "x"], ["22", "Bo", "y "], ["333333", "Cy", "z"]]))
    assert capsys.readouterr().out == "ID  NAME  NOTE\n1   Al    x\n22  Bo    y\n333333  Cy    z\n"


@dataclasses.dataclass(frozen=True)
class _Plain:
    name: str
    count: int
    when: datetime | None
    kind: Kind


@dataclasses.dataclass(frozen=True)
class _Nested:
    plain: _Plain
    tags: tuple[str, ...]
    extra: dict[str, list[int]]


def test_a_rows_fields_are_what_asdict_gives() -> None:
    plain = _Plain("Alice", 3, datetime(2026, 11, 23, tzinfo=UTC), Kind.REPLY)
    nested = _Nested(plain, ("vip",), {"a": [1]})
    assert fields_of(plain) == dataclasses.asdict(plain)
    assert (
        fields_of(nested)
        == dataclasses.asdict(nested)
        == {
            "plain": dataclasses.asdict(plain),
            "tags": ("vip",),
            "extra": {"a": [1]},
        }
    )
