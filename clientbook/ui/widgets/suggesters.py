"""Completions drawn from the book as the user types (Textual suggesters over core queries)."""

from __future__ import annotations

from textual.suggester import Suggester

from clientbook.core.queries import slug_completion


class ClientSlugSuggester(Suggester):
    """Completes a client's slug from its first letters (`ali` -> `alice-anders`); `→` accepts."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=False)

    async def get_suggestion(self, value: str) -> str | None:
        return slug_completion(value)
