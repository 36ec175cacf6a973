"""Running one parsed command: the settings, the book, who is using it, and the exit code and one-line
message each core exception becomes.

Imported by :func:`clientbook.cli.main.main` only once the arguments are parsed, so `--help` never loads
the core. The TUI is imported only when it is started: subcommands never pay for (or depend on) Textual.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import getpass
import os
import pwd
import sqlite3
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from clientbook.cli.output import EXIT_DATABASE, EXIT_INVALID, fail, field_errors
from clientbook.core.errors import NotFound, ValidationError
from clientbook.core.privacy import private_umask
from clientbook.core.store.book_file import DatabaseProblem, explain, shown_location
from clientbook.core.store.plain import PlainSql, open_plain
from clientbook.core.text import shown
from clientbook.core.who import Person, sign_in_person
from clientbook.settings import (
    Settings,
    SettingsError,
    data_dir,
    default_database,
    load_settings,
    settings_path,
)

if TYPE_CHECKING:
    from clientbook.core.db import OpenedBook
    from clientbook.core.models import Staff
    from clientbook.ui.app import ClientbookApp

T = TypeVar("T")


@dataclass(frozen=True)
class Context:
    """What every subcommand is handed: the settings, the open book and who is using it."""

    settings: Settings
    book: OpenedBook
    user: Staff


@dataclass(frozen=True)
class PlainContext:
    """What a read command written in plain SQL is handed (see :mod:`clientbook.core.store.plain`): the
    settings, the book's connection and who is using it. Such a command sets `plain_handler`, not
    `handler`, and runs without peewee whenever the book needs nothing done to open."""

    settings: Settings
    sql: PlainSql
    user: Person


Handler = Callable[[argparse.Namespace, Context], int]
PlainHandler = Callable[[argparse.Namespace, PlainContext], int]


def os_user_name() -> str:
    """The operating system user's full name (from the password database), else the login name."""
    try:
        full = pwd.getpwuid(os.getuid()).pw_gecos.split(",")[0].strip()
    except (KeyError, OSError):
        full = ""
    return full or getpass.getuser()


def run(args: argparse.Namespace) -> int:
    """Run the command `args` names (the TUI when none), under umask 077; returns the exit status.

    Exceptions the user can act on become a status and one line on stderr; any other reaches the caller.
    """
    with private_umask():
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    try:
        settings = load_settings()
    except SettingsError as error:
        fail(str(error))
        return EXIT_INVALID
    location = (
        "the demo book"
        if getattr(args, "run_without_book", None)
        else shown_location(str(args.db or default_database()))
    )
    with contextlib.ExitStack() as closing:
        try:
            return _dispatch(args, settings, closing)
        except SettingsError as error:
            fail(str(error))
            return EXIT_INVALID
        except DatabaseProblem as error:
            fail(str(error))
            return EXIT_DATABASE
        except ValidationError as error:
            field_errors(error.errors)
            from clientbook.core.clients.operations import LikelyDuplicate  # noqa: PLC0415 - only writes raise it

            if isinstance(error, LikelyDuplicate):
                fail("to save it all the same, give --allow-duplicate")
            return EXIT_INVALID
        except NotFound as error:
            if error.field:
                field_errors({error.field: str(error)})
            else:
                fail(str(error))
            return EXIT_INVALID
        except Exception as error:
            if not isinstance(error, _database_errors()):
                raise
            fail(explain(error, location))
            return EXIT_DATABASE


def _database_errors() -> tuple[type[Exception], ...]:
    """The driver's errors, and peewee's when a route loaded it (peewee raises its own, chained from the
    driver's; a command answered in plain SQL never imports it)."""
    peewee = sys.modules.get("peewee")
    return (sqlite3.Error, peewee.PeeweeException) if peewee is not None else (sqlite3.Error,)


def _dispatch(args: argparse.Namespace, settings: Settings, closing: contextlib.ExitStack) -> int:
    if args.command is not None:
        started()
    run_without_book = getattr(args, "run_without_book", None)
    if run_without_book is not None:
        return int(run_without_book(args, settings))
    plain_handler: PlainHandler | None = getattr(args, "plain_handler", None)
    if plain_handler is not None:
        answered = _run_plain(args, settings, plain_handler, closing)
        if answered is not None:
            return answered
    from clientbook.core.db import close_database, open_database, plain  # noqa: PLC0415 - see _run_plain
    from clientbook.core.who import book_owner  # noqa: PLC0415

    closing.callback(close_database)
    book = open_database(args.db or default_database(), private_folder=data_dir())
    if args.command is None:
        return _start_tui(settings, book, args.owner)
    for notice in book.notices():
        fail(notice)
    first_run = book_owner() is None
    user = _sign_in(args.owner, settings, first_run_name=os_user_name())
    if first_run:
        _tell_first_run(user, settings)
    if plain_handler is not None:
        return plain_handler(args, PlainContext(settings, plain(), Person(user.id, user.slug, user.name)))
    handler: Handler = args.handler
    return handler(args, Context(settings=settings, book=book, user=user))


