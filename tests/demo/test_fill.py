"""The demo book: plausible, valid, consistent, searchable like any other, and left as a normal open
leaves it.

The demo is written in bulk, around the core's commands: these tests hold what it writes to the rules those
commands keep (validation, the awaiting rules, last contact, checklist completion, search text).
"""

from __future__ import annotations

import sqlite3
import stat
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from clientbook.core.clients.operations import create_client, ensure_owner, search_text_of
from clientbook.core.clients.queries import ClientFilter, count_clients, draft_of
from clientbook.core.db import OpenedBook, close_database, open_database, plain
from clientbook.core.drafts import ClientDraft
from clientbook.core.log.operations import refresh_last_contact
from clientbook.core.log.queries import InteractionFilter, count_interactions
from clientbook.core.models import Client, ContactPerson, Interaction
from clientbook.core.processes.operations import refresh_completion
from clientbook.core.store.book_file import APPLICATION_ID
from clientbook.core.text import fold
from clientbook.core.validation import validate_client
from clientbook.demo import fill_demo_book
from clientbook.demo.bulk import RELAXED

CONTENT_TABLES = (
    "staff",
    "client",
    "contact_person",
    "interaction",
    "checklist",
    "checklist_step",
    "promise",
    "concern",
    "key_date",
    "change_set",
    "field_change",
    "setting",
)


def raw(book: OpenedBook) -> sqlite3.Connection:
    """A plain connection to the book, rows as `sqlite3.Row`."""
    connection = sqlite3.connect(book.location, isolation_level=None)
    connection.row_factory = sqlite3.Row
    return connection


