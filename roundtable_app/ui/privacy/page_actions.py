"""The privacy actions a page puts in the Edit menu: History…, Audit trail… and settings.

The People and Roundtables pages each build one :class:`PrivacyActions` with
a function that says which record is selected, list :meth:`actions` among
their own, and call :meth:`update_state` when their selection changes.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from roundtable_app.ui.context import AppContext

#: The selected record: (id, name shown in the History's title), or None.
Selected = Callable[[], tuple[int, str] | None]


class PrivacyActions(QObject):
    """History… (Ctrl+H) of the selected ``entity``, the Audit trail… (Ctrl+Shift+H), and
    (``people=True``) Review retention… and Privacy settings…"""

    def __init__(
        self,
        ctx: AppContext,
        page: QWidget,
        entity: str,
        selected: Selected,
        *,
        people: bool = False,
    ) -> None:
        super().__init__(page)
        self.ctx = ctx
        self.page = page
        self.entity = entity
        self.selected = selected
        self.history_action = self._action("&History…", self.show_history, "Ctrl+H")
        self.history_action.setStatusTip(
            f"Who changed this {entity} and when (never what was written)"
        )
        self.audit_action = self._action("A&udit trail…", self.show_audit, "Ctrl+Shift+H")
        self.audit_action.setStatusTip("Every change recorded, filtered and exported")
        self.retention_action: QAction | None = None
        self.settings_action: QAction | None = None
        if people:
            self.retention_action = self._action("Review re&tention…", self.review_retention)
            self.retention_action.setStatusTip(
                "Who the team's retention rule would erase, and why; erase them"
            )
            self.settings_action = self._action("&Privacy settings…", self.edit_settings)
            self.settings_action.setStatusTip(
                "Your name in the audit trail, and how long people are kept"
            )

    def _action(self, text: str, slot: Callable[[], object], shortcut: str = "") -> QAction:
        action = QAction(text, self.page)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            # Only while the page is in view: the other page has its own History.
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.page.addAction(action)
        action.triggered.connect(slot)
        return action

    def actions(self) -> list[QAction]:
        """For the page's Edit menu, in order."""
        found = [self.history_action, self.audit_action]
        if self.retention_action is not None and self.settings_action is not None:
            found += [self.retention_action, self.settings_action]
        return found

    def update_state(self) -> None:
        """History… only with one record selected."""
        self.history_action.setEnabled(self.selected() is not None)

    def show_history(self) -> None:
        """Edit > History…: the selected record's history."""
        from roundtable_app.ui.privacy.history import HistoryDialog

        chosen = self.selected()
        if chosen is None:
            return
        dialog = HistoryDialog(self.ctx, self.entity, chosen[0], chosen[1], self.page)
        dialog.exec()
        dialog.deleteLater()

    def show_audit(self) -> None:
        """Edit > Audit trail…"""
        from roundtable_app.ui.privacy.audit_window import show_audit_window

        show_audit_window(self.ctx, self.page)

    def review_retention(self) -> None:
        """Edit > Review retention…"""
        from roundtable_app.ui.privacy.retention_dialog import RetentionDialog

        dialog = RetentionDialog(self.ctx, self.page)
        dialog.exec()
        dialog.deleteLater()

    def edit_settings(self) -> None:
        """Edit > Privacy settings…"""
        from roundtable_app.ui.privacy.settings_dialog import PrivacySettingsDialog

        dialog = PrivacySettingsDialog(self.ctx, self.page)
        dialog.exec()
        dialog.deleteLater()
