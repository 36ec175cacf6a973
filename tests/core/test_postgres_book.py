"""Team mode's store: a book on a real PostgreSQL server (the throwaway one `.ci/run` starts), opened by URL,
migrated by one process at a time, refused when it is someone else's or a newer clientbook's, and explained
in one line, never with its password, when the server cannot be reached."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from datetime import timedelta
from urllib.parse import urlsplit

import psycopg2
import pytest

from clientbook.core import clock
from clientbook.core.care.queries import CarePolicy, Kind, care_queue
from clientbook.core.clients.operations import ensure_owner
from clientbook.core.clients.queries import ClientFilter, client_page, count_clients
from clientbook.core.db import close_database, open_database, plain
from clientbook.core.models import Checklist, ChecklistStep
from clientbook.core.processes.operations import start_checklist, tick_step
from clientbook.core.processes.queries import processes
from clientbook.core.store.book_file import DatabaseProblem, redact
from clientbook.core.store.plain import pyformat
from clientbook.core.watch import PostgresWatcher
from tests.conftest import FROZEN, add, postgres_admin_url, with_database

ALL_MIGRATIONS = (
    "0001_initial",
    "0002_interactions",
    "0003_processes",
    "0004_care",
    "0005_change_sets",
    "0006_care_due",
    "0007_lean_indexes",
)


def query(url: str, sql: str) -> list[tuple[object, ...]]:
    connection = psycopg2.connect(url)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall() if cursor.description else []
    finally:
        connection.close()


def test_a_new_database_becomes_a_book_once(postgres_url: str) -> None:
    opened = open_database(postgres_url)
    assert opened.created and opened.migrated == ALL_MIGRATIONS
    assert opened.location == redact(postgres_url) and ":" not in opened.location.split("@")[0][13:]
    close_database()
    again = open_database(postgres_url)
    assert not again.created and again.migrated == ()
    tables = {
        row[0] for row in query(postgres_url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    }
    assert {"client", "interaction", "change_set", "field_change", "promise", "checklist"} <= tables
    assert query(postgres_url, "SELECT count(*) FROM schema_migration") == [(len(ALL_MIGRATIONS),)]


def test_processes_opening_a_new_book_at_once_migrate_it_once(postgres_url: str) -> None:
    script = (
        "import sys; from clientbook.core.db import open_database; "
        "print(len(open_database(sys.argv[1]).migrated))"
    )
    runs = [
        subprocess.Popen([sys.executable, "-c", script, postgres_url], stdout=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    counts = sorted(int(run.communicate(timeout=60)[0]) for run in runs)
    assert [run.returncode for run in runs] == [0, 0, 0]
    assert counts == [0, 0, len(ALL_MIGRATIONS)]  # one migrated; the others waited, then found it done
    assert query(postgres_url, "SELECT count(*) FROM schema_migration") == [(len(ALL_MIGRATIONS),)]


def test_the_core_keeps_its_rules_on_postgresql(postgres_url: str) -> None:
    open_database(postgres_url)
    owner = ensure_owner("Pat Owner")
    ada = add(owner, "Ada Lovelace", stage="active")
    add(owner, "Bob Ross", stage="lead")
    assert ensure_owner("Someone Else").id == owner.id  # the owner setting was stored (an upsert)
    # The care-due trigger: creation plus the stage's cadence (30 days for an active client, by default).
    ((due,),) = query(postgres_url, f"SELECT care_due FROM client WHERE id = {ada.id}")
    assert due == FROZEN.replace(tzinfo=None) + timedelta(days=30)
    assert [row.name for row in client_page(ClientFilter(), offset=0, limit=10)] == [
        "Ada Lovelace",
        "Bob Ross",
    ]
    assert count_clients(ClientFilter()) == 2
    # A month and a day later both need care; the queue reads them through the same plain SQL as on SQLite.
    clock.freeze(FROZEN + timedelta(days=31))
    policy = CarePolicy(cadence={"lead": 7, "active": 30})
    queue = care_queue(plain(), policy, now=clock.now(), zone="UTC")
    neglected = [
        item.client_name for section in queue.sections for item in section.items if item.kind == Kind.NEGLECT
    ]
    assert sorted(neglected) == ["Ada Lovelace", "Bob Ross"]


def test_a_database_with_tables_of_its_own_is_left_alone(postgres_url: str) -> None:
    query(postgres_url, "CREATE TABLE orders (id serial PRIMARY KEY, total integer)")
    with pytest.raises(DatabaseProblem, match="already holds tables that are not a clientbook book"):
        open_database(postgres_url)
    tables = {
        row[0] for row in query(postgres_url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    }
    assert tables == {"orders"}


def test_a_book_from_a_newer_clientbook_is_refused_unchanged(postgres_url: str) -> None:
    open_database(postgres_url)
    close_database()
    query(postgres_url, "INSERT INTO schema_migration (name, applied) VALUES ('0099_future', now())")
    with pytest.raises(DatabaseProblem, match=r"newer clientbook .*0099_future.*upgrade clientbook"):
        open_database(postgres_url)
    assert query(postgres_url, "SELECT count(*) FROM schema_migration") == [(len(ALL_MIGRATIONS) + 1,)]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_each_failure_to_connect_is_one_line_without_the_password() -> None:
    admin = postgres_admin_url()
    parts = urlsplit(admin)
    password = parts.password or ""
    wrong = admin.replace(f":{password}@", ":not-the-password@") if password else ""
    cases = {
        "not answering": f"postgresql://pat:hunter2secret@127.0.0.1:{_free_port()}/book",
        "no such database": with_database(admin, "no_such_book"),
        "no such host": "postgresql://pat:hunter2secret@no-such-host.invalid/book",
    }
    if wrong:
        cases["refused the password"] = wrong
    for expected, url in cases.items():
        with pytest.raises(DatabaseProblem) as caught:
            open_database(url, timeout=2)
        message = str(caught.value)
        assert expected in message and "\n" not in message
        assert "hunter2secret" not in message and "not-the-password" not in message
        assert not password or password not in message


def test_redact_keeps_where_and_who_but_never_a_password() -> None:
    assert redact("postgresql://pat:s3cret@db.example.com:5433/book?sslmode=require&password=x") == (
        "postgresql://pat@db.example.com:5433/book"
    )
    assert redact("postgres://[::1]/book") == "postgres://[::1]/book"
    assert redact("postgresql://pat:s3cret@host:notaport/book") == "postgresql://…"


def test_plain_sql_marks_become_psycopg2_marks_outside_quotes() -> None:
    assert pyformat("SELECT * FROM t WHERE a = ? AND b LIKE '%?%' AND \"c?\" = ?") == (
        "SELECT * FROM t WHERE a = %s AND b LIKE '%%?%%' AND \"c?\" = %s"
    )
    assert pyformat("SELECT 5 % 2") == "SELECT 5 %% 2"


def heard(watcher: PostgresWatcher, *, within: float = 5.0) -> bool:
    """Whether the watcher is told of a change within `within` seconds: a notification travels on its own
    connection, and on a busy machine may arrive a moment after the write's commit returned."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if watcher.changed():
            return True
        time.sleep(0.02)
    return False