def schema(path: str | Path) -> set[tuple[str, str, str, str | None]]:
    with sqlite3.connect(path) as connection:
        return set(connection.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"))


def test_demo_clients_pass_the_same_validation_as_typed_ones(book: OpenedBook) -> None:
    fill_demo_book(300)
    assert Client.select().count() == 300
    assert ContactPerson.select().count() > 0
    for client in Client.select().limit(300):
        validate_client(draft_of(client.id), phone_region="GB")


def test_demo_clients_are_found_by_search(book: OpenedBook) -> None:
    fill_demo_book(200)
    some = Client.select().where(Client.kind == "person").first()
    assert count_clients(ClientFilter(search=some.name.split()[-1], include_archived=True)) >= 1
    organisation = Client.select().where(Client.kind == "organisation").first()
    contact = ContactPerson.of(organisation.id).first()
    assert count_clients(ClientFilter(search=contact.name, include_archived=True)) >= 1
    assert len({c.slug for c in Client.select()}) == 200


def test_demo_search_text_and_sort_name_are_what_the_core_writes(book: OpenedBook) -> None:
    fill_demo_book(300)
    for client in Client.select():
        assert client.sort_name == fold(client.name)
        assert client.search_text == search_text_of(client, ContactPerson.of(client.id)), client.slug


def test_demo_clients_have_the_values_a_typed_client_gets_where_they_type_nothing(book: OpenedBook) -> None:
    fill_demo_book(50)
    owner = ensure_owner("Pat Owner")
    typed = create_client(
        ClientDraft(name="Typed Person", email="typed@example.com", point_person=owner.slug),
        actor=owner,
        phone_region="GB",
    )
    connection = raw(book)
    row = connection.execute("SELECT * FROM client WHERE id = ?", (typed.id,)).fetchone()
    empty_texts = [column for column in row.keys() if row[column] == ""]  # noqa: SIM118 - a Row, not a dict
    assert "care_snooze_reason" in empty_texts
    for column in empty_texts:
        nulls = connection.execute(f"SELECT count(*) FROM client WHERE {column} IS NULL").fetchone()[0]
        assert nulls == 0, column


def test_demo_interactions_follow_the_log_rules(book: OpenedBook, frozen_clock: datetime) -> None:
    fill_demo_book(60, interactions=900)
    assert Interaction.select().count() == 900
    two_days_ago = (frozen_clock - timedelta(days=2)).replace(tzinfo=None)
    for message in Interaction.select().where(Interaction.awaiting):
        later_reply = Interaction.select().where(
            (Interaction.client == message.client_id)
            & (Interaction.direction == "outbound")
            & (Interaction.at >= message.at)
        )
        assert message.direction == "inbound" and not later_reply.exists()
        assert message.at >= two_days_ago  # older ones were acknowledged
    for message in Interaction.select().where(Interaction.answered_by.is_null(False)):
        reply = message.answered_by
        assert message.direction == "inbound" and not message.awaiting
        assert (
            reply.direction == "outbound" and reply.client_id == message.client_id and reply.at >= message.at
        )
        between = Interaction.select().where(
            (Interaction.client == message.client_id)
            & (Interaction.direction == "outbound")
            & (Interaction.id > message.id)
            & (Interaction.id < reply.id)
        )
        assert not between.exists()  # answered by the first reply after it
    acknowledged = list(Interaction.select().where(Interaction.acknowledged_at.is_null(False)))
    assert acknowledged
    for message in acknowledged:
        assert message.direction == "inbound" and message.answered_by_id is None and not message.awaiting
        assert message.at < two_days_ago
        assert message.acknowledged_at == message.at + timedelta(days=1)
        assert message.acknowledged_by == message.handled_by
    unanswered = Interaction.select().where(
        (Interaction.direction == "inbound")
        & Interaction.answered_by.is_null()
        & Interaction.acknowledged_at.is_null()
        & ~Interaction.awaiting
    )
    assert not unanswered.exists()
    stored = {c.id: c.last_contact_at for c in Client.select()}
    for client_id in stored:
        refresh_last_contact(client_id)
    assert {c.id: c.last_contact_at for c in Client.select()} == stored


def test_demo_interaction_ids_follow_time(book: OpenedBook) -> None:
    fill_demo_book(40, interactions=2_000)
    times = [at for (at,) in raw(book).execute("SELECT at FROM interaction ORDER BY id")]
    assert times == sorted(times)


def test_demo_log_is_found_by_word_search(book: OpenedBook) -> None:
    fill_demo_book(100)
    connection = raw(book)
    expected = connection.execute(
        "SELECT count(*) FROM interaction WHERE summary LIKE '%invoice%' OR details LIKE '%invoice%'"
    ).fetchone()[0]
    assert expected > 0
    assert count_interactions(InteractionFilter(search="invoice")) == expected


def test_demo_checklists_follow_the_checklist_rules(book: OpenedBook, frozen_clock: datetime) -> None:
    fill_demo_book(400)
    connection = raw(book)
    checklists = connection.execute(
        "SELECT c.id, c.started_on, c.completed_at, c.version_id, k.stage FROM checklist c "
        "JOIN client k ON k.id = c.client_id"
    ).fetchall()
    assert checklists and {row["stage"] for row in checklists} == {"onboarding", "post-sale"}
    today = frozen_clock.date().isoformat()
    for checklist in checklists:
        steps = connection.execute(
            "SELECT s.position, s.title, s.due_on, s.done_at, p.title AS template, "
            "date(?, '+' || p.due_days || ' days') AS due "
            "FROM checklist_step s JOIN process_step p ON p.version_id = ? AND p.position = s.position "
            "WHERE s.checklist_id = ? ORDER BY s.position",
            (checklist["started_on"], checklist["version_id"], checklist["id"]),
        ).fetchall()
        assert steps and all(s["title"] == s["template"] and s["due_on"] == s["due"] for s in steps)
        done = [s["done_at"] is not None for s in steps]
        assert done == sorted(done, reverse=True)  # ticked in order
        assert all(s["due_on"] <= today for s in steps if s["done_at"])
        assert (checklist["completed_at"] is not None) == all(done)
        refresh_completion(checklist["id"])
    after = {
        row["id"]: row["completed_at"] for row in connection.execute("SELECT id, completed_at FROM checklist")
    }
    assert after == {row["id"]: row["completed_at"] for row in checklists}


def test_demo_book_has_every_index_trigger_and_table_of_a_new_book(book: OpenedBook, tmp_path: Path) -> None:
    fill_demo_book(120)
    close_database()
    fresh = tmp_path / "fresh.db"
    open_database(fresh)
    close_database()
    assert schema(book.location) == schema(fresh)


PRAGMAS = (*RELAXED, "temp_store", "threads", "mmap_size")
"""The connection settings the fill changes while it writes (and two it must not), all put back."""


def test_demo_book_ends_as_a_normal_open_leaves_it(
    book: OpenedBook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    connection: sqlite3.Connection = book.db.connection()  # type: ignore[no-untyped-call]
    before = {name: connection.execute(f"PRAGMA {name}").fetchone()[0] for name in PRAGMAS}
    fill_demo_book(80)
    assert {name: connection.execute(f"PRAGMA {name}").fetchone()[0] for name in PRAGMAS} == before
    assert before["journal_mode"] == "wal" and before["foreign_keys"] == 1
    assert {row[1] for row in connection.execute("PRAGMA database_list")} <= {"main", "temp"}  # detached
    assert connection.execute("SELECT count(*) FROM sqlite_temp_master").fetchone()[0] == 0
    assert not list(scratch.iterdir())  # the side database is gone
    close_database()
    fresh = tmp_path / "fresh.db"
    open_database(fresh)
    close_database()
    demo, new = sqlite3.connect(book.location), sqlite3.connect(fresh)
    for query in (
        "PRAGMA journal_mode",
        "PRAGMA application_id",
        "SELECT name FROM schema_migration ORDER BY id",
    ):
        assert demo.execute(query).fetchall() == new.execute(query).fetchall()
    assert demo.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert stat.S_IMODE(Path(book.location).stat().st_mode) == 0o600


def test_demo_book_passes_sqlites_own_checks(book: OpenedBook) -> None:
    fill_demo_book(150)
    connection = raw(book)
    # integrity_check also checks NOT NULL and CHECK constraints, which the bulk insert did not.
    assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert connection.execute("PRAGMA foreign_key_check").fetchone() is None
    for search in ("client_search", "interaction_search"):
        connection.execute(f"INSERT INTO {search}({search}) VALUES ('integrity-check')")  # raises if wrong


def test_the_same_seed_makes_the_same_book(tmp_path: Path) -> None:
    def made(name: str, seed: int) -> dict[str, list[tuple[object, ...]]]:
        path = tmp_path / name
        open_database(path)
        fill_demo_book(120, seed=seed)
        close_database()
        with sqlite3.connect(path) as connection:
            return {t: connection.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in CONTENT_TABLES}

    first, again, other = made("a.db", 7), made("b.db", 7), made("c.db", 8)
    assert first == again
    assert first["client"] != other["client"] and first["interaction"] != other["interaction"]


def test_a_book_with_clients_is_not_filled(book: OpenedBook) -> None:
    fill_demo_book(5)
    with pytest.raises(ValueError, match="new book"):
        fill_demo_book(5)
    assert Client.select().count() == 5


@pytest.mark.parametrize(("clients", "interactions"), [(0, None), (0, 50), (7, 0), (1, 130)])
def test_small_and_empty_demos(book: OpenedBook, clients: int, interactions: int | None) -> None:
    fill_demo_book(clients, interactions=interactions)
    assert Client.select().count() == clients
    assert Interaction.select().count() == (0 if clients == 0 else interactions)
    assert raw(book).execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_demo_care_due_is_what_the_triggers_compute(book: OpenedBook) -> None:
    from clientbook.core.care.due import recompute_care_due

    fill_demo_book(150)
    stored = dict(raw(book).execute("SELECT id, care_due FROM client").fetchall())
    assert any(value is not None for value in stored.values())
    recompute_care_due(plain())
    assert dict(raw(book).execute("SELECT id, care_due FROM client").fetchall()) == stored
