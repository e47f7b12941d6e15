"""The people directory: people and their edits, and the vocabulary they are described in.

Every function takes the caller's session and never commits; edits return
what they changed and what undoing them needs.
"""

from roundtable_app.services.directory.people import (
    DeletedPerson,
    add_interest,
    create_person,
    delete_people,
    find_by_email,
    get_person,
    list_rows,
    remove_interest,
    restore_people,
    restore_sectors,
    set_sector,
    update_person,
    validate,
)
from roundtable_app.services.directory.vocabulary import (
    MAX_NAME,
    organisation_names,
    sector_names,
    theme,
    theme_names,
    theme_names_of,
)

__all__ = [
    "MAX_NAME",
    "DeletedPerson",
    "add_interest",
    "create_person",
    "delete_people",
    "find_by_email",
    "get_person",
    "list_rows",
    "organisation_names",
    "remove_interest",
    "restore_people",
    "restore_sectors",
    "sector_names",
    "set_sector",
    "theme",
    "theme_names",
    "theme_names_of",
    "update_person",
    "validate",
]
