"""The client form (modal), for a new client and for editing one.

The form never decides what is valid: it builds a :class:`ClientDraft` and hands it to `save`, a core
operation; :class:`~clientbook.ui.screens.form.FormScreen` shows what the core refused, beside each field.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.suggester import SuggestFromList
from textual.widgets import Button, Checkbox, Input, Label, Select, Static, TextArea

from clientbook.core.clients.operations import LikelyDuplicate, described_duplicate
from clientbook.core.clients.queries import StaffRow
from clientbook.core.drafts import ClientDraft, ContactDraft
from clientbook.core.errors import ValidationError
from clientbook.core.models import ClientKind, Stage
from clientbook.core.validation import COMPANY_MAX, EMAIL_MAX, NAME_MAX, PHONE_MAX, all_zones
from clientbook.ui.screens.confirm import ConfirmScreen
from clientbook.ui.screens.form import FormScreen
from clientbook.ui.widgets.form_field import FormField
from clientbook.ui.widgets.keys_line import KeysLine

SaveClient = Callable[[ClientDraft, bool, bool], int]
"""Saves a draft (whether to make a new slug; whether a client reached at another's email or phone is meant)
and returns the client's id; raises ValidationError, or LikelyDuplicate for the form to ask about."""


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


class ContactRow(Vertical):
    """One contact person of an organisation: name, role, email, phone, and whether primary."""

    def __init__(self, contact: ContactDraft) -> None:
        super().__init__(classes="contact-row")
        self.contact = contact

    def compose(self) -> ComposeResult:
        yield FormField(
            "Contact name",
            Input(self.contact.name, classes="c-name", compact=True),
            key="name",
            required=True,
        )
        yield FormField("Role", Input(self.contact.role, classes="c-role", compact=True), key="role")
        yield FormField("Email", Input(self.contact.email, classes="c-email", compact=True), key="email")
        yield FormField("Phone", Input(self.contact.phone, classes="c-phone", compact=True), key="phone")
        with Horizontal(classes="contact-row--actions"):
            yield Checkbox("Primary contact", self.contact.is_primary, classes="c-primary", compact=True)
            yield Button("Remove", classes="c-remove", variant="warning", compact=True)

    def draft(self) -> ContactDraft:
        return ContactDraft(
            name=self.query_one(".c-name", Input).value,
            role=self.query_one(".c-role", Input).value,
            email=self.query_one(".c-email", Input).value,
            phone=self.query_one(".c-phone", Input).value,
            is_primary=self.query_one(".c-primary", Checkbox).value,
            id=self.contact.id,  # an existing contact person keeps its id (and history) across edits
        )

    def field(self, key: str) -> FormField | None:
        return next((f for f in self.query(FormField) if f.key == key), None)


class ClientFormScreen(FormScreen):
    """New or edit client; `ctrl+s` saves, `escape` cancels (asking first if anything changed)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+o", "add_contact", "Add contact", id="form.add_contact"),
    ]
    DISCARD_QUESTION = "Discard your changes to this client?"

    def __init__(
        self, *, title: str, draft: ClientDraft, staff: list[StaffRow], save: SaveClient, editing: bool
    ) -> None:
        super().__init__()
        self.title_text = title
        self.draft = draft
        self.staff = staff
        self.save = save
        self.editing = editing

    def compose(self) -> ComposeResult:
        draft = self.draft
        people = [(s.name, s.slug) for s in self.staff]
        with Vertical(classes="dialog form"):
            yield Label(Text(self.title_text), classes="dialog--title")
            with VerticalScroll(classes="form--body"):
                yield FormField(
                    "Name",
                    Input(draft.name, id="name", max_length=NAME_MAX * 2, compact=True),
                    key="name",
                    required=True,
                )
                yield FormField(
                    "Kind",
                    Select(
                        [(k.value, k.value) for k in ClientKind],
                        value=draft.kind,
                        allow_blank=False,
                        id="kind",
                        compact=True,
                    ),
                    key="kind",
                )
                yield FormField(
                    "Point-person",
                    Select(
                        people,
                        value=draft.point_person or Select.NULL,
                        allow_blank=False,
                        id="point_person",
                        compact=True,
                    ),
                    key="point_person",
                    required=True,
                )
                yield FormField(
                    "Backup person",
                    Select(
                        people,
                        value=draft.backup_person or Select.NULL,
                        prompt="none",
                        id="backup_person",
                        compact=True,
                    ),
                    key="backup_person",
                )
                yield FormField(
                    "Stage",
                    Select(
                        [(s.value, s.value) for s in Stage],
                        value=draft.stage,
                        allow_blank=False,
                        id="stage",
                        compact=True,
                    ),
                    key="stage",
                    required=True,
                )
                yield FormField(
                    "Email",
                    Input(draft.email, id="email", max_length=EMAIL_MAX * 2, compact=True),
                    key="email",
                )
                yield FormField(
                    "Phone",
                    Input(draft.phone, id="phone", max_length=PHONE_MAX * 2, compact=True),
                    key="phone",
                )
                yield FormField(
                    "Company",
                    Input(draft.company, id="company", max_length=COMPANY_MAX * 2, compact=True),
                    key="company",
                )
                yield FormField(
                    "Time zone",
                    Input(
                        draft.timezone,
                        id="timezone",
                        placeholder="e.g. Europe/London",
                        suggester=SuggestFromList(all_zones(), case_sensitive=False),
                        compact=True,
                    ),
                    key="timezone",
                )
                yield FormField(
                    "Tags",
                    Input(draft.tags, id="tags", placeholder="comma, separated", compact=True),
                    key="tags",
                )
                yield FormField(
                    "Notes", TextArea(draft.notes, id="notes", soft_wrap=True, compact=True), key="notes"
                )
                yield FormField(
                    "Contact every",
                    Input(
                        draft.cadence_days,
                        id="cadence_days",
                        placeholder="days (empty: the stage's)",
                        compact=True,
                    ),
                    key="cadence_days",
                )
                yield FormField(
                    "Reply within",
                    Input(
                        draft.reply_target_hours,
                        id="reply_target_hours",
                        placeholder="hours (empty: the settings')",
                        compact=True,
                    ),
                    key="reply_target_hours",
                )
                with Vertical(id="contacts"):
                    yield Label("Contact people", classes="form--section")
                    for contact in draft.contacts:
                        yield ContactRow(contact)
                    yield Button("Add contact (ctrl+o)", id="add-contact", compact=True)
                if self.editing:
                    yield Checkbox("Make a new slug from the name", id="new_slug", compact=True)
            with Horizontal(classes="form--footer"):
                yield Static("", id="form-status")
                yield KeysLine("ctrl+s Save   esc Cancel   f1 Keys")

    def on_mount(self) -> None:
        self._show_contacts()
        self.query_one("#field-phone", FormField).show_hint("An email or a phone number is required.")
        self.remember_initial()
        self.query_one("#name", Input).focus()

    def _select_value(self, selector: str) -> str:
        return _text(self.query_one(selector, Select).value)

    def _current(self) -> ClientDraft:
        kind = self._select_value("#kind")
        return ClientDraft(
            name=self.query_one("#name", Input).value,
            kind=kind,
            point_person=self._select_value("#point_person"),
            backup_person=self._select_value("#backup_person"),
            stage=self._select_value("#stage"),
            email=self.query_one("#email", Input).value,
            phone=self.query_one("#phone", Input).value,
            company=self.query_one("#company", Input).value,
            timezone=self.query_one("#timezone", Input).value,
            tags=self.query_one("#tags", Input).value,
            notes=self.query_one("#notes", TextArea).text,
            contacts=tuple(row.draft() for row in self.query(ContactRow))
            if kind == ClientKind.ORGANISATION
            else (),
            cadence_days=self.query_one("#cadence_days", Input).value,
            reply_target_hours=self.query_one("#reply_target_hours", Input).value,
        )

    def _show_contacts(self) -> None:
        self.query_one("#contacts").display = self._select_value("#kind") == ClientKind.ORGANISATION

    @on(Select.Changed, "#kind")
    def kind_changed(self) -> None:
        self._show_contacts()

    @on(Checkbox.Changed, ".c-primary")
    def one_primary(self, event: Checkbox.Changed) -> None:
        if event.value:
            for box in self.query(".c-primary").results(Checkbox):
                if box is not event.checkbox:
                    box.value = False

    @on(Button.Pressed, "#add-contact")
    async def action_add_contact(self) -> None:
        if self._select_value("#kind") != ClientKind.ORGANISATION:
            self.query_one("#kind", Select).value = ClientKind.ORGANISATION.value
            self._show_contacts()
        first = not self.query(ContactRow)
        row = ContactRow(ContactDraft(is_primary=first))
        await self.query_one("#contacts").mount(row, before=self.query_one("#add-contact"))
        name = row.query_one(".c-name", Input)
        name.focus(scroll_visible=False)
        # Once the new row is laid out: bring all of it into view, so nothing is typed blind.
        self.call_after_refresh(row.scroll_visible, animate=False)

    @on(Button.Pressed, ".c-remove")
    def remove_contact(self, event: Button.Pressed) -> None:
        for ancestor in event.button.ancestors:
            if isinstance(ancestor, ContactRow):
                ancestor.remove()
                break

    def current(self) -> ClientDraft:
        return self._current()

    def submission(self, *, allow_duplicate: bool = False) -> Callable[[], int]:
        new_slug = self.editing and self.query_one("#new_slug", Checkbox).value
        return partial(self.save, self._current(), new_slug, allow_duplicate)

    def ask_about(self, error: ValidationError) -> bool:
        """A likely duplicate asks whether another client is meant, and saves again (allowing it) if so."""
        if not isinstance(error, LikelyDuplicate):
            return False

        def answered(yes: bool | None) -> None:
            if yes:
                self.save_with(self.submission(allow_duplicate=True))

        names = "\n".join(f"  {described_duplicate(d)} ({d.field})" for d in error.duplicates[:10])
        question = (
            f"This looks like a client you already have, reached the same way:\n{names}\n\n"
            "Save another client anyway?"
        )
        self.app.push_screen(ConfirmScreen(question, yes="Save anyway", no="Go back"), answered)
        return True

    def fields(self) -> Iterator[tuple[str, FormField]]:
        """Contact people's fields are named by their place in the list (`contacts.2.email`)."""
        for field in self.query(FormField):
            if not any(isinstance(ancestor, ContactRow) for ancestor in field.ancestors):
                yield field.key, field
        for number, row in enumerate(self.query(ContactRow), start=1):
            for field in row.query(FormField):
                yield f"contacts.{number}.{field.key}", field
