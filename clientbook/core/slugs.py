"""Unique, readable slugs from names, on python-slugify.

`Zoë Núñez` becomes `zoe-nunez`, a second one `zoe-nunez-2`, and a name with nothing to spell (`!!!`, `李`
may transliterate, emoji do not) falls back to the table's word (`client`). Slugs are made once, when the
record is created; renaming keeps the slug unless the user asks for a new one, so scripts can rely on it.
Asking for a new one keeps a slug the name still gives: `alice-anders-3` stays while another client holds
`alice-anders` (it never becomes `alice-anders-2`, a slug a script may know as someone else's).
"""

from __future__ import annotations

import re
from typing import Final

import peewee as pw

SLUG_MAX: Final = 60


def base_slug(name: str, fallback: str) -> str:
    """The slug a name would get if no other record had it."""
    # Imported here: python-slugify compiles its patterns on import, a tenth of a read-only command's start.
    from slugify import slugify  # noqa: PLC0415

    return slugify(name, max_length=SLUG_MAX, word_boundary=True, save_order=True) or fallback


def unique_slug(
    name: str, column: pw.Field, *, fallback: str, exclude_id: int | None = None, keep: str | None = None
) -> str:
    """A slug for `name` that no other row of `column`'s table holds: `base`, then `base-2`, `base-3`...

    `keep` is the slug the record (`exclude_id`) holds now: it is kept when the name still gives it, that is
    when it is the base, or a numbered base while another record holds the base itself.

    The unique index on the column is the final guard: a writer that loses a race gets an IntegrityError
    and the operation tries again (see :func:`clientbook.core.clients.operations.create_client`).
    """
    base = base_slug(name, fallback)
    model = column.model
    query = model.select(column).where((column == base) | column.startswith(base + "-"))
    if exclude_id is not None:
        query = query.where(model._meta.primary_key != exclude_id)
    taken = {getattr(row, column.name) for row in query}
    if base not in taken:
        return base
    if keep is not None and _numbered(keep, base):
        return keep
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def _numbered(slug: str, base: str) -> bool:
    """`slug` is `base` with a number: `base-2`, `base-10`."""
    return re.fullmatch(rf"{re.escape(base)}-[1-9]\d*", slug) is not None
