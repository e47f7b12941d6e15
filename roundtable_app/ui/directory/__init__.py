"""The People page: the directory table, its filters, the person form and undoable edits,
and the Vocabulary dialog (sectors, interests and organisations)."""

from roundtable_app.ui.directory.page import DirectoryPage
from roundtable_app.ui.directory.people_model import PeopleColumn, PeopleTableModel, prepare_rows
from roundtable_app.ui.directory.person_dialog import PersonDialog
from roundtable_app.ui.directory.vocabulary_dialog import VocabularyDialog

__all__ = [
    "DirectoryPage",
    "PeopleColumn",
    "PeopleTableModel",
    "PersonDialog",
    "VocabularyDialog",
    "prepare_rows",
]