def test_an_app_watching_a_team_book_hears_of_every_write_by_others(postgres_url: str) -> None:
    open_database(postgres_url)
    owner = ensure_owner("Pat Owner")
    watcher = PostgresWatcher(postgres_url)
    try:
        assert not watcher.changed()  # the first reading
        assert not watcher.changed()  # nothing written since
        add(owner, "Ada Lovelace")
        assert heard(watcher)
        assert not watcher.changed()  # told once
        query(postgres_url, "UPDATE client SET notes = 'x'")  # another program's write
        assert heard(watcher)
    finally:
        watcher.close()


def test_a_watcher_of_an_unreachable_server_reads_unchanged() -> None:
    watcher = PostgresWatcher(f"postgresql://pat:hunter2@127.0.0.1:{_free_port()}/book")
    assert not watcher.changed() and not watcher.changed()
    watcher.close()


def test_a_password_from_pgpassword_is_used_and_never_shown(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    password = urlsplit(postgres_url).password
    if not password:
        pytest.skip("the test server takes no password")
    bare = postgres_url.replace(f":{password}@", "@")
    monkeypatch.setenv("PGPASSWORD", password)
    opened = open_database(bare)
    assert password not in opened.location and password not in repr(opened)
    close_database()


def test_the_last_two_steps_ticked_at_once_complete_the_checklist(postgres_url: str) -> None:
    open_database(postgres_url)
    owner = ensure_owner("Pat Owner")
    client = add(owner, "Ada Lovelace")
    process = processes()[0]
    checklist = start_checklist(client.id, process.id, actor=owner, start=FROZEN.date())
    steps = [s.id for s in ChecklistStep.select().where(ChecklistStep.checklist == checklist.id)]
    for step in steps[:-2]:
        tick_step(step, actor=owner)
    # Someone else's tick of the last-but-one step, held open at its write, as another clientbook's would be.
    other = psycopg2.connect(postgres_url)
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT 1 FROM checklist WHERE id = %s FOR UPDATE", (checklist.id,))
            cursor.execute("UPDATE checklist_step SET done_at = now() WHERE id = %s", (steps[-2],))

        def tick_the_last() -> None:  # on a thread of its own, with its own connection, as a worker would
            tick_step(steps[-1], actor=owner)
            close_database()

        ticking = threading.Thread(target=tick_the_last)
        ticking.start()
        ticking.join(0.5)
        assert ticking.is_alive()  # it waits its turn rather than judging completion without the other tick
        other.commit()
        ticking.join(10)
    finally:
        other.close()
    assert Checklist.get_by_id(checklist.id).completed_at is not None
