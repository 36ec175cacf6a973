"""The core of clientbook, by area: :mod:`.clients`, :mod:`.log`, :mod:`.processes`, :mod:`.care`,
:mod:`.staff`, and :mod:`.store` (opening a book, and every difference between SQLite and PostgreSQL).

The modules at this level are what every area shares: the models and migrations, validation and drafts,
the change history and undo, edits that refuse to overwrite (:mod:`.edits`), dates, text and slugs.

Nothing in this package imports a UI library (Textual or Rich). The TUI and the CLI both call into it, so a
rule (what makes a client valid, how a slug is made) lives here once.
"""
