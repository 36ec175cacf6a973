"""Actions on what is owed (promises, concerns, follow-ups, snoozes, key dates) and the brief."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from clientbook.core.care.queries import CareItem, Kind
from clientbook.core.clients.queries import StaffRow, get_client, staff_rows
from clientbook.core.dates import local
from clientbook.ui.actions.base import BookApp
from clientbook.ui.screens.confirm import ConfirmScreen

if TYPE_CHECKING:
    from clientbook.core.drafts import ConcernDraft, PromiseDraft

# The brief, the forms and the writes are imported by the actions that use them (see ui/actions/__init__).


class CareActions(BookApp):
    """The care screen's one-key actions and the forms for promises, concerns and key dates."""

    def show_brief(self, client_id: int) -> None:
        """The one-screen brief before a call (it opens at once, and fills in when the book has answered)."""
        from clientbook.core.care.brief import brief, brief_lines
        from clientbook.ui.screens.brief import BriefScreen

        zone, ahead = self.settings.timezone, self.settings.key_dates_ahead
        today = local(self.clock(), zone).date()

        def read() -> tuple[str, list[str]]:
            summary = brief(client_id, today=today, key_dates_ahead=ahead)
            return summary.client.name, brief_lines(summary, zone=zone)

        self.push_screen(BriefScreen(read))

    def keep_promise(self, promise_id: int, on_done: Callable[[], None]) -> None:
        from clientbook.core.care.operations import keep_promise

        user, zone = self.user, self.settings.timezone
        if user is not None:
            self.in_background(
                lambda: keep_promise(promise_id, actor=user, zone=zone),
                lambda _: on_done(),
                done="Promise kept",
            )

    def acknowledge_concern(self, concern_id: int, on_done: Callable[[], None]) -> None:
        """Acknowledge a concern, saying whether an apology was given and the remedy (care principle 6)."""
        from clientbook.core.care.operations import acknowledge_concern
        from clientbook.ui.screens.prompt import PromptScreen

        user = self.user
        if user is None:
            return

        def apologised(apology: bool | None) -> None:
            if apology is None:
                return

            def remedied(remedy: str | None) -> None:
                if remedy is not None:
                    self.in_background(
                        lambda: acknowledge_concern(concern_id, actor=user, apology=apology, remedy=remedy),
                        lambda _: on_done(),
                        done="Concern acknowledged",
                    )

            self.push_screen(
                PromptScreen("The remedy: what will put it right? (may be left empty)"), remedied
            )

        self.push_screen(
            ConfirmScreen("Was a simple, genuine apology given?", yes="Yes", no="Not yet"), apologised
        )

    def follow_up_done(self, item: CareItem, on_done: Callable[[], None]) -> None:
        from clientbook.core.care.operations import complete_checkin, complete_follow_up

        user = self.user
        if user is None:
            return
        if item.kind is Kind.CHECKIN:
            self.in_background(
                lambda: complete_checkin(item.ref, actor=user), lambda _: on_done(), done="Check-in done"
            )
        else:
            self.in_background(
                lambda: complete_follow_up(item.ref, actor=user), lambda _: on_done(), done="Follow-up done"
            )

    def snooze(self, client_id: int, name: str, on_done: Callable[[], None]) -> None:
        """Quiet "needs care" for two weeks, after asking why (the reason is required and kept)."""
        from clientbook.core.care.operations import snooze_client
        from clientbook.ui.screens.prompt import PromptScreen

        user, zone = self.user, self.settings.timezone
        if user is None:
            return

        def answered(reason: str | None) -> None:
            if reason is not None:
                self.in_background(
                    lambda: snooze_client(
                        client_id, actor=user, reason=reason, until="in 14 days", zone=zone
                    ),
                    lambda _: on_done(),
                    done=f"{name} snoozed for two weeks",
                )

        self.push_screen(
            PromptScreen(f"Why can {name} wait two weeks?", placeholder="e.g. on holiday until the 7th"),
            answered,
        )

    def new_promise(
        self,
        client_slug: str,
        on_saved: Callable[[int], None] | None = None,
        *,
        interaction_id: int | None = None,
    ) -> None:
        """Record a promise for a client (made during interaction `interaction_id`, if given)."""
        from clientbook.core.care.operations import add_promise
        from clientbook.core.drafts import PromiseDraft
        from clientbook.ui.screens.care_forms import PromiseFormScreen

        user, zone = self.user, self.settings.timezone
        if user is None:
            return

        def save(draft: PromiseDraft) -> int:
            return int(add_promise(draft, actor=user, zone=zone, interaction_id=interaction_id).id)

        def open_form(staff: list[StaffRow]) -> None:
            form = PromiseFormScreen(
                draft=PromiseDraft(client=client_slug, made_by=user.slug),
                staff=staff,
                zone=zone,
                clock=self.clock,
                save=save,
            )
            self.push_screen(form, partial(_saved, on_saved))

        self.open_after(staff_rows, open_form)

    def new_concern(self, client_slug: str, on_saved: Callable[[int], None] | None = None) -> None:
        from clientbook.core.care.operations import add_concern
        from clientbook.core.drafts import ConcernDraft
        from clientbook.ui.screens.care_forms import ConcernFormScreen

        user = self.user
        if user is None:
            return

        def save(draft: ConcernDraft) -> int:
            return int(add_concern(draft, actor=user).id)

        def open_form(staff: list[StaffRow]) -> None:
            form = ConcernFormScreen(draft=ConcernDraft(client=client_slug), staff=staff, save=save)
            self.push_screen(form, partial(_saved, on_saved))

        self.open_after(staff_rows, open_form)

    def new_key_date(self, client_id: int, on_saved: Callable[[int], None] | None = None) -> None:
        from clientbook.core.care.operations import add_key_date
        from clientbook.ui.screens.care_forms import KeyDateFormScreen

        user, zone = self.user, self.settings.timezone
        if user is None:
            return

        def save(label: str, on: str, yearly: bool) -> int:
            return int(add_key_date(client_id, label, on, yearly=yearly, actor=user, zone=zone).id)

        def open_form(client_name: str) -> None:
            form = KeyDateFormScreen(client_name=client_name, zone=zone, clock=self.clock, save=save)
            self.push_screen(form, partial(_saved, on_saved))

        self.open_after(lambda: get_client(client_id).name, open_form)

    def break_promise(self, promise_id: int, on_done: Callable[[], None]) -> None:
        from clientbook.core.care.operations import break_promise

        user = self.user

        def answered(yes: bool | None) -> None:
            if yes and user is not None:
                self.in_background(
                    lambda: break_promise(promise_id, actor=user), lambda _: on_done(), done="Marked broken"
                )

        self.push_screen(
            ConfirmScreen(
                "Mark this promise broken? Owning it may need a concern and an apology too.", yes="Broken"
            ),
            answered,
        )

    def renegotiate_promise(self, promise_id: int, on_done: Callable[[], None]) -> None:
        """Ask for the new due day, read back as it is typed; a day refused keeps the question open."""
        from clientbook.core.care.operations import renegotiate_promise
        from clientbook.ui.screens.prompt import DayAnswer, PromptScreen

        user = self.user
        if user is None:
            return
        zone = self.settings.timezone

        def accept(day: str) -> None:  # on the prompt's worker: a refusal keeps the prompt open
            renegotiate_promise(promise_id, day, actor=user, zone=zone)

        def answered(day: str | None) -> None:
            if day is not None:
                self.notify("New due day agreed", timeout=3)
                on_done()

        prompt = PromptScreen(
            "The new due day agreed with the client",
            placeholder="e.g. next fri",
            accept=accept,
            day=DayAnswer(zone, self.clock()),
        )
        self.push_screen(prompt, answered)

    def close_concern(self, concern_id: int, on_done: Callable[[], None]) -> None:
        """Closing asks for the word "resolved", then whether the client confirmed it; a check-in follows."""
        from clientbook.core.care.operations import resolve_concern
        from clientbook.ui.screens.prompt import DayAnswer, PromptScreen

        user = self.user
        if user is None:
            return

        zone = self.settings.timezone

        def resolved_typed(word: str) -> str | None:
            return None if word.strip().lower() == "resolved" else 'type "resolved" to close a concern'

        def typed(word: str | None) -> None:
            if word is None:
                return

            def confirmed(yes: bool | None) -> None:
                if yes is None:
                    return

                def accept(checkin: str) -> None:
                    # The last step writes: a refused day keeps this prompt open, and the answers before it.
                    resolve_concern(
                        concern_id,
                        actor=user,
                        resolved=word,
                        client_confirmed=yes,
                        checkin=checkin,
                        zone=zone,
                    )

                def scheduled(checkin: str | None) -> None:
                    if checkin is not None:
                        self.notify("Resolved: the check-in will show among the follow-ups", timeout=3)
                        on_done()

                day = DayAnswer(zone, self.clock())
                prompt = PromptScreen("Check in with the client on", "in 7 days", accept=accept, day=day)
                self.push_screen(prompt, scheduled)

            self.push_screen(
                ConfirmScreen("Did the client confirm it is resolved?", yes="Confirmed", no="Not yet"),
                confirmed,
            )

        self.push_screen(PromptScreen('Type "resolved" to close this concern', accept=resolved_typed), typed)


def _saved(on_saved: Callable[[int], None] | None, ident: int | None) -> None:
    """A form's result: hand the saved record's id on (None: the form was cancelled)."""
    if ident is not None and on_saved is not None:
        on_saved(ident)
