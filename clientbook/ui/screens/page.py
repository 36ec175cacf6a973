"""PageScreen: the base of the app's full screens (the four main ones, a client's detail, processes), which
the user leaves and comes back to all day.

Textual restyles a screen from scratch each time it comes back (every `f2`-`f5`, every `escape` from a
client's detail, every form closed over it): each widget's styles are worked out again and every line of
every widget drawn anew, 40-60 ms of event loop for a screen that looks exactly as it did. A page screen is
restyled only when something its styles depend on changed while it was away (the theme, its variables, the
app's classes); otherwise it comes back as it was and only what changed is drawn.

A new screen is not restyled at its first showing either: its widgets are styled as they mount. And it is
born with the breakpoint class (`-wide`, `-narrow`) of the terminal's width: Textual
adds it at the screen's first resize, after the screen has been styled, and so styled every widget twice on
a screen's first visit (50 ms of the first `f3`).
"""

from __future__ import annotations

import contextlib
from typing import Any, TypeVar

from textual import events
from textual._context import NoActiveAppError
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
    _resumed = False
    """Shown since it was last suspended: a visit, which one ScreenResume begins."""

    def __init__(self, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:  # noqa: A002
        super().__init__(name=name, id=id, classes=classes)
        # Made outside a running app (a test), it gets them as Textual gives them, on its first resize.
        with contextlib.suppress(NoActiveAppError):
            self.update_classes(self._breakpoint_classes(), update=False)

    def _breakpoint_classes(self) -> dict[str, bool]:
        """Each breakpoint class, and whether the terminal's size gives it, as Textual works them out."""
        app = self.app
        width, height = app.size
        horizontal = (
            app.HORIZONTAL_BREAKPOINTS if self.HORIZONTAL_BREAKPOINTS is None else self.HORIZONTAL_BREAKPOINTS
        ) or []
        vertical = (
            app.VERTICAL_BREAKPOINTS if self.VERTICAL_BREAKPOINTS is None else self.VERTICAL_BREAKPOINTS
        ) or []
        given = self._get_breakpoint_classes(width, horizontal)
        given |= self._get_breakpoint_classes(height, vertical)
        return {name: name in given for _, name in horizontal + vertical}

    def post_message(self, message: Message) -> bool:
        if isinstance(message, events.ScreenSuspend):
            self._resumed = False
        elif isinstance(message, events.ScreenResume):
            # Textual resumes a mode's screen twice when it is first shown (from `_init_mode` and from
            # `switch_mode`); a screen reads its rows on each resume, so the second would read them again.
            if self._resumed:
                return True
            self._resumed = True
        if isinstance(message, events.ScreenResume) and message.refresh_styles:
            context = styled_for(self.app)
            # The first time, the screen's widgets are styled as they mount, with this very stylesheet.
            if context == self._styled_for or self._styled_for is None:
                message = events.ScreenResume(refresh_styles=False)
            self._styled_for = context
        return super().post_message(message)
