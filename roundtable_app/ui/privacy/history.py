"""The History panel of one person or roundtable: who did what, and when; never values.

Opened from Edit > History… (Ctrl+H) on the People and Roundtables pages. It
lists the audit entries about the record, newest first, with the staff
member's name and the local time, and says so plainly when nothing was
recorded (records made before the audit trail, or by an import only).
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from roundtable_app.services import privacy
from roundtable_app.ui.common import EmptyState, style_list_table
from roundtable_app.ui.context import AppContext
from roundtable_app.ui.privacy.audit_model import DETAIL, RECORD, WHAT, WHEN, WHO, AuditModel
from roundtable_app.ui.settings import HISTORY_DIALOG_GEOMETRY, restore_geometry

KINDS = {"person": "person", "roundtable": "roundtable"}


class HistoryDialog(QDialog):
    """The history of ``entity`` #``entity_id``, called ``name`` on screen."""

    def __init__(
        self,
        ctx: AppContext,
        entity: str,
        entity_id: int,
        name: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(f"History of {name}")
        with ctx.db.reading() as session:
            records = privacy.history(session, entity, entity_id)
        self.model = AuditModel(self)
        self.model.set_records(records)
        self.table = QTableView()
        self.table.setObjectName("historyTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        style_list_table(self.table, {WHEN: 140, WHO: 140, RECORD: 120, WHAT: 130, DETAIL: 160})
        self.empty = EmptyState()
        kind = KINDS.get(entity, "record")
        self.empty.show_message(
            f"Nothing recorded about this {kind} yet",
            "Each change made from now on is listed here: who made it and when, and which "
            "fields changed, never what they held. (Records imported or changed before "
            "the audit trail began have no history.)",
            [],
        )
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        self.stack.setCurrentWidget(self.table if records else self.empty)
        count = len(records)
        self.summary = QLabel(
            f"{count:,} change{'s' if count != 1 else ''} recorded, newest first. "
            "Values are never kept, only which fields changed."
            if records
            else ""
        )
        self.summary.setWordWrap(True)
        self.summary.setVisible(bool(records))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setDefault(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.stack, 1)
        layout.addWidget(buttons)
        restore_geometry(self, ctx.settings, HISTORY_DIALOG_GEOMETRY, (820, 460))

    def done(self, result: int) -> None:
        self.ctx.settings.set(HISTORY_DIALOG_GEOMETRY, self.saveGeometry())
        super().done(result)
