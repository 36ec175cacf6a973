"""Messages the app sends to screens."""

from __future__ import annotations

from textual.message import Message


class BookChanged(Message, bubble=False):
    """Someone else (the CLI, another clientbook) changed the book: read again what this screen shows.

    Posted by the app to the screen on show; a screen that shows book data handles it with
    `on_book_changed`, keeping the cursor on the same record.
    """
