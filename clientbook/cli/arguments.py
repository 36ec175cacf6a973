"""The argument parser: argparse, made safe for whatever bytes and text a shell can hand over.

Two things argparse gets wrong for a program that stores what it is given:

- An argument that is not valid UTF-8 (`--name $'\\xff'`) arrives as text holding lone surrogates (Python's
  `surrogateescape`), which SQLite cannot store: it is refused here, naming the option, before any command
  runs, so no part of clientbook sees it.
- Python 3.11's argparse turns `--name=--` into an empty list (it strips `--` from every option's values);
  an option given with `=` takes the text after `=`, whatever it is. So does a positional given as `--`
  after the `--` that ends the options (`concern resolve -- 3 --`).

Its error messages are one line, with the offending value escaped and cut like every other message.

Record ids are read by :func:`record_id`, which refuses a number no record can have: SQLite's integers stop
at 2**63 - 1, and a larger one raised `OverflowError` from the query (a traceback).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, Final, NoReturn, TypeAlias

from clientbook.cli.output import EXIT_INVALID, one_line
from clientbook.core.text import shown

SQLITE_INTEGER_MAX: Final = 2**63 - 1

Actions: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
"""A command's actions (`client add`, `client list`...), to which a builder adds parsers."""


class ArgumentParser(argparse.ArgumentParser):
    """argparse's parser with the fixes above; subcommand parsers are made of the same class."""

    def _get_values(self, action: argparse.Action, arg_strings: list[str]) -> Any:
        if action.nargs is None and arg_strings == ["--"]:
            value = self._get_value(action, "--")
            self._check_value(action, value)
            return value
        return super()._get_values(action, arg_strings)

    def _get_value(self, action: argparse.Action, arg_string: str) -> Any:
        # A subcommand's arguments pass through its parent's COMMAND action on their way to the subcommand's
        # own parser, which names the option; here only the command name itself is checked.
        if not isinstance(action, argparse._SubParsersAction) and not _decodes(arg_string):
            name = "/".join(action.option_strings) or action.metavar or action.dest
            raise argparse.ArgumentError(
                None, f"{name}: not valid text (the bytes given are not UTF-8); check the terminal's encoding"
            )
        return super()._get_value(action, arg_string)

    def _check_value(self, action: argparse.Action, value: Any) -> None:
        if isinstance(action, argparse._SubParsersAction) and isinstance(value, str) and not _decodes(value):
            raise argparse.ArgumentError(None, "COMMAND: not valid text (the bytes given are not UTF-8)")
        super()._check_value(action, value)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_INVALID, f"{self.prog}: error: {one_line(message)}\n")


def _decodes(text: str) -> bool:
    """Whether `text` came from valid UTF-8 (holds no lone surrogate from `surrogateescape`)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def record_id(text: str) -> int:
    """An id option or argument (`log show ID`): a whole number as `int()` reads it, within SQLite's range."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an id: {shown(text)} (ids are whole numbers)") from None
    if not -SQLITE_INTEGER_MAX <= value <= SQLITE_INTEGER_MAX:
        raise argparse.ArgumentTypeError("no record has an id that large")
    return value
