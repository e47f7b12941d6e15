"""Roundtable: plan roundtable discussions on modern slavery evidence.

The package is layered: ``core`` (plain Python), ``storage`` (SQLAlchemy),
``services`` (use cases shared by the GUI and the CLI) and ``ui`` (the only
place that imports Qt).
"""

__version__ = "0.1.0"
APP_NAME = "Roundtable"
APP_ID = "roundtable_app"
DESCRIPTION = (
    "Plan roundtable discussions: a directory of people, roundtables and their invitees, "
    "seating by shared interests, a calendar, calendar invitations and invitees' replies."
)
"""What the app does today, in one sentence: the About box and pyproject.toml's
``description`` say exactly this (a test keeps them equal). Add a feature here only
once it is in the app."""
