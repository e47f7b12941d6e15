"""The rights people have over their data, in the window: access (an export) and erasure."""

from roundtable_app.ui.privacy.access_export import export_person
from roundtable_app.ui.privacy.erase_dialog import EraseDialog

__all__ = ["EraseDialog", "export_person"]
