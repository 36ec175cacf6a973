"""Python's cyclic garbage collector, kept from interrupting a key.

A full collection walks every object the interpreter tracks: with Textual, the core and four screens
mounted that is over 100,000 objects, and each one stalled the event loop for 100-190 ms, ten times over
the benchmark's key script (the longest stalls it saw). Almost all of those objects live as long as the
app: modules, classes, the stylesheet, and the four main screens, which are mounted once and kept. Once
such a screen is on screen its objects are frozen (:func:`gc.freeze`): the collector no longer walks them,
and a full collection then walks only what came after (a client's detail, a form, the rows read), a few
milliseconds' work. Objects frozen are still freed when their last reference goes; only a cycle among them
would stay, and these screens are never let go.

`clientbook` also starts with the collector turned off: while it imports and builds the first screen, each
automatic collection walked everything made so far (about a tenth of the start-up). It is turned back on
once that screen is painted and the rest of the app loaded (:func:`resume_collecting`).
"""

from __future__ import annotations

import gc
from typing import Any

from textual.screen import Screen

_FROZEN = "_clientbook_frozen"


def freeze_when_painted(screen: Screen[Any]) -> None:
    """Once `screen` (a screen kept for the app's life) has been drawn for the first time, freeze every
    object alive then. Later calls for the same screen do nothing."""
    if not getattr(screen, _FROZEN, False):
        setattr(screen, _FROZEN, True)
        screen.call_after_refresh(_freeze)


def _freeze() -> None:
    # While the collector is still off from the start, `resume_collecting` freezes, once it has collected.
    if gc.isenabled():
        gc.freeze()


def resume_collecting() -> None:
    """Turn the collector back on after a start that ran without it (see :mod:`clientbook.cli.main`): one
    collection first, so that no garbage made while starting is frozen for good, then freeze what is left.

    Called once the first screen is painted and the rest of the app loaded (a full collection holds the
    interpreter for a few tens of milliseconds: never while the first screen is still being drawn)."""
    if not gc.isenabled():
        gc.collect()
        gc.freeze()
        gc.enable()
