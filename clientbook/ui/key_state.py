"""Telling Textual that a screen's keys changed only when they did.

`refresh_bindings()` makes every footer and `f1` work their keys out again: called on every
page and cursor move that arrives from the background, it cost the event loop more than the reads did. A
screen calls :func:`refresh_keys` instead, which asks the screen's own `check_action` for each of its keys
and refreshes only when an answer differs from the last.
"""

from __future__ import annotations

from typing import Any

from textual.binding import Binding
from textual.screen import Screen

_LAST = "_clientbook_key_state"


def refresh_keys(screen: Screen[Any]) -> None:
    """Refresh the footer and `f1` of `screen` if any of its keys became available or unavailable."""
    actions = [binding.action for binding in screen.BINDINGS if isinstance(binding, Binding)]
    state = tuple(screen.check_action(action.split("(")[0], ()) for action in actions)
    if getattr(screen, _LAST, None) != state:
        setattr(screen, _LAST, state)
        screen.refresh_bindings()
