"""Completions drawn from the book as the user types (Textual suggesters over core queries)."""

from __future__ import annotations

import asyncio

from textual.suggester import Suggester

from clientbook.core.clients.queries import slug_completion


class ClientSlugSuggester(Suggester):
    """Completes a client's slug from its first letters (`ali` -> `alice-anders`); `→` accepts.

    The query runs on a thread (the box keeps taking keys meanwhile); a completion for text that has changed
    since is ignored by the box itself, which only shows one that matches what it holds.
    """

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=False)

    async def get_suggestion(self, value: str) -> str | None:
        # On the loop's thread pool, whose threads keep their connections (see clientbook.ui.background).
        return await asyncio.to_thread(slug_completion, value)
