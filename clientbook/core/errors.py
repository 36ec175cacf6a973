"""The two refusals a user's input can meet anywhere: a field that breaks a rule, a record that is not there.

They live apart from the rules (:mod:`.validation`) and the reads (:mod:`.queries`), which import them for
their callers, so that code that only catches them (the CLI's exit codes, the UI's workers) loads neither:
a command such as `client list` never runs a rule, and the rules are a tenth of its start-up.
"""

from __future__ import annotations


class ValidationError(Exception):
    """One message per bad field, in the order the fields appear on the form."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))
        self.errors = errors


class NotFound(Exception):
    """No record answers to what the user gave (or several do); the message says which.

    `field` names what the user gave (`client`), when known, so the CLI prints `client: message`.
    """

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field
