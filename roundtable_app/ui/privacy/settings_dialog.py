"""Privacy settings: the staff member's name in the audit trail, and the team's retention rule.

The name is this computer's setting (empty: the login name). Retention holds
for everyone who shares the database, so it is kept there (see
``services.privacy.retention``).
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from roundtable_app.core.errors import RoundtableError
from roundtable_app.services import audit, privacy
from roundtable_app.ui import messages
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
        with ctx.db.reading() as session:
            self.years = privacy.retention_years(session)
        self.retention_check = QCheckBox(
            "Erase people with no invitation, attendance or change for"
        )
        self.retention_check.setChecked(self.years is not None)
        self.years_box = QSpinBox()
        self.years_box.setRange(1, privacy.MAX_YEARS)
        self.years_box.valueChanged.connect(
            lambda value: self.years_box.setSuffix(" year" if value == 1 else " years")
        )
        self.years_box.setValue(self.years or privacy.SUGGESTED_YEARS)
        self.years_box.setSuffix(" year" if self.years_box.value() == 1 else " years")
        self.years_box.setEnabled(self.years is not None)
        self.retention_check.toggled.connect(self.years_box.setEnabled)
        row = QHBoxLayout()
        row.addWidget(self.retention_check)
        row.addWidget(self.years_box)
        row.addStretch(1)
        team_hint = QLabel(
            "For everyone who uses this database. Off by default; "
            f"{privacy.SUGGESTED_YEARS} years is usual. Nobody is erased until someone "
            "reviews the list (Edit > Review retention…) and confirms."
        )
        team_hint.setWordWrap(True)
        team_hint.setObjectName("hint")
        team = QGroupBox("The team: retention")
        team_layout = QVBoxLayout(team)
        team_layout.addLayout(row)
        team_layout.addWidget(team_hint)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.layout_ = QVBoxLayout(self)
        self.layout_.addWidget(you)
        self.layout_.addWidget(team)
        self.layout_.addWidget(self.buttons)
        self.setMinimumWidth(520)

    def chosen_years(self) -> int | None:
        """The retention period chosen, or None for off."""
        return self.years_box.value() if self.retention_check.isChecked() else None

    def accept(self) -> None:
        self.ctx.set_staff_name(self.name_edit.text())
        years = self.chosen_years()
        if years != self.years:
            try:
                with self.ctx.db.transaction() as session:
                    privacy.set_retention_years(session, years)
            except RoundtableError as exc:
                messages.show_error(self, "Cannot change the retention rule", str(exc))
                return
        super().accept()
