"""What a client search matches: the words it uses, and which of them the search index can answer.

Shared by the list screen's reads (:mod:`.queries`, through peewee) and the CLI's streamed list
(:mod:`.client_lines`, plain SQL), so both find exactly the same clients. Terms of three or more characters
go through the trigram index (an FTS5 query of literal strings); a trigram index cannot answer one or two
letters, so a search of only short terms finds names that *start* with the first (`al` finds Alice, by the
sorted-name index) and any further short terms are tested anywhere in the search text. Every term reaches
SQLite as a bound parameter, quoted as an FTS5 string or with GLOB's and LIKE's wildcards made literal, so
quotes and operators typed by the user are only text.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Final

from clientbook.core.text import capped_words, fold

TRIGRAM: Final = 3
"""The shortest term the trigram search index can answer."""
SELECTIVE: Final = 2_000
"""Below this many matches a search is read from the search index's own rows and sorted; above it, the
list's sort index is walked and each client checked against the matches (100 are found within a few pages)."""
LIKE_ESCAPE: Final = "\\"


def search_terms(search: str) -> tuple[list[str], int]:
    """The folded words a client search uses (at most a dozen, distinct) and how many were left out.

    Control characters and lone surrogates are left out: no stored text holds them (validation refuses
    them), and a NUL would end SQLite's reading of an FTS5 query ("unterminated string").
    """
    storable = "".join(ch for ch in fold(search) if unicodedata.category(ch) not in ("Cc", "Cs"))
    return capped_words(storable.split())


def indexed_terms(terms: list[str]) -> list[str]:
    """The terms the trigram index answers."""
    return [term for term in terms if len(term) >= TRIGRAM]


def short_terms(terms: list[str]) -> list[str]:
    """The terms too short for the trigram index."""
    return [term for term in terms if len(term) < TRIGRAM]


def fts_query(terms: Sequence[str]) -> str:
    """An FTS5 query matching every term as a literal string (`"a""b" AND "c"`)."""
    return " AND ".join('"' + term.replace('"', '""') + '"' for term in terms)


def glob_prefix(text: str) -> str:
    """A GLOB pattern for what starts with `text`, its wildcards made literal (`*` -> `[*]`)."""
    return "".join(f"[{ch}]" if ch in "*?[" else ch for ch in text) + "*"


def like_anywhere(text: str) -> str:
    """A LIKE pattern (escaped with :data:`LIKE_ESCAPE`) for what contains `text`, its wildcards literal."""
    escaped = "".join(LIKE_ESCAPE + ch if ch in f"%_{LIKE_ESCAPE}" else ch for ch in text)
    return f"%{escaped}%"
