"""The footer of every main screen: Textual's, except that a key which does not fit is left out whole
(`A Archived`, never `A Arch`), from the end, leaving the command palette's key in place."""

from __future__ import annotations

from textual import events
from textual.widget import Widget
from textual.widgets import Footer

PALETTE = "-command-palette"


class FittedFooter(Footer):
    """Shows the screen's keys in order while they fit; the rest are in `f1` and the palette."""

    async def recompose(self) -> None:
        await super().recompose()
        self.fit()

    def on_resize(self, event: events.Resize) -> None:
        self.fit()

    def _width(self, key: Widget) -> int:
        content = key.get_content_width(self.size, self.app.size)
        return content + key.styles.gutter.width + key.styles.margin.width

    def fit(self) -> None:
        """Show each key while the ones before it and the palette's leave room for it, and no more."""
        keys = list(self.children)
        room = self.size.width - sum(self._width(k) for k in keys if k.has_class(PALETTE))
        for key in keys:
            if key.has_class(PALETTE):
                continue
            width = self._width(key)
            key.display = width <= room
            room = room - width if key.display else -1
