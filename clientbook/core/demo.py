"""Plausible sample data for trying clientbook, for screenshots and for benchmarks.

The same seed always gives the same book. Rows are inserted in bulk (100,000 clients take seconds), but every
value is of a kind :func:`~clientbook.core.validation.validate_client` accepts; a test holds it to that.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any, Final, TypeVar

import peewee as pw

from clientbook.core import clock
from clientbook.core.db import database
from clientbook.core.models import (
    Client,
    ClientKind,
    ContactPerson,
    Interaction,
    Setting,
    Staff,
    Stage,
    tuples_of,
    utc_naive,
)
from clientbook.core.operations import add_staff, build_search_text, ensure_owner
from clientbook.core.slugs import base_slug as _base_slug
from clientbook.core.text import fold as _fold

FIRST: Final = (
    "Alice",
    "Bo",
    "Carla",
    "Dalia",
    "Emeka",
    "Freya",
    "Gustavo",
    "Hana",
    "Ines",
    "Jonas",
    "Kwame",
    "Lena",
    "Mateo",
    "Nadia",
    "Oskar",
    "Priya",
    "Quinn",
    "Rosa",
    "Søren",
    "Tariq",
    "Uma",
    "Viktor",
    "Wen",
    "Ximena",
    "Yusuf",
    "Zoë",
    "Amélie",
    "Björn",
    "Chloé",
    "Darius",
    "Elif",
    "Farah",
    "Giulia",
    "Hugo",
    "Ivan",
    "Jules",
)
LAST: Final = (
    "Anders",
    "Lindqvist",
    "Alison",
    "Okafor",
    "Mensah",
    "Byrne",
    "Pereira",
    "Sato",
    "Núñez",
    "Weber",
    "Kowalski",
    "Haddad",
    "Fischer",
    "Moreau",
    "Rossi",
    "Ng",
    "O'Brien",
    "Dubois",
    "Kapoor",
    "Jensen",
    "García",
    "Novak",
    "Eriksen",
    "Mwangi",
    "Costa",
    "Brennan",
    "Ishikawa",
    "Zhou",
    "Ferreira",
    "Lund",
)
COMPANY_WORDS: Final = (
    "Anders",
    "Okafor",
    "Northlight",
    "Harbour",
    "Blue Fern",
    "Kestrel",
    "Maple",
    "Riverside",
    "Copperleaf",
    "Saltmarsh",
    "Juniper",
    "Foxglove",
    "Larkspur",
    "Ironbridge",
    "Meadowsweet",
    "Tidewater",
    "Hollybush",
    "Granite",
    "Wren",
    "Orchard",
    "Thistle",
    "Beacon",
    "Millbrook",
    "Sorrel",
)
COMPANY_KINDS: Final = (
    "Design",
    "& Co",
    "Studio",
    "Bakery",
    "Yoga",
    "Consulting",
    "Dental",
    "Physio",
    "Architects",
    "Gallery",
    "Legal",
    "Florists",
    "Coaching",
    "Accountants",
    "Joinery",
    "Media",
)
TAGS: Final = ("retainer", "design", "coaching", "referral", "vip", "monthly", "workshop", "web", "print")
ROLES: Final = ("Director", "Office manager", "Marketing lead", "Founder", "Finance")
NOTES: Final = (
    "Prefers mornings; never call on Fridays.",
    "Has two children; asks after our dog.",
    "Likes a short written summary after every call.",
    "Allergic to long meetings: keep to 30 minutes.",
    "",
    "",
)
ZONES: Final = ("Europe/London", "Europe/Berlin", "America/New_York", "Australia/Sydney", "")
STAGE_WEIGHTS: Final = (
    (Stage.LEAD, 15),
    (Stage.ONBOARDING, 10),
    (Stage.ACTIVE, 40),
    (Stage.POST_SALE, 15),
    (Stage.DORMANT, 12),
    (Stage.FORMER, 8),
)
STAFF: Final = ("Pat Owner", "Sam Rivera", "Alex Chen")
BATCH: Final = 2_000

T = TypeVar("T")

# Demo names repeat, and slugify is the slowest step of making a row: remember each answer.
base_slug = cache(_base_slug)
fold = cache(_fold)
Row = dict[str, Any]


SUBJECTS: Final = {
    "inbound": (
        "Question about the invoice",
        "Asked for a quote",
        "Feedback on the first draft",
        "Wants to move the meeting",
        "Thanks for the workshop",
        "Worried about the deadline",
        "Sent the signed contract",
        "Asked about next steps",
        "Logo colours look off",
        "Referral: a friend needs help",
    ),
    "outbound": (
        "Sent the revised quote",
        "Kickoff call",
        "Shared the first draft",
        "Confirmed Thursday's meeting",
        "Monthly check-in",
        "Sent the welcome pack",
        "Answered the invoice question",
        "Followed up on the proposal",
        "Delivered the final files",
        "Post-sale check-in",
    ),
    "internal": (
        "Prefers email to calls",
        "Budget is tight this quarter",
        "Decision maker is the finance lead",
        "Birthday in March",
        "Mentioned a second project",
    ),
}
CHANNEL_FOR: Final = {
    "inbound": ("email", "call", "message"),
    "outbound": ("email", "call", "meeting"),
    "internal": ("note",),
}
MOODS: Final = (None, None, "happy", "neutral", "upset")
DETAILS: Final = (
    "",
    "",
    "Went through the three options; they lean towards the middle one.",
    "Follow up with the revised figures by Friday.",
    "They asked us to copy their assistant on everything from now on.",
)


DEMO_KEY: Final = "demo_book"
"""Set in a demo book's `setting` table, so `clientbook demo` knows a file it may replace."""


