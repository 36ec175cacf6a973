"""Writes for what is owed to clients: promises (principle 5), concerns (principle 6), snoozing a neglected
client with a reason (principle 8), key dates (principle 9), and marking follow-ups and check-ins done.

Closing a concern needs the word "resolved" and whether the client confirmed it, and schedules a check-in
(7 days later unless told otherwise), which then appears among the follow-ups due.
"""

from __future__ import annotations

from datetime import date, timedelta

from clientbook.core import clock
from clientbook.core.care.queries import OWED
from clientbook.core.care.records import concern_draft, promise_draft
from clientbook.core.care.rules import past_due
from clientbook.core.clients.operations import stored_now
from clientbook.core.clients.queries import find_client
from clientbook.core.dates import DateProblem, format_date, local, parse_day
from clientbook.core.drafts import ConcernDraft, PromiseDraft
from clientbook.core.edits import Reading, apply_edit
from clientbook.core.errors import NotFound, ValidationError
from clientbook.core.history import change_set, hold_unchanged, last_write, last_writer, quoted
from clientbook.core.models import Client, Concern, Interaction, KeyDate, Promise, PromiseStatus, Staff
from clientbook.core.validation import (
    NAME_MAX,
    validate_concern,
    validate_long_text,
    validate_new_due,
    validate_promise,
    validate_short_note,
    visible,
)
from clientbook.core.who import find_staff

CHECKIN_DAYS = 7


def _today(zone: str) -> date:
    return local(clock.now(), zone).date()


def _day(text: str, field: str, zone: str) -> date:
    try:
        return parse_day(text, zone=zone, now=clock.now(), prefer="future")
    except DateProblem as problem:
        raise ValidationError({field: str(problem)}) from None


def _resolve(client_ref: str, staff_ref: str, staff_field: str) -> tuple[Client, Staff | None]:
    errors: dict[str, str] = {}
    client: Client | None = None
    staff: Staff | None = None
    try:
        client = find_client(client_ref)
    except NotFound as problem:
        errors["client"] = str(problem)
    if staff_ref:
        try:
            staff = find_staff(staff_ref)
        except NotFound as problem:
            errors[staff_field] = str(problem)
    if errors or client is None:
        raise ValidationError(errors)
    return client, staff


# Promises ---------------------------------------------------------------------------------------------


def add_promise(
    draft: PromiseDraft, *, actor: Staff, zone: str, interaction_id: int | None = None
) -> Promise:
    """Record a promise made to a client; it surfaces on the care screen when due."""
    clean = validate_promise(draft, zone=zone, now=clock.now())
    client, made_by = _resolve(clean.client, clean.made_by, "made_by")
    summary = f"Promised {client.name} {quoted(clean.what)}"
    with change_set(actor, "promise.add", summary, client_id=client.id) as record:
        return record.insert(
            Promise,
            client=client,
            made_by=made_by,
            what=clean.what,
            due=clean.due,
            interaction=interaction_id,
            created_at=stored_now(),
        )


def edit_promise(
    promise_id: int, draft: PromiseDraft, *, actor: Staff, zone: str, base: PromiseDraft | None = None
) -> Promise:
    """Correct what was promised, by whom or when (the client must stay the same; delete and add instead).

    With `base` (what the user started from), only what the user changed is written, over the promise as
    it is now, and a clash with someone else's change is refused (see :mod:`.edits`)."""
    return apply_edit(
        draft,
        base,
        read=lambda: Reading(promise_draft(promise_id), last_write("promise", promise_id)),
        write=lambda wanted, reading: _write_promise(promise_id, wanted, reading, actor=actor, zone=zone),
        who=lambda fields: last_writer("promise", promise_id, fields),
    )


