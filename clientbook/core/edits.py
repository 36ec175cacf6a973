"""An edit made on a record someone else may have changed meanwhile: nothing of theirs is overwritten unseen.

An edit is judged against what the user started from (the form as it was filled, the record as a command
read it), not against the record as it is now. What the user changed is applied to the record as it is now,
so two people editing different fields of one client both keep their work; a field both changed, to
different values, is a clash: the save is refused, saying for each such field what the other person made it
and what the user typed, and nothing is written. The user's text stays where it was; saving again, having
seen the clash, keeps theirs (:attr:`EditConflict.base`).

Why a three-way merge of the fields rather than a version number alone: a version says *that* someone else
saved, not what; the message a user needs (field, their value, yours) needs the values the user started from
anyway, and with them an edit of another field need not be refused at all. Whether the record moved between
the merge and the write is told by its last change set (every write records one), checked inside the
write's transaction with the row locked (:func:`clientbook.core.history.hold_unchanged`; a client's edit,
whose contact people are rows of their own, checks the client's last change set instead).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Final, TypeVar

from clientbook.core.errors import ValidationError
from clientbook.core.store.book_file import DatabaseProblem

Draft = TypeVar("Draft")
Saved = TypeVar("Saved")

ATTEMPTS: Final = 5
"""How often an edit is merged again when its record moved between the merge and the write."""


class Moved(Exception):
    """Raised by an edit's write when the record changed since it was read (merge again)."""


@dataclass(frozen=True)
class Reading:
    """A record as an edit read it: its fields as a draft, and a token that moves with every write to it (the
    id of the latest change set that touched it)."""

    draft: Any
    token: int


def apply_edit(
    mine: Draft,
    base: Draft | None,
    *,
    read: Callable[[], Reading],
    write: Callable[[Draft, Reading], Saved],
    who: Callable[[Sequence[str]], str],
) -> Saved:
    """Write `mine` over the record as it is now: all of it without a `base`; with one, only what `mine`
    changed from it, refusing a clash as an :class:`EditConflict` (`who`, given the clashing fields, names
    who changed them). `write` gets the draft to write and the reading it was merged with, and raises
    :class:`Moved` when, inside its transaction, the record's token is no longer the reading's."""
    for _ in range(ATTEMPTS):
        reading = read()
        wanted = mine
        if base is not None:
            wanted, clashes = merged(base, mine, reading.draft)
            if clashes:
                raise EditConflict(clashes, base, by=who([clash.field for clash in clashes]))
        try:
            return write(wanted, reading)
        except Moved:
            continue
    raise DatabaseProblem("the record kept changing while this edit was being saved; try again")


@dataclass(frozen=True)
class Clash:
    """A field both the user and someone else changed, to different values."""

    field: str
    theirs: object
    yours: object


class EditConflict(ValidationError):
    """Someone else changed, since the user started, fields this edit changes too. One message per field
    (shown beside it on the form, as `field: message` on the command line). `base` is what to start from
    when the user saves again, having seen the clash: what they started from, with the clashing fields as the
    other person left them (so saving again keeps the user's text there, and still leaves every field the
    user did not touch as the other person made it)."""

    def __init__(self, clashes: Sequence[Clash], started: Any, *, by: str) -> None:
        who = f" by {by}" if by else ""
        super().__init__(
            {
                clash.field: (
                    f"changed meanwhile{who} to {_shown(clash.theirs)}; yours is {_shown(clash.yours)} "
                    "(save again to keep yours)"
                )
                for clash in clashes
            }
        )
        self.clashes = tuple(clashes)
        self.base = dataclasses.replace(started, **{clash.field: clash.theirs for clash in clashes})


def merged(base: Draft, mine: Draft, now: Draft) -> tuple[Draft, tuple[Clash, ...]]:
    """`now` with every field `mine` changed from `base` (a dataclass each), and the fields that clash:
    changed from `base` in both `mine` and `now`, to different values."""
    changes: dict[str, object] = {}
    clashes: list[Clash] = []
    for field in dataclasses.fields(base):  # type: ignore[arg-type]  # a dataclass, as the TypeVar cannot say
        name = field.name
        started, yours, theirs = getattr(base, name), getattr(mine, name), getattr(now, name)
        if yours == started:
            continue  # not the user's change: whatever it is now stands
        if theirs not in (started, yours):
            clashes.append(Clash(name, theirs, yours))
        changes[name] = yours
    return dataclasses.replace(now, **changes), tuple(clashes)  # type: ignore[type-var]


def _shown(value: object) -> str:
    """A value in a clash message: text quoted and cut, contact people counted, nothing multi-line."""
    if isinstance(value, tuple):
        return f"{len(value)} contact {'person' if len(value) == 1 else 'people'}"
    text = " ".join(str(value).split())
    if not text:
        return "(empty)"
    return f"“{text if len(text) <= 60 else text[:59] + '…'}”"
