"""The `clientbook` command: resolves settings, opens the book, then starts the TUI or runs a subcommand.

Subcommands never import Textual (the TUI is imported only when it is started), so scripts stay fast.
Exit status, for every command: 0 done, 2 invalid input (one `field: message` line per problem on stderr,
nothing written), 3 database problem (one line; the file untouched).
"""

from clientbook.cli.main import main

__all__ = ["main"]