def is_demo_book(path: Path) -> bool:
    """Whether the file at `path` is a demo book (marked, or a `demo.db` from before the mark); read-only."""
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=1)
    except sqlite3.Error:
        return False
    try:
        row = connection.execute("SELECT value FROM setting WHERE key = ?", (DEMO_KEY,)).fetchone()
    except sqlite3.Error:
        return False
    finally:
        connection.close()
    return row is not None or path.name == "demo.db"


def fill_demo_book(clients: int, *, interactions: int | None = None, seed: int = 7, you: str = "") -> int:
    """Add the demo staff, `clients` sample clients and about `interactions` interactions (default: ten per
    client) to the open, empty book; returns the clients added.

    `you` (the settings `owner`) joins the staff, so the demo opens with the user's own settings.
    """
    rng = random.Random(seed)
    owner = ensure_owner(STAFF[0])
    Setting.replace(key=DEMO_KEY, value="1").execute()  # type: ignore[no-untyped-call]
    staff = [owner] + [add_staff(name) for name in STAFF[1:]]
    if you.strip() and you.strip().casefold() not in {name.casefold() for name in STAFF}:
        add_staff(you)
    stages = [stage for stage, _ in STAGE_WEIGHTS]
    weights = [weight for _, weight in STAGE_WEIGHTS]
    now = clock.now()
    slugs: dict[str, int] = {}
    with database.atomic():
        for batch in _batches(
            _clients(rng, clients, staff=staff, stages=stages, weights=weights, now=now, slugs=slugs), BATCH
        ):
            _insert_rows(Client, [row for row, _ in batch])
            contacts = [c for _, cs in batch for c in cs]
            if contacts:
                wanted = list({c["client_slug"] for c in contacts})
                ids = dict(tuples_of(Client.select(Client.slug, Client.id).where(Client.slug.in_(wanted))))
                for contact in contacts:
                    contact["client"] = ids[contact.pop("client_slug")]
                _insert_rows(ContactPerson, contacts)
        total = clients * 10 if interactions is None else interactions
        client_ids = [row[0] for row in tuples_of(Client.select(Client.id).order_by(Client.id))]
        answered: list[tuple[int, int]] = []
        history = _interactions(rng, client_ids, total, staff=staff, now=now, answered=answered)
        for rows in _batches(history, BATCH * 5):
            _insert_rows(Interaction, rows)
        # Replies come after what they answer, so the links are made once every row exists.
        database.cursor().executemany(
            f"UPDATE interaction SET answered_by_id = {database.param} WHERE id = {database.param}", answered
        )
        _refresh_last_contacts()
        _start_checklists(rng, staff, now)
        _owe_things(rng, staff, now)
    return clients


def _insert_rows(model: type[Client] | type[ContactPerson] | type[Interaction], rows: list[Row]) -> None:
    """Insert many rows with one prepared statement (peewee's insert_many spends most time building SQL)."""
    fields = model._meta.fields
    columns = list(rows[0])
    names = ", ".join(fields[c].column_name for c in columns)
    marks = ", ".join(database.param for _ in columns)
    table = model._meta.table_name
    values = [[fields[c].db_value(row[c]) for c in columns] for row in rows]
    database.cursor().executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", values)


