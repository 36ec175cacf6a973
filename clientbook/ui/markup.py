"""Putting the user's own text into markup so that it shows exactly as typed.

Rich's `escape` only escapes brackets that look like Rich tags (`[b]`, `[link=…]`: a lowercase letter
after the bracket), but Textual's markup also reads `[VIP]` or `[2026]` as a tag and drops it, so a client
called `Zoë [VIP] Núñez` lost its `[VIP]` in every title. This escapes every bracket.
"""

from __future__ import annotations

import re

_BRACKET = re.compile(r"(\\*)\[")


def escape(text: str) -> str:
    """`text` for use inside Rich or Textual markup: every `[` escaped (and backslashes before one kept)."""
    return _BRACKET.sub(lambda match: match.group(1) * 2 + r"\[", text)
