"""Actions on clients that several screens offer: new, edit, archive."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from clientbook.core.clients.queries import StaffRow, draft_of, get_client, staff_rows
from clientbook.ui.actions.base import BookApp
from clientbook.ui.screens.confirm import ConfirmScreen

if TYPE_CHECKING:
    from clientbook.core.drafts import ClientDraft

# The form and the writes are imported by the actions that use them (see ui/actions/__init__).


class ClientActions(BookApp):
    """New and edit client forms, and archiving after asking."""

    def new_client(self, on_saved: Callable[[int], None] | None = None) -> None:
        from clientbook.core.drafts import ClientDraft

        user = self.user
        if user is None:
            return

        def open_form(staff: list[StaffRow]) -> None:
            draft = ClientDraft(point_person=user.slug)
            self._client_form("New client", draft, staff, client_id=None, verb="Added", on_saved=on_saved)

        self.open_after(staff_rows, open_form)

    def edit_client(self, client_id: int, on_saved: Callable[[int], None] | None = None) -> None:
        def open_form(read: tuple[ClientDraft, list[StaffRow]]) -> None:
            draft, staff = read
            self._client_form(
                f"Edit {draft.name}", draft, staff, client_id=client_id, verb="Saved", on_saved=on_saved
            )

        self.open_after(lambda: (draft_of(client_id), staff_rows()), open_form)

    def _client_form(
        self,
        title: str,
        draft: ClientDraft,
        staff: list[StaffRow],
        *,
        client_id: int | None,
        verb: str,
        on_saved: Callable[[int], None] | None,
    ) -> None:
        from clientbook.core.clients.operations import create_client, update_client
        from clientbook.core.edits import EditConflict
        from clientbook.ui.screens.client_form import ClientFormScreen

        user, region = self.user, self.settings.phone_region
        assert user is not None
        # Filled in on the form's worker as the core saves, so the notice names the client as saved
        # (with its new slug, if one was made) without reading it again.
        saved_as: dict[int, str] = {}
        # What the user started from: the form as filled; after a clash, with the clashing fields as the other
        # person left them, so that saving again (having read the clash) keeps what the user typed there.
        started = [draft]

        def save(draft: ClientDraft, new_slug: bool, allow_duplicate: bool) -> int:
            if client_id is None:
                client = create_client(
                    draft, actor=user, phone_region=region, allow_duplicate=allow_duplicate
                )
            else:
                try:
                    client = update_client(
                        client_id,
                        draft,
                        actor=user,
                        phone_region=region,
                        base=started[0],
                        new_slug=new_slug,
                        allow_duplicate=allow_duplicate,
                    )
                except EditConflict as clash:
                    started[0] = clash.base
                    raise
            saved_as[int(client.id)] = f"{client.name} ({client.slug})"
            return int(client.id)

        def saved(ident: int | None) -> None:
            if ident is None:
                return
            self.notify(f"{verb} {saved_as.get(ident, 'the client')}", timeout=3)
            if on_saved is not None:
                on_saved(ident)

        form = ClientFormScreen(
            title=title, draft=draft, staff=staff, save=save, editing=client_id is not None
        )
        self.push_screen(form, saved)

    def toggle_archive(self, client_id: int, on_done: Callable[[], None]) -> None:
        """Archive (or bring back) a client, after asking."""
        from clientbook.core.clients.operations import archive_client, unarchive_client

        user = self.user
        if user is None:
            return

        def ask(client: tuple[str, bool]) -> None:
            name, archived = client
            question = (
                f"Bring {name} back to the client list?"
                if archived
                else f"Archive {name}? They leave the list; nothing is deleted and A shows them again."
            )

            def answered(yes: bool | None) -> None:
                if yes:
                    self.in_background(
                        lambda: (unarchive_client if archived else archive_client)(client_id, actor=user),
                        lambda _: on_done(),
                        done=f"{'Brought back' if archived else 'Archived'} {name}",
                    )

            self.push_screen(ConfirmScreen(question, yes="Bring back" if archived else "Archive"), answered)

        def read() -> tuple[str, bool]:
            client = get_client(client_id)
            return client.name, client.archived_at is not None

        self.open_after(read, ask)
