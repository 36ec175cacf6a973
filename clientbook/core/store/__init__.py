"""The store layer: how the core reaches a book's tables, and where the SQL dialect differences live.

- :mod:`.book_file`: the checks of a book's file made before anything opens it, and the one-line
  explanations of what can go wrong with it.
- :mod:`.plain`: SQL written once and run straight on the driver's connection, for the reads made most
  often (the care queue, signing in): `clientbook today` opens its book and answers without importing peewee,
  whose import alone was 60 ms of a 150 ms budget.

Writes, migrations and the other reads go through peewee's models (:mod:`clientbook.core.db`) on the same
connections. Team mode (PostgreSQL) adds its dialect here: the parameter mark, the index hints SQLite needs.
"""
