"""The demo book: plausible, valid, and searchable like any other."""

from __future__ import annotations

from clientbook.core.demo import fill_demo_book
from clientbook.core.models import Client, ContactPerson
from clientbook.core.queries import ClientFilter, count_clients, draft_of
from clientbook.core.validation import validate_client


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
