"""Privacy in the window: access (an export), erasure, the history of a record and the
audit trail, the review of the team's retention rule, and the privacy settings.

Names load on first use (PEP 562): the pages build their privacy actions at
start-up, and the dialogs (with the services they need) load when opened.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from roundtable_app.ui.common import lazy_names

if TYPE_CHECKING:
    from roundtable_app.ui.privacy.access_export import export_person
    from roundtable_app.ui.privacy.audit_window import AuditWindow, show_audit_window
    from roundtable_app.ui.privacy.erase_dialog import EraseDialog
    from roundtable_app.ui.privacy.history import HistoryDialog
    from roundtable_app.ui.privacy.page_actions import PrivacyActions
    from roundtable_app.ui.privacy.retention_dialog import RetentionDialog
    from roundtable_app.ui.privacy.settings_dialog import PrivacySettingsDialog

_MODULE_OF = {
    "AuditWindow": "audit_window",
    "EraseDialog": "erase_dialog",
    "HistoryDialog": "history",
    "PrivacyActions": "page_actions",
    "PrivacySettingsDialog": "settings_dialog",
    "RetentionDialog": "retention_dialog",
    "export_person": "access_export",
    "show_audit_window": "audit_window",
}

__all__ = [
    "AuditWindow",
    "EraseDialog",
    "HistoryDialog",
    "PrivacyActions",
    "PrivacySettingsDialog",
    "RetentionDialog",
    "export_person",
    "show_audit_window",
]

__getattr__ = lazy_names(__name__, _MODULE_OF)
