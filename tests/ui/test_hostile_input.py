"""The app under hostile input: keymap mistakes reported and survived, searches of any length, any text."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Static

from clientbook.core.db import OpenedBook
from clientbook.core.models import Staff
from clientbook.settings import load_settings
from clientbook.ui.app import ClientbookApp
from clientbook.ui.keymap import app_bindings, check_keymap, key_problem
from clientbook.ui.screens.client_form import ClientFormScreen
from clientbook.ui.screens.clients import ClientsScreen
from tests.conftest import add
from tests.ui.conftest import SIZE, make_app

KEYMAP = """\
[keymap]
"clients.new" = "n,insert"
"no.such" = "x"
"clients.search" = ""
"log.search" = "ctrl+/"
"clients.edit" = "n"
"care.done" = "f2"
"app.help" = "f1,question_mark"
"""


def keymap_settings(tmp_path: Path, text: str = KEYMAP) -> object:
    path = tmp_path / "settings.toml"
    path.write_text('timezone = "Europe/London"\nphone_region = "GB"\n\n' + text)
    return load_settings(path)


def test_each_keymap_mistake_is_left_out_and_named_with_its_line(tmp_path: Path) -> None:
    settings = keymap_settings(tmp_path)
    from textual.screen import Screen
    from textual.widget import Widget

    scopes = [bindings for _, bindings in app_bindings([Screen, Widget])]
    everywhere = [b for _, bindings in app_bindings([ClientbookApp]) for b in bindings]
    usable, problems = check_keymap(settings, scopes, everywhere)  # type: ignore[arg-type]
    assert usable == {"clients.new": "n,insert", "app.help": "f1,question_mark"}
    assert [str(problem) for problem in problems] == [
        "line 6: no.such: no such binding id (f1 lists each key's id)",
        "line 7: clients.search: an empty key (a comma too many?)",
        "line 8: log.search: write ctrl+slash, not ctrl+/",
        "line 9: clients.edit: n is already the key for clients.new on the same screen",
        "line 10: care.done: f2 is already the key for app.clients on the same screen",
    ]


@pytest.mark.parametrize(
    ("key", "problem"),
    [
        ("ctrl+n", ""),
        ("f6", ""),
        ("question_mark", ""),
        ("?", ""),
        ("é", ""),
        ("shift+tab", ""),
        ("ctlr+n", "'ctlr' is not a modifier"),
        ("ctrl+", "'' is not a key name"),
        ("F6", "'F6' is not a key name"),
        ("ctrl+?", "write ctrl+question_mark, not ctrl+?"),
        ("\x1b", "'\\x1b' is not a key"),
    ],
)
def test_keys_textual_cannot_bind_are_named(key: str, problem: str) -> None:
    assert key_problem(key).startswith(problem) if problem else key_problem(key) == ""


async def test_the_app_starts_with_a_broken_keymap_and_keeps_the_defaults(
    book: OpenedBook, owner: Staff, tmp_path: Path
) -> None:
    settings = keymap_settings(tmp_path)
    app = make_app(book, owner, keymap=settings.keymap, source=settings.source, lines=settings.lines)  # type: ignore[attr-defined]
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        [notice] = [n.message for n in app._notifications]
        assert notice.startswith(f"{tmp_path / 'settings.toml'}: 5 [keymap] entries left out")
        assert "• line 7: clients.search: an empty key" in notice
        assert isinstance(app.screen, ClientsScreen)
        await pilot.press("slash")  # the search key the broken entry would have removed
        assert isinstance(app.focused, Input)
        await pilot.press("escape", "insert")  # a valid remap is applied
        await pilot.pause()
        assert isinstance(app.screen, ClientFormScreen)


async def test_hundreds_of_short_words_in_the_search_box_search_the_first_dozen(
    app: ClientbookApp, owner: Staff
) -> None:
    add(owner, "Alice Anders")
    add(owner, "Bo Byrne")
    words = " ".join(["al"] + [f"a{i}" for i in range(620)])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        search = app.screen.query_one("#search", Input)
        search.value = words
        await pilot.pause(0.4)
        status = str(app.screen.query_one("#status", Static).render())
        assert "searched for the first 12 words" in status
        assert isinstance(app.screen, ClientsScreen)


async def test_control_characters_pasted_into_the_search_never_reach_the_screen_raw(
    app: ClientbookApp, owner: Staff
) -> None:
    add(owner, "Alice Anders")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        app.screen.query_one("#search", Input).value = "al\x1b]0;pwned\x07\u202e"
        await pilot.pause(0.4)
        status = str(app.screen.query_one("#status", Static).render())
        assert "\x1b" not in status and "\u202e" not in status
        assert "\\x1b]0;pwned\\x07\\u202e" in status