def _batches(items: Iterator[T], size: int) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _clients(
    rng: random.Random,
    count: int,
    *,
    staff: list[Staff],
    stages: list[Stage],
    weights: list[int],
    now: datetime,
    slugs: dict[str, int],
) -> Iterator[tuple[Row, list[Row]]]:
    for number in range(count):
        is_org = rng.random() < 0.2
        first, last = rng.choice(FIRST), rng.choice(LAST)
        person = f"{first} {last}"
        company = f"{rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_KINDS)}"
        name = company if is_org else person
        base = base_slug(name, "client")
        slugs[base] = slugs.get(base, 0) + 1
        slug = base if slugs[base] == 1 else f"{base}-{slugs[base]}"
        handle = fold(first).replace(" ", "") + "." + fold(last).replace(" ", "").replace("'", "")
        domain = base_slug(company, "example").replace("-", "") + ".example"
        email = f"{handle}@{domain}" if rng.random() < 0.85 else ""
        # 020 7946 0000-0999 is Ofcom's range for drama: valid, and nobody's real number.
        local_digits = f"0{number % 1000:03d}"
        phone = f"+44 20 7946 {local_digits}" if (not email or rng.random() < 0.6) else ""
        phone_e164 = "+44207946" + local_digits if phone else ""
        tags = ",".join(sorted(set(rng.sample(TAGS, rng.randint(0, 2)))))
        created = now - timedelta(days=rng.randint(1, 900), minutes=rng.randint(0, 1440))
        row: Row = {
            "slug": slug,
            "name": name,
            "kind": (ClientKind.ORGANISATION if is_org else ClientKind.PERSON).value,
            "point_person": rng.choice(staff).id,
            "backup_person": None,
            "stage": rng.choices(stages, weights)[0].value,
            "email": "" if is_org else email,
            "phone": "" if is_org else phone,
            "phone_e164": "" if is_org else phone_e164,
            "company": "" if is_org else (company if rng.random() < 0.6 else ""),
            "timezone": rng.choice(ZONES),
            "tags": tags,
            "notes": rng.choice(NOTES),
            "created_at": utc_naive(created),
            "updated_at": utc_naive(created),
            "archived_at": utc_naive(now - timedelta(days=3)) if rng.random() < 0.03 else None,
            "last_contact_at": None,
            "sort_name": fold(name),
        }
        contacts: list[Row] = []
        if is_org:
            for position in range(rng.randint(1, 3)):
                cfirst, clast = rng.choice(FIRST), rng.choice(LAST)
                chandle = fold(cfirst).replace(" ", "") + "." + fold(clast).replace(" ", "").replace("'", "")
                contacts.append(
                    {
                        "client_slug": slug,
                        "position": position,
                        "name": f"{cfirst} {clast}",
                        "role": rng.choice(ROLES),
                        "email": f"{chandle}@{domain}",
                        "phone": "",
                        "phone_e164": "",
                        "is_primary": position == 0,
                    }
                )
        texts = [row["name"], row["company"], row["email"], row["phone"], row["phone_e164"], row["tags"]]
        for contact in contacts:
            texts += [contact["name"], contact["role"], contact["email"]]
        row["search_text"] = build_search_text(texts)
        yield row, contacts


def _interactions(
    rng: random.Random,
    client_ids: list[int],
    total: int,
    *,
    staff: list[Staff],
    now: datetime,
    answered: list[tuple[int, int]],
) -> Iterator[Row]:
    """Each client's history in time order: inbound messages wait until a later outbound one answers them.

    Ids are given here, so what each reply answered is known without reading anything back: the pairs
    (reply, message) are appended to `answered`.
    """
    if not client_ids or total <= 0:
        return
    weights = [rng.random() ** 2 for _ in client_ids]  # some clients are much busier than others
    scale = total / sum(weights)
    counts = [int(w * scale) for w in weights]
    counts[0] += total - sum(counts)
    next_id = 1
    stamp = utc_naive(now)
    for client_id, count in zip(client_ids, counts, strict=True):
        moments = sorted(now - timedelta(minutes=rng.randint(30, 400 * 24 * 60)) for _ in range(count))
        waiting: list[Row] = []
        history: list[Row] = []  # yielded only once finished: later rows change earlier ones
        for moment in moments:
            direction = rng.choices(("inbound", "outbound", "internal"), (45, 45, 10))[0]
            handler = rng.choice(staff)
            row: Row = {
                "id": next_id,
                "client": client_id,
                "at": utc_naive(moment.replace(second=0)),
                "at_zone": "Europe/London",
                "channel": rng.choice(CHANNEL_FOR[direction]),
                "direction": direction,
                "summary": rng.choice(SUBJECTS[direction]),
                "details": rng.choice(DETAILS),
                "handled_by": handler.id,
                "follow_up": None,
                "mood": rng.choice((None, None, "happy", "neutral", "upset"))
                if direction == "inbound"
                else None,
                "awaiting": direction == "inbound",
                "acknowledged_at": None,
                "acknowledged_by": None,
                "created_by": handler.id,
                "created_at": stamp,
                "updated_at": stamp,
            }
            next_id += 1
            if direction == "inbound":
                waiting.append(row)
            elif direction == "outbound":
                for message in waiting:
                    message["awaiting"] = False
                    answered.append((row["id"], message["id"]))
                waiting = []
            history.append(row)
        # A caring business answers within a day or two: older ones still open were acknowledged.
        for message in waiting:
            if message["at"] < utc_naive(now - timedelta(days=2)):
                message["awaiting"] = False
                message["acknowledged_at"] = message["at"] + timedelta(days=1)
                message["acknowledged_by"] = message["handled_by"]
        yield from history


