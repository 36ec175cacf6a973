"""The demo's clients and their contact people, as rows ready for the bulk writer.

One in five clients is an organisation, reached through one to three contact people; the rest are people,
most with an email address, many with a phone number, some with the company they work at. Ids are given
here (1, 2, ...), so the interaction log can be planned before the clients are written, and each client
arrives with its last contact already known.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from clientbook.core.models import ClientKind
from clientbook.core.text import fold
from clientbook.demo.pools import Stamps, companies, minute_of, people, phones, stage_shares, tag_sets
from clientbook.demo.words import NOTES, ROLES, ZONES

CLIENT_COLUMNS: Final = (
    "id",
    "slug",
    "name",
    "kind",
    "point_person_id",
    "stage",
    "email",
    "phone",
    "phone_e164",
    "company",
    "timezone",
    "tags",
    "notes",
    "created_at",
    "updated_at",
    "archived_at",
    "last_contact_at",
    "sort_name",
    "search_text",
)
CONTACT_COLUMNS: Final = (
    "client_id",
    "position",
    "name",
    "role",
    "email",
    "phone",
    "phone_e164",
    "is_primary",
)
BATCH: Final = 5_000
"""Clients made before their rows are handed over: memory stays flat however many there are."""

Row = tuple[Any, ...]


@dataclass(frozen=True)
class Batch:
    clients: list[Row]
    contacts: list[Row]


def client_batches(
    rng: random.Random,
    count: int,
    *,
    staff_ids: Sequence[int],
    now: datetime,
    last_contacts: Sequence[int],
    stamps: Stamps,
) -> Iterator[Batch]:
    """`count` clients with ids 1 to `count`, in batches; `last_contacts[id]` is the minute (see
    :func:`~clientbook.demo.pools.minute_of`) of that client's last inbound or outbound interaction, 0 for
    none."""
    maker = _Maker(rng, staff_ids, now, stamps)
    batch = Batch([], [])
    for client_id in range(1, count + 1):
        last = last_contacts[client_id] if client_id < len(last_contacts) else 0
        batch.clients.append(maker.client(client_id, stamps.text(last) if last else None, batch.contacts))
        if len(batch.clients) == BATCH:
            yield batch
            batch = Batch([], [])
    if batch.clients:
        yield batch


class _Maker:
    """Makes client rows from the pools, each choice one `random()`."""

    def __init__(self, rng: random.Random, staff_ids: Sequence[int], now: datetime, stamps: Stamps) -> None:
        self.rand = rng.random
        self.staff_ids = staff_ids
        self.people, self.companies, self.phones = people(), companies(), phones()
        self.tags, self.stages = tag_sets(), stage_shares()
        self.roles = [(role, fold(role)) for role in ROLES]
        self.stamps = stamps
        self.now_minute, self.now_second = minute_of(now), now.second
        self.archived_at = stamps.text(self.now_minute - 3 * 1440, self.now_second)
        self.taken: dict[str, int] = {}
        """How many clients have each base slug: the next gets `base-2`, `base-3`..."""

    def client(self, client_id: int, last_contact: str | None, contacts: list[Row]) -> Row:
        """The row of client `client_id`; an organisation's contact people are added to `contacts`."""
        rand = self.rand
        is_org = rand() < 0.2
        person = self.people[int(rand() * len(self.people))]
        firm = self.companies[int(rand() * len(self.companies))]
        base = firm.slug if is_org else person.slug
        self.taken[base] = number = self.taken.get(base, 0) + 1
        tags = self.tags[int(rand() * len(self.tags))]
        created_minute = self.now_minute - 1440 * (1 + int(rand() * 900)) - int(rand() * 1441)
        created = self.stamps.text(created_minute, self.now_second)
        if is_org:
            name, sort_name, kind = firm.name, firm.sort_name, ClientKind.ORGANISATION.value
            email = phone = e164 = company = ""
            lines = [firm.sort_name]
        else:
            name, sort_name, kind = person.name, person.sort_name, ClientKind.PERSON.value
            email = f"{person.handle}@{firm.domain}" if rand() < 0.85 else ""
            number_of = self.phones[(client_id - 1) % len(self.phones)]
            has_phone = not email or rand() < 0.6
            phone, e164 = (number_of.shown, number_of.e164) if has_phone else ("", "")
            company = firm.name if rand() < 0.6 else ""
            # The search text's lines, as build_search_text makes them: the email is already folded (a
            # folded handle, and a domain made of a slug).
            lines = [person.sort_name, firm.sort_name] if company else [person.sort_name]
            lines += [email] if email else []
            lines += [number_of.search] if phone else []
        lines += [tags] if tags else []
        if is_org:
            for position in range(1 + int(rand() * 3)):
                contact = self.people[int(rand() * len(self.people))]
                role, folded_role = self.roles[int(rand() * len(self.roles))]
                address = f"{contact.handle}@{firm.domain}"
                contacts.append(
                    (client_id, position, contact.name, role, address, "", "", int(position == 0))
                )
                lines += (contact.sort_name, folded_role, address)
        return (
            client_id,
            base if number == 1 else f"{base}-{number}",
            name,
            kind,
            self.staff_ids[int(rand() * len(self.staff_ids))],
            self.stages[int(rand() * len(self.stages))],
            email,
            phone,
            e164,
            company,
            ZONES[int(rand() * len(ZONES))],
            tags,
            NOTES[int(rand() * len(NOTES))],
            created,
            created,
            self.archived_at if rand() < 0.03 else None,
            last_contact,
            sort_name,
            "\n".join(lines),
        )
