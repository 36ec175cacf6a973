"""Who is using the book: its owner, and the staff member a command or the app works as.

Apart from :mod:`.operations` because every command signs in before it runs, and a read (a list, a search,
`today`) should not load the writes and their rules to do it; only a book's first run, which creates the
owner, imports them.
"""

from __future__ import annotations

from typing import Final

import peewee as pw

from clientbook.core.errors import NotFound
from clientbook.core.models import Setting, Staff
from clientbook.core.references import reference
from clientbook.core.text import shown

OWNER_KEY: Final = "owner_staff_id"
"""The `setting` row holding the owner's staff id."""


def book_owner() -> Staff | None:
    """The staff member who owns the book, if the first run has happened."""
    row = Setting.get_or_none(Setting.key == OWNER_KEY)
    return Staff.get_or_none(Staff.id == int(row.value)) if row else None


def sign_in(name: str, *, first_run_name: str) -> Staff:
    """The staff member using clientbook now.

    On a new book the owner is created from `name`, or `first_run_name` when no name was given. Afterwards
    `name` picks a staff member by slug or name, and an empty `name` means the book's owner.
    """
    owner = book_owner()
    if owner is None:
        from clientbook.core.operations import ensure_owner  # noqa: PLC0415 - a first run only

        return ensure_owner(name or first_run_name)
    if not name:
        return owner
    name = reference(name, "staff member")
    try:
        return find_staff(name)
    except NotFound:
        raise NotFound(
            f"no staff member {shown(name)} in this book (add one with: clientbook staff add NAME)"
        ) from None


def find_staff(ref: str) -> Staff:
    """A staff member by slug, slug prefix or exact name (case-insensitive)."""
    ref = reference(ref, "staff member")
    exact = Staff.get_or_none((Staff.slug == ref) | (pw.fn.lower(Staff.name) == ref.lower()))
    if exact is not None:
        return exact
    matches = list(Staff.select().where(Staff.slug.startswith(ref)).limit(2)) if ref else []
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise NotFound(f"no staff member {shown(ref)}")
    raise NotFound(f"{shown(ref)} matches several staff members")
