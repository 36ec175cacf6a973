"""Text helpers shared by validation, search and sorting.

Search and sort keys are *folded*: Unicode-normalised, accents stripped and case-folded, so `Zoë` is found by
`zoe` and sorts beside `Zoe`. The same fold is applied to stored keys and to what the user types.
"""

from __future__ import annotations

import re
import unicodedata

_SPACE_RUN = re.compile(r"\s+")


def fold(text: str) -> str:
    """Fold `text` for matching: NFKD, drop combining marks, casefold, collapse white space."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACE_RUN.sub(" ", stripped.casefold()).strip()


def single_line(text: str) -> str:
    """NFC-normalise and trim a one-line field, collapsing inner runs of white space to one space."""
    return _SPACE_RUN.sub(" ", unicodedata.normalize("NFC", text)).strip()


def multi_line(text: str) -> str:
    """NFC-normalise a multi-line field, unify line endings and trim trailing white space."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")


def digits(text: str) -> str:
    """Only the digits of `text` (for matching phone numbers however they were typed)."""
    return "".join(ch for ch in text if ch.isdigit())


SHOWN_MAX = 40
"""How much of what the user typed a message repeats: enough to recognise it, never a whole paste."""


def shown(text: str, limit: int = SHOWN_MAX, *, quote: str = "'") -> str:
    """What the user typed, for a one-line message: in quotes, cut to `limit` characters with `…`, and every
    character a terminal would act on or hide (controls, newlines, bidi and other format characters, lone
    surrogates from undecodable bytes) written as an escape (`\\x1b`, `\\n`, `\\u202e`), as `repr` does.

    Messages never carry raw input: `client show $'\\e]0;x\\a'` must not retitle the user's terminal.
    """
    cut = text[:limit]
    escaped = "".join(_escape(ch, quote) for ch in cut)
    return f"{quote}{escaped}{'…' if len(text) > limit else ''}{quote}"


def _escape(ch: str, quote: str) -> str:
    if ch in ("\\", quote):
        return "\\" + ch
    if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp") or (ch.isspace() and ch != " "):
        # repr's escapes (\x1b, \n, \u202e, \udcff) are what a developer and a careful user recognise.
        return repr(ch)[1:-1]
    return ch


SEARCH_WORDS_MAX = 12
"""How many distinct words a search uses. Each word is one more condition for SQLite to parse and check;
past a dozen a search is a paste, not a query, and hundreds of conditions overflow SQLite's parser."""


def capped_words(words: list[str]) -> tuple[list[str], int]:
    """The distinct `words` in order, at most :data:`SEARCH_WORDS_MAX`, and how many distinct ones were left
    out (callers say so: a search must never silently ignore what was typed)."""
    distinct = list(dict.fromkeys(words))
    return distinct[:SEARCH_WORDS_MAX], max(0, len(distinct) - SEARCH_WORDS_MAX)


def words_left_out(count: int) -> str:
    """The line that says a search used only its first words."""
    return f"searched for the first {SEARCH_WORDS_MAX} words; {count:,} more left out"
