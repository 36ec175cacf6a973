"""Writes to the interaction log: logging, editing and acknowledging interactions.

The rules of care principle 4 live here. An inbound interaction awaits a reply; logging an outbound one
answers the client's earlier awaiting messages (all of them unless told which); acknowledging one ends its
wait without a reply. Moving an interaction to another client undoes what linked it to the first client's
(what it answered waits again; a message moved away waits for its new client's reply). A client's last
contact is recomputed from its inbound and outbound interactions after every write, never from edits to the
client record (principle 8). Each write is one change set (see :mod:`.history`), including the messages a
reply answered, so undoing the reply makes them wait again.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace

import peewee as pw

from clientbook.core import clock
from clientbook.core.clients.operations import stored_now
from clientbook.core.clients.queries import find_client
from clientbook.core.drafts import InteractionDraft
from clientbook.core.edits import Reading, apply_edit
from clientbook.core.errors import NotFound, ValidationError
from clientbook.core.history import Recorder, change_set, hold_unchanged, last_write, last_writer, quoted
from clientbook.core.log.queries import channel_keys, interaction_draft
from clientbook.core.models import Client, Direction, Interaction, Promise, Staff, from_stored, utc_naive
from clientbook.core.validation import CleanInteraction, validate_interaction
from clientbook.core.who import find_staff


def log_interaction(draft: InteractionDraft, *, actor: Staff, zone: str) -> Interaction:
    """Validate and add an interaction; an outbound one answers the client's earlier awaiting messages."""
    clean, client, handler = _checked(draft, zone)
    verb = _LOGGED[clean.direction]
    summary = f"Logged {verb} {quoted(clean.summary)} with {client.name}"
    with change_set(actor, "interaction.log", summary, client_id=client.id) as record:
        now = stored_now()
        interaction = record.insert(
            Interaction,
            client=client,
            at=utc_naive(clean.at),
            at_zone=clean.zone,
            channel=clean.channel,
            direction=clean.direction.value,
            summary=clean.summary,
            details=clean.details,
            handled_by=handler,
            follow_up=clean.follow_up,
            mood=clean.mood.value if clean.mood else None,
            awaiting=clean.direction is Direction.INBOUND,
            created_by=actor,
            created_at=now,
            updated_at=now,
        )
        if clean.direction is Direction.OUTBOUND:
            _answer(record, interaction, clean.answers)
        refresh_last_contact(client.id)
    return interaction


_LOGGED = {Direction.INBOUND: "inbound", Direction.OUTBOUND: "outbound", Direction.INTERNAL: "note"}


def edit_interaction(
    interaction_id: int,
    draft: InteractionDraft,
    *,
    actor: Staff,
    zone: str,
    base: InteractionDraft | None = None,
) -> Interaction:
    """Write the fields of `draft` that differ from the interaction's, as one change set.

    `base` is what the user started from (the form as it was filled): then only what the user changed from
    it is written, over the interaction as it is now, and a field someone else changed meanwhile to
    something else is refused (:class:`~clientbook.core.edits.EditConflict`, see :mod:`.edits`).

    An unchanged `when` keeps the stored instant and zone, so re-saving never shifts a time. It is not read
    again either: the wall time the draft shows happens twice when clocks go back, and would be refused.
    """
    return apply_edit(
        draft,
        base,
        read=lambda: Reading(
            interaction_draft(interaction_id, zone), last_write("interaction", interaction_id)
        ),
        write=lambda wanted, reading: _write_edit(interaction_id, wanted, reading, actor=actor, zone=zone),
        who=lambda fields: last_writer("interaction", interaction_id, fields),
    )


def _write_edit(
    interaction_id: int, draft: InteractionDraft, reading: Reading, *, actor: Staff, zone: str
) -> Interaction:
    original: InteractionDraft = reading.draft
    interaction = _get(interaction_id)
    checked = draft
    if draft.when.strip() == original.when:
        stored = from_stored(interaction.at)
        assert stored is not None
        checked = replace(draft, when=f"{stored:%Y-%m-%d %H:%M} UTC")
    clean, client, handler = _checked(checked, zone)
    summary = f"Edited interaction {quoted(clean.summary)}"
    with change_set(actor, "interaction.edit", summary, client_id=client.id) as record:
        hold_unchanged(Interaction, interaction_id, reading.token)
        old_client_id = interaction.client_id
        columns: dict[str, object] = {
            "client": client.id,
            "channel": clean.channel,
            "summary": clean.summary,
            "details": clean.details,
            "handled_by": handler.id,
            "follow_up": clean.follow_up,
            "mood": clean.mood.value if clean.mood else None,
        }
        if draft.when.strip() != original.when:
            columns.update(at=utc_naive(clean.at), at_zone=clean.zone)
        before = record.count
        record.update(interaction, **columns)
        if old_client_id != client.id:
            _unlink_other_client(record, interaction)
        if interaction.direction != clean.direction.value:
            _change_direction(record, interaction, clean.direction)
        if clean.direction is Direction.OUTBOUND and clean.answers is not None:
            _answer(record, interaction, clean.answers)
        if record.count > before:
            record.update(interaction, updated_at=stored_now())
        refresh_last_contact(client.id)
        if old_client_id != client.id:
            refresh_last_contact(old_client_id)
    return interaction


