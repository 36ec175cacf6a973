"""The footer of every main screen: the screen's keys on one line, each left out whole when it does not fit
(`A Archived`, never `A Arch`), from the end, the command palette's key kept at the right.

Textual's own `Footer` is a container of one widget per key, composed again whenever the screen's bindings
change (focus moves, a screen comes back, a key becomes available): twenty-odd widgets mounted and styled
anew each time, which cost the event loop 50-100 ms per screen switch. This one is a single widget that
renders one line of text: when the bindings change it works out its items (a few dictionary reads) and
repaints only if they differ. It looks and behaves like Textual's: the same theme colours, unavailable keys
dimmed, a click presses the key, the hovered key is highlighted and its tooltip shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget

SEPARATOR = "▏"
"""Between the screen's keys and the palette's, as Textual's footer draws its `vkey` border."""


@dataclass(frozen=True)
class FooterItem:
    """One key as the footer shows it."""

    key: str
    display: str
    description: str
    enabled: bool
    tooltip: str

    @property
    def width(self) -> int:
        """Cells taken: ` key ` then `description ` (no description: ` key `)."""
        return cell_len(self.label)

    @property
    def label(self) -> str:
        return f" {self.display} {self.description} " if self.description else f" {self.display} "


def footer_items(screen: Screen[Any]) -> tuple[tuple[FooterItem, ...], FooterItem | None]:
    """The keys `screen` shows, in order, one per action (the first binding of each), and the palette's."""
    app = screen.app
    palette_key = app.COMMAND_PALETTE_BINDING if app.ENABLE_COMMAND_PALETTE else None
    items: dict[str, FooterItem] = {}
    palette: FooterItem | None = None
    for key, (_node, binding, enabled, tooltip) in screen.active_bindings.items():
        if key == palette_key:
            palette = FooterItem(
                binding.key, app.get_key_display(binding), binding.description, enabled, binding.tooltip
            )
            continue
        if not binding.show or binding.action in items:
            continue
        items[binding.action] = FooterItem(
            binding.key, app.get_key_display(binding), binding.description, enabled, tooltip
        )
    return tuple(items.values()), palette


def fitted(items: tuple[FooterItem, ...], room: int) -> list[FooterItem]:
    """The leading `items` that fit in `room` cells, whole: the first that does not fit ends the line."""
    shown: list[FooterItem] = []
    for item in items:
        if item.width > room:
            break
        shown.append(item)
        room -= item.width
    return shown


class FittedFooter(Widget):
    """Shows the screen's keys in order while they fit; the rest are in `f1` and the palette."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "fitted-footer--key",
        "fitted-footer--description",
        "fitted-footer--hover",
        "fitted-footer--separator",
    }
    DEFAULT_CSS = """
    FittedFooter {
        dock: bottom;
        height: 1;
        width: 1fr;
        color: $footer-foreground;
        background: $footer-background;
        & > .fitted-footer--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .fitted-footer--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        & > .fitted-footer--hover {
            background: $block-hover-background;
        }
        & > .fitted-footer--separator {
            color: $foreground 20%;
        }
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id, classes=classes)
        self._items: tuple[FooterItem, ...] = ()
        self._palette: FooterItem | None = None
        self._spans: list[tuple[int, int, FooterItem]] = []
        """Where each shown item was drawn on the last render: start and end column."""
        self._hover: FooterItem | None = None

    @property
    def shown(self) -> list[FooterItem]:
        """The items on the line now (the palette's last), as the last render drew them."""
        return [item for _, _, item in self._spans]

    def on_mount(self) -> None:
        # Not read now: a screen's bindings are asked of its `check_action`, which may look for widgets it
        # has not mounted yet. The screen publishes them once ready, as Textual's footer waits for.
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[Any]) -> None:
        if self.is_attached and screen is self.screen:
            self._take(screen)

    def _take(self, screen: Screen[Any]) -> None:
        items, palette = footer_items(screen)
        if (items, palette) != (self._items, self._palette):
            self._items, self._palette = items, palette
            self.refresh()

    def render(self) -> Text:
        width = self.size.width
        key_style = self.get_component_rich_style("fitted-footer--key")
        description_style = self.get_component_rich_style("fitted-footer--description")
        hover_style = self.get_component_rich_style("fitted-footer--hover")
        palette = self._palette
        tail = (cell_len(SEPARATOR) + palette.width) if palette is not None else 0
        if tail > width:
            palette, tail = None, 0
        line = Text(no_wrap=True, overflow="crop", end="")
        spans: list[tuple[int, int, FooterItem]] = []

        def draw(item: FooterItem) -> None:
            start = line.cell_len
            extra = hover_style if item == self._hover else Style()
            dim = Style(dim=True) if not item.enabled else Style()
            line.append(f" {item.display} ", key_style + extra + dim)
            if item.description:
                line.append(f"{item.description} ", description_style + extra + dim)
            spans.append((start, line.cell_len, item))

        for item in fitted(self._items, width - tail):
            draw(item)
        if palette is not None:
            line.append(" " * (width - tail - line.cell_len))
            line.append(SEPARATOR, self.get_component_rich_style("fitted-footer--separator"))
            draw(palette)
        self._spans = spans
        return line

    def _item_at(self, x: int) -> FooterItem | None:
        return next((item for start, end, item in self._spans if start <= x < end), None)

    def on_click(self, event: events.Click) -> None:
        item = self._item_at(event.x)
        if item is None:
            return
        event.stop()
        if item.enabled:
            self.app.simulate_key(item.key)
        else:
            self.app.bell()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._set_hover(self._item_at(event.x))

    def on_leave(self, event: events.Leave) -> None:
        self._set_hover(None)

    def _set_hover(self, item: FooterItem | None) -> None:
        if item != self._hover:
            self._hover = item
            self.tooltip = (item.tooltip or item.description) if item is not None else None
            self.refresh()
