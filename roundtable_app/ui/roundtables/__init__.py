"""The Roundtables page: the lists, the roundtable editor, invitees and their mix."""

from roundtable_app.ui.roundtables.page import RoundtablesPage
from roundtable_app.ui.roundtables.roundtable_dialog import RoundtableDialog, open_roundtable_editor

__all__ = ["RoundtableDialog", "RoundtablesPage", "open_roundtable_editor"]