def _refresh_last_contacts() -> None:
    """Every client's last contact from its inbound and outbound interactions, in one statement."""
    latest = Interaction.select(pw.fn.MAX(Interaction.at)).where(
        (Interaction.client == Client.id) & (Interaction.direction != "internal")
    )
    Client.update(last_contact_at=latest).execute()


CHECKLISTS_MAX: Final = 300


def _start_checklists(rng: random.Random, staff: list[Staff], now: datetime) -> None:
    """Onboarding clients run onboarding, post-sale clients post-sale care, some steps already ticked."""
    from clientbook.core.process_operations import start_checklist, tick_step  # noqa: PLC0415 - a cycle
    from clientbook.core.process_queries import checklist_detail, find_process  # noqa: PLC0415

    plans = {Stage.ONBOARDING.value: "new-client-onboarding", Stage.POST_SALE.value: "post-sale-care"}
    for stage, slug in plans.items():
        process = find_process(slug)
        chosen = Client.select(Client.id).where((Client.stage == stage) & Client.archived_at.is_null())
        for (client_id,) in tuples_of(chosen.order_by(Client.id).limit(CHECKLISTS_MAX // 2)):
            start = (now - timedelta(days=rng.randint(0, 30))).date()
            actor = rng.choice(staff)
            checklist = start_checklist(client_id, process.id, actor=actor, start=start)
            for step in checklist_detail(checklist.id).steps:
                if step.due_on is None or step.due_on > now.date() or rng.random() < 0.08:
                    break
                tick_step(step.id, actor=actor)


PROMISES: Final = (
    "Send the revised quote",
    "Share the brand guide",
    "Call back about the invoice",
    "Send the signed contract",
    "Book the follow-up workshop",
    "Send the meeting notes",
)
CONCERNS: Final = (
    ("Second missed deadline this month", "high"),
    ("The invoice had the wrong amount", "medium"),
    ("Nobody replied to my email last week", "medium"),
    ("The logo colours are still off", "low"),
)
OWED_MAX: Final = 40


def _owe_things(rng: random.Random, staff: list[Staff], now: datetime) -> None:
    """A few promises (some due, some late), concerns and birthdays, as a real book has."""
    from clientbook.core.care_operations import acknowledge_concern, add_concern, add_key_date, add_promise  # noqa: PLC0415
    from clientbook.core.drafts import ConcernDraft, PromiseDraft  # noqa: PLC0415

    active = [
        slug
        for (slug,) in tuples_of(
            Client.select(Client.slug)
            .where(Client.archived_at.is_null() & (Client.stage == Stage.ACTIVE.value))
            .order_by(Client.id)
            .limit(OWED_MAX * 3)
        )
    ]
    for slug in active[:OWED_MAX]:
        due = (now + timedelta(days=rng.randint(-4, 10))).date().isoformat()
        maker = rng.choice(staff)
        add_promise(PromiseDraft(slug, rng.choice(PROMISES), maker.slug, due), actor=maker, zone="UTC")
    for slug in active[OWED_MAX : OWED_MAX + OWED_MAX // 4]:
        words, severity = rng.choice(CONCERNS)
        concern = add_concern(ConcernDraft(slug, words, severity), actor=staff[0])
        if rng.random() < 0.5:
            acknowledge_concern(concern.id, actor=staff[0], apology=True)
    for (client_id,) in tuples_of(
        Client.select(Client.id)
        .where(Client.kind == ClientKind.PERSON.value)
        .order_by(Client.id)
        .limit(OWED_MAX)
    ):
        birthday = (now + timedelta(days=rng.randint(0, 365))).date().isoformat()  # yearly: the year is moot
        add_key_date(client_id, "Birthday", birthday, yearly=True, actor=staff[0], zone="UTC")
