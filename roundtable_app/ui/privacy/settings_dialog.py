"""Privacy settings: the staff member's name in the audit trail, and the team's retention rule.

The name is this computer's setting (empty: the login name). Retention holds
for everyone who shares the database, so it is kept there (see
``services.privacy.retention``).
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from roundtable_app.services import audit
from roundtable_app.ui.context import AppContext
from roundtable_app.ui.settings import STAFF_NAME


class PrivacySettingsDialog(QDialog):
    """Edit > Privacy settings… on the People page."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Privacy settings")
        login = audit.login_name()
        self.name_edit = QLineEdit(ctx.settings.get(STAFF_NAME))
        self.name_edit.setObjectName("staffName")
        self.name_edit.setPlaceholderText(login or "Your name")
        self.name_edit.setMaxLength(audit.MAX_NAME)
        self.name_edit.setClearButtonEnabled(True)
        hint = QLabel(
            "Recorded with each change you make (Edit > History…, the audit trail). "
            "Kept on this computer; "
            + (f"left empty, your login name “{login}” is used." if login else "please fill it in.")
        )
        hint.setWordWrap(True)
        hint.setObjectName("hint")
        you = QGroupBox("You")
        form = QFormLayout(you)
        form.addRow("Your name in the audit trail:", self.name_edit)
        form.addRow(hint)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.layout_ = QVBoxLayout(self)
        self.layout_.addWidget(you)
        self.layout_.addWidget(self.buttons)
        self.setMinimumWidth(520)

    def accept(self) -> None:
        self.ctx.set_staff_name(self.name_edit.text())
        super().accept()
