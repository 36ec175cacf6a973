"""What every form shares: `ctrl+s` saves through a core call, `escape` cancels (asking if anything changed),
and a :class:`ValidationError` keeps the form open with each message beside its field and focus on the first.

The save runs on a thread worker (see :class:`~clientbook.ui.background.Saving`): the form shows *saving…*
and keeps drawing while SQLite waits for a lock, its fields locked so the text saved is the text on screen. A
database problem keeps the form open with the user's text and a one-line message; success closes it with
the record's id.

A form subclass says what it currently holds (:meth:`current`) and how to save it (:meth:`submission`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, ClassVar, cast

from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, Static

from clientbook.core.edits import EditConflict
from clientbook.core.errors import ValidationError
from clientbook.ui.background import Done, Outcome, Refused, Saving, bring_to_top
from clientbook.ui.screens.confirm import ConfirmScreen
from clientbook.ui.widgets.form_field import FormField

if TYPE_CHECKING:
    from clientbook.ui.actions.corrections import CorrectionActions


class FormScreen(ModalScreen[int | None]):
    """A modal form that dismisses with the saved record's id, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", priority=True, id="form.save"),
        Binding("escape", "cancel", "Cancel", priority=True, id="form.cancel"),
        # App bindings do not reach into a modal: undo the typing in the focused box from here.
        Binding("ctrl+z", "undo_typing", "Undo typing", show=False, id="form.undo"),
    ]
    DISCARD_QUESTION = "Discard your changes?"

    def __init__(self) -> None:
        super().__init__()
        self._initial: object = None
        self.saving = Saving(self, self.status)

    def current(self) -> object:
        """What the form holds now (a draft), compared with what it opened with to tell if it changed."""
        raise NotImplementedError

    def submission(self) -> Callable[[], int]:
        """What the form holds, read now, as the save to run on a worker: it returns the record's id, or
        raises ValidationError (or NotFound) for the form to show. It must not touch a widget."""
        raise NotImplementedError

    def fields(self) -> Iterator[tuple[str, FormField]]:
        """Each field with the name validation errors use for it."""
        for field in self.query(FormField):
            yield field.key, field

    def remember_initial(self) -> None:
        """Call once the form is filled in: changes are measured from here."""
        self._initial = self.current()
        # Textual selects a box's text when it gets focus, so the first key typed would replace it all.
        for box in self.query(Input):
            box.select_on_focus = False

    @property
    def has_changes(self) -> bool:
        """True once the form holds something other than what it opened with."""
        return self.is_mounted and self.current() != self._initial

    def action_save(self) -> None:
        self.save_with(self.submission())

    def save_with(self, job: Callable[[], int]) -> None:
        """Run `job` (a :meth:`submission`) on a worker, the fields locked and *saving…* shown meanwhile."""
        self.saving.start(job, self._saved, lock=list(self.query(".form--body")))

    def _saved(self, outcome: Outcome[int]) -> None:
        if isinstance(outcome, Done):
            # A question (close anyway?) or the keys opened meanwhile: the save has answered them.
            bring_to_top(self)
            self.dismiss(outcome.value)
        elif isinstance(outcome, Refused) and isinstance(outcome.error, ValidationError):
            if not self.ask_about(outcome.error):
                self.show_errors(outcome.error.errors)
            if isinstance(outcome.error, EditConflict):
                count = len(outcome.error.errors)
                # Short: beside the keys at 80 columns it wraps after some 45.
                self.status(
                    f"Someone else changed {'it' if count == 1 else 'them'} meanwhile · nothing saved · "
                    "ctrl+s keeps yours"
                )
        elif isinstance(outcome, Refused):
            self.status(f"Not saved: {outcome.message}")
        else:
            self.status(f"Not saved: {outcome.message('the book')}")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # While a save is in flight the form holds what is being saved: no step or contact added or moved.
        return action in ("save", "cancel") or not self.saving.in_flight

    def ask_about(self, error: ValidationError) -> bool:
        """Turn a refusal into a question for the user (a likely duplicate...): True when this form asked."""
        return False

    def status(self, text: str) -> None:
        self.query_one("#form-status", Static).update(text)

    def show_errors(self, errors: dict[str, str]) -> None:
        """Each message beside its field, the rest in the status line; focus goes to the first bad field."""
        first: Widget | None = None
        placed: set[str] = set()
        for key, field in self.fields():
            message = errors.get(key)
            field.show_error(message)
            if message is not None:
                placed.add(key)
                if first is None:
                    first = field.control
        count = len(errors)
        summary = f"{count} {'field needs' if count == 1 else 'fields need'} attention · nothing saved"
        loose = [f"{key}: {message}" for key, message in errors.items() if key not in placed]
        self.status(" · ".join([summary, *loose]))
        if first is not None:
            # No animation: the field is where the user must look now (and snapshots stay steady).
            first.focus(scroll_visible=False)
            first.scroll_visible(animate=False)

    def action_undo_typing(self) -> None:
        focused = self.focused
        if isinstance(focused, Input):
            cast("CorrectionActions", self.app).undo_typing(focused)

    def action_cancel(self) -> None:
        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        if self.saving.in_flight:
            # The write cannot be called back once SQLite has it: say so, and tell its outcome later.
            question = "Still saving. Close the form anyway? The save may still finish; a notice will say."
            self.app.push_screen(ConfirmScreen(question, yes="Close", no="Keep waiting"), answered)
        elif self.has_changes:
            self.app.push_screen(
                ConfirmScreen(self.DISCARD_QUESTION, yes="Discard", no="Keep editing"), answered
            )
        else:
            self.dismiss(None)
