"""The demo book: plausible, valid, and searchable like any other."""

from __future__ import annotations

from clientbook.core.models import Client, ContactPerson
from clientbook.core.queries import ClientFilter, count_clients, draft_of
from clientbook.core.validation import validate_client
from clientbook.demo import fill_demo_book


def test_demo_clients_pass_the_same_validation_as_typed_ones(book: object) -> None:
    fill_demo_book(300)
    assert Client.select().count() == 300
    assert ContactPerson.select().count() > 0
    for client in Client.select().limit(300):
        validate_client(draft_of(client.id), phone_region="GB")


def test_demo_clients_are_found_by_search(book: object) -> None:
    fill_demo_book(200)
    some = Client.select().where(Client.kind == "person").first()
    assert count_clients(ClientFilter(search=some.name.split()[-1], include_archived=True)) >= 1
    assert len({c.slug for c in Client.select()}) == 200


def test_demo_interactions_follow_the_log_rules(book: object) -> None:
    from clientbook.core.log_operations import refresh_last_contact
    from clientbook.core.models import Interaction

    fill_demo_book(60, interactions=900)
    assert Interaction.select().count() == 900
    for message in Interaction.select().where(Interaction.awaiting):
        later_reply = Interaction.select().where(
            (Interaction.client == message.client_id)
            & (Interaction.direction == "outbound")
            & (Interaction.at >= message.at)
        )
        assert message.direction == "inbound" and not later_reply.exists()
    for reply_to in Interaction.select().where(Interaction.answered_by.is_null(False)):
        assert reply_to.answered_by.direction == "outbound" and reply_to.answered_by.at >= reply_to.at
    stored = {c.id: c.last_contact_at for c in Client.select()}
    for client_id in stored:
        refresh_last_contact(client_id)
    assert {c.id: c.last_contact_at for c in Client.select()} == stored
