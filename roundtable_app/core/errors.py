"""Errors a user can act on.

Every message names the thing, the problem and what to do, because these
messages are shown as they are in dialogs and printed by the CLI.
"""

from __future__ import annotations


class RoundtableError(Exception):
    """Base class for errors whose message is meant for the user."""


class ValidationError(RoundtableError):
    """Input that cannot be saved as it is; ``field`` names the offending field."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
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
