"""Hypothesis strategies for hostile input, shared by the CLI and TUI property tests.

Text comes from every Unicode category, with extra weight on what breaks programs: C0/C1 controls, escape
sequences, bidirectional overrides and isolates, zero-width and other format characters, line and paragraph
separators, combining marks on their own, blank letters, emoji with joiners, lone surrogates (what bytes that
are not UTF-8 become in `sys.argv`, through `os.fsdecode`), strings that look like options, and now and then
a very long string. Dates are built from the pieces the date reader knows, so that it is exercised rather
than refusing everything at the first token.
"""

from __future__ import annotations

import functools
import os
from typing import Final, TypeVar

from hypothesis import strategies as st

T = TypeVar("T")

PROFILE: Final = os.environ.get("HYPOTHESIS_PROFILE", "ci")
SCALE: Final = {"thorough": 10.0, "quick": 0.1}.get(PROFILE, 1.0)


def examples(count: int) -> int:
    """`count` examples in CI (the `ci` profile), ten times as many under `HYPOTHESIS_PROFILE=thorough`
    (and a tenth under `quick`, for working on the tests themselves)."""
    return max(1, round(count * SCALE))


# What breaks terminals, parsers and storage, one character each.
TROUBLE: Final = (
    "\x00\x01\x07\x08\t\n\x0b\x0c\r\x1b\x7f\x85\x9b\xa0\xad"  # C0, DEL, NEL, CSI, NBSP, soft hyphen
    "\u034f\u061c\u115f\u1160\u180e\u200b\u200c\u200d\u200e\u200f"  # grapheme joiner, ALM, fillers, ZW*
    "\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2066\u2067\u2068\u2069"  # separators, bidi
    "\u2800\u3000\u3164\ufe0f\ufeff\ufff9\ufffc\ufffd\uffa0"  # blank braille, ideographic space, BOM
    "\u0301\u0308\u0327\u20dd\u0488"  # combining marks, an enclosing one
    "\U0001f600\U0001f469\U0001f3fd\U0001f1ec\U0001f1e7\U000e0041\U0010fffd"  # emoji, flag, tag, private
    "'\"\\`$%*_[]{}<>;,|&#=-"  # quotes, wildcards, markup and shell characters
)
# Letters and marks that are fine to keep: accents, other scripts, right-to-left letters, emoji sequences.
FRIENDLY: Final = (
    "aAzZ09 éÉøßçÑüİıſﬁΩωЖжשלוםمرحبا日本語한국어ไทย"
    "e\u0301n\u0303"  # decomposed accents (NFC composes them)
    "\U0001f469\u200d\U0001f469\u200d\U0001f467"  # a family joined with ZWJ
    "\u00bd\u2163\u0663\uff21"  # vulgar fraction, roman numeral, Arabic-Indic digit, fullwidth A
)

SURROGATES: Final = "\udc80\udce9\udcff\ud800\udfff"
"""Lone surrogates: what `os.fsdecode` makes of bytes that are not UTF-8 (U+DC80-U+DCFF), and others that
only an in-process caller could pass. Kept to their own branches, so most hostile text gets past the
argument parser to the checks behind it."""

any_character: Final = st.characters(codec=None, exclude_categories=["Cs"])
trouble_character: Final = st.sampled_from(TROUBLE)
friendly_character: Final = st.sampled_from(FRIENDLY)

OPTION_LIKE: Final = (
    "-",
    "--",
    "---",
    "-x",
    "--x",
    "--name",
    "--name=--",
    "-h",
    "--help",
    "--json",
    "--yes",
    "-1",
    "--=",
    "--db",
    "--owner",
    "- -",
    "—",
    "\u2013x",  # an en dash, as a word processor writes "--x"
)


@functools.cache
def weighted(*choices: tuple[int, st.SearchStrategy[T]]) -> st.SearchStrategy[T]:
    """One of the strategies, each drawn in proportion to its weight. (`st.one_of` counts a strategy given
    twice only once, so repeating a branch there does not weight it.) The first shrinks best: put the
    ordinary case first."""
    table = [strategy for weight, strategy in choices for _ in range(weight)]
    return st.sampled_from(range(len(table))).flatmap(lambda index: table[index])


