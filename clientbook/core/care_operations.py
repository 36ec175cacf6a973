"""Writes for what is owed to clients: promises (principle 5), concerns (principle 6), snoozing a neglected
client with a reason (principle 8), key dates (principle 9), and marking follow-ups and check-ins done.

Closing a concern needs the word "resolved" and whether the client confirmed it, and schedules a check-in
(7 days later unless told otherwise), which then appears among the follow-ups due.
"""

from __future__ import annotations

from datetime import date, timedelta

from clientbook.core import clock
from clientbook.core.dates import DateProblem, local, parse_day
from clientbook.core.db import database
from clientbook.core.drafts import ConcernDraft, PromiseDraft
from clientbook.core.models import Client, Concern, Interaction, KeyDate, Promise, PromiseStatus, Staff
from clientbook.core.operations import record_changes, stored_now
from clientbook.core.queries import NotFound, find_client, find_staff
from clientbook.core.validation import (
    NAME_MAX,
    ValidationError,
    validate_concern,
    validate_promise,
    validate_short_note,
)

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
    with database.atomic():
        client, made_by = _resolve(clean.client, clean.made_by, "made_by")
        promise = Promise.create(
            client=client,
            made_by=made_by,
            what=clean.what,
            due=clean.due,
            interaction=interaction_id,
            created_at=stored_now(),
        )
        record_changes(actor, "promise", promise.id, {"created": (None, clean.what)})
    return promise


def _owed(promise_id: int) -> Promise:
    promise = Promise.get_or_none(Promise.id == promise_id)
    if promise is None:
        raise NotFound(f"no promise {promise_id}")
    if promise.status not in (PromiseStatus.OPEN, PromiseStatus.RENEGOTIATED):
        raise ValidationError({"promise": f"promise {promise_id} is already {promise.status}"})
    return promise


def keep_promise(promise_id: int, *, actor: Staff, zone: str) -> Promise:
    """The promise was kept; whether on time (by its due day) counts towards the maker's record."""
    with database.atomic():
        promise = _owed(promise_id)
        promise.status = PromiseStatus.KEPT.value
        promise.closed_at = stored_now()
        promise.kept_on_time = _today(zone) <= promise.due
        promise.save()
        record_changes(actor, "promise", promise.id, {"status": ("open", "kept")})
    return promise


def break_promise(promise_id: int, *, actor: Staff) -> Promise:
    """The promise was not kept (own it: principle 6 suggests logging a concern or an apology too)."""
    with database.atomic():
        promise = _owed(promise_id)
        promise.status = PromiseStatus.BROKEN.value
        promise.closed_at = stored_now()
        promise.kept_on_time = False
        promise.save()
        record_changes(actor, "promise", promise.id, {"status": ("open", "broken")})
    return promise


def renegotiate_promise(promise_id: int, new_due: str, *, actor: Staff, zone: str) -> Promise:
    """A new due day agreed with the client; the old one stays in the history."""
    day = _day(new_due, "due", zone)
    with database.atomic():
        promise = _owed(promise_id)
        old = promise.due
        promise.due = day
        promise.status = PromiseStatus.RENEGOTIATED.value
        promise.save()
        record_changes(actor, "promise", promise.id, {"due": (str(old), str(day))})
    return promise


# Concerns ---------------------------------------------------------------------------------------------


def add_concern(draft: ConcernDraft, *, actor: Staff) -> Concern:
    """Record a complaint or mistake in the client's words; owned by the point-person unless named."""
    clean = validate_concern(draft)
    with database.atomic():
        client, owner = _resolve(clean.client, clean.owner, "owner")
        concern = Concern.create(
            client=client,
            words=clean.words,
            severity=clean.severity.value,
            owner=owner or client.point_person,
            raised_at=stored_now(),
        )
        record_changes(actor, "concern", concern.id, {"created": (None, clean.severity.value)})
    return concern


def _open_concern(concern_id: int) -> Concern:
    concern = Concern.get_or_none(Concern.id == concern_id)
    if concern is None:
        raise NotFound(f"no concern {concern_id}")
    if concern.resolved_at is not None:
        raise ValidationError({"concern": f"concern {concern_id} is already resolved"})
    return concern


