"""Edit > Vocabulary: the sectors, interests and organisations people are described with.

One tab per kind, each entry with how many people use it. Rename in place
(F2 or a double-click), merge typos and duplicates into the entry to keep,
delete entries nobody uses; every change is one undoable step (Ctrl+Z here
or in the main window). The dialog is modeless, so staff can look at the
directory while they tidy up, and it refreshes when the data changes.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from roundtable_app.core.errors import RoundtableError
from roundtable_app.core.model import Changes
from roundtable_app.services import directory
from roundtable_app.services.directory import VocabularyEntry, VocabularyKind, people_text
from roundtable_app.ui import messages
from roundtable_app.ui.common import ServiceCommand, style_list_table
from roundtable_app.ui.context import AppContext
from roundtable_app.ui.directory.vocabulary_commands import (
    DeleteEntriesCommand,
    MergeEntriesCommand,
    RenameEntryCommand,
)
from roundtable_app.ui.directory.vocabulary_merge import MergeDialog
from roundtable_app.ui.directory.vocabulary_model import (
    NAME,
    PEOPLE,
    VocabularyModel,
    VocabularyProxy,
)

TAB_TITLES = {
    VocabularyKind.SECTOR: "&Sectors",
    VocabularyKind.INTEREST: "&Interests",
    VocabularyKind.ORGANISATION: "&Organisations",
}


class KindPage(QWidget):
    """One tab: a filter box and the table of one kind of entry."""

    def __init__(self, kind: VocabularyKind, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.loaded = False
        self.filter_edit = QLineEdit(placeholderText=f"Filter {kind.plural}")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.installEventFilter(self)
        self.model = VocabularyModel(self)
        self.proxy = VocabularyProxy(self)
        self.proxy.setSourceModel(self.model)
        self.view = QTableView()
        self.view.setObjectName("vocabularyTable")
        self.view.setModel(self.proxy)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(NAME, Qt.SortOrder.AscendingOrder)
        style_list_table(self.view, {NAME: 300, PEOPLE: 70})
        self.view.setAccessibleName(kind.plural.capitalize())
        self.filter_edit.textChanged.connect(self.proxy.setFilterFixedString)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.view, 1)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Escape in a filter that holds text clears it; an empty one lets Escape close.
        if (
            watched is self.filter_edit
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
            and self.filter_edit.text()
        ):
            self.filter_edit.clear()
            return True
        return super().eventFilter(watched, event)

    def load(self, entries: list[VocabularyEntry], select: list[int] | None = None) -> None:
        """Show ``entries``, keeping the selection (or selecting the ids in ``select``)."""
        keep = select if select is not None else [e.id for e in self.selected()]
        self.model.set_entries(entries)
        self.loaded = True
        self.select_ids(keep)

    def select_ids(self, ids: list[int]) -> None:
        selection = self.view.selectionModel()
        selection.clearSelection()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        first = None
        for entry_id in ids:
            row = self.model.row_of(entry_id)
            if row is None:
                continue
            index = self.proxy.mapFromSource(self.model.index(row, NAME))
            if index.isValid():
                selection.select(index, flags)
                first = first or index
        if first is not None:
            selection.setCurrentIndex(first, QItemSelectionModel.SelectionFlag.NoUpdate)
            self.view.scrollTo(first)

    def selected(self) -> list[VocabularyEntry]:
        """The selected entries, in the order the table shows them."""
        rows = sorted(self.view.selectionModel().selectedRows(NAME), key=lambda i: i.row())
        return [self.model.entry(self.proxy.mapToSource(index).row()) for index in rows]


class VocabularyDialog(QDialog):
    """Rename, merge and delete sectors, interests and organisations, with undo."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Vocabulary: sectors, interests and organisations")
        self.resize(880, 600)
        intro = QLabel(
            "The names people are described with. Rename one in place (F2), merge typos and "
            "duplicates into the one to keep, or delete what nobody uses. "
            "Ctrl+Z undoes each change."
        )
        intro.setWordWrap(True)
        self.tabs = QTabWidget()
        self.pages = {kind: KindPage(kind) for kind in VocabularyKind}
        for kind, page in self.pages.items():
            self.tabs.addTab(page, TAB_TITLES[kind])
            # Queued: the view finishes committing and closes its editor before the reload.
            page.model.rename_requested.connect(self.rename, Qt.ConnectionType.QueuedConnection)
            page.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.status = QLabel()
        self.status.setObjectName("hint")
        self.status.setWordWrap(True)
        self.rename_button = QPushButton("&Rename")
        self.rename_button.setToolTip("Rename the selected entry everywhere it is used (F2)")
        self.merge_button = QPushButton("&Merge…")
        self.merge_button.setToolTip("Merge the selected entries into one; their people move")
        self.delete_button = QPushButton("&Delete")
        self.delete_button.setToolTip("Delete the selected entries (only those nobody uses)")
        self.close_button = QPushButton("Close")
        for button in (self.rename_button, self.merge_button, self.delete_button):
            button.setAutoDefault(False)
        self.rename_button.clicked.connect(self.start_rename)
        self.merge_button.clicked.connect(self.merge)
        self.delete_button.clicked.connect(self.delete)
        self.close_button.clicked.connect(self.close)
        buttons = QHBoxLayout()
        for button in (self.rename_button, self.merge_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.close_button.setDefault(True)  # Enter never renames, merges or deletes
        self._add_undo_keys()
        self.delete_action = QAction("Delete", self)
        self.delete_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.delete_action.triggered.connect(self.delete)
        for page in self.pages.values():
            page.view.addAction(self.delete_action)
        self.tabs.currentChanged.connect(self._tab_changed)
        ctx.changes_published.connect(self._changes_published)
        self.reload()

    @classmethod
    def show_for(cls, ctx: AppContext, parent: QWidget) -> VocabularyDialog:
        """Show the window's Vocabulary dialog, opening it the first time."""
        dialog = parent.findChild(VocabularyDialog)
        if dialog is None:
            dialog = cls(ctx, parent)
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    def _add_undo_keys(self) -> None:
        """Ctrl+Z and Ctrl+Shift+Z work here too: this is a window of its own."""
        stack = self.ctx.undo_stack
        self.undo_action = stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Undo))
        self.redo_action = stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.addAction(self.undo_action)
        self.addAction(self.redo_action)
        self._pushing = False
        self._index = stack.index()
        stack.indexChanged.connect(self._undo_index_changed)

    def _undo_index_changed(self, index: int) -> None:
        """Say what an undo or redo did (pushes say it themselves)."""
        stack = self.sender()
        if not isinstance(stack, QUndoStack) or not shiboken6.isValid(stack):
            return  # the window is closing: the stack clears itself as it goes
        if not self._pushing and index != self._index:
            if index < self._index:
                self.status.setText(f"Undone: {stack.text(index)}. Ctrl+Shift+Z redoes it.")
            else:
                self.status.setText(f"Redone: {stack.text(index - 1)}.")
        self._index = index

    # --- reading ---------------------------------------------------------------------------

    @property
    def page(self) -> KindPage:
        page = self.tabs.currentWidget()
        assert isinstance(page, KindPage)
        return page

    def show_kind(self, kind: VocabularyKind) -> None:
        self.tabs.setCurrentWidget(self.pages[kind])

    def reload(self, select: list[int] | None = None) -> None:
        """Read the current tab's entries again (the others when they are next shown)."""
        page = self.page
        with self.ctx.db.reading() as session:
            entries = directory.list_vocabulary(session, page.kind)
        page.load(entries, select)
        self._update_buttons()

    def _tab_changed(self) -> None:
        if not self.page.loaded:
            self.reload()
        self.status.clear()
        self._update_buttons()

    def _changes_published(self, changes: Changes) -> None:
        if not (
            changes.themes
            or changes.sectors
            or changes.organisations
            or changes.people
            or changes.all_people
        ):
            return
        for page in self.pages.values():
            page.loaded = False  # read again when shown
        self.reload()

    def _update_buttons(self) -> None:
        selected = self.page.selected()
        self.rename_button.setEnabled(len(selected) == 1)
        self.merge_button.setEnabled(bool(selected) and self.page.model.rowCount() > 1)
        used = [e for e in selected if e.used]
        self.delete_button.setEnabled(bool(selected) and not used)
        self.delete_action.setEnabled(self.delete_button.isEnabled())
        if used:
            first = used[0]
            self.delete_button.setToolTip(
                f"“{first.name}” is used by {first.describe_uses()}: merge it into another "
                f"{first.kind.value} instead of deleting it."
            )
        else:
            self.delete_button.setToolTip("Delete the selected entries (only those nobody uses)")

    # --- editing ---------------------------------------------------------------------------

    def _push(self, command: ServiceCommand, message: str, select: list[int]) -> None:
        self._pushing = True
        try:
            self.ctx.undo_stack.push(command)
        finally:
            self._pushing = False
        self.reload(select)
        self.status.setText(f"{message} Ctrl+Z undoes it.")

    def start_rename(self) -> None:
        """Open the name of the selected entry for editing in place."""
        view = self.page.view
        index = view.currentIndex().siblingAtColumn(NAME)
        if index.isValid():
            view.setFocus()
            view.edit(index)

    def rename(self, entry: VocabularyEntry, name: str) -> None:
        """Rename ``entry`` (typed in place); a taken name offers a merge instead."""
        try:
            command = RenameEntryCommand.execute(self.ctx, entry, name)
        except directory.NameTakenError as exc:
            self.reload()
            kept = exc.existing
            text = (
                f"There is already a {entry.kind.value} called “{kept.name}”. Merge "
                f"“{entry.name}” into it? Its {people_text(entry.people)} will have "
                f"“{kept.name}” instead."
            )
            if messages.confirm(self, "Merge instead?", text, "Merge"):
                self._merge([entry], kept)
            return
        except RoundtableError as exc:
            self.reload()
            messages.show_error(self, f"Cannot rename “{entry.name}”", str(exc))
            return
        renamed = command.renamed
        self._push(
            command,
            f"Renamed “{renamed.old_name}” to “{renamed.new_name}” "
            f"({people_text(renamed.people)}).",
            [entry.id],
        )

    def merge(self) -> None:
        """Ask what to keep, then merge the selected entries into it."""
        selected = self.page.selected()
        if not selected:
            return
        choose = MergeDialog(selected, self.page.model.entries(), self)
        try:
            if choose.exec() != QDialog.DialogCode.Accepted:
                return
            into, sources = choose.into(), choose.sources()
        finally:
            choose.deleteLater()
        if into is not None and sources:
            self._merge(sources, into)

    def _merge(self, sources: list[VocabularyEntry], into: VocabularyEntry) -> None:
        try:
            command = MergeEntriesCommand.execute(self.ctx, sources, into)
        except RoundtableError as exc:
            self.reload()
            messages.show_error(self, "Cannot merge", str(exc))
            return
        names = ", ".join(f"“{e.name}”" for e in sources)
        self._push(
            command,
            f"Merged {names} into “{into.name}”: {people_text(command.people)} moved.",
            [into.id],
        )

    def delete(self) -> None:
        """Delete the selected entries if nobody uses them."""
        selected = self.page.selected()
        if not selected or not self.delete_button.isEnabled():
            return
        try:
            command = DeleteEntriesCommand.execute(self.ctx, selected)
        except RoundtableError as exc:
            self.reload()
            messages.show_error(self, "Cannot delete", str(exc))
            return
        names = ", ".join(f"“{e.name}”" for e in selected)
        self._push(command, f"Deleted {names}.", [])
