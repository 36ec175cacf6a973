"""Files only their owner can read: every folder clientbook makes is 0700 and every file 0600.

Two mechanisms, because neither is enough alone:

- **Explicit modes** for what clientbook itself creates (:func:`make_folders`, :func:`create_file`,
  :func:`write_text`). They hold whatever the umask, in any thread, and when the core is used without the CLI
  (tests, scripts). The book's own mode matters most: SQLite gives the `-wal`, `-shm` and `-journal` files it
  makes the *book's* mode (it `fchmod`s them, so the umask plays no part), and it makes them again on every
  first connection after the last one closed, a thread worker's or the watcher's included. A 0600 book
  therefore has 0600 side files for its whole life, which no umask set around the opening could promise.
- **A private umask** (:func:`private_umask`) held by the CLI for the whole run, for files made by code that
  takes no mode: Textual's screenshots, exported files, anything added later. Setting it only around the
  opening would not do: the umask is process-wide and files appear long after (and from other threads).

An existing file is never given a permission: :func:`make_private` only takes group and other bits away.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Final

PRIVATE_UMASK: Final = 0o077
FOLDER_MODE: Final = 0o700
FILE_MODE: Final = 0o600
OTHERS: Final = 0o077
"""Group and other permission bits: what :func:`make_private` removes."""


@contextlib.contextmanager
def private_umask() -> Iterator[None]:
    """Hold umask 077 (files 0600, folders 0700 by default) for the block, then restore the previous one."""
    previous = os.umask(PRIVATE_UMASK)
    try:
        yield
    finally:
        os.umask(previous)


def make_folders(folder: Path) -> tuple[Path, ...]:
    """Make `folder` and any missing parents, each 0700; returns those made, outermost first.

    Folders that already exist keep their mode: only the ones made here are clientbook's to decide.
    """
    missing = [p for p in (folder, *folder.parents) if not p.exists()]
    made: list[Path] = []
    for path in reversed(missing):
        try:
            path.mkdir(mode=FOLDER_MODE)
        except FileExistsError:  # made meanwhile by another program: not ours
            continue
        path.chmod(FOLDER_MODE)  # mkdir's mode passes through the umask; an odd umask could leave it looser
        made.append(path)
    return tuple(made)


def create_file(path: Path) -> None:
    """Create `path` empty and 0600; raises FileExistsError if anything (even a dangling link) is there."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    os.close(descriptor)


def write_text(path: Path, text: str) -> None:
    """Write `text` to `path` as UTF-8: a new file is 0600; an existing one keeps the mode its owner chose."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)


def make_private(path: Path) -> bool:
    """Take group and other permissions off `path` if its owner is the one running clientbook.

    True only when the mode really changed (some file systems accept `chmod` and ignore it; saying "made
    private" there would be false, and would be said again at every open). Missing files, files of another
    user and failures to change the mode leave it as it is and give False.
    """
    try:
        info = path.stat()
    except OSError:
        return False
    if info.st_uid != os.geteuid() or not info.st_mode & OTHERS:
        return False
    try:
        path.chmod(stat.S_IMODE(info.st_mode) & ~OTHERS)
        return not path.stat().st_mode & OTHERS
    except OSError:
        return False
