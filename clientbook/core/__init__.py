"""The core of clientbook: models, validation, slugs, queries and operations.

Nothing in this package imports a UI library (Textual or Rich). The TUI and the CLI both call into it, so a
rule (what makes a client valid, how a slug is made) lives here once.
"""