def _write_promise(
    promise_id: int, draft: PromiseDraft, reading: Reading, *, actor: Staff, zone: str
) -> Promise:
    promise = _get_promise(promise_id)
    clean = validate_promise(draft, zone=zone, now=clock.now())
    client, made_by = _resolve(clean.client, clean.made_by, "made_by")
    if client.id != promise.client_id:
        raise ValidationError({"client": "a promise stays with its client: delete it and add it again"})
    summary = f"Edited promise {quoted(clean.what)}"
    with change_set(actor, "promise.edit", summary, client_id=client.id) as record:
        hold_unchanged(Promise, promise_id, reading.token)
        record.update(promise, what=clean.what, due=clean.due, made_by=(made_by or promise.made_by).id)
    return promise


def delete_promise(promise_id: int, *, actor: Staff) -> None:
    """Remove a promise entered by mistake (the history keeps it, and undo brings it back)."""
    promise = _get_promise(promise_id)
    summary = f"Deleted promise {quoted(promise.what)} to {promise.client.name}"
    with change_set(actor, "promise.delete", summary, client_id=promise.client_id) as record:
        record.delete(promise)


def _get_promise(promise_id: int) -> Promise:
    promise = Promise.get_or_none(Promise.id == promise_id)
    if promise is None:
        raise NotFound(f"no promise {promise_id}")
    return promise


def _owed(promise_id: int) -> Promise:
    promise = _get_promise(promise_id)
    if promise.status not in OWED:
        raise ValidationError({"promise": f"promise {promise_id} is already {promise.status}"})
    return promise


def _close_promise(promise: Promise, status: PromiseStatus, on_time: bool, actor: Staff, verb: str) -> None:
    summary = f"Marked promise {quoted(promise.what)} {verb}"
    with change_set(actor, f"promise.{status.value}", summary, client_id=promise.client_id) as record:
        record.update(promise, status=status.value, closed_at=stored_now(), kept_on_time=on_time)


def keep_promise(promise_id: int, *, actor: Staff, zone: str) -> Promise:
    """The promise was kept; on time (on or before its due day) counts towards the maker's record."""
    promise = _owed(promise_id)
    on_time = not past_due(promise.due, _today(zone))
    _close_promise(promise, PromiseStatus.KEPT, on_time, actor, "kept")
    return promise


def break_promise(promise_id: int, *, actor: Staff) -> Promise:
    """The promise was not kept (own it: principle 6 suggests logging a concern or an apology too)."""
    promise = _owed(promise_id)
    _close_promise(promise, PromiseStatus.BROKEN, False, actor, "broken")
    return promise


def renegotiate_promise(promise_id: int, new_due: str, *, actor: Staff, zone: str) -> Promise:
    """A new due day agreed with the client; the old one stays in the history. Never a day already past."""
    day = validate_new_due(_day(new_due, "due", zone), _today(zone))
    promise = _owed(promise_id)
    summary = f"New due day for promise {quoted(promise.what)}"
    with change_set(actor, "promise.renegotiate", summary, client_id=promise.client_id) as record:
        record.update(promise, due=day, status=PromiseStatus.RENEGOTIATED.value)
    return promise


# Concerns ---------------------------------------------------------------------------------------------


def add_concern(draft: ConcernDraft, *, actor: Staff) -> Concern:
    """Record a complaint or mistake in the client's words; owned by the point-person unless named."""
    clean = validate_concern(draft)
    client, owner = _resolve(clean.client, clean.owner, "owner")
    summary = f"Raised a {clean.severity.value} concern for {client.name}: {quoted(clean.words)}"
    with change_set(actor, "concern.add", summary, client_id=client.id) as record:
        return record.insert(
            Concern,
            client=client,
            words=clean.words,
            severity=clean.severity.value,
            owner=owner or client.point_person,
            raised_at=stored_now(),
        )


