"""The selected roundtable's invitees: the mix, the list with statuses, and its actions."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QMenu,
    QPushButton,
    QStackedWidget,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from roundtable_app.core.errors import RoundtableError
from roundtable_app.core.model import Changes, InviteeRole, RoundtableStatus
from roundtable_app.services import roundtables
from roundtable_app.services.roundtables import InviteeStatus
from roundtable_app.ui import messages
from roundtable_app.ui.common import EmptyState, style_list_table
from roundtable_app.ui.context import AppContext
from roundtable_app.ui.roundtables import invitees_model as im
from roundtable_app.ui.roundtables.commands import (
    AddInviteesCommand,
    SetRoleCommand,
    WithdrawInviteesCommand,
    invitees_text,
)
from roundtable_app.ui.roundtables.mix import MixSummary

COLUMN_WIDTHS = {
    im.NAME: 175,
    im.ORGANISATION: 185,
    im.SECTOR: 140,
    im.LIVED: 100,
    im.ROLE: 105,
    im.RESPONSE: 105,
    im.STATUS: 140,
}
Index = QModelIndex | QPersistentModelIndex


class RoleDelegate(QStyledItemDelegate):
    """A combo box of the invitee roles for the Role column."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        combo = QComboBox(parent)
        for role, label in im.ROLE_LABELS.items():
            combo.addItem(label, role.value)

        def chosen() -> None:  # commit as soon as a role is picked from the popup
            self.commitData.emit(combo)
            self.closeEditor.emit(combo)

        combo.activated.connect(chosen)
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        found = editor.findData(index.data(im.ROLE_VALUE_ROLE))
        editor.setCurrentIndex(max(found, 0))
        editor.showPopup()

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class InviteesPanel(QWidget):
    """Invitees of one roundtable (:meth:`set_roundtable`), refreshed on published changes.

    Signals:
        invitees_changed(): the list was reloaded (after an edit or a refresh).
        roundtable_scheduled(int): Send invitations scheduled this draft ("Schedule and send").
    """

    invitees_changed = Signal()
    roundtable_scheduled = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.roundtable_id: int | None = None
        self.info: roundtables.RoundtableInfo | None = None
        self.mix: roundtables.Mix | None = None
        self.model = im.InviteesModel(self)
        self.model.role_setter = self._set_role
        self._build()
        self.ctx.changes_published.connect(self.apply_changes)
        self.set_roundtable(None)

    # --- building --------------------------------------------------------------------

    def _build(self) -> None:
        self.summary = MixSummary()
        self.add_button = QPushButton("Add people…")
        self.remove_button = QPushButton("Remove")
        self.send_button = QPushButton("Send invitations…")
        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        buttons.addWidget(self.send_button)

        self.table = QTableView()
        self.table.setObjectName("inviteesTable")
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(im.ROLE, RoleDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.SelectedClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        style_list_table(self.table, COLUMN_WIDTHS)

        self.empty = EmptyState()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.summary)
        layout.addLayout(buttons)
        layout.addWidget(self.stack, 1)

        self.add_button.clicked.connect(self.add_people)
        self.remove_button.clicked.connect(self.remove_selected)
        self.send_button.clicked.connect(self.send_invitations)
        self.table.selectionModel().selectionChanged.connect(self._update_state)
        self.table.addAction(self._delete_action())
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)

    def _delete_action(self) -> Any:
        from PySide6.QtGui import QAction

        action = QAction("Remove invitees", self.table)
        action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        action.triggered.connect(self.remove_selected)
        return action

    def _context_menu(self, position: QPoint) -> None:
        rows = self.selected_rows()
        if not rows or not self.can_add:
            return
        menu = QMenu(self)
        roles = menu.addMenu("Role")
        for role, label in im.ROLE_LABELS.items():
            action = roles.addAction(label)
            action.triggered.connect(lambda _c=False, r=role: self.set_role_of_selected(r))
            if role == InviteeRole.CHAIR and len(rows) > 1:
                action.setEnabled(False)  # one chair: the Chair role goes to one person
        menu.addAction(f"Remove {invitees_text(len(rows))}", self.remove_selected)
        if self.send_button.isVisible():
            ids = [r.invitation_id for r in rows]
            menu.addSeparator()
            menu.addAction(
                f"Send to {invitees_text(len(rows))}…",
                lambda: self.send_invitations(invitation_ids=ids),
            )
        menu.exec(self.table.viewport().mapToGlobal(position))

    def set_role_of_selected(self, role: InviteeRole) -> None:
        """Give every selected invitee ``role`` (one undoable step)."""
        rows = [r for r in self.selected_rows() if r.role != role]
        if self.roundtable_id is None or not rows:
            return
        name = rows[0].name if len(rows) == 1 else ""
        try:
            command = SetRoleCommand.execute(
                self.ctx, self.roundtable_id, [r.invitation_id for r in rows], role, name
            )
        except RoundtableError as exc:
            messages.show_error(self, "Cannot change the role", str(exc))
            return
        self.ctx.undo_stack.push(command)

    # --- loading ---------------------------------------------------------------------

    def set_roundtable(self, roundtable_id: int | None) -> None:
        """Show the invitees of ``roundtable_id`` (None: nothing selected)."""
        self.roundtable_id = roundtable_id
        self.reload()

    def reload(self) -> None:
        """Read the list, the mix and the local times again."""
        rid = self.roundtable_id
        self.info, self.mix = None, None
        rows: list[roundtables.InviteeRow] = []
        local: list[roundtables.LocalTime] = []
        if rid is not None:
            try:
                with self.ctx.db.reading() as session:
                    self.info = roundtables.get_roundtable(session, rid)
                    rows = roundtables.invitee_rows(session, rid)
                    self.mix = roundtables.invitee_mix(session, rid)
                    local = roundtables.invitee_local_times(session, rid)
            except RoundtableError:
                self.roundtable_id = None
        day = None
        if self.info is not None and self.info.data.starts_at is not None:
            from zoneinfo import ZoneInfo

            day = self.info.data.starts_at.astimezone(ZoneInfo(self.info.data.time_zone)).date()
        self.model.set_rows(rows, local, day)
        self.table.setColumnHidden(im.LOCAL_TIME, not local)
        self.summary.show_mix(self.mix)
        self.summary.setVisible(bool(rows))  # the empty state says it otherwise
        self._update_state()
        self.invitees_changed.emit()

    def apply_changes(self, changes: Changes) -> None:
        """Reload when the shown roundtable (or people on it) changed."""
        if self.roundtable_id is None:
            return
        if (
            changes.all_roundtables
            or self.roundtable_id in changes.roundtables
            or changes.all_people
            or changes.people
        ):
            self.reload()

    # --- state -----------------------------------------------------------------------

    @property
    def can_add(self) -> bool:
        return self.info is not None and self.info.status in (
            RoundtableStatus.DRAFT,
            RoundtableStatus.SCHEDULED,
        )

    def selected_rows(self) -> list[roundtables.InviteeRow]:
        """The selected invitees who are still on the list."""
        rows = sorted(i.row() for i in self.table.selectionModel().selectedRows())
        return [r for r in (self.model.row_at(n) for n in rows) if not r.withdrawn]

    def _update_state(self) -> None:
        selected = self.selected_rows() if self.model.rowCount() else []
        self.add_button.setEnabled(self.can_add)
        self.remove_button.setEnabled(bool(selected) and self.can_add)
        self.remove_button.setText("Remove" if len(selected) <= 1 else f"Remove {len(selected)}")
        self._update_send()
        if self.info is None:
            self.empty.show_message("Select a roundtable to see its invitees", "", [])
            self.stack.setCurrentWidget(self.empty)
        elif self.model.rowCount() == 0:
            buttons = [("Add people…", self.add_people)] if self.can_add else []
            self.empty.show_message(
                "No one is invited yet",
                "Add people from the directory, everyone interested in a theme, "
                "or the suggested people whose interests match.",
                buttons,
            )
            self.stack.setCurrentWidget(self.empty)
        else:
            self.stack.setCurrentWidget(self.table)

    def _cancellations_due(self) -> int:
        return sum(r.status == InviteeStatus.CANCEL_NOT_SENT for r in self.model.rows())

    def _update_send(self) -> None:
        """Invitations while it is planned; once held or cancelled, only cancellations."""
        info = self.info
        closed = info is not None and info.status in (
            RoundtableStatus.HELD,
            RoundtableStatus.CANCELLED,
        )
        self.send_button.setText("Send cancellations…" if closed else "Send invitations…")
        tip = ""
        if info is None:
            enabled = False
        elif closed:
            enabled = self._cancellations_due() > 0
            if not enabled:
                state = "has been held" if info.status == RoundtableStatus.HELD else "is cancelled"
                tip = f"'{info.data.title}' {state} and no cancellation is due."
        else:
            enabled = any(not r.withdrawn for r in self.model.rows()) or bool(
                self._cancellations_due()
            )
            if not enabled:
                tip = "Add people first: no one is invited yet."
        self.send_button.setEnabled(enabled)
        self.send_button.setToolTip(tip)

    # --- actions ---------------------------------------------------------------------

    def add_people(self) -> None:
        """Open the picker and add whom the user chose (undoable)."""
        if self.roundtable_id is None or not self.can_add:
            return
        from roundtable_app.ui.roundtables.add_invitees_dialog import AddInviteesDialog

        dialog = AddInviteesDialog(self.ctx, self.roundtable_id, parent=self)
        if dialog.exec():
            self.add(dialog.chosen_ids(), dialog.chosen_role())
        dialog.deleteLater()

    def add(
        self, person_ids: list[int], role: InviteeRole = InviteeRole.PARTICIPANT
    ) -> roundtables.AddResult | None:
        """Invite ``person_ids`` as one undoable step; report who was not added."""
        if self.roundtable_id is None or not person_ids:
            return None
        try:
            command = AddInviteesCommand.execute(self.ctx, self.roundtable_id, person_ids, role)
        except RoundtableError as exc:
            messages.show_error(self, "Cannot add invitees", str(exc))
            return None
        result = command.result
        if result.undo_ids:
            self.ctx.undo_stack.push(command)
        notes = []
        if result.not_contactable:
            count = len(result.not_contactable)
            notes.append(
                f"{count} {'person has' if count == 1 else 'people have'} not agreed to be "
                f"contacted and {'was' if count == 1 else 'were'} not added."
            )
        if notes:
            messages.show_error(self, "Some people were not added", " ".join(notes))
        return result

    def remove_selected(self) -> None:
        """Withdraw the selected invitees (undoable); warn when a cancellation is needed."""
        rows = self.selected_rows()
        if self.roundtable_id is None or not rows or not self.can_add:
            return
        sent = [r for r in rows if r.sent_sequence is not None]
        if sent:
            who = sent[0].name if len(sent) == 1 else f"{len(sent)} of them"
            if not messages.confirm(
                self,
                "Remove invitees",
                f"{who} {'was' if len(sent) == 1 else 'were'} already sent an invitation. "
                "They stay on the list as withdrawn until Send invitations… sends them "
                "the cancellation.",
                "Remove",
            ):
                return
        try:
            command = WithdrawInviteesCommand.execute(
                self.ctx,
                self.roundtable_id,
                [r.invitation_id for r in rows],
                [r.name for r in rows],
            )
        except RoundtableError as exc:
            messages.show_error(self, f"Cannot remove {invitees_text(len(rows))}", str(exc))
            return
        self.ctx.undo_stack.push(command)

    def _set_role(self, invitation_id: int, role: InviteeRole) -> bool:
        """Change one invitee's role (undoable), after the role editor has closed.

        Deferred: the change reloads the list, which must not happen while the
        view is still committing the editor's value.
        """
        if self.roundtable_id is None:
            return False
        roundtable_id = self.roundtable_id
        name = next((r.name for r in self.model.rows() if r.invitation_id == invitation_id), "")

        def change() -> None:
            try:
                command = SetRoleCommand.execute(
                    self.ctx, roundtable_id, [invitation_id], role, name
                )
            except RoundtableError as exc:
                messages.show_error(self, "Cannot change the role", str(exc))
                return
            self.ctx.undo_stack.push(command)

        QTimer.singleShot(0, change)
        return True

    def send_invitations(self, *, invitation_ids: list[int] | None = None) -> None:
        """Open the send dialog: invitations (a draft: "Schedule and send"), or cancellations."""
        if self.roundtable_id is None or self.info is None:
            return
        from roundtable_app.ui.invitations import SendInvitationsDialog

        roundtable_id = self.roundtable_id
        closed = self.info.status in (RoundtableStatus.HELD, RoundtableStatus.CANCELLED)

        def schedule() -> bool:
            return self._schedule(roundtable_id)

        dialog = SendInvitationsDialog(
            self.ctx,
            roundtable_id,
            self,
            method="cancel" if closed else "request",
            invitation_ids=invitation_ids,
            schedule=schedule,
        )
        dialog.exec()
        dialog.deleteLater()

    def _schedule(self, roundtable_id: int) -> bool:
        """Schedule a draft for the send dialog (one undoable step); False if refused."""
        from roundtable_app.ui.roundtables.commands import SetStatusCommand

        try:
            with self.ctx.db.reading() as session:
                version = roundtables.get_roundtable(session, roundtable_id).version
            command = SetStatusCommand.execute(
                self.ctx, roundtable_id, RoundtableStatus.SCHEDULED, version
            )
        except RoundtableError as exc:
            messages.show_error(self, "Cannot schedule the roundtable", str(exc))
            return False
        self.ctx.undo_stack.push(command)
        self.roundtable_scheduled.emit(roundtable_id)
        return True