def acknowledge_concern(concern_id: int, *, actor: Staff, apology: bool = False, remedy: str = "") -> Concern:
    """Record that the concern was acknowledged (and, if given, the apology and the remedy)."""
    with database.atomic():
        concern = _open_concern(concern_id)
        changes: dict[str, tuple[str | None, str | None]] = {}
        now = stored_now()
        if concern.acknowledged_at is None:
            concern.acknowledged_at = now
            changes["acknowledged"] = ("no", "yes")
        if apology and concern.apology_at is None:
            concern.apology_at = now
            changes["apology"] = ("no", "yes")
        if remedy.strip():
            clean = remedy.strip()
            if len(clean) > NAME_MAX * 10:
                raise ValidationError({"remedy": f"at most {NAME_MAX * 10:,} characters"})
            changes["remedy"] = (concern.remedy, clean)
            concern.remedy = clean
        concern.save()
        record_changes(actor, "concern", concern.id, changes)
    return concern


def resolve_concern(
    concern_id: int, *, actor: Staff, resolved: str, client_confirmed: bool, checkin: str = "", zone: str
) -> Concern:
    """Close a concern: needs `resolved` said as "resolved", and whether the client confirmed it.

    Schedules a check-in (`checkin`, default 7 days from today) so the client is asked again later.
    """
    if resolved.strip().lower() != "resolved":
        raise ValidationError({"resolved": 'type "resolved" to close a concern'})
    day = _day(checkin, "checkin", zone) if checkin.strip() else _today(zone) + timedelta(days=CHECKIN_DAYS)
    with database.atomic():
        concern = _open_concern(concern_id)
        concern.resolved_at = stored_now()
        concern.client_confirmed = client_confirmed
        concern.checkin_on = day
        if concern.acknowledged_at is None:
            concern.acknowledged_at = concern.resolved_at
        concern.save()
        record_changes(
            actor,
            "concern",
            concern.id,
            {
                "resolved": (
                    "no",
                    "yes, confirmed by the client" if client_confirmed else "yes, not confirmed",
                )
            },
        )
    return concern


def complete_checkin(concern_id: int, *, actor: Staff) -> Concern:
    """The check-in after a resolved concern happened."""
    with database.atomic():
        concern = Concern.get_or_none(Concern.id == concern_id)
        if concern is None or concern.checkin_on is None:
            raise NotFound(f"no check-in for concern {concern_id}")
        concern.checkin_done_at = stored_now()
        concern.save()
        record_changes(actor, "concern", concern.id, {"check-in": ("due", "done")})
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
    if not clean_reason and "reason" not in errors:
        errors["reason"] = "required: say why this client can wait"
    day = None
    try:
        day = _day(until or "in 7 days", "until", zone)
    except ValidationError as error:
        errors.update(error.errors)
    if errors or day is None:
        raise ValidationError(errors)
    with database.atomic():
        client = Client.get_by_id(client_id)
        client.care_snoozed_until, client.care_snooze_reason = day, clean_reason
        client.save()
        record_changes(actor, "client", client.id, {"snoozed": (None, f"until {day}: {clean_reason}")})
    return client


def complete_follow_up(interaction_id: int, *, actor: Staff) -> Interaction:
    """The follow-up an interaction asked for has been done."""
    with database.atomic():
        interaction = Interaction.get_or_none(Interaction.id == interaction_id)
        if interaction is None or interaction.follow_up is None:
            raise NotFound(f"no follow-up on interaction {interaction_id}")
        interaction.follow_up_done_at = stored_now()
        interaction.save()
        record_changes(actor, "interaction", interaction.id, {"follow-up": ("due", "done")})
    return interaction


def add_key_date(client_id: int, label: str, on: str, *, yearly: bool, actor: Staff, zone: str) -> KeyDate:
    """A date that matters to the client: a birthday (yearly) or a contract renewal (once)."""
    errors: dict[str, str] = {}
    clean = ""
    try:
        clean = validate_short_note(label)
    except ValidationError as error:
        errors["label"] = error.errors["note"]
    if not clean and "label" not in errors:
        errors["label"] = "required"
    day = None
    try:
        day = _day(on, "on", zone)
    except ValidationError as error:
        errors.update(error.errors)
    if errors or day is None:
        raise ValidationError(errors)
    with database.atomic():
        key_date = KeyDate.create(client=client_id, label=clean, on=day, yearly=yearly)
        record_changes(actor, "client", client_id, {"key date": (None, f"{clean} {day}")})
    return key_date