def edit_concern(
    concern_id: int, draft: ConcernDraft, *, actor: Staff, base: ConcernDraft | None = None
) -> Concern:
    """Correct a concern's words, severity or owner (its client stays the same); `base` as for
    :func:`edit_promise`."""
    return apply_edit(
        draft,
        base,
        read=lambda: Reading(concern_draft(concern_id), last_write("concern", concern_id)),
        write=lambda wanted, reading: _write_concern(concern_id, wanted, reading, actor=actor),
        who=lambda fields: last_writer("concern", concern_id, fields),
    )


def _write_concern(concern_id: int, draft: ConcernDraft, reading: Reading, *, actor: Staff) -> Concern:
    concern = _get_concern(concern_id)
    clean = validate_concern(draft)
    client, owner = _resolve(clean.client, clean.owner, "owner")
    if client.id != concern.client_id:
        raise ValidationError({"client": "a concern stays with its client: delete it and add it again"})
    summary = f"Edited concern {quoted(clean.words)}"
    with change_set(actor, "concern.edit", summary, client_id=client.id) as record:
        hold_unchanged(Concern, concern_id, reading.token)
        record.update(
            concern,
            words=clean.words,
            severity=clean.severity.value,
            owner=(owner.id if owner else concern.owner_id),
        )
    return concern


def delete_concern(concern_id: int, *, actor: Staff) -> None:
    """Remove a concern entered by mistake (kept in the history; undo brings it back)."""
    concern = _get_concern(concern_id)
    summary = f"Deleted concern {quoted(concern.words)} of {concern.client.name}"
    with change_set(actor, "concern.delete", summary, client_id=concern.client_id) as record:
        record.delete(concern)


def _get_concern(concern_id: int) -> Concern:
    concern = Concern.get_or_none(Concern.id == concern_id)
    if concern is None:
        raise NotFound(f"no concern {concern_id}")
    return concern


def _open_concern(concern_id: int) -> Concern:
    concern = _get_concern(concern_id)
    if concern.resolved_at is not None:
        raise ValidationError({"concern": f"concern {concern_id} is already resolved"})
    return concern


def acknowledge_concern(concern_id: int, *, actor: Staff, apology: bool = False, remedy: str = "") -> Concern:
    """Record that the concern was acknowledged (and, if given, the apology and the remedy)."""
    concern = _open_concern(concern_id)
    columns: dict[str, object] = {}
    now = stored_now()
    if concern.acknowledged_at is None:
        columns["acknowledged_at"] = now
    if apology and concern.apology_at is None:
        columns["apology_at"] = now
    if remedy.strip():
        columns["remedy"] = validate_remedy(remedy)
    summary = f"Acknowledged concern {quoted(concern.words)}"
    with change_set(actor, "concern.ack", summary, client_id=concern.client_id) as record:
        record.update(concern, **columns)
    return concern


def validate_remedy(remedy: str) -> str:
    """A remedy: free text with line breaks, checked as every other text is."""
    return validate_long_text(remedy, NAME_MAX * 10, field="remedy")


def resolve_concern(
    concern_id: int, *, actor: Staff, resolved: str, client_confirmed: bool, checkin: str = "", zone: str
) -> Concern:
    """Close a concern: needs `resolved` said as "resolved", and whether the client confirmed it.

    Schedules a check-in (`checkin`, default 7 days from today) so the client is asked again later.
    """
    if resolved.strip().lower() != "resolved":
        raise ValidationError({"resolved": 'type "resolved" to close a concern'})
    day = _day(checkin, "checkin", zone) if checkin.strip() else _today(zone) + timedelta(days=CHECKIN_DAYS)
    concern = _open_concern(concern_id)
    summary = f"Closed concern {quoted(concern.words)}" + (
        ", confirmed by the client" if client_confirmed else ", not confirmed by the client"
    )
    with change_set(actor, "concern.resolve", summary, client_id=concern.client_id) as record:
        now = stored_now()
        record.update(
            concern,
            resolved_at=now,
            client_confirmed=client_confirmed,
            checkin_on=day,
            acknowledged_at=concern.acknowledged_at or now,
        )
    return concern


