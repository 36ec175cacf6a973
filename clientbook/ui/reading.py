"""Reading the book for a screen without blocking it: the read runs in a thread worker, the result is drawn
on the event loop, and a result nobody is waiting for any more is dropped.

Peewee keeps one connection per thread, so each worker thread reads through its own; the thread pool keeps
its threads (and their connections) between reads, so a read costs no connection set-up.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

import peewee as pw
from textual.worker import Worker, get_current_worker

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
    screen. A database problem goes to `failed`, by default the app's one-line report.
    """

    def work() -> None:
        worker = get_current_worker()
        try:
            result = read()
        except pw.PeeweeException as error:
            report = failed or getattr(node.app, "report", None)
            if report is not None and not worker.is_cancelled:
                with contextlib.suppress(RuntimeError):  # the app closed meanwhile
                    node.app.call_from_thread(report, error)
            return
        if not worker.is_cancelled:
            with contextlib.suppress(RuntimeError):
                node.app.call_from_thread(deliver, worker, result)

    def deliver(worker: Worker[None], result: T) -> None:
        if not worker.is_cancelled and node.is_attached:
            then(result)

    return node.run_worker(work, thread=True, exclusive=True, group=group, name=group)
