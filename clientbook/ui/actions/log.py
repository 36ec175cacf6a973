"""Actions on the interaction log that several screens offer: log, edit, open, acknowledge."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from clientbook.core.clients.queries import StaffRow, staff_rows
from clientbook.ui.actions.base import BookApp

if TYPE_CHECKING:
    from clientbook.core.drafts import InteractionDraft
    from clientbook.core.log.queries import ChannelRow

# The form, the view and the writes are imported by the actions that use them (see ui/actions/__init__).


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
        from clientbook.core.drafts import InteractionDraft
        from clientbook.core.log.queries import channels

        if self.user is None:
            return
        draft = InteractionDraft(
            client=client_slug or "", direction=direction, channel=channel, handled_by=self.user.slug
        )
        self.open_after(
            lambda: (channels(), staff_rows()),
            lambda read: self._interaction_form(
                "Log an interaction", draft, *read, interaction_id=None, on_saved=on_saved
            ),
        )

    def edit_interaction(self, interaction_id: int, on_saved: Callable[[int], None] | None = None) -> None:
        from clientbook.core.log.queries import channels, interaction_draft

        zone = self.settings.timezone
        self.open_after(
            lambda: (interaction_draft(interaction_id, zone), channels(), staff_rows()),
            lambda read: self._interaction_form(
                "Edit interaction", *read, interaction_id=interaction_id, on_saved=on_saved
            ),
        )

    def _interaction_form(
        self,
        title: str,
        draft: InteractionDraft,
        channel_rows: list[ChannelRow],
        staff: list[StaffRow],
        *,
        interaction_id: int | None,
        on_saved: Callable[[int], None] | None,
    ) -> None:
        from clientbook.core.edits import EditConflict
        from clientbook.core.log.operations import edit_interaction, log_interaction
        from clientbook.ui.screens.interaction_form import InteractionFormScreen

        user, zone = self.user, self.settings.timezone
        assert user is not None

        # What the user started from (see ClientActions._client_form): after a clash, with the clashing
        # fields as the other person left them.
        started = [draft]

        def save(typed: InteractionDraft) -> int:
            if interaction_id is None:
                return int(log_interaction(typed, actor=user, zone=zone).id)
            try:
                return int(edit_interaction(interaction_id, typed, actor=user, zone=zone, base=started[0]).id)
            except EditConflict as clash:
                started[0] = clash.base
                raise

        form = InteractionFormScreen(
            title=title,
            draft=draft,
            channels=channel_rows,
            staff=staff,
            zone=zone,
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
        from clientbook.ui.screens.interaction import InteractionScreen

        self.push_screen(InteractionScreen(interaction_id))

    def acknowledge_interaction(self, interaction_id: int, on_done: Callable[[], None]) -> None:
        """Mark a waiting message acknowledged (no reply needed)."""
        from clientbook.core.log.operations import acknowledge

        user = self.user
        if user is not None:
            self.in_background(
                lambda: acknowledge(interaction_id, actor=user),
                lambda _: on_done(),
                done="Acknowledged: no longer awaiting a reply",
            )