def complete_checkin(concern_id: int, *, actor: Staff) -> Concern:
    """The check-in after a resolved concern happened."""
    concern = Concern.get_or_none(Concern.id == concern_id)
    if concern is None or concern.checkin_on is None:
        raise NotFound(f"no check-in for concern {concern_id}")
    summary = f"Checked in after concern {quoted(concern.words)}"
    with change_set(actor, "concern.checkin", summary, client_id=concern.client_id) as record:
        record.update(concern, checkin_done_at=stored_now())
    return concern


# Neglect, follow-ups, key dates ------------------------------------------------------------------------


def snooze_client(client_id: int, *, actor: Staff, reason: str, until: str, zone: str) -> Client:
    """Quiet "needs care" for a client until a day, for a stated reason ("on holiday until March")."""
    errors: dict[str, str] = {}
    clean_reason = ""
    try:
        clean_reason = validate_short_note(reason)
    except ValidationError as error:
        errors["reason"] = error.errors["note"]
    if "reason" not in errors and not visible(clean_reason):
        empty = "required: say why this client can wait"
        errors["reason"] = "must contain something visible" if clean_reason else empty
    day = None
    try:
        day = _day(until or "in 7 days", "until", zone)
    except ValidationError as error:
        errors.update(error.errors)
    if errors or day is None:
        raise ValidationError(errors)
    client = Client.get_or_none(Client.id == client_id)
    if client is None:
        raise NotFound(f"no client with id {client_id}")
    summary = f"Snoozed needs care for {client.name} until {format_date(day)}: {clean_reason}"
    with change_set(actor, "client.snooze", summary, client_id=client_id) as record:
        record.update(client, care_snoozed_until=day, care_snooze_reason=clean_reason)
    return client


def complete_follow_up(interaction_id: int, *, actor: Staff) -> Interaction:
    """The follow-up an interaction asked for has been done."""
    interaction = Interaction.get_or_none(Interaction.id == interaction_id)
    if interaction is None or interaction.follow_up is None:
        raise NotFound(f"no follow-up on interaction {interaction_id}")
    summary = f"Did the follow-up of {quoted(interaction.summary)}"
    with change_set(actor, "interaction.follow_up", summary, client_id=interaction.client_id) as record:
        record.update(interaction, follow_up_done_at=stored_now())
    return interaction


def add_key_date(client_id: int, label: str, on: str, *, yearly: bool, actor: Staff, zone: str) -> KeyDate:
    """A date that matters to the client: a birthday (yearly) or a contract renewal (once)."""
    errors: dict[str, str] = {}
    clean = ""
    try:
        clean = validate_short_note(label)
    except ValidationError as error:
        errors["label"] = error.errors["note"]
    if "label" not in errors and not visible(clean):
        errors["label"] = "must contain something visible" if clean else "required"
    day = None
    try:
        day = _day(on, "on", zone)
    except ValidationError as error:
        errors.update(error.errors)
    if errors or day is None:
        raise ValidationError(errors)
    client = Client.get_or_none(Client.id == client_id)
    if client is None:
        raise NotFound(f"no client with id {client_id}")
    summary = f"Added key date {quoted(clean)} ({format_date(day)}) for {client.name}"
    with change_set(actor, "keydate.add", summary, client_id=client_id) as record:
        return record.insert(KeyDate, client=client_id, label=clean, on=day, yearly=yearly)


def remove_key_date(key_date_id: int, *, actor: Staff) -> None:
    """Remove a key date (kept in the history; undo brings it back)."""
    key_date = KeyDate.get_or_none(KeyDate.id == key_date_id)
    if key_date is None:
        raise NotFound(f"no key date {key_date_id}")
    client = Client.get_by_id(key_date.client_id)
    summary = f"Removed key date {quoted(key_date.label)} of {client.name}"
    with change_set(actor, "keydate.delete", summary, client_id=key_date.client_id) as record:
        record.delete(key_date)
