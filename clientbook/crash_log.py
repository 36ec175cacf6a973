"""The private crash log: what the TUI and the CLI write when something fails that nothing expected.

The terminal gets one short message naming no value (Textual's tracebacks show local variables, which
hold clients' notes); the details go to `crash.log` in the user's state folder, readable only by them, for
a bug report. The log holds Python's own traceback, without locals; an error's message may still quote a
value, which is why the file is private. Each process replaces the last run's log and appends to its own:
a second error is often a consequence of the first.
"""

from __future__ import annotations

import platform
import traceback
from datetime import UTC, datetime
from pathlib import Path

from clientbook import __version__
from clientbook.core import privacy
from clientbook.settings import crash_log_path

_written_by_this_process = False


def write_crash_log(error: BaseException | None, *, versions: str = "") -> Path:
    """Write `error`'s traceback to the crash log (0600, in a 0700 folder); returns its path.

    `versions` adds what else the report needs (the TUI gives Textual's version). Raises OSError when the
    log cannot be written; callers then say so instead.
    """
    global _written_by_this_process  # noqa: PLW0603 - one flag per process, by design
    path = crash_log_path()
    about = f"Python {platform.python_version()}" + (f", {versions}" if versions else "")
    lines = [
        f"clientbook {__version__} crashed at {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC ({about})\n",
        *(traceback.format_exception(error) if error is not None else ["no traceback available\n"]),
    ]
    privacy.make_folders(path.parent)
    previous = path.read_text(encoding="utf-8") + "\n" if _written_by_this_process and path.exists() else ""
    privacy.write_text(path, previous + "".join(lines))
    _written_by_this_process = True
    return path


def crash_message(error: BaseException | None, *, versions: str = "") -> str:
    """The lines for the terminal: the kind of error (never its message, which may quote a value) and where
    the details are, or why they could not be written."""
    try:
        where = (
            "Details for a bug report (the traceback, without the values of variables):\n"
            f"{write_crash_log(error, versions=versions)}"
        )
    except OSError as problem:
        where = f"The details could not be written to {crash_log_path()}: {problem.strerror or problem}"
    kind = type(error).__name__ if error is not None else "unknown"
    return f"clientbook stopped after an unexpected error ({kind}). What was saved is kept.\n{where}"
