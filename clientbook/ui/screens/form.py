"""What every form shares: `ctrl+s` saves through a core call, `escape` cancels (asking if anything changed),
and a :class:`ValidationError` keeps the form open with each message beside its field and focus on the first.

A form subclass says what it currently holds (:meth:`current`) and how to save it (:meth:`submit`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, ClassVar, cast

import peewee as pw
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, Static

from clientbook.core.db import explain
from clientbook.core.validation import ValidationError
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

    def current(self) -> object:
        """What the form holds now (a draft), compared with what it opened with to tell if it changed."""
        raise NotImplementedError

    def submit(self) -> int:
        """Save what the form holds through the core; returns the record's id or raises ValidationError."""
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
        try:
            record_id = self.submit()
        except ValidationError as error:
            if self.asks_about(error):
                raise
            self.show_errors(error.errors)
            return
        except pw.PeeweeException as error:
            self.status(f"Not saved: {explain(error, 'the book')}")
            return
        self.dismiss(record_id)

    def asks_about(self, error: ValidationError) -> bool:
        """True for a refusal this form turns into a question (it is re-raised to the subclass)."""
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
        if not self.has_changes:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmScreen(self.DISCARD_QUESTION, yes="Discard", no="Keep editing"), answered)
