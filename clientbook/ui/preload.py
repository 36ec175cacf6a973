"""Loading what the first screen does not need, once it is up.

The app imports only what its first screen draws (see :mod:`clientbook.ui.actions`); the forms, the other
screens and the core's writes are imported here, on a worker thread, just after that screen is painted. The
first `f3` or `n` then finds them loaded. An import running beside the event loop shares the interpreter with
it (Python hands the lock over every few milliseconds), so the screen stays answerable meanwhile.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Final

PACKAGES: Final = (
    "clientbook.core",
    "clientbook.core.clients",
    "clientbook.core.log",
    "clientbook.core.processes",
    "clientbook.core.care",
    "clientbook.ui.widgets",
    "clientbook.ui.screens",
)
"""Every module of these (not their sub-packages: the migrations load only when a book is migrated)."""


def load_the_rest() -> None:
    """Import every module of :data:`PACKAGES` that is not imported yet."""
    for name in PACKAGES:
        package = importlib.import_module(name)
        for module in pkgutil.iter_modules(package.__path__, f"{name}."):
            if not module.ispkg:
                importlib.import_module(module.name)
