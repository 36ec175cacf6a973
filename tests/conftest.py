"""Fixtures shared by every tier: a frozen clock, an isolated environment and real SQLite books on disk."""

from __future__ import annotations

import itertools
import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from clientbook.core import clock
from clientbook.core.db import OpenedBook, close_database, open_database
from clientbook.core.drafts import ClientDraft
from clientbook.core.models import Client, FieldChange, Staff
from clientbook.core.operations import create_client, ensure_owner

FROZEN = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)

# Hypothesis: `ci` (the default) runs the same examples on every run, so CI is reproducible and a failure
# seen there is seen locally; `thorough` (HYPOTHESIS_PROFILE=thorough) draws new ones each run, ten times as
# many for the property tests (see tests/strategies.py), and keeps failures in .hypothesis/ to replay;
# `quick` runs a tenth of `ci`'s, for work on the tests themselves.
settings.register_profile("ci", derandomize=True, database=None, deadline=None, print_blob=True)
settings.register_profile("thorough", deadline=None, print_blob=True)
settings.register_profile("quick", parent=settings.get_profile("ci"))
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True)
def frozen_clock() -> Iterator[datetime]:
    clock.freeze(FROZEN)
    yield FROZEN
    clock.freeze(None)


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the real user's data, settings, crash log, colours or theme."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    monkeypatch.setenv("TZ", "UTC")
    for name in (
        "CLIENTBOOK_DB",
        "CLIENTBOOK_SETTINGS",
        "NO_COLOR",
        "TEXTUAL_THEME",
        "LC_ALL",
        "LC_TELEPHONE",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def book_path(tmp_path: Path) -> Path:
    return tmp_path / "books" / "book.db"


@pytest.fixture
def book(book_path: Path) -> Iterator[OpenedBook]:
    """A new, real SQLite book on disk, open for this thread."""
    opened = open_database(book_path)
    yield opened
    close_database()


@pytest.fixture
def owner(book: OpenedBook) -> Staff:
    return ensure_owner("Pat Owner")


def field_changes(table: str | None = None, record_id: int | None = None) -> set[tuple[str, Any, Any]]:
    """(field, old, new) of every field change recorded in the history, values decoded from JSON."""
    query = FieldChange.select()
    if table is not None:
        query = query.where(FieldChange.table == table)
    if record_id is not None:
        query = query.where(FieldChange.record_id == record_id)
    return {
        (c.field, None if c.old is None else json.loads(c.old), None if c.new is None else json.loads(c.new))
        for c in query
        if c.field != "*"
    }


_MADE_UP = itertools.count(1)


def add(owner: Staff, name: str, **fields: Any) -> Client:
    """Add a valid client (an email is made up unless a way to reach them is given)."""
    if "email" not in fields and "phone" not in fields:
        fields["email"] = f"someone{next(_MADE_UP)}@example.com"  # distinct: a shared one is a duplicate
    draft = ClientDraft(name=name, point_person=fields.pop("point_person", owner.slug), **fields)
    return create_client(draft, actor=owner, phone_region="GB")
