"""No silent overwrites: an edit is applied over the record as it is now, field by field, and a field someone
else changed meanwhile to something else is refused, saying what they made it and what the user typed."""

from __future__ import annotations

import dataclasses

import pytest

from clientbook.core.care.operations import add_concern, add_promise, edit_concern, edit_promise
from clientbook.core.care.records import concern_draft, promise_draft
from clientbook.core.clients.operations import add_staff, update_client
from clientbook.core.clients.queries import draft_of
from clientbook.core.drafts import ConcernDraft, ContactDraft, InteractionDraft, PromiseDraft
from clientbook.core.edits import EditConflict, merged
from clientbook.core.log.operations import edit_interaction, log_interaction
from clientbook.core.log.queries import interaction_draft
from clientbook.core.models import Client, Interaction, Staff
from tests.conftest import add, field_changes


def test_two_edits_of_different_fields_both_stay(owner: Staff) -> None:
    client = add(owner, "Ada Lovelace", email="ada@example.com")
    opened_by_pat = draft_of(client.id)  # Pat opens the form
    sam = add_staff("Sam Field")
    meanwhile = dataclasses.replace(draft_of(client.id), phone="+44 20 7946 0958")
    update_client(client.id, meanwhile, actor=sam, phone_region="GB")  # Sam saves a phone first
    mine = dataclasses.replace(opened_by_pat, notes="Prefers mornings")
    update_client(client.id, mine, actor=owner, phone_region="GB", base=opened_by_pat)
    stored = Client.get_by_id(client.id)
    assert (stored.phone, stored.notes) == ("+44 20 7946 0958", "Prefers mornings")  # neither lost


def test_the_same_field_changed_by_both_is_refused_saying_what_each_made_it(owner: Staff) -> None:
    client = add(owner, "Ada Lovelace", email="ada@example.com")
    opened = draft_of(client.id)
    sam = add_staff("Sam Field")
    update_client(
        client.id,
        dataclasses.replace(draft_of(client.id), email="ada@sam.example"),
        actor=sam,
        phone_region="GB",
    )
    mine = dataclasses.replace(opened, email="ada@pat.example", notes="Call first")
    with pytest.raises(EditConflict) as caught:
        update_client(client.id, mine, actor=owner, phone_region="GB", base=opened)
    assert caught.value.errors == {
        "email": "changed meanwhile by Sam Field to “ada@sam.example”; yours is “ada@pat.example” "
        "(save again to keep yours)"
    }
    stored = Client.get_by_id(client.id)
    assert (stored.email, stored.notes) == ("ada@sam.example", "")  # nothing of the refused edit written
    # Saving again from where the refusal left the record keeps the user's text, knowingly.
    update_client(client.id, mine, actor=owner, phone_region="GB", base=caught.value.base)
    stored = Client.get_by_id(client.id)
    assert (stored.email, stored.notes) == ("ada@pat.example", "Call first")
    assert ("email", "ada@sam.example", "ada@pat.example") in field_changes("client", client.id)


def test_the_same_change_made_by_both_is_no_clash(owner: Staff) -> None:
    client = add(owner, "Ada Lovelace", email="ada@example.com")
    opened = draft_of(client.id)
    update_client(client.id, dataclasses.replace(opened, stage="active"), actor=owner, phone_region="GB")
    update_client(
        client.id, dataclasses.replace(opened, stage="active"), actor=owner, phone_region="GB", base=opened
    )
    assert Client.get_by_id(client.id).stage == "active"


def test_contact_people_changed_by_both_clash_as_one_field(owner: Staff) -> None:
    client = add(owner, "Engines Ltd", kind="organisation", contacts=(ContactDraft(name="Ada"),))
    opened = draft_of(client.id)
    theirs = dataclasses.replace(opened, contacts=(*opened.contacts, ContactDraft(name="Charles")))
    update_client(client.id, theirs, actor=owner, phone_region="GB")
    mine = dataclasses.replace(opened, contacts=(dataclasses.replace(opened.contacts[0], role="Engineer"),))
    with pytest.raises(EditConflict) as caught:
        update_client(client.id, mine, actor=owner, phone_region="GB", base=opened)
    assert caught.value.errors["contacts"].startswith("changed meanwhile by Pat Owner to 2 contact people")


