"""`clientbook bench`: the benchmark behind README's Performance section and its budgets (issue 10).

The parent process (:mod:`.run`) seeds temporary books and measures what runs in a process of its own
(durable saves, fsync, peewee against sqlite3); everything a user waits for is measured in child processes,
as a user meets it: the app started headless and driven by a key script (:mod:`.app_probe`), a bare Textual
app for comparison (:mod:`.bare_probe`), and the real `clientbook` command.

This package imports nothing on import, and the probes import nothing of the benchmark beyond what they
use: the bare app's start is not charged for the app's modules, nor the app's for the benchmark's.
"""

from typing import Final

ROUNDS: Final = 5
"""Runs of each timed step, start and command; a metric is their median (issue 10 asks for at least five)."""