def acknowledge(interaction_id: int, *, actor: Staff) -> Interaction:
    """End an inbound message's wait without a reply (seen, and needing none or answered elsewhere)."""
    interaction = _get(interaction_id)
    summary = f"Acknowledged {quoted(interaction.summary)} from {interaction.client.name}"
    with change_set(actor, "interaction.ack", summary, client_id=interaction.client_id) as record:
        if not interaction.awaiting:
            raise ValidationError({"id": f"interaction {interaction_id} is not awaiting a reply"})
        record.update(interaction, awaiting=False, acknowledged_at=stored_now(), acknowledged_by=actor.id)
    return interaction


def delete_interaction(interaction_id: int, *, actor: Staff) -> None:
    """Remove an interaction logged by mistake; the history keeps it whole, so it can be undone.

    What it answered waits for a reply again (unless acknowledged), and promises made in it stay, no longer
    linked to it. The client's last contact is recomputed.
    """
    interaction = _get(interaction_id)
    summary = f"Deleted interaction {quoted(interaction.summary)} with {interaction.client.name}"
    with change_set(actor, "interaction.delete", summary, client_id=interaction.client_id) as record:
        for answered in Interaction.select().where(Interaction.answered_by == interaction_id):
            record.update(answered, answered_by=None, awaiting=answered.acknowledged_at is None)
        for promise in Promise.select().where(Promise.interaction == interaction_id):
            record.update(promise, interaction=None)
        record.delete(interaction)
        refresh_last_contact(interaction.client_id)


def refresh_last_contact(client_id: int) -> None:
    """Set the client's last contact to its latest inbound or outbound interaction (notes do not count)."""
    latest = (
        Interaction.select(pw.fn.MAX(Interaction.at))
        .where(
            (Interaction.client == client_id)
            & Interaction.direction.in_([Direction.INBOUND.value, Direction.OUTBOUND.value])
        )
        .scalar()
    )
    Client.update(last_contact_at=latest).where(Client.id == client_id).execute()


def _get(interaction_id: int) -> Interaction:
    interaction = Interaction.get_or_none(Interaction.id == interaction_id)
    if interaction is None:
        raise NotFound(f"no interaction {interaction_id}")
    return interaction


def _checked(draft: InteractionDraft, zone: str) -> tuple[CleanInteraction, Client, Staff]:
    """Validate `draft` and look up its client and staff member, reporting every problem at once."""
    errors: dict[str, str] = {}
    clean: CleanInteraction | None = None
    try:
        clean = validate_interaction(draft, zone=zone, now=clock.now(), channels=channel_keys())
    except ValidationError as error:
        errors = dict(error.errors)
    client: Client | None = None
    handler: Staff | None = None
    if "client" not in errors:
        try:
            client = find_client(draft.client)
        except NotFound as problem:
            errors["client"] = str(problem)
    if "handled_by" not in errors:
        try:
            handler = find_staff(draft.handled_by)
        except NotFound as problem:
            errors["handled_by"] = str(problem)
    if errors or clean is None or client is None or handler is None:
        order = list(InteractionDraft.__dataclass_fields__)
        raise ValidationError(dict(sorted(errors.items(), key=lambda item: _position(order, item[0]))))
    return clean, client, handler


def _position(order: list[str], field: str) -> int:
    return order.index(field) if field in order else len(order)


def _answer(record: Recorder, reply: Interaction, answers: Collection[int] | None) -> None:
    """Mark the client's awaiting messages from before `reply` as answered by it (all, or those named)."""
    awaiting = Interaction.select().where(
        (Interaction.client == reply.client_id) & Interaction.awaiting & (Interaction.id != reply.id)
    )
    earlier = {m.id: m for m in awaiting if m.at <= reply.at}
    if answers is None:
        chosen = list(earlier.values())
    else:
        unknown = [str(i) for i in answers if i not in earlier]
        if unknown:
            raise ValidationError(
                {"answers": f"not an earlier message of this client awaiting a reply: {', '.join(unknown)}"}
            )
        chosen = [earlier[i] for i in answers]
    for message in chosen:
        record.update(message, awaiting=False, answered_by=reply.id)


def _unlink_other_client(record: Recorder, interaction: Interaction) -> None:
    """An interaction moved to another client neither answers nor is answered by the first client's.

    A reply moved away leaves the messages it answered waiting again; a message moved away waits for a reply
    from its new client (unless it was acknowledged).
    """
    answered = Interaction.select().where(
        (Interaction.answered_by == interaction.id) & (Interaction.client != interaction.client_id)
    )
    for message in answered:
        record.update(message, answered_by=None, awaiting=message.acknowledged_at is None)
    answerer = interaction.answered_by
    if answerer is not None and answerer.client_id != interaction.client_id:
        record.update(interaction, answered_by=None, awaiting=interaction.acknowledged_at is None)


def _change_direction(record: Recorder, interaction: Interaction, direction: Direction) -> None:
    """Keep the awaiting rules true when an interaction's direction is corrected."""
    if interaction.direction == Direction.OUTBOUND.value:
        # It no longer answers anything: what it answered waits again.
        answered = Interaction.select().where(
            (Interaction.answered_by == interaction.id) & Interaction.acknowledged_at.is_null()
        )
        for message in answered:
            record.update(message, answered_by=None, awaiting=True)
    record.update(
        interaction,
        direction=direction.value,
        awaiting=(
            direction is Direction.INBOUND
            and interaction.answered_by_id is None
            and interaction.acknowledged_at is None
        ),
    )
