"""The command line: open the app, or run a use case headless.

Every subcommand is a thin front end over the same services the window uses,
prints a one-line error and exits non-zero on bad input, and has ``--help``.
No Qt here: the window is imported only when it is opened.

:mod:`.parser` declares the commands and options, :mod:`.commands` runs each
one, and :mod:`.main` ties them together (errors, closed pipes, the window). A
command with a module of its own (:mod:`.sign_in_sheet`) declares its options there.
"""

from roundtable_app.cli.main import main

__all__ = ["main"]
