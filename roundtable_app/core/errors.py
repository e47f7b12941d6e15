"""Errors a user can act on.

Every message names the thing, the problem and what to do, because these
messages are shown as they are in dialogs and printed by the CLI. A message
suits both front ends where it can; where the advice can only be given in the
window's words ("Refresh the list (F5)"), the error also carries the command
line's words for it (``cli=``), which the CLI prints instead.
"""

from __future__ import annotations


class RoundtableError(Exception):
    """Base class for errors whose message is meant for the user.

    ``cli`` is the same message worded for the command line, when the message
    itself speaks of the window; :attr:`for_cli` is what the CLI prints.
    """

    cli: str | None = None

    def __init__(self, *args: object, cli: str | None = None) -> None:
        super().__init__(*args)
        if cli is not None:
            self.cli = cli

    @property
    def for_cli(self) -> str:
        """The message as the command line prints it."""
        return self.cli if self.cli is not None else str(self)


class ValidationError(RoundtableError):
    """Input that cannot be saved as it is; ``field`` names the offending field."""

    def __init__(self, message: str, field: str | None = None, *, cli: str | None = None) -> None:
        super().__init__(message, cli=cli)
        self.field = field


class NotFoundError(RoundtableError):
    """A record that was asked for no longer exists (deleted by someone else?)."""


class ConflictError(RoundtableError):
    """A save that would overwrite someone else's newer change."""


class DuplicateEmailError(ValidationError):
    """Another person already has this e-mail address."""

    def __init__(self, email: str, existing_id: int, existing_name: str) -> None:
        super().__init__(
            f"{existing_name} already has the e-mail address {email}; "
            "open that person instead or use another address.",
            field="email",
        )
        self.email = email
        self.existing_id = existing_id
        self.existing_name = existing_name


class Cancelled(RoundtableError):
    """Long work stopped because the user pressed Cancel."""

    def __init__(self, message: str = "Cancelled; nothing was changed.") -> None:
        super().__init__(message)


class StorageError(RoundtableError):
    """The database cannot be opened, upgraded or written."""


class MissingDatabaseError(StorageError):
    """No database exists at ``where`` (a file path or a URL), and it was not to be created."""

    def __init__(self, where: str) -> None:
        super().__init__(
            f"There is no Roundtable database at {where}; check the name, or create it first.",
            cli=f"no database at {where}; create it with roundtable-app init",
        )
        self.where = where


class DatabaseBusyError(StorageError):
    """Another import kept writing to the database for longer than the caller would wait."""

    def __init__(self, waited: float) -> None:
        seconds = f"{waited:.0f} s"
        super().__init__(
            f"Another import is writing to this database; after waiting {seconds} nothing was "
            "changed. Try again when it has finished.",
            cli=f"another import is writing to this database; waited {seconds} and imported "
            "nothing. Run the import again when it has finished, or wait longer with --wait "
            "SECONDS.",
        )
        self.waited = waited
