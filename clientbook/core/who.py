"""Who is using the book: its owner, and the staff member a command or the app works as.

Apart from :mod:`.operations` because every command signs in before it runs, and a read (a list, a search,
`today`) should not load the writes and their rules to do it; only a book's first run, which creates the
owner, imports them. The look-ups are plain SQL (:mod:`clientbook.core.store.plain`), so a command that
answers without peewee signs in without it; :func:`book_owner`, :func:`sign_in` and :func:`find_staff` give
the same people as models, for the writes that record them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from clientbook.core.errors import NotFound
from clientbook.core.references import reference
from clientbook.core.store.plain import PlainSql
from clientbook.core.text import shown

if TYPE_CHECKING:
    from clientbook.core.models import Staff

OWNER_KEY: Final = "owner_staff_id"
"""The `setting` row holding the owner's staff id."""


@dataclass(frozen=True)
class Person:
    """A staff member as signing in finds them: who to name, and whose share `--mine` keeps."""

    id: int
    slug: str
    name: str


def owner_person(sql: PlainSql) -> Person | None:
    """The staff member who owns the book, if the first run has happened."""
    value = sql.value("SELECT value FROM setting WHERE key = ?", (OWNER_KEY,))
    if value is None:
        return None
    row = sql.rows("SELECT id, slug, name FROM staff WHERE id = ?", (int(value),))
    return Person(*row[0]) if row else None


def find_person(sql: PlainSql, ref: str) -> Person:
    """A staff member by slug, slug prefix or exact name (case-insensitive)."""
    ref = reference(ref, "staff member")
    exact = sql.rows(
        "SELECT id, slug, name FROM staff WHERE slug = ? OR lower(name) = ? LIMIT 1", (ref, ref.lower())
    )
    if exact:
        return Person(*exact[0])
    # A prefix compared as text, not by LIKE: `_` and `%` in what was typed are only themselves.
    prefix = ref.lower()
    matches = (
        sql.rows(
            "SELECT id, slug, name FROM staff WHERE substr(slug, 1, ?) = ? ORDER BY id LIMIT 2",
            (len(prefix), prefix),
        )
        if prefix
        else []
    )
    if len(matches) == 1:
        return Person(*matches[0])
    if not matches:
        raise NotFound(f"no staff member {shown(ref)}")
    raise NotFound(f"{shown(ref)} matches several staff members")


def sign_in_person(sql: PlainSql, name: str) -> Person | None:
    """The staff member using clientbook now, or None on a new book (whose first run creates its owner:
    see :func:`sign_in`). An empty `name` means the book's owner; any other picks a staff member by slug
    or name."""
    owner = owner_person(sql)
    if owner is None or not name:
        return owner
    name = reference(name, "staff member")
    try:
        return find_person(sql, name)
    except NotFound:
        raise NotFound(
            f"no staff member {shown(name)} in this book (add one with: clientbook staff add NAME)"
        ) from None


# The same people as models, for the writes ------------------------------------------------------------


def book_owner() -> Staff | None:
    """The staff member who owns the book, if the first run has happened."""
    from clientbook.core.db import plain  # noqa: PLC0415 - see the module's docstring
    from clientbook.core.models import Staff  # noqa: PLC0415

    person = owner_person(plain())
    return Staff.get_by_id(person.id) if person else None


def sign_in(name: str, *, first_run_name: str) -> Staff:
    """The staff member using clientbook now.

    On a new book the owner is created from `name`, or `first_run_name` when no name was given. Afterwards
    `name` picks a staff member by slug or name, and an empty `name` means the book's owner.
    """
    from clientbook.core.db import plain  # noqa: PLC0415 - see the module's docstring
    from clientbook.core.models import Staff  # noqa: PLC0415

    person = sign_in_person(plain(), name)
    if person is None:
        from clientbook.core.clients.operations import ensure_owner  # noqa: PLC0415 - a first run only

        return ensure_owner(name or first_run_name)
    return Staff.get_by_id(person.id)


def find_staff(ref: str) -> Staff:
    """A staff member by slug, slug prefix or exact name (case-insensitive), as a model."""
    from clientbook.core.db import plain  # noqa: PLC0415 - see the module's docstring
    from clientbook.core.models import Staff  # noqa: PLC0415

    return Staff.get_by_id(find_person(plain(), ref).id)
