"""The People page: the directory table, its filters, the person form and undoable edits,
and the Vocabulary dialog (sectors, interests and organisations).

Names load on first use (PEP 562), so that the window can show a first screen
of names with :class:`PeopleTableModel` before the page (and the database
layer it needs) has loaded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from roundtable_app.ui.common import lazy_names

if TYPE_CHECKING:
    from roundtable_app.ui.directory.first_screen import FirstScreen
    from roundtable_app.ui.directory.page import DirectoryPage
    from roundtable_app.ui.directory.people_cells import FirstScreenModel, PeopleColumn
    from roundtable_app.ui.directory.people_model import PeopleTableModel, prepare_rows
    from roundtable_app.ui.directory.people_table import (
        FIRST_SCREEN,
        fit_people_columns,
        setup_people_table,
    )
    from roundtable_app.ui.directory.person_dialog import PersonDialog
    from roundtable_app.ui.directory.vocabulary_dialog import VocabularyDialog

_MODULE_OF = {
    "DirectoryPage": "page",
    "FirstScreen": "first_screen",
    "FirstScreenModel": "people_cells",
    "PeopleColumn": "people_cells",
    "PeopleTableModel": "people_model",
    "prepare_rows": "people_model",
    "FIRST_SCREEN": "people_table",
    "fit_people_columns": "people_table",
    "setup_people_table": "people_table",
    "PersonDialog": "person_dialog",
    "VocabularyDialog": "vocabulary_dialog",
}

__all__ = [
    "FIRST_SCREEN",
    "DirectoryPage",
    "FirstScreen",
    "FirstScreenModel",
    "PeopleColumn",
    "PeopleTableModel",
    "PersonDialog",
    "VocabularyDialog",
    "fit_people_columns",
    "prepare_rows",
    "setup_people_table",
]


__getattr__ = lazy_names(__name__, _MODULE_OF)
