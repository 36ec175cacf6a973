"""Pilot fixtures: the real app over a real book file, at a fixed terminal size."""

from __future__ import annotations

from pathlib import Path

import pytest

from clientbook.core.db import OpenedBook
from clientbook.core.models import Staff
from clientbook.settings import Settings
from clientbook.ui.app import ClientbookApp

SIZE = (120, 40)


def make_app(book: OpenedBook, user: Staff | None, **settings: object) -> ClientbookApp:
    chosen = Settings(timezone="Europe/London", phone_region="GB", source=Path("settings.toml"))
    for key, value in settings.items():
        object.__setattr__(chosen, key, value)
    return ClientbookApp(settings=chosen, location=book.location, user=user, suggested_owner="Pat Owner")


@pytest.fixture
def app(book: OpenedBook, owner: Staff) -> ClientbookApp:
    return make_app(book, owner)