def test_merging_keeps_their_fields_and_takes_mine() -> None:
    @dataclasses.dataclass(frozen=True)
    class Row:
        a: str = ""
        b: str = ""
        c: str = ""

    result, clashes = merged(Row("1", "1", "1"), Row("2", "1", "1"), Row("1", "3", "1"))
    assert (result, clashes) == (Row("2", "3", "1"), ())


def test_an_interaction_edited_by_two_keeps_both_or_names_the_clash(owner: Staff) -> None:
    client = add(owner, "Ada Lovelace", email="ada@example.com")
    logged = log_interaction(
        InteractionDraft(
            client=client.slug, when="2026-11-20 09:00", channel="call", direction="outbound",
            summary="Kick-off call", handled_by=owner.slug,
        ),
        actor=owner,
        zone="UTC",
    )  # fmt: skip
    opened = interaction_draft(logged.id, "UTC")
    sam = add_staff("Sam Field")
    theirs = dataclasses.replace(opened, details="Agreed the scope")
    edit_interaction(logged.id, theirs, actor=sam, zone="UTC", base=opened)
    # Another field: both kept.
    edit_interaction(
        logged.id, dataclasses.replace(opened, mood="happy"), actor=owner, zone="UTC", base=opened
    )
    stored = Interaction.get_by_id(logged.id)
    assert (stored.details, stored.mood) == ("Agreed the scope", "happy")
    # The same field: refused, naming who and what; nothing written.
    mine = dataclasses.replace(opened, details="Scope still open")
    with pytest.raises(EditConflict) as caught:
        edit_interaction(logged.id, mine, actor=owner, zone="UTC", base=opened)
    assert caught.value.errors["details"].startswith("changed meanwhile by Sam Field to “Agreed the scope”")
    assert Interaction.get_by_id(logged.id).details == "Agreed the scope"
    edit_interaction(logged.id, mine, actor=owner, zone="UTC", base=caught.value.base)
    stored = Interaction.get_by_id(logged.id)
    assert (stored.details, stored.mood) == ("Scope still open", "happy")


def test_promises_and_concerns_keep_both_edits_or_name_the_clash(owner: Staff) -> None:
    client = add(owner, "Ada Lovelace", email="ada@example.com")
    sam = add_staff("Sam Field")
    promise = add_promise(
        PromiseDraft(client=client.slug, what="Send the quote", made_by=owner.slug, due="2026-12-01"),
        actor=owner,
        zone="UTC",
    )
    opened = promise_draft(promise.id)
    edit_promise(
        promise.id, dataclasses.replace(opened, due="2026-12-04"), actor=sam, zone="UTC", base=opened
    )
    mine = dataclasses.replace(opened, what="Send the signed quote")
    edit_promise(promise.id, mine, actor=owner, zone="UTC", base=opened)
    assert (promise_draft(promise.id).what, promise_draft(promise.id).due) == (
        "Send the signed quote",
        "2026-12-04",
    )

    concern = add_concern(
        ConcernDraft(client=client.slug, words="Invoice was late", severity="low"), actor=owner
    )
    started = concern_draft(concern.id)
    edit_concern(concern.id, dataclasses.replace(started, severity="high"), actor=sam, base=started)
    with pytest.raises(EditConflict) as caught:
        edit_concern(concern.id, dataclasses.replace(started, severity="medium"), actor=owner, base=started)
    assert caught.value.errors["severity"].startswith("changed meanwhile by Sam Field to “high”")
    assert concern_draft(concern.id).severity == "high"
