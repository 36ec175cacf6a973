"""TextLine: a line of text (a status, a half of the title bar) that costs nothing to set to what it shows.

Textual's `Static.update` lays the whole screen out again and repaints it, since a widget's size may follow
its content. The list's status and title were set twice per key typed in the search box, mostly to what they
already said, and each time the client list was laid out and drawn whole: half of a keystroke's time on the
event loop. A TextLine ignores an update to the text it shows, and when neither its width nor its height
is `auto` (follows its content) it only repaints itself.
"""

from __future__ import annotations

from textual.visual import VisualType
from textual.widgets import Static


class TextLine(Static):
    """A Static whose :meth:`update` skips what changes nothing."""

    def __init__(self, content: VisualType = "", **kwargs: object) -> None:
        super().__init__(content, **kwargs)  # type: ignore[arg-type]
        self._shown: VisualType = content

    def update(self, content: VisualType = "", *, layout: bool | None = None) -> None:
        """Show `content`; `layout` None: lay the screen out again only if the size may follow the content."""
        if content == self._shown and type(content) is type(self._shown):
            return
        self._shown = content
        if layout is None:
            width, height = self.styles.width, self.styles.height
            # None is not content: Textual gives an unset width or height the container's.
            layout = any(scalar is not None and scalar.is_auto for scalar in (width, height))
        super().update(content, layout=layout)