def _long(pieces: st.SearchStrategy[str], top: int) -> st.SearchStrategy[str]:
    """A long string made by repeating a short one (generating 60,000 characters one by one is slow)."""
    lengths = weighted((4, st.integers(201, min(top, 2_500))), (1, st.integers(201, top)))
    return st.builds(
        lambda piece, length: (piece * (length // max(1, len(piece)) + 1))[:length],
        pieces.filter(bool),
        lengths,
    )


@functools.cache
def _undecodable(max_size: int) -> st.SearchStrategy[str]:
    """Bytes as a shell hands them over, decoded as Python decodes `sys.argv` (surrogateescape)."""
    return st.binary(max_size=max_size).map(os.fsdecode)


@functools.cache  # a strategy built anew for each example costs ~10 ms to draw from
def hostile_text(max_size: int = 24, *, long: int = 60_000) -> st.SearchStrategy[str]:
    """Any text: every category, troublemakers, bytes that are not UTF-8, option look-alikes, now and then
    a long one."""
    mixed = st.one_of(any_character, trouble_character, trouble_character, friendly_character)
    # About one string in eight cannot be encoded (argparse refuses it, naming the option), so most of them
    # reach the checks behind the parser.
    branches: list[tuple[int, st.SearchStrategy[str]]] = [
        (4, st.text(mixed, max_size=max_size)),
        (3, st.text(any_character, max_size=max_size)),
        (3, st.text(st.one_of(friendly_character, trouble_character), max_size=max_size)),
        (1, _undecodable(max_size)),
        (
            1,
            st.builds(
                lambda a, s, b: a + s + b,
                st.text(mixed, max_size=8),
                st.sampled_from(SURROGATES),
                st.text(mixed, max_size=8),
            ),
        ),
        (1, st.sampled_from(OPTION_LIKE)),
        (1, st.builds(lambda a, b: a + b, st.sampled_from(OPTION_LIKE), st.text(mixed, max_size=8))),
    ]
    if long:
        branches.append((1, _long(st.text(mixed, min_size=1, max_size=6), long)))
    return weighted(*branches)


@functools.cache
def plain_text(min_size: int = 1, max_size: int = 40) -> st.SearchStrategy[str]:
    """Text that every field must accept: letters of any script, accents, joined emoji, inner spaces."""
    return st.text(friendly_character, min_size=min_size, max_size=max_size).map(
        lambda text: text if any(ch.isalnum() for ch in text) else f"{text}a"[-max_size:]
    )


@functools.cache
def text_or_plain(max_size: int = 40, *, long: int = 60_000) -> st.SearchStrategy[str]:
    """Half hostile, half text that should be saved: so the saved path is exercised as often as refusals."""
    return st.one_of(hostile_text(max_size, long=long), plain_text(max_size=max_size))


@functools.cache
def multi_line_text(max_size: int = 60, *, long: int = 60_000) -> st.SearchStrategy[str]:
    """Text for a field that keeps line breaks: lines of text or plain text joined by every kind of break."""
    lines = st.lists(text_or_plain(max_size // 3 or 1, long=0), max_size=4)
    breaks = st.sampled_from(["\n", "\r\n", "\r", "\n\n", " \n", "\t\n", "\u2028", "\x85"])
    joined = st.builds(lambda parts, sep: sep.join(parts), lines, breaks)
    return st.one_of(joined, text_or_plain(max_size, long=long))


# Dates --------------------------------------------------------------------------------------------------

DATE_WORDS: Final = (
    "now",
    "today",
    "tonight",
    "yesterday",
    "tomorrow",
    "noon",
    "midnight",
    "utc",
    "UTC",
    "z",
    "gmt+0",
    "last",
    "next",
    "in",
    "ago",
    "am",
    "pm",
    "a.m.",
    "p.m.",
    "at",
    "on",
    ",",
    "jan",
    "January",
    "feb",
    "mar",
    "apr",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "Nov",
    "dec",
    "December",
    "mon",
    "monday",
    "tue",
    "tues",
    "wed",
    "thu",
    "thurs",
    "fri",
    "Friday",
    "sat",
    "sun",
    "min",
    "mins",
    "m",
    "h",
    "hr",
    "hours",
    "d",
    "day",
    "days",
    "w",
    "wk",
    "weeks",
    "months",
    "years",
)


def _iso(year: int, month: int, day: int, sep: str) -> str:
    return f"{year:04d}{sep}{month:02d}{sep}{day:02d}"


def _time(hour: int, minute: int, meridiem: str) -> str:
    return f"{hour}:{minute:02d}{meridiem}"


date_piece: Final = st.one_of(
    st.sampled_from(DATE_WORDS),
    st.integers(min_value=-3, max_value=40).map(str),
    st.integers(min_value=0, max_value=10**12).map(str),
    st.sampled_from(["0", "00", "07", "1st", "2nd", "3rd", "24th", "31st", "32nd", "٣", "²", "1_0"]),
    st.builds(_iso, st.integers(0, 9999), st.integers(0, 14), st.integers(0, 33), st.sampled_from("-/.")),
    st.builds(_time, st.integers(0, 30), st.integers(0, 75), st.sampled_from(["", "am", "pm", " pm", ".5"])),
    st.builds(lambda n, unit: f"{n}{unit}", st.integers(0, 10**9), st.sampled_from(["d", "h", "min", "w"])),
    st.sampled_from(["11/12", "11.12", "2026-11-24T10:30", "2026-11-24t19:30", "24:00", "7:30", "9.30am"]),
)


def _relative(amount: int, unit: str, future: bool) -> str:
    return f"in {amount} {unit}" if future else f"{amount} {unit} ago"


dates: Final = st.one_of(
    st.lists(date_piece, min_size=1, max_size=5).map(" ".join),
    st.lists(date_piece, min_size=1, max_size=3).map(" ".join),
    st.builds(
        _relative,
        st.one_of(st.integers(0, 60), st.integers(0, 10**12), st.just(10**40)),
        st.sampled_from(["minutes", "min", "hours", "h", "days", "d", "weeks", "w", "fortnights"]),
        st.booleans(),
    ),
    st.builds(
        lambda day, month, year: f"{day} {month} {year}".strip(),
        st.integers(0, 32),
        st.sampled_from(["jan", "feb", "Mar", "november", "dec"]),
        st.sampled_from(["", "1899", "1900", "2026", "2027", "2999", "3000", "0001", "9999"]),
    ),
    hostile_text(20, long=5_000),
)
"""Text for a date or time option: mostly shaped like one (pieces the reader knows), sometimes anything."""


record_ids: Final = st.one_of(
    st.integers(min_value=0, max_value=40).map(str),
    st.sampled_from(
        [
            "-1",
            "0",
            "9223372036854775807",
            "9223372036854775808",
            "-9223372036854775809",
            str(10**30),
            "1_0",
            " 2 ",
            "+3",
            "\u0663",
            "1e3",
            "0x1",
            "",
            "--",
            "3.0",
            "9" * 5000,
        ]
    ),
    hostile_text(12, long=5_000),
)
"""An id as typed: small ones (most of which exist), SQLite's limits and past them, and any text."""