def _run_plain(
    args: argparse.Namespace, settings: Settings, handler: PlainHandler, closing: contextlib.ExitStack
) -> int | None:
    """Answer a plain-SQL command without loading peewee, when the book opens as it is and has an owner;
    None when it takes the careful way (a new book, one to migrate: see :func:`open_plain`)."""
    book = open_plain(args.db or default_database(), private_folder=data_dir())
    if book is None:
        return None
    closing.callback(book.close)
    for notice in book.notices():
        fail(notice)
    user = _signed_in(args.owner, settings, lambda name: sign_in_person(book.sql, name))
    if user is None:  # the first run, which creates the owner: the careful way
        return None
    return handler(args, PlainContext(settings, book.sql, user))


def started() -> None:
    """A command is about to run: what starting made stays till the process ends, so it is frozen (never
    walked by a collection) and the collector, off while starting (see :func:`clientbook.cli.main.main`), is
    turned back on for what the command makes."""
    gc.freeze()
    gc.enable()


def _tell_first_run(user: Staff, settings: Settings) -> None:
    """On a new book, say in one line who owns it and the zone and region in use, and where to change them."""
    region = settings.phone_region or "none (every number needs its +country)"
    where = settings.source or settings_path()
    fail(
        f"new book, owned by {user.name}; time zone {settings.timezone}, phone region {region}; "
        f"set timezone and phone_region in {where} to change them"
    )


def _sign_in(owner: str | None, settings: Settings, *, first_run_name: str) -> Staff:
    """Who is using clientbook: `--owner`, else the settings file's `owner`, else the book's owner (on a new
    book, the owner is created, named `first_run_name` when no name was given)."""
    from clientbook.core.who import sign_in  # noqa: PLC0415 - see _run_plain

    return _signed_in(owner, settings, lambda name: sign_in(name, first_run_name=first_run_name))


def _signed_in(owner: str | None, settings: Settings, sign: Callable[[str], T]) -> T:
    """`sign` (a look-up of a staff member by name, the owner for "") applied to `--owner`, else to the
    settings file's `owner`, else to "".

    An unknown name is an error either way: the settings `owner` is refused pointing at its line, since
    working as someone else would sign everything done with the wrong name. (`clientbook demo` adds the
    settings owner to the demo's staff, so the demo opens with the same settings.)
    """
    if owner or not settings.owner:
        return sign(owner or "")
    try:
        return sign(settings.owner)
    except NotFound:
        raise SettingsError(
            f"{settings.where('owner')}: owner: {shown(settings.owner)} is not a staff member of this book; "
            "add them (clientbook staff add NAME) or give --as"
        ) from None


def _start_tui(settings: Settings, book: OpenedBook, owner: str | None) -> int:
    app = build_app(settings, book, owner)
    app.run()
    return app.return_code or 0


def build_app(
    settings: Settings, book: OpenedBook, owner: str | None, *, watch_interval: float | None = 1.0
) -> ClientbookApp:
    """The TUI over `book` as `clientbook` with no command starts it; `clientbook bench` builds it here too,
    so what it measures is what a user starts. `watch_interval`: see :class:`ClientbookApp`."""
    # Imported here, not at the top: subcommands and scripts never pay for (or depend on) Textual.
    from clientbook.core.watch import watcher_for  # noqa: PLC0415
    from clientbook.core.who import book_owner  # noqa: PLC0415
    from clientbook.ui.app import ClientbookApp  # noqa: PLC0415

    name = owner or settings.owner
    user = _sign_in(owner, settings, first_run_name="") if (name or book_owner() is not None) else None
    return ClientbookApp(
        settings=settings,
        location=book.location,
        user=user,
        suggested_owner=os_user_name(),
        watch_interval=watch_interval,
        notices=book.notices(),
        watcher=watcher_for(book.target),
    )
