"""Drafts: what a form, a CLI command or an import fills in before the core validates and writes it.

Drafts hold text exactly as the user typed it. :mod:`.validation` turns a draft into a clean record or a
:class:`~.validation.ValidationError` naming each bad field; the field names here are the names used in
error messages (`name: required`) and by the form's widgets.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ContactDraft:
    """A contact person at an organisation-client."""

    name: str = ""
    role: str = ""
    email: str = ""
    phone: str = ""
    is_primary: bool = False
    id: int | None = None
    """The contact person's id when editing an existing one: it keeps its id (and history) across edits."""


@dataclass(frozen=True)
class ClientDraft:
    """A client as typed. `point_person` and `backup_person` are staff slugs; `tags` is comma-separated."""

    name: str = ""
    kind: str = "person"
    point_person: str = ""
    backup_person: str = ""
    stage: str = "lead"
    email: str = ""
    phone: str = ""
    company: str = ""
    timezone: str = ""
    tags: str = ""
    notes: str = ""
    contacts: tuple[ContactDraft, ...] = ()
    cadence_days: str = ""
    """Days this client may go without contact before needing care; empty: the stage's."""
    reply_target_hours: str = ""
    """Hours this client's messages may wait for a reply; empty: the settings'."""


@dataclass(frozen=True)
class InteractionDraft:
    """An interaction as typed. `client` and `handled_by` are slugs; `when` and `follow_up` are read by
    :mod:`.dates`. `answers` names the awaiting inbound messages an outbound one answers; None means all of
    the client's that came before it.
    """

    client: str = ""
    when: str = "now"
    channel: str = ""
    direction: str = ""
    summary: str = ""
    details: str = ""
    handled_by: str = ""
    follow_up: str = ""
    mood: str = ""
    answers: tuple[int, ...] | None = None


@dataclass(frozen=True)
class StepDraft:
    """A process step as typed; `due_days` is text (`3`, or empty for no due date)."""

    title: str = ""
    note: str = ""
    due_days: str = ""


@dataclass(frozen=True)
class ProcessDraft:
    """A process as typed: its steps in order."""

    name: str = ""
    description: str = ""
    steps: tuple[StepDraft, ...] = ()


@dataclass(frozen=True)
class PromiseDraft:
    """A promise as typed: to which client (slug), what, by whom (staff slug), due (read by :mod:`.dates`)."""

    client: str = ""
    what: str = ""
    made_by: str = ""
    due: str = ""


@dataclass(frozen=True)
class ConcernDraft:
    """A complaint or mistake as typed, in the client's words; `owner` defaults to the point-person."""

    client: str = ""
    words: str = ""
    severity: str = ""
    owner: str = ""
