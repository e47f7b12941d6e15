"""The People page: the directory table, its filters, the person form and undoable edits."""

from roundtable_app.ui.directory.page import DirectoryPage
from roundtable_app.ui.directory.people_model import PeopleColumn, PeopleTableModel, prepare_rows
from roundtable_app.ui.directory.person_dialog import PersonDialog

__all__ = ["DirectoryPage", "PeopleColumn", "PeopleTableModel", "PersonDialog", "prepare_rows"]
