"""Reading the book for a screen without blocking it: the read runs in a thread worker, the result is drawn
on the event loop, and a result nobody is waiting for any more is dropped.

A thin layer over :func:`clientbook.ui.background.run_in_thread`, the one way the UI runs core calls off the
loop (and where the connection each worker thread keeps is explained).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

import peewee as pw
from textual.worker import Worker

from clientbook.ui.background import Done, Outcome, Refused, run_in_thread

if TYPE_CHECKING:
    from textual.dom import DOMNode

T = TypeVar("T")


def read_then(
    node: DOMNode,
    read: Callable[[], T],
    then: Callable[[T], None],
    *,
    group: str,
    failed: Callable[[pw.PeeweeException], None] | None = None,
) -> Worker[None]:
    """Run `read` in a thread worker of `node`, then `then(result)` on the loop.

    A later read in the same `group` replaces this one (its result is dropped), as does `node` leaving the
    DOM (a screen of another mode still gets its result). A database problem goes to `failed`, by default
    the app's one-line report; a refusal from the core (a record not found) is told in a notice.
    """

    def finished(outcome: Outcome[T]) -> None:
        if isinstance(outcome, Done):
            then(outcome.value)
        elif isinstance(outcome, Refused):
            node.app.notify(outcome.message, severity="warning", timeout=6)
        elif failed is not None:
            failed(outcome.error)
        elif (report := getattr(node.app, "report", None)) is not None:
            report(outcome.error)

    return run_in_thread(
        node, read, finished, group=group, exclusive=True, wanted=lambda target: target.is_attached
    )
