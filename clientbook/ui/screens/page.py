"""PageScreen: the base of the app's full screens (the four main ones, a client's detail, processes), which
the user leaves and comes back to all day.

Textual restyles a screen from scratch each time it comes back (every `f2`-`f5`, every `escape` from a
client's detail, every form closed over it): each widget's styles are worked out again and every line of
every widget drawn anew, 40-60 ms of event loop for a screen that looks exactly as it did. A page screen is
restyled only when something its styles depend on changed while it was away (the theme, its variables, the
app's classes); otherwise it comes back as it was and only what changed is drawn.
"""

from __future__ import annotations

from typing import Any, TypeVar

from textual import events
from textual.app import App
from textual.message import Message
from textual.screen import Screen

Result = TypeVar("Result")


def styled_for(app: App[Any]) -> tuple[object, ...]:
    """What a screen's styles depend on beyond its own widgets (which restyle themselves on change)."""
    return (app._css_update_count, app.current_theme.name, frozenset(app.classes), app.size.width)


class PageScreen(Screen[Result]):
    """A full screen that keeps its styles when it comes back to an unchanged app."""

    _styled_for: tuple[object, ...] | None = None

    def post_message(self, message: Message) -> bool:
        if isinstance(message, events.ScreenResume) and message.refresh_styles:
            context = styled_for(self.app)
            if context == self._styled_for:
                message = events.ScreenResume(refresh_styles=False)
            self._styled_for = context
        return super().post_message(message)
