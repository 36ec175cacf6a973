"""Actions on the interaction log that several screens offer: log, edit, open, acknowledge."""

from __future__ import annotations

from collections.abc import Callable

import peewee as pw

from clientbook.core.drafts import (
    InteractionDraft,
)
from clientbook.core.log_operations import acknowledge, edit_interaction, log_interaction
from clientbook.core.log_queries import channels, interaction_draft
from clientbook.core.queries import staff_rows
from clientbook.core.validation import ValidationError
from clientbook.ui.actions.base import BookApp
from clientbook.ui.screens.interaction import InteractionScreen
from clientbook.ui.screens.interaction_form import InteractionFormScreen


class LogActions(BookApp):
    """The log form (new or edit), the interaction view, acknowledging a waiting message."""

    def log_interaction(
        self,
        client_slug: str | None = None,
        *,
        direction: str = "",
        channel: str = "",
        on_saved: Callable[[int], None] | None = None,
    ) -> None:
        """Open the log form for a new interaction, with what is known already filled in."""
        if self.user is None:
            return
        draft = InteractionDraft(
            client=client_slug or "", direction=direction, channel=channel, handled_by=self.user.slug
        )
        self._interaction_form("Log an interaction", draft, None, on_saved)

    def edit_interaction(self, interaction_id: int, on_saved: Callable[[int], None] | None = None) -> None:
        draft = interaction_draft(interaction_id, self.settings.timezone)
        self._interaction_form("Edit interaction", draft, interaction_id, on_saved)

    def _interaction_form(
        self,
        title: str,
        draft: InteractionDraft,
        interaction_id: int | None,
        on_saved: Callable[[int], None] | None,
    ) -> None:
        def save(draft: InteractionDraft) -> int:
            assert self.user is not None
            zone = self.settings.timezone
            if interaction_id is None:
                return int(log_interaction(draft, actor=self.user, zone=zone).id)
            return int(edit_interaction(interaction_id, draft, actor=self.user, zone=zone).id)

        form = InteractionFormScreen(
            title=title,
            draft=draft,
            channels=channels(),
            staff=staff_rows(),
            zone=self.settings.timezone,
            clock=self.clock,
            save=save,
            editing=interaction_id is not None,
        )

        def saved(ident: int | None) -> None:
            if ident is not None:
                self.notify("Logged" if interaction_id is None else "Saved", timeout=3)
                if on_saved is not None:
                    on_saved(ident)

        self.push_screen(form, saved)

    def open_interaction(self, interaction_id: int) -> None:
        self.push_screen(InteractionScreen(interaction_id))

    def acknowledge_interaction(self, interaction_id: int, on_done: Callable[[], None]) -> None:
        """Mark a waiting message acknowledged (no reply needed)."""
        if self.user is None:
            return
        try:
            acknowledge(interaction_id, actor=self.user)
        except (ValidationError, pw.PeeweeException) as error:
            self.notify(str(error), severity="warning")
            return
        self.notify("Acknowledged: no longer awaiting a reply", timeout=3)
        on_done()
