"""The rights people have over their data, in the window: erasure (more to come)."""

from roundtable_app.ui.privacy.erase_dialog import EraseDialog

__all__ = ["EraseDialog"]
