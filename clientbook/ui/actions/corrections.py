"""Taking back slips in the app: `ctrl+z` undoes the user's last action (or, in a text box, the typing), and
entries made by mistake are deleted after a confirmation, each with a one-line notice.

Undo and deletions run on a thread worker, so the screen never waits on the book.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from textual import events, on
from textual.widgets import Input

from clientbook.ui.actions.base import BookApp
from clientbook.ui.screens.confirm import ConfirmScreen

if TYPE_CHECKING:
    from clientbook.core.undo import Undone


def _deleter(kind: str) -> Callable[..., object]:
    """The core write that deletes an entry of `kind` (interaction, promise, concern or key date)."""
    from clientbook.core.care.operations import delete_concern, delete_promise, remove_key_date
    from clientbook.core.log.operations import delete_interaction

    deleters: dict[str, Callable[..., object]] = {
        "interaction": delete_interaction,
        "promise": delete_promise,
        "concern": delete_concern,
        "key date": remove_key_date,
    }
    return deleters[kind]


class CorrectionActions(BookApp):
    """Undo (of actions and of typing) and confirmed deletions, shared by every screen."""

    def __init__(self) -> None:
        super().__init__()
        # What each text box held, oldest first: ctrl+z there steps back through it.
        self._typed: WeakKeyDictionary[Input, list[str]] = WeakKeyDictionary()
        self._restoring: Input | None = None

    @on(events.DescendantFocus)
    def _remember_box(self, event: events.DescendantFocus) -> None:
        if isinstance(event.widget, Input) and event.widget not in self._typed:
            self._typed[event.widget] = [event.widget.value]

    @on(Input.Changed)
    def _remember_typing(self, event: Input.Changed) -> None:
        if self._restoring is event.input:
            self._restoring = None
            return
        typed = self._typed.setdefault(event.input, [])
        if not typed or typed[-1] != event.value:
            typed.append(event.value)

    def undo_typing(self, box: Input) -> None:
        """Put the box back to what it held before the last change (repeatable)."""
        typed = self._typed.get(box, [])
        if len(typed) < 2:
            self.notify("Nothing typed here to undo.", timeout=3)
            return
        typed.pop()
        self._restoring = box
        box.value = typed[-1]

    def action_undo(self) -> None:
        """`ctrl+z`: in a text box, undo the typing; elsewhere, the user's last action in the book."""
        from clientbook.core.undo import undo_last

        focused = self.focused
        if isinstance(focused, Input):
            self.undo_typing(focused)
            return
        user = self.user
        if user is None:
            return
        zone = self.settings.timezone
        self.in_background(lambda: undo_last(user, zone=zone), self._undone)

    def _undone(self, undone: Undone) -> None:
        self.notify(f"Undid: {undone.summary}", timeout=5, markup=False)
        self.refresh_screen()

    def delete_entry(self, kind: str, ident: int, description: str, *, then: Callable[[], None]) -> None:
        """Ask, then delete an interaction, promise, concern or key date entered by mistake."""
        user = self.user
        if user is None:
            return
        delete = _deleter(kind)

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            self.in_background(lambda: delete(ident, actor=user), lambda _: deleted())

        def deleted() -> None:
            self.notify(f"Deleted the {kind} · ctrl+z brings it back", timeout=5, markup=False)
            then()
            self.refresh_screen()

        question = f"Delete this {kind}?\n{description}\n\nThe history keeps it; ctrl+z brings it back."
        self.push_screen(ConfirmScreen(question, yes="Delete", no="Keep"), answered)

    def remove_step_note(self, step_id: int, note: str, *, then: Callable[[], None]) -> None:
        """Ask, then remove the short note on a checklist step."""
        from clientbook.core.processes.operations import note_step

        user = self.user
        if user is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.in_background(lambda: note_step(step_id, "", actor=user), lambda _: removed())

        def removed() -> None:
            self.notify("Removed the note · ctrl+z brings it back", timeout=5)
            then()

        question = f"Remove the note “{note}”?"
        self.push_screen(ConfirmScreen(question, yes="Remove", no="Keep"), answered)
