"""Actions on clients that several screens offer: new, edit, archive."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import peewee as pw

from clientbook.core.drafts import (
    ClientDraft,
)
from clientbook.core.models import Client
from clientbook.core.operations import (
    archive_client,
    create_client,
    unarchive_client,
    update_client,
)
from clientbook.core.queries import draft_of, staff_rows
from clientbook.ui.actions.base import BookApp
from clientbook.ui.screens.client_form import ClientFormScreen
from clientbook.ui.screens.confirm import ConfirmScreen


class ClientActions(BookApp):
    """New and edit client forms, and archiving after asking."""

    def _save_client(
        self, client_id: int | None, draft: ClientDraft, new_slug: bool, allow_duplicate: bool
    ) -> int:
        assert self.user is not None
        region = self.settings.phone_region
        if client_id is None:
            client = create_client(
                draft, actor=self.user, phone_region=region, allow_duplicate=allow_duplicate
            )
            return int(client.id)
        updated = update_client(
            client_id,
            draft,
            actor=self.user,
            phone_region=region,
            new_slug=new_slug,
            allow_duplicate=allow_duplicate,
        )
        return int(updated.id)

    def new_client(self, on_saved: Callable[[int], None] | None = None) -> None:
        if self.user is None:
            return
        form = ClientFormScreen(
            title="New client",
            draft=ClientDraft(point_person=self.user.slug),
            staff=staff_rows(),
            save=partial(self._save_client, None),
            editing=False,
        )
        self.push_screen(form, partial(self._saved, "Added", on_saved))

    def edit_client(self, client_id: int, on_saved: Callable[[int], None] | None = None) -> None:
        try:
            draft = draft_of(client_id)
        except pw.PeeweeException as error:
            self.report(error)
            return
        form = ClientFormScreen(
            title=f"Edit {draft.name}",
            draft=draft,
            staff=staff_rows(),
            save=partial(self._save_client, client_id),
            editing=True,
        )
        self.push_screen(form, partial(self._saved, "Saved", on_saved))

    def _saved(self, verb: str, then: Callable[[int], None] | None, client_id: int | None) -> None:
        if client_id is None:
            return
        client = Client.get_by_id(client_id)
        self.notify(f"{verb} {client.name} ({client.slug})", timeout=3)
        if then is not None:
            then(client_id)

    def toggle_archive(self, client_id: int, on_done: Callable[[], None]) -> None:
        """Archive (or bring back) a client, after asking."""
        assert self.user is not None
        client = Client.get_by_id(client_id)
        archived = client.archived_at is not None
        question = (
            f"Bring {client.name} back to the client list?"
            if archived
            else f"Archive {client.name}? They leave the list; nothing is deleted and A shows them again."
        )

        def answered(yes: bool | None) -> None:
            if not yes or self.user is None:
                return
            try:
                (unarchive_client if archived else archive_client)(client_id, actor=self.user)
            except pw.PeeweeException as error:
                self.report(error)
                return
            self.notify(f"{'Brought back' if archived else 'Archived'} {client.name}", timeout=3)
            on_done()

        self.push_screen(ConfirmScreen(question, yes="Bring back" if archived else "Archive"), answered)
