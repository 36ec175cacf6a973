"""Pilot fixtures: the real app over a real book file, at a fixed terminal size."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, TextArea

from clientbook.core.db import OpenedBook
from clientbook.core.models import Staff
from clientbook.settings import Settings
from clientbook.ui.app import ClientbookApp

SIZE = (120, 40)


@pytest.fixture(autouse=True)
def steady_cursors(monkeypatch: pytest.MonkeyPatch) -> None:
    """Text cursors that do not blink: a snapshot taken mid-blink would differ from run to run."""
    for widget in (Input, TextArea):
        original = widget.__init__

        def init(self: Any, *args: Any, __original: Any = original, **kwargs: Any) -> None:
            __original(self, *args, **kwargs)
            self.set_reactive(type(self).cursor_blink, False)

        monkeypatch.setattr(widget, "__init__", init)


def make_app(book: OpenedBook, user: Staff | None, **settings: object) -> ClientbookApp:
    chosen = Settings(timezone="Europe/London", phone_region="GB", source=Path("settings.toml"))
    for key, value in settings.items():
        object.__setattr__(chosen, key, value)
    return ClientbookApp(settings=chosen, location=book.location, user=user, suggested_owner="Pat Owner")


@pytest.fixture
def app(book: OpenedBook, owner: Staff) -> ClientbookApp:
    return make_app(book, owner)
