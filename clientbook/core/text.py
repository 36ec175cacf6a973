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
