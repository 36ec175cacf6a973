"""The Textual interface: screens and widgets that render what the core returns and turn keys into core calls.

No SQL, rules or slug logic lives here; see :mod:`clientbook.core`.
"""
