"""Slugs, and writes through the core: validate first, then one transaction, or nothing at all."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from clientbook.core.clients.operations import (
    LikelyDuplicate,
    add_staff,
    archive_client,
    create_client,
    unarchive_client,
    update_client,
)
from clientbook.core.clients.queries import draft_of, find_client
from clientbook.core.db import database
from clientbook.core.drafts import ClientDraft, ContactDraft
from clientbook.core.errors import NotFound, ValidationError
from clientbook.core.history import client_history
from clientbook.core.models import ChangeSet, Client, ContactPerson, FieldChange, Staff
from clientbook.core.sql import insert_row, update_row
from clientbook.core.who import book_owner, sign_in
from tests.conftest import add, field_changes


def row_counts() -> tuple[int, int, int]:
    return Client.select().count(), ContactPerson.select().count(), FieldChange.select().count()


def test_slugs_are_readable_and_unique(owner: Staff) -> None:
    assert add(owner, "Zoë Núñez").slug == "zoe-nunez"
    assert add(owner, "Zoë Núñez").slug == "zoe-nunez-2"
    assert add(owner, "ZOE NUNEZ").slug == "zoe-nunez-3"
    assert add(owner, "!!!").slug == "client"
    assert add(owner, "???").slug == "client-2"
    assert add(owner, "x" * 150).slug == "x" * 60


def test_renaming_keeps_the_slug_unless_asked(owner: Staff) -> None:
    client = add(owner, "Alice Anders")
    draft = draft_of(client.id)
    renamed = update_client(
        client.id, ClientDraft(**{**draft.__dict__, "name": "Alice Byrne"}), actor=owner, phone_region="GB"
    )
    assert (renamed.name, renamed.slug) == ("Alice Byrne", "alice-anders")
    reslugged = update_client(client.id, draft_of(client.id), actor=owner, phone_region="GB", new_slug=True)
    assert reslugged.slug == "alice-byrne"


def test_invalid_input_writes_nothing(owner: Staff) -> None:
    add(owner, "Existing")
    before = row_counts()
    with pytest.raises(ValidationError):
        create_client(
            ClientDraft(name="   ", point_person=owner.slug, email="x@"), actor=owner, phone_region="GB"
        )
    contacts = (ContactDraft(name="Ann", email="ann@x.org"), ContactDraft(name="", email="b@x.org"))
    with pytest.raises(ValidationError):
        create_client(
            ClientDraft(name="Org", kind="organisation", point_person=owner.slug, contacts=contacts),
            actor=owner,
            phone_region="GB",
        )
    assert row_counts() == before


def test_an_unknown_point_person_is_a_field_error_and_writes_nothing(owner: Staff) -> None:
    before = row_counts()
    with pytest.raises(ValidationError) as caught:
        create_client(
            ClientDraft(name="A", point_person="nobody", email="a@x.com"), actor=owner, phone_region="GB"
        )
    assert caught.value.errors == {"point_person": "no staff member 'nobody'"}
    assert row_counts() == before


def test_a_failed_edit_leaves_the_client_as_it_was(owner: Staff) -> None:
    client = add(owner, "Alice Anders", company="Anders Design")
    before = row_counts()
    with pytest.raises(ValidationError):
        update_client(
            client.id, ClientDraft(name="", point_person=owner.slug), actor=owner, phone_region="GB"
        )
    assert Client.get_by_id(client.id).company == "Anders Design"
    assert row_counts() == before


def test_edits_are_kept_in_the_change_history(owner: Staff) -> None:
    sam = add_staff("Sam Rivera")
    client = add(owner, "Alice Anders")
    draft = draft_of(client.id)
    changed = ClientDraft(**{**draft.__dict__, "stage": "active", "point_person": sam.slug})
    update_client(client.id, changed, actor=owner, phone_region="GB")
    history = field_changes("client", client.id)
    assert ("stage", "lead", "active") in history
    assert ("point_person", owner.id, sam.id) in history
    lines = client_history(client.id, zone="UTC")[0].lines
    assert "Stage: lead → active" in lines and "Point-person: Pat Owner → Sam Rivera" in lines
    assert [row.summary for row in client_history(client.id, zone="UTC")] == [
        "Edited client Alice Anders",
        "Added client Alice Anders",
    ]


def test_archiving_hides_and_keeps_the_client(owner: Staff) -> None:
    client = add(owner, "Alice Anders")
    archive_client(client.id, actor=owner)
    assert Client.get_by_id(client.id).archived_at is not None
    assert Client.current().count() == 0
    unarchive_client(client.id, actor=owner)
    assert Client.current().count() == 1
    summaries = [row.summary for row in client_history(client.id, zone="UTC")]
    assert summaries[:2] == ["Brought back Alice Anders", "Archived Alice Anders"]


def test_contacts_are_stored_primary_first(owner: Staff) -> None:
    contacts = (
        ContactDraft(name="Ann Lee", role="CFO"),
        ContactDraft(name="Bo Ng", phone="020 7946 0001", is_primary=True),
    )
    client = create_client(
        ClientDraft(name="Lee & Ng", kind="organisation", point_person=owner.slug, contacts=contacts),
        actor=owner,
        phone_region="GB",
    )
    stored = list(ContactPerson.of(client.id))
    assert [c.name for c in stored] == ["Bo Ng", "Ann Lee"]
    assert stored[0].phone_e164 == "+442079460001"


def test_a_unique_slug_prefix_finds_a_client(owner: Staff) -> None:
    add(owner, "Zoë Núñez")
    add(owner, "Zoë Núñez")
    add(owner, "Bo Byrne")
    assert find_client("bo").slug == "bo-byrne"
    assert find_client("zoe-nunez").slug == "zoe-nunez"  # exact beats prefix of zoe-nunez-2
    with pytest.raises(NotFound, match="matches 2 clients: zoe-nunez, zoe-nunez-2"):
        find_client("zoe")
    with pytest.raises(NotFound, match="no client with slug 'nobody'"):
        find_client("nobody")


def test_sign_in_creates_the_owner_once(book: object) -> None:
    assert book_owner() is None
    pat = sign_in("", first_run_name="Pat Owner")
    assert book_owner() == pat
    assert sign_in("", first_run_name="Someone Else") == pat
    add_staff("Sam Rivera")
    assert sign_in("sam", first_run_name="").name == "Sam Rivera"
    with pytest.raises(NotFound, match="no staff member 'Robin'"):
        sign_in("Robin", first_run_name="")


def test_a_client_reached_like_another_needs_saying_so(owner: Staff) -> None:
    alice = add(owner, "Alice Anders", email="alice@anders.example")
    with pytest.raises(LikelyDuplicate) as refused:
        add(owner, "Someone Else", email="Alice@Anders.example")
    assert refused.value.errors == {"email": "matches an existing client: Alice Anders (alice-anders)"}
    assert Client.select().count() == 1
    twin = create_client(
        ClientDraft(name="Someone Else", point_person=owner.slug, email="alice@anders.example"),
        actor=owner,
        phone_region="GB",
        allow_duplicate=True,
    )
    # An edit that leaves the shared email alone is not asked about again.
    update_client(twin.id, replace(draft_of(twin.id), stage="active"), actor=owner, phone_region="GB")
    assert Client.get_by_id(twin.id).stage == "active" and alice.id != twin.id


def test_the_fourth_and_tenth_client_of_one_name_get_4_and_10(owner: Staff) -> None:
    slugs = [add(owner, "Alice Anders").slug for _ in range(11)]
    assert slugs[:4] == ["alice-anders", "alice-anders-2", "alice-anders-3", "alice-anders-4"]
    assert slugs[9:] == ["alice-anders-10", "alice-anders-11"]
    assert add(owner, "Alice Anders 1").slug == "alice-anders-1"  # a name with a number of its own
    assert add(owner, "Alice Anders").slug == "alice-anders-12"


def test_re_slugging_a_client_whose_name_still_gives_its_slug_keeps_it(owner: Staff) -> None:
    first = add(owner, "Alice Anders")
    second = add(owner, "Alice Anders")
    third = add(owner, "Alice Anders")
    for client in (first, second, third):
        kept = update_client(client.id, draft_of(client.id), actor=owner, phone_region="GB", new_slug=True)
        assert kept.slug == client.slug
    assert [c.slug for c in Client.select().order_by(Client.id)] == [
        "alice-anders", "alice-anders-2", "alice-anders-3"
    ]  # fmt: skip


def test_re_slugging_never_hands_out_a_number_someone_else_had(owner: Staff) -> None:
    clients = [add(owner, "Alice Anders") for _ in range(10)]
    second = clients[1]
    renamed = update_client(
        second.id,
        replace(draft_of(second.id), name="Alice Byrne"),
        actor=owner,
        phone_region="GB",
        new_slug=True,
    )
    assert renamed.slug == "alice-byrne"  # alice-anders-2 is free now; scripts may still know it as hers
    for client in (clients[2], clients[9]):
        kept = update_client(client.id, draft_of(client.id), actor=owner, phone_region="GB", new_slug=True)
        assert kept.slug == client.slug
    assert find_client("alice-anders-3").id == clients[2].id
    assert find_client("alice-anders-10").id == clients[9].id


def test_re_slugging_takes_the_plain_slug_when_it_is_free(owner: Staff) -> None:
    first = add(owner, "Alice Anders")
    second = add(owner, "Alice Anders")
    update_client(
        first.id, replace(draft_of(first.id), name="Ann Other"), actor=owner, phone_region="GB", new_slug=True
    )
    again = update_client(second.id, draft_of(second.id), actor=owner, phone_region="GB", new_slug=True)
    assert again.slug == "alice-anders"
    assert field_changes("client", second.id) >= {("slug", "alice-anders-2", "alice-anders")}


def test_rows_written_through_made_once_statements_read_back_as_peewee_writes_them(owner: Staff) -> None:
    """The save path's own INSERT and UPDATE (see `clientbook.core.sql`) store what peewee would: times,
    references given as rows, flags and empty values read back equal, field for field."""
    client = add(owner, "Ada Lovelace")
    columns = {
        "client": client,
        "position": 0,
        "name": "Byron",
        "role": "",
        "email": "",
        "phone": "",
        "phone_e164": "",
        "is_primary": True,
    }
    by_peewee = ContactPerson.create(**columns)
    ours = ContactPerson.get_by_id(insert_row(ContactPerson, columns))
    assert {**ours.__data__, "id": 0} == {**by_peewee.__data__, "id": 0}
    changes = {"at": datetime(2026, 12, 1, 9, 30, 15), "summary": "Edited", "actor": owner}
    update_row(ChangeSet, 1, changes)
    ChangeSet.update(changes).where(ChangeSet.id == 2).execute()
    first, second = ChangeSet.get_by_id(1), ChangeSet.get_by_id(2)
    assert (first.at, first.summary, first.actor_id) == (second.at, second.summary, second.actor_id)
    assert first.at == datetime(2026, 12, 1, 9, 30, 15)


@pytest.mark.sqlite_only("SQLite's database-wide write lock, traced")
def test_an_edit_holds_the_write_lock_only_while_it_writes(owner: Staff) -> None:
    """Everything an edit needs to look up (the staff it names, the record as it was) is read before its
    transaction begins, so another program waiting to write (the CLI beside the app) waits the least."""
    client = add(owner, "Analytical Engines", kind="organisation", contacts=(ContactDraft(name="Ada"),))
    statements: list[str] = []
    connection = database.connection()
    connection.set_trace_callback(statements.append)
    try:
        edited = replace(draft_of(client.id), notes="Prefers calls")
        update_client(client.id, edited, actor=owner, phone_region="GB")
    finally:
        connection.set_trace_callback(None)
    begin = next(i for i, s in enumerate(statements) if s.startswith("BEGIN"))
    inside = [s.split()[0] for s in statements[begin + 1 :] if not s.startswith("COMMIT")]
    # Two reads remain: whether the client changed since the edit read it (its last change set, one probe of
    # an index), and the contacts, which the edit brings in line with the form under the lock.
    assert inside.count("SELECT") == 2
    assert {"INSERT", "UPDATE"} <= set(inside)
    assert find_client(client.slug).notes == "Prefers calls"
